"""The report page's place search (/participa/lugares/?q=): barrios, parishes, named places and streets of the
gazetteer by name, accent- and case-insensitive, names starting with the text first, each with a point; public,
nothing under three letters, and never more than a handful."""

import pytest
import shapely
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from centinela.territory.models import Parish, Place, StreetSegment

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


def _names(client, text):
    return [r["name"] for r in client.get(URL, {"q": text}).json()["results"]]


def test_a_venue_created_in_the_app_is_not_public_until_staff_mark_it(client, client_for, db):
    """A parish president's meeting house (an activity's venue) is not found by the public search: its name and exact
    point are not public data. The place form offers the mark to staff only; once staff tick it, anyone finds it."""
    valle = Parish.objects.get(code="110104")
    point = {"lat": valle.centre_lat, "lon": valle.centre_lon}
    president = client_for("presidente.valle")
    form = president.get("/territorio/lugares/nuevo/").content.decode()
    assert 'name="public"' not in form  # presidents cannot make a place public
    data = {"name": "Casa de la señora Quizhpe", "kind": "other", **point, "address": "", "notes": ""}
    assert president.post("/territorio/lugares/nuevo/", data).status_code == 302
    house = Place.objects.get(name="Casa de la señora Quizhpe")
    assert not house.public
    assert _names(client, "quizhpe") == []

    staff = client_for("tecnico")
    assert 'name="public"' in staff.get(f"/territorio/lugares/{house.pk}/editar/").content.decode()
    assert staff.post(f"/territorio/lugares/{house.pk}/editar/", {**data, "public": "on"}).status_code == 302
    assert _names(client, "quizhpe") == ["Casa de la señora Quizhpe"]
    # the president's later edit keeps what staff chose
    assert president.post(f"/territorio/lugares/{house.pk}/editar/", {**data, "notes": "x"}).status_code == 302
    assert Place.objects.get(pk=house.pk).public


def test_the_gazetteers_places_are_public(db):
    assert Place.objects.filter(name="Parque Recreacional Jipiro").get().public


@pytest.mark.django_db(transaction=True)
def test_the_migration_makes_the_gazetteers_places_public_and_no_other(reference_data):
    before, after = [("territory", "0004_verbose_names")], [("territory", "0005_place_public")]

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "territory"]
        return executor.loader.project_state(others + targets).apps

    try:
        apps = migrate(before)
        apps.get_model("territory", "Place").objects.create(name="Salón del barrio", kind="other", lon=-79.2, lat=-4.0)
        apps = migrate(after)
        Old = apps.get_model("territory", "Place")
        assert Old.objects.get(name="Parque Recreacional Jipiro").public
        assert not Old.objects.get(name="Salón del barrio").public
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
