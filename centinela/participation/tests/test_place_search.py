"""The report page's place search (/participa/lugares/?q=): barrios, parishes, named places and streets of the
gazetteer by name, accent- and case-insensitive, names starting with the text first, each with a point; public,
nothing under three letters, and never more than a handful."""

import shapely

from centinela.territory.models import Parish, StreetSegment

URL = "/participa/lugares/"


def test_a_barrio_is_found_without_its_accent_and_comes_first(client, db):
    response = client.get(URL, {"q": "JIPIRO"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0]["name"] == "Jipiro" and results[0]["kind"] == "Barrio" and results[0]["parish"] == "El Valle"
    assert any(r["name"] == "Parque Recreacional Jipiro" for r in results)
    assert all(set(r) == {"name", "kind", "parish", "lon", "lat"} for r in results)
    assert "max-age" in response["Cache-Control"]


def test_a_parish_and_a_market_are_found_typed_without_accents(client, db):
    names = [r["name"] for r in client.get(URL, {"q": "san sebastian"}).json()["results"]]
    assert names[0] == "San Sebastián" and "Mercado San Sebastián" in names


def test_a_street_is_found_at_its_middle(client, db):
    valle = Parish.objects.get(code="110104")
    StreetSegment.objects.create(
        code="s1",
        name="Avenida Ángel Felicísimo Rojas",
        parish=valle,
        geometry=shapely.LineString([(-79.210, -3.970), (-79.200, -3.970)]),
    )
    [street] = client.get(URL, {"q": "felicisimo"}).json()["results"]
    assert street["kind"] == "Calle" and street["parish"] == "El Valle"
    assert (street["lon"], street["lat"]) == (-79.205, -3.97)


def test_short_or_unknown_text_finds_nothing(client, db):
    assert client.get(URL, {"q": "ji"}).json() == {"results": []}
    assert client.get(URL, {"q": "zzzqqq"}).json() == {"results": []}
    assert client.get(URL).json() == {"results": []}


def test_many_matches_are_cut_to_eight(client, db):
    for i in range(12):
        StreetSegment.objects.create(
            code=f"c{i}", name=f"Calle Los Pinos {i:02d}", geometry=shapely.LineString([(-79.2, -4.0), (-79.21, -4.0)])
        )
    results = client.get(URL, {"q": "los pinos"}).json()["results"]
    assert [r["name"] for r in results] == [f"Calle Los Pinos {i:02d}" for i in range(8)]
