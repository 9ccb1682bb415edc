"""The incident list's map (incidents:incident_map_data): the rows the list's filters select, each an exact point for
those who read exact places, counts by barrio or parish for parish presidents; capped at MAP_LIMIT with the total."""

import pytest
from django.urls import reverse

from centinela.incidents import selectors
from centinela.incidents.tests.test_permissions import make

URL = "/incidentes/mapa.geojson"


def test_the_map_holds_the_rows_the_list_filter_selects(client_for):
    mine = [make("110101", f"S{i}") for i in range(3)]
    valle = make("110104", "V1")
    assert reverse("incidents:incident_map_data") == URL
    data = client_for("tecnico").get(URL).json()
    assert data["total"] == data["shown"] == 4
    assert {f["properties"]["id"] for f in data["features"]} == {i.pk for i in [*mine, valle]}
    point = next(f for f in data["features"] if f["properties"]["id"] == valle.pk)
    assert point["geometry"]["coordinates"] == [valle.lon, valle.lat]
    data = client_for("tecnico").get(URL, {"parish": valle.parish_id}).json()
    assert [f["properties"]["id"] for f in data["features"]] == [valle.pk]
    listed = client_for("tecnico").get("/incidentes/", {"parish": valle.parish_id}).context["page"].paginator.count
    assert listed == data["total"] == 1


def test_a_parish_president_gets_counts_of_their_parish_never_a_point(client_for):
    for i in range(3):
        make("110101", f"S{i}")
    make("110104", "V1")
    data = client_for("presidente.sagrario").get(URL).json()
    assert data["total"] == 3
    assert [f["properties"]["count"] for f in data["features"]] == [3]
    assert all("id" not in f["properties"] and "url" not in f["properties"] for f in data["features"])


def test_a_large_selection_is_capped_and_says_how_many(client_for, monkeypatch):
    for i in range(5):
        make("110101", f"S{i}")
    monkeypatch.setattr(selectors, "MAP_LIMIT", 2)
    data = client_for("enlace.policia").get(URL).json()
    assert (data["shown"], data["total"]) == (2, 5)


@pytest.mark.parametrize("username", ["presidente.valle"])
def test_the_activity_map_follows_the_list_scope_and_filter(client_for, username):
    from centinela.activities.tests import factories as f

    prog = f.programme("training", code="CAP")
    f.activity(title="En El Sagrario", kind="training", parish_code="110101", status="done", prog=prog, month=2, day=1)
    f.activity(title="En El Valle", kind="training", parish_code="110104", status="planned", prog=prog, month=2, day=2)
    url = reverse("activities:activity_map_data")
    staff = client_for("tecnico")
    assert {x["properties"]["name"] for x in staff.get(url).json()["features"]} == {"En El Sagrario", "En El Valle"}
    assert [x["properties"]["name"] for x in staff.get(url, {"status": "done"}).json()["features"]] == [
        "En El Sagrario"
    ]
    listed = client_for(username).get("/actividades/").context["page"].paginator.count
    assert len(client_for(username).get(url).json()["features"]) == listed
