"""The device inventory exported to CSV, XLSX and GeoJSON (OpenStreetMap surveillance tags), scoped by permission,
never with credentials; and the ECU 911 files through the adapter interface."""

import csv
import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from centinela.cameras import ecu911, osm
from centinela.cameras.tests.test_inventory_factories import make_device, make_site, make_system
from centinela.lib import crypto
from centinela.territory.models import Place

pytestmark = pytest.mark.django_db
SECRET = "clave-ultra-secreta"


@pytest.fixture
def devices():
    sagrario = make_device(
        make_system(owner="ecu911", monitored_by="ecu911"),
        code="CAM-S-1",
        camera_type="dome",
        stream_url=f"rtsp://admin:{SECRET}@127.0.0.1:18554/cam/0",
        username="admin",
        password_encrypted=crypto.encrypt(SECRET),
        height_m=Decimal("7.5"),
        tilt=Decimal("25"),
    )
    valle_place = Place.objects.filter(parish__code="110104").first()
    valle = make_device(
        make_system(make_site("Sitio El Valle", place=valle_place), monitored_by="municipal"), code="CAM-V-1"
    )
    return sagrario, valle


def _csv(response):
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_csv_export_has_the_inventory_without_credentials(client_for, devices):
    response = client_for("tecnico").get(reverse("cameras:device_list"), {"export": "csv"})
    body = response.getvalue().decode("utf-8-sig")
    assert SECRET not in body and "password" not in body.splitlines()[0]
    rows = {r["ref"]: r for r in csv.DictReader(io.StringIO(body))}  # a streamed body is read once
    assert set(rows) == {"CAM-S-1", "CAM-V-1"}
    assert rows["CAM-S-1"]["centinela:stream_url"] == "rtsp://127.0.0.1:18554/cam/0"
    assert rows["CAM-S-1"]["camera:direction"] == "90.0" and rows["CAM-S-1"]["camera:type"] == "dome"


def test_xlsx_export_of_a_parish_president_has_only_their_parish(client_for, devices):
    response = client_for("presidente.valle").get(reverse("cameras:device_list"), {"export": "xlsx"})
    header, *data = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.values)
    assert [row[header.index("ref")] for row in data] == ["CAM-V-1"]


def test_geojson_export_carries_openstreetmap_tags(client_for, devices):
    response = client_for("enlace.policia").get(reverse("cameras:device_list"), {"export": "geojson", "q": "CAM-S"})
    assert response["Content-Type"].startswith("application/geo+json")
    body = response.getvalue().decode()
    assert SECRET not in body and "admin" not in body
    data = json.loads(body)
    (feature,) = data["features"]
    props = feature["properties"]
    assert props["man_made"] == "surveillance" and props["surveillance"] == "public"
    assert props["surveillance:type"] == "camera" and props["camera:type"] == "dome"
    assert props["camera:direction"] == "90" and props["camera:angle"] == "25" and props["height"] == "7.5"
    assert props["centinela:field_of_view"] == "90" and props["centinela:range_m"] == "60"
    assert props["ref"] == "CAM-S-1" and props["operator"] == "SIS ECU 911"
    site = devices[0].system.site
    assert feature["geometry"]["coordinates"] == [site.lon, site.lat]


def test_osm_camera_type_for_a_ptz_is_panning(devices):
    device = devices[1]
    device.camera_type = "panning"
    assert osm.tags(device)["camera:type"] == "panning"
    assert osm.tags(device)["operator"] == "Municipio de Loja"


def test_ecu911_exports_only_the_cameras_its_room_monitors(client_for, devices):
    c = client_for("enlace.ecu911")
    page = c.get(reverse("cameras:ecu911"))
    assert [d.code for d in page.context["devices"]] == ["CAM-S-1"]
    rows = _csv(c.get(reverse("cameras:ecu911_export", args=["csv"])))
    assert [r["ref"] for r in rows] == ["CAM-S-1"] and rows[0]["centinela:status"] == "unknown"
    geo = json.loads(c.get(reverse("cameras:ecu911_export", args=["geojson"])).getvalue())
    assert [f["properties"]["ref"] for f in geo["features"]] == ["CAM-S-1"]
    assert SECRET not in json.dumps(geo)
    assert c.get(reverse("cameras:ecu911_export", args=["pdf"])).status_code == 404


def test_file_export_link_writes_inventory_and_status_files(tmp_path, devices):
    from django.utils import timezone

    from centinela.cameras.models import StatusChange

    link = ecu911.FileExportLink(tmp_path, stamp="t")
    assert isinstance(link, ecu911.Ecu911Link)
    csv_path, geo_path = link.push_inventory(devices)
    assert (
        csv_path.exists()
        and json.loads(geo_path.read_text())["features"][0]["properties"]["man_made"] == "surveillance"
    )
    change = StatusChange.objects.create(
        device=devices[0], at=timezone.now(), from_status="operational", to_status="offline", reason="x"
    )
    status_path = link.push_status([change])
    assert b"CAM-S-1," in status_path.read_bytes()
    assert SECRET not in csv_path.read_text(encoding="utf-8-sig")


def test_the_ecu911_link_is_an_interface():
    with pytest.raises(TypeError):
        ecu911.Ecu911Link()


OSM_KEYS = [
    "surveillance",
    "surveillance:type",
    "surveillance:zone",
    "camera:type",
    "camera:direction",
    "camera:angle",
    "height",
]


def test_csv_and_xlsx_headers_use_the_openstreetmap_keys(client_for, devices):
    c = client_for("tecnico")
    csv_header = next(
        csv.reader(io.StringIO(c.get(reverse("cameras:device_list"), {"export": "csv"}).getvalue().decode("utf-8-sig")))
    )
    xlsx = c.get(reverse("cameras:device_list"), {"export": "xlsx"})
    xlsx_header, *data = list(openpyxl.load_workbook(io.BytesIO(xlsx.getvalue())).active.values)
    for header in (csv_header, list(xlsx_header)):
        assert set(OSM_KEYS) <= set(header) and "centinela:field_of_view" in header
        assert not {"camera_direction", "camera_angle", "camera_type", "bearing", "field_of_view"} & set(header)
    row = dict(zip(xlsx_header, next(r for r in data if r[xlsx_header.index("ref")] == "CAM-S-1")))
    assert (
        row["surveillance"] == "public"
        and row["surveillance:type"] == "camera"
        and row["surveillance:zone"] == "street"
    )
    assert row["camera:type"] == "dome" and row["camera:direction"] == 90 and row["height"] == 7.5
    # camera:angle is the tilt from the horizontal, never the field of view
    assert row["camera:angle"] == 25 and row["centinela:field_of_view"] == 90


def test_ecu911_csv_uses_the_openstreetmap_keys(devices):
    rows = list(csv.DictReader(io.StringIO(ecu911.inventory_csv([devices[0]]).lstrip("\ufeff"))))
    assert set(OSM_KEYS) <= set(rows[0]) and not {"bearing", "field_of_view", "height_m"} & set(rows[0])
    assert rows[0]["camera:angle"] == "25" and rows[0]["centinela:field_of_view"] == "90"
    assert rows[0]["camera:direction"] == "90" and rows[0]["height"] == "7.5" and rows[0]["camera:type"] == "dome"


def test_a_camera_without_a_known_tilt_has_no_camera_angle(devices):
    tags = osm.tags(devices[1])
    assert "camera:angle" not in tags and tags["centinela:field_of_view"] == "90"
