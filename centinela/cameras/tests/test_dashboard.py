"""The network dashboard: counts by live status, the map layers, worst devices, open tickets, cameras never probed,
and a loud banner when the monitor's heartbeat is missing or stale."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from centinela.cameras.models import MaintenanceTicket, Outage
from centinela.cameras.selectors import heartbeat
from centinela.cameras.tests.test_inventory_factories import make_device, make_system

pytestmark = pytest.mark.django_db
BANNER = "El monitor no está funcionando"


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path


def beat(var_dir, at, interval=60):
    (var_dir / "monitor_heartbeat.json").write_text(json.dumps({"at": at.isoformat(), "interval_s": interval}))


@pytest.fixture
def network():
    system = make_system()
    now = timezone.now()
    watched = now - timedelta(days=60)  # the monitor has been probing these two for two months
    up = make_device(
        system, code="CAM-UP", health="online", lifecycle="operational", last_probe_at=now, monitored_since=watched
    )
    down = make_device(
        system, code="CAM-DOWN", health="offline", lifecycle="offline", last_probe_at=now, monitored_since=watched
    )
    fixing = make_device(system, code="CAM-FIX", lifecycle="maintenance")
    never = make_device(system, code="CAM-NEW", lifecycle="installed")
    for days in (1, 3, 5):
        Outage.objects.create(
            device=down, started_at=now - timedelta(days=days), ended_at=now - timedelta(days=days, hours=-1)
        )
    Outage.objects.create(device=up, started_at=now - timedelta(days=40), ended_at=now - timedelta(days=39))
    MaintenanceTicket.objects.create(device=down, opened_at=now, status="detected", description="Sin respuesta")
    return {"up": up, "down": down, "fixing": fixing, "never": never}


def test_counts_map_worst_tickets_and_never_probed(client_for, network, var_dir):
    beat(var_dir, timezone.now())
    response = client_for("directora").get(reverse("cameras:dashboard"))
    ctx = response.context
    assert {k: ctx["counts"][k] for k in ("online", "offline", "maintenance", "unknown")} == {
        "online": 1,
        "offline": 1,
        "maintenance": 1,
        "unknown": 1,
    }
    assert [d.code for d in ctx["worst"]] == ["CAM-DOWN"] and ctx["worst"][0].recent_outages == 3
    assert [t.device.code for t in ctx["open_tickets"]] == ["CAM-DOWN"]
    assert [d.code for d in ctx["no_probe"]] == ["CAM-NEW"]
    layers = ctx["map_layers"]
    statuses = {f["properties"]["code"]: f["properties"]["status"] for f in layers["cameras"]["features"]}
    assert statuses == {"CAM-UP": "online", "CAM-DOWN": "offline", "CAM-FIX": "maintenance", "CAM-NEW": "unknown"}
    assert {f["geometry"]["type"] for f in layers["coverage"]["features"]} == {"Polygon"}
    body = response.content.decode()
    assert BANNER not in body and "Red de cámaras" in body and 'hx-trigger="every 10s"' in body


def test_a_missing_heartbeat_shows_the_banner(client_for, network, var_dir):
    body = client_for("tecnico").get(reverse("cameras:dashboard")).content.decode()
    assert BANNER in body and "Nunca ha reportado" in body


def test_a_heartbeat_older_than_three_intervals_shows_the_banner(client_for, network, var_dir):
    beat(var_dir, timezone.now() - timedelta(seconds=181))
    assert BANNER in client_for("tecnico").get(reverse("cameras:dashboard")).content.decode()
    beat(var_dir, timezone.now() - timedelta(seconds=170))
    assert BANNER not in client_for("tecnico").get(reverse("cameras:dashboard")).content.decode()
    beat(var_dir, timezone.now() - timedelta(seconds=25), interval=5)
    assert heartbeat()["ok"] is False


def test_a_garbled_heartbeat_counts_as_missing(var_dir):
    (var_dir / "monitor_heartbeat.json").write_text("{not json")
    assert heartbeat()["ok"] is False


def test_the_counts_fragment_refreshes_alone(client_for, network, var_dir):
    beat(var_dir, timezone.now())
    response = client_for("tecnico").get(reverse("cameras:dashboard_counts"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'id="count-offline">1<' in body


def test_a_parish_president_sees_only_their_parish(client_for, network, var_dir):
    response = client_for("presidente.valle").get(reverse("cameras:dashboard"))
    assert response.context["counts"]["total"] == 0 and response.context["map_layers"]["cameras"]["features"] == []
    assert client_for("presidente.sagrario").get(reverse("cameras:dashboard")).context["counts"]["total"] == 4


def test_the_menu_links_to_the_cameras(client_for):
    assert reverse("cameras:dashboard") in client_for("enlace.ecu911").get(reverse("home")).content.decode()


def test_the_uptime_trend_counts_outages(client_for, network, var_dir):
    trend = client_for("directora").get(reverse("cameras:dashboard")).context["trend"]
    assert trend is not None and len(trend) == 14
    assert any(row.uptime_pct is not None and row.uptime_pct < 100 for row in trend)


def test_the_ground_watched_counts_only_cameras_online(client_for, network, var_dir):
    import math

    ctx = client_for("directora").get(reverse("cameras:dashboard")).context
    # one online camera: a 90° sector of 60 m
    assert ctx["covered_ha"] == pytest.approx(math.pi * 60**2 / 4 / 10_000, rel=0.02)


def test_a_degraded_camera_is_neither_online_nor_offline(client_for, network, var_dir):
    from centinela.cameras.selectors import STATUS_LABELS, status_of

    half = make_device(
        network["up"].system, code="CAM-HALF", health="online", lifecycle="degraded", last_probe_at=timezone.now()
    )
    assert status_of(half) == "degraded" and str(STATUS_LABELS["degraded"]) == "Degradada"
    response = client_for("directora").get(reverse("cameras:dashboard"))
    counts = response.context["counts"]
    assert (counts["online"], counts["degraded"], counts["offline"], counts["total"]) == (1, 1, 1, 5)
    statuses = {
        f["properties"]["code"]: f["properties"]["status"]
        for f in response.context["map_layers"]["cameras"]["features"]
    }
    assert statuses["CAM-HALF"] == "degraded" and statuses["CAM-UP"] == "online"
    body = response.content.decode()
    assert 'id="count-degraded">1<' in body and 'class="cam-dot degraded"' in body and "Degradada" in body
    # a degraded camera that then stops answering altogether is offline
    half.health = "offline"
    assert status_of(half) == "offline"


def test_the_lists_fragment_refreshes_alone(client_for, network, var_dir):
    response = client_for("tecnico").get(reverse("cameras:dashboard_lists"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and 'id="dashboard-lists"' in body and 'hx-trigger="every 10s"' in body
    assert [t.device.code for t in response.context["open_tickets"]] == ["CAM-DOWN"]
    assert [d.code for d in response.context["worst"]] == ["CAM-DOWN"]
    assert [d.code for d in response.context["no_probe"]] == ["CAM-NEW"]
    MaintenanceTicket.objects.create(device=network["up"], opened_at=timezone.now(), status="detected", description="x")
    body = client_for("tecnico").get(reverse("cameras:dashboard_lists")).content.decode()
    assert "CAM-UP" in body.split('class="open-tickets"')[1].split("</ul>")[0]


def test_the_map_layers_refresh_with_the_live_status(client_for, network, var_dir):
    body = client_for("tecnico").get(reverse("cameras:dashboard")).content.decode()
    assert f'data-live-url="{reverse("cameras:dashboard_map")}"' in body
    url = reverse("cameras:dashboard_map")
    layers = client_for("tecnico").get(url).json()
    assert {f["properties"]["code"]: f["properties"]["status"] for f in layers["cameras"]["features"]}[
        "CAM-UP"
    ] == "online"
    network["up"].health = "offline"
    network["up"].save()
    response = client_for("tecnico").get(url)
    assert response["Cache-Control"] == "no-store"
    layers = response.json()
    for name in ("cameras", "coverage"):
        statuses = {f["properties"]["code"]: f["properties"]["status"] for f in layers[name]["features"]}
        assert statuses == {"CAM-UP": "offline", "CAM-DOWN": "offline", "CAM-FIX": "maintenance", "CAM-NEW": "unknown"}
    # scoped as the page is: a parish president elsewhere sees no camera, an anonymous visitor nothing at all
    assert client_for("presidente.valle").get(url).json()["cameras"]["features"] == []
    from django.test import Client

    assert Client().get(url).status_code in (302, 403)


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize(
    "url", [reverse("cameras:dashboard"), reverse("cameras:dashboard_map"), reverse("cameras:device_list")]
)
def test_camera_pages_read_a_fixed_number_of_queries_and_no_boundaries(client_for, network, var_dir, url):
    """Web load (issue 10): the dashboard, its map (refreshed every 10 s) and the camera list read the cameras in a
    fixed number of queries whatever their number, and never the parishes' or barrios' boundaries (a camera shows
    their names only: parsing them for every camera was a good part of these pages' time)."""
    from centinela.cameras.tests.test_inventory_factories import make_site

    client = client_for("tecnico")
    before = _queries(client, url)
    for i in range(6):  # more cameras, on other sites and systems
        system = make_system(site=make_site(name=f"Sitio {i}"), name=f"NVR {i + 2}")
        make_device(
            system,
            code=f"CAM-MORE-{i}",
            health="online",
            lifecycle="operational",
            last_probe_at=timezone.now(),
            monitored_since=timezone.now() - timedelta(days=3),
        )
    after = _queries(client, url)
    assert len(after) == len(before)
    assert not [
        sql for sql in after if '"territory_parish"."geometry"' in sql or '"territory_barrio"."geometry"' in sql
    ]


def test_the_dashboard_reads_the_cameras_once_for_its_map_and_its_covered_area(client_for, users, network, var_dir):
    from centinela.cameras.selectors import _DASHBOARD_COLUMNS, devices_for

    # as selectors.map_rows reads them for the dashboard
    every_camera = str(devices_for(users["directora"]).values_list(*_DASHBOARD_COLUMNS).query)
    queries = _queries(client_for("directora"), reverse("cameras:dashboard"))
    assert queries.count(every_camera) == 1
