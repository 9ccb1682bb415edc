"""The open citizen reports are a layer of the staff maps beside the cameras and the incidents (the network
dashboard, the canton's map, the incident list's map): each role sees the reports it may read (a president their
parish's, a liaison their institution's), exact points where they read exact points and rounded ones where they do not
(a president and the sensitive categories); closed and merged reports are not on it, and each point links to its
report's page."""

import json
import re

import pytest

from centinela.participation import services
from centinela.partners.models import Institution

from .conftest import file_report

PAGES = ["/camaras/", "/", "/incidentes/"]


def layer(client, url):
    body = client.get(url).content.decode()
    if "<script id=" not in body or ("map-layers" not in body):
        return None
    found = re.search(r'<script id="(?:list-)?map-layers" type="application/json">(.*?)</script>', body, re.S)
    layers = json.loads(found.group(1))
    reports = layers.get("reports")
    if reports is None:
        return None
    return {f["properties"]["code"]: f for f in reports["features"]}


@pytest.fixture
def made(categories, sagrario_point, valle_point, users):
    off = (0.00037, 0.00041)  # a point the public map would round
    here = (sagrario_point[0] + off[0], sagrario_point[1] + off[1])
    there = (valle_point[0] + off[0], valle_point[1] + off[1])
    police = Institution.objects.create(name="Policía Nacional", kind="public")
    users["enlace.policia"].institution = police
    users["enlace.policia"].save()
    light = file_report(categories["alumbrado-deficiente"], here)
    drugs = file_report(categories["drogas-via-publica"], here, description="Venden en la esquina")
    services.assign(users["tecnico"], drugs, institution=police, person=None)
    valle = file_report(categories["lugar-abandonado"], there, description="Casa abandonada")
    closed = file_report(categories["alumbrado-deficiente"], here, description="Ya lo arreglaron")
    services.post_update(users["tecnico"], closed, status="resolved", text="Arreglado", public=True)
    merged = file_report(categories["alumbrado-deficiente"], here, description="El mismo poste")
    services.merge(users["tecnico"], merged, light)
    return {"light": light, "drugs": drugs, "valle": valle, "closed": closed, "merged": merged, "here": here}


@pytest.mark.parametrize("url", PAGES)
def test_staff_see_every_open_report_at_its_exact_point(client_for, made, url):
    features = layer(client_for("tecnico"), url)
    assert set(features) == {made["light"].code, made["drugs"].code, made["valle"].code}
    light = features[made["light"].code]
    assert light["geometry"]["coordinates"] == [made["here"][0], made["here"][1]]
    assert light["properties"]["url"] == made["light"].get_absolute_url()
    assert features[made["drugs"].code]["geometry"]["coordinates"] == [made["here"][0], made["here"][1]]


@pytest.mark.parametrize("url", ["/camaras/", "/incidentes/"])
def test_a_parish_president_sees_their_parish_and_sensitive_points_rounded(client_for, made, url):
    features = layer(client_for("presidente.sagrario"), url)
    assert set(features) == {made["light"].code, made["drugs"].code}
    assert features[made["light"].code]["geometry"]["coordinates"] == [made["here"][0], made["here"][1]]
    assert features[made["drugs"].code]["geometry"]["coordinates"] == [
        round(made["here"][0], 3),
        round(made["here"][1], 3),
    ]
    assert set(layer(client_for("presidente.valle"), url)) == {made["valle"].code}


def test_the_incident_map_shows_reports_beside_incidents_and_a_president_no_exact_incident_point(client_for, made):
    """Issue 12: reports are a layer beside incidents. The incident list's map draws the filtered incidents (by role:
    a parish president gets counts per barrio, never an incident's point) and, beside them, the open reports."""
    from centinela.incidents.demo import load_demo_incidents

    load_demo_incidents(n=40)
    staff = client_for("tecnico")
    body = staff.get("/incidentes/").content.decode()
    assert 'id="list-map"' in body and 'id="list-map-layers"' in body
    incidents = staff.get("/incidentes/mapa.geojson").json()["features"]
    assert incidents and all("count" not in f["properties"] for f in incidents)
    assert made["drugs"].code in layer(staff, "/incidentes/")
    president = client_for("presidente.sagrario")
    grouped = president.get("/incidentes/mapa.geojson").json()["features"]
    assert all("count" in f["properties"] for f in grouped)
    assert set(layer(president, "/incidentes/")) == {made["light"].code, made["drugs"].code}


def test_a_liaison_sees_only_their_institutions_reports(client_for, made):
    features = layer(client_for("enlace.policia"), "/camaras/")
    assert set(features) == {made["drugs"].code}
    assert features[made["drugs"].code]["geometry"]["coordinates"] == [made["here"][0], made["here"][1]]
    assert not layer(client_for("enlace.ecu911"), "/camaras/")  # no institution: no report at all


def test_the_layer_carries_no_personal_data(client_for, categories, sagrario_point):
    report = file_report(
        categories["otro"],
        sagrario_point,
        description="Texto con palabras del vecino",
        contact=services.Contact(name="Rosa Quizhpe", phone="0991112233", email="rosa@example.ec", consent=True),
    )
    body = client_for("admin").get("/camaras/").content.decode()
    assert report.code in body
    assert "Rosa Quizhpe" not in body and "0991112233" not in body and "rosa@example.ec" not in body


def test_a_camera_report_names_its_camera_on_the_layer(client_for, categories, sagrario_point):
    from centinela.cameras.tests.test_inventory_factories import make_device

    make_device(code="CAM-MAPA-1", lifecycle="operational")
    report = services.file_report(
        category=categories["camara-danada"],
        lon=sagrario_point[0],
        lat=sagrario_point[1],
        description="Cámara rota",
        camera_code="CAM-MAPA-1",
    )
    features = layer(client_for("tecnico"), "/camaras/")
    assert features[report.code]["properties"]["camera"] == "CAM-MAPA-1"


def test_no_open_report_no_layer(client_for, categories, sagrario_point, users):
    report = file_report(categories["otro"], sagrario_point)
    services.post_update(users["tecnico"], report, status="resolved", text="Resuelto", public=True)
    assert layer(client_for("tecnico"), "/camaras/") is None
    assert layer(client_for("tecnico"), "/") is None
    assert layer(client_for("tecnico"), "/incidentes/") is None
