"""What the camera dashboard, its live map and the camera list show, for every demo role, checked against the plain
way of computing it (model instances, reverse(), the availability series over the scoped cameras): the pages are
made faster by reading less (issue 10), and these tests fail if that changes a figure, a link, a map feature or the
cameras a role may see (a parish president: their parish's cameras only)."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import mapping

from centinela.accounts.permissions import scope
from centinela.cameras import availability, coverage, selectors
from centinela.cameras.models import (
    Device,
    MaintenanceSchedule,
    MaintenanceTicket,
    Outage,
    StatusChange,
    System,
)
from centinela.cameras.tests.test_inventory_factories import make_device, make_site, make_system
from centinela.lib.maps import shared_layers

pytestmark = pytest.mark.django_db
ROLES = ("admin", "directora", "tecnico", "enlace.policia", "enlace.ecu911", "presidente.sagrario", "presidente.valle")


@pytest.fixture
def network(db):
    """Cameras in two parishes (El Sagrario, El Valle) in every live status, with outages (open, closed, on past
    days), lifecycle changes, tickets (open, resolved, preventive) and preventive maintenance due."""
    now = timezone.now()
    watched = now - timedelta(days=30)
    sagrario = make_system(make_site("Parque Central de prueba", "110101"), name="NVR Centro")
    valle = make_system(
        make_site("Parque del Valle de prueba", "110104"),
        name="NVR Valle",
        installed_on=timezone.localdate() - timedelta(days=9),
    )
    cams = {
        "S-UP": make_device(
            sagrario, "S-UP", health="online", lifecycle="operational", last_probe_at=now, monitored_since=watched
        ),
        "S-PTZ": make_device(
            sagrario,
            "S-PTZ",
            health="online",
            lifecycle="operational",
            last_probe_at=now,
            monitored_since=watched,
            camera_type=Device.CameraType.PANNING,
            range_m=None,
        ),
        "S-DOWN": make_device(
            sagrario,
            "S-DOWN",
            health="offline",
            lifecycle="offline",
            last_probe_at=now,
            monitored_since=watched,
            bearing=None,
        ),
        "S-DEG": make_device(
            sagrario,
            "S-DEG",
            health="online",
            lifecycle="degraded",
            last_probe_at=now,
            monitored_since=watched,
            field_of_view=Decimal("45.5"),
            bearing=Decimal("300.5"),
        ),
        "S-FIX": make_device(
            sagrario,
            "S-FIX",
            lifecycle="maintenance",
            monitored_since=watched,
            installed_on=timezone.localdate() - timedelta(days=4),
        ),
        "S-NEW": make_device(sagrario, "S-NEW", lifecycle="installed"),
        "V-UP": make_device(
            valle, "V-UP", health="online", lifecycle="operational", last_probe_at=now, monitored_since=watched
        ),
        "V-REJ": make_device(
            valle, "V-REJ", health="rejected", lifecycle="operational", last_probe_at=now, monitored_since=watched
        ),
        "V-OLD": make_device(valle, "V-OLD", lifecycle="decommissioned", monitored_since=watched),
        "V-PLAN": make_device(valle, "V-PLAN", lifecycle="planned"),
    }
    down, deg, v_up, old = cams["S-DOWN"], cams["S-DEG"], cams["V-UP"], cams["V-OLD"]
    for days, hours in ((1, 5), (3, 30), (6, 2), (12, 1)):
        start = now - timedelta(days=days, hours=3)
        Outage.objects.create(device=down, started_at=start, ended_at=start + timedelta(hours=hours))
    Outage.objects.create(device=down, started_at=now - timedelta(hours=7))  # open: down until now
    Outage.objects.create(device=deg, started_at=now - timedelta(days=2), ended_at=now - timedelta(days=2, hours=-3))
    Outage.objects.create(
        device=deg, started_at=now - timedelta(days=2, hours=-1), ended_at=now - timedelta(days=2, hours=-5)
    )  # overlapping the one before
    fixed = Outage.objects.create(
        device=v_up, started_at=now - timedelta(days=5), ended_at=now - timedelta(days=4, hours=20)
    )
    MaintenanceTicket.objects.create(
        device=v_up,
        status="resolved",
        opened_at=fixed.started_at,
        outage=fixed,
        resolved_at=fixed.ended_at,
        cause="fuente",
    )
    MaintenanceTicket.objects.create(
        device=down, status="detected", opened_at=now - timedelta(hours=6), description="Sin respuesta"
    )
    MaintenanceTicket.objects.create(
        device=v_up, status="reported", opened_at=now - timedelta(days=1), description="Imagen borrosa"
    )
    MaintenanceTicket.objects.create(
        device=deg,
        status="resolved",
        opened_at=now - timedelta(days=3),
        resolved_at=now - timedelta(days=3, hours=-1),
        description=f"{availability.PREVENTIVE_TAG}1] limpieza",
    )
    StatusChange.objects.create(
        device=old, at=now - timedelta(days=8), from_status="operational", to_status="decommissioned"
    )
    StatusChange.objects.create(
        device=deg, at=now - timedelta(days=10), from_status="maintenance", to_status="operational"
    )
    StatusChange.objects.create(device=deg, at=now - timedelta(days=1), from_status="operational", to_status="degraded")
    today = timezone.localdate()
    MaintenanceSchedule.objects.create(
        device=cams["S-UP"], task="Limpieza de lente", every_days=30, next_due=today - timedelta(days=2)
    )
    MaintenanceSchedule.objects.create(
        device=v_up, task="Revisión de fuente", every_days=90, next_due=today + timedelta(days=5)
    )
    return cams


def _scoped(user):
    return list(scope(user, Device.objects.select_related("system__site").order_by("code")))


def _props(d):
    status = selectors.status_of(d)
    return {
        "id": d.pk,
        "code": d.code,
        "name": d.name,
        "status": status,
        "status_label": str(selectors.STATUS_LABELS[status]),
        "lifecycle": str(d.get_lifecycle_display()),
        "site": d.system.site.name,
        "url": reverse("cameras:device_detail", args=[d.pk]),
    }


def expected_layers(user) -> dict:
    """The map's two layers as first written: a point and a coverage sector per camera the user may see."""
    devices = _scoped(user)
    cameras = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [d.system.site.lon, d.system.site.lat]},
            "properties": _props(d),
        }
        for d in devices
    ]
    sectors = [
        {
            "type": "Feature",
            "properties": _props(d),
            "geometry": mapping(
                coverage.sector(
                    d.system.site.lon,
                    d.system.site.lat,
                    float(d.bearing) if d.bearing is not None else None,
                    float(d.field_of_view) if d.field_of_view is not None else None,
                    d.range_m,
                    full_circle=d.camera_type == Device.CameraType.PANNING,
                )
            ),
        }
        for d in devices
    ]
    layers = json.loads(
        json.dumps(
            {
                "coverage": {"type": "FeatureCollection", "features": sectors, "label": "Cobertura"},
                "cameras": {"type": "FeatureCollection", "features": cameras, "label": "Cámaras"},
            }
        )
    )
    # the layers other apps register (lib.maps.shared_layers: the open citizen reports) are checked by their own
    # tests (participation/tests/test_staff_map_layer.py)
    return layers | json.loads(json.dumps(shared_layers(user)))


def _page_layers(body: str) -> dict:
    return json.loads(re.search(r'<script id="map-layers" type="application/json">(.*?)</script>', body, re.S).group(1))


def _fmt(value, digits):
    """As the page's floatformat writes it: rounded half up in decimal (89.05 -> "89,1"), where Python's own
    formatting of the binary float gives "89,0" (the test failed on such a value, now and then)."""
    return str(floatformat(value, digits))


def expected_trend_rows(user) -> list[tuple[str, str]]:
    """(day, uptime as shown) for the last 14 days, from the availability series over the scoped cameras."""
    today = timezone.localdate()
    rows = availability.series(
        _scoped(user),
        [
            (*availability.day_bounds(today - timedelta(days=13 - i)), (today - timedelta(days=13 - i)).isoformat())
            for i in range(14)
        ],
    )
    return [(r.label, "—" if r.uptime_pct is None else f"{_fmt(r.uptime_pct, 1)} %") for r in rows]


def _percent(cell: str) -> float | None:
    return None if cell == "—" else float(cell.removesuffix(" %").replace(",", "."))


def _assert_between(page, before, after):
    """The page's rows are those computed just before and just after it was asked for. Today's row is the part of
    today so far, and an open outage keeps lowering it while a slow machine renders the page (CI failed on a
    91,3 % shown against 91,2 % computed a moment later), so each figure must lie between the two computations."""
    assert [day for day, _ in page] == [day for day, _ in before] == [day for day, _ in after]
    for (day, shown), (_, first), (_, last) in zip(page, before, after, strict=True):
        values = [_percent(first), _percent(last)]
        if None in values or _percent(shown) is None:
            assert shown in (first, last), day
        else:
            assert min(values) <= _percent(shown) <= max(values), (day, shown, first, last)


def _page_trend_rows(body: str):
    table = re.search(r'<table class="list trend">(.*?)</table>', body, re.S).group(1)
    return [
        (day, re.sub(r"<[^>]+>", "", cell).strip().replace("\xa0", " "))
        for day, cell in re.findall(r"<tr><td>([\d-]+)</td><td>(.*?)</td></tr>", table)
    ]


def _links(body: str, ul_class: str):
    ul = re.search(rf'<ul class="{ul_class}">(.*?)</ul>', body, re.S).group(1)
    return [
        (href, re.sub(r"\s+", " ", text).strip()) for href, text in re.findall(r'<li><a href="([^"]+)">(.*?)</li>', ul)
    ]


@pytest.mark.parametrize("username", ROLES)
def test_the_live_map_is_every_visible_camera_as_first_computed(client_for, users, network, username):
    response = client_for(username).get(reverse("cameras:dashboard_map"))
    assert response.status_code == 200
    got, want = response.json(), expected_layers(users[username])
    assert got == want
    codes = [f["properties"]["code"] for f in got["cameras"]["features"]]
    if username == "presidente.valle":
        assert codes == ["V-OLD", "V-PLAN", "V-REJ", "V-UP"]
    elif username == "presidente.sagrario":
        assert codes == ["S-DEG", "S-DOWN", "S-FIX", "S-NEW", "S-PTZ", "S-UP"]
    else:
        assert len(codes) == 10


@pytest.mark.parametrize("username", ROLES)
def test_the_dashboard_shows_what_the_plain_computation_gives(client_for, users, network, username):
    user = users[username]
    before = expected_trend_rows(user)
    response = client_for(username).get(reverse("cameras:dashboard"))
    after = expected_trend_rows(user)
    assert response.status_code == 200
    body = response.content.decode()
    devices = _scoped(user)
    assert _page_layers(body) == expected_layers(user)
    _assert_between(_page_trend_rows(body), before, after)
    # the figures are not trivial: some day lost time to outages, the first days saw fewer cameras
    assert any(cell not in ("100,0 %", "—") for _day, cell in _page_trend_rows(body))
    counts = {s: 0 for s in selectors.STATUSES}
    for d in devices:
        counts[selectors.status_of(d)] += 1
    for status, n in counts.items():
        assert f'<dd id="count-{status}">{n}</dd>' in body
    online = [
        coverage.sector(
            d.system.site.lon,
            d.system.site.lat,
            float(d.bearing) if d.bearing is not None else None,
            float(d.field_of_view) if d.field_of_view is not None else None,
            d.range_m,
            full_circle=d.camera_type == Device.CameraType.PANNING,
        )
        for d in devices
        if selectors.status_of(d) == "online"
    ]
    assert f"{_fmt(coverage.covered_area_m2(online) / 10_000, 2)} ha" in body
    # the lists: links and texts as the plain querysets give them
    since = timezone.now() - timedelta(days=30)
    worst = sorted(
        ((Outage.objects.filter(device=d, started_at__gte=since).count(), d) for d in devices),
        key=lambda x: (-x[0], x[1].code),
    )
    assert (
        _links(body, "worst")
        == [(reverse("cameras:device_detail", args=[d.pk]), f"{d.code}</a> · {d.name} · {n}") for n, d in worst if n][
            :10
        ]
    )
    assert _links(body, "no-probe") == [
        (reverse("cameras:device_detail", args=[d.pk]), f"{d.code}</a> · {d.name}")
        for d in devices
        if d.last_probe_at is None and d.lifecycle in ("installed", "operational", "offline", "degraded")
    ]
    tickets = scope(user, MaintenanceTicket.objects.exclude(status="resolved").order_by("-opened_at"))
    assert [href for href, _text in _links(body, "open-tickets")] == [
        reverse("cameras:ticket_detail", args=[t.pk]) for t in tickets
    ]
    assert [(h, t.split("</a>")[0]) for h, t in _links(body, "open-tickets")] == [
        (reverse("cameras:ticket_detail", args=[t.pk]), f"#{t.pk} {t.device.code}") for t in tickets
    ]
    due = scope(user, MaintenanceSchedule.objects.order_by("next_due"))
    due_ul = re.search(r"<h2>Mantenimiento preventivo pendiente</h2>\s*<ul>(.*?)</ul>", body, re.S).group(1)
    assert re.findall(r'<a href="([^"]+)">([^<]+)</a>', due_ul) == [
        (reverse("cameras:device_detail", args=[s.device_id]), s.device.code) for s in due
    ]
    if username.startswith("presidente"):
        other = "V-" if username == "presidente.sagrario" else "S-"
        assert other not in body.split('<aside class="home-side">')[1]


@pytest.mark.parametrize("username", ROLES)
def test_the_counts_fragment_counts_the_visible_cameras(client_for, users, network, username):
    body = client_for(username).get(reverse("cameras:dashboard_counts")).content.decode()
    counts = {s: 0 for s in selectors.STATUSES}
    for d in _scoped(users[username]):
        counts[selectors.status_of(d)] += 1
    for status, n in counts.items():
        assert f'<dd id="count-{status}">{n}</dd>' in body


def test_a_device_url_follows_the_url_configuration(network):
    d = network["S-UP"]
    assert d.get_absolute_url() == reverse("cameras:device_detail", args=[d.pk]) == f"/camaras/dispositivos/{d.pk}/"
    ticket = MaintenanceTicket.objects.first()
    assert ticket.get_absolute_url() == reverse("cameras:ticket_detail", args=[ticket.pk])
    system = System.objects.first()
    assert system.get_absolute_url() == reverse("cameras:site_detail", args=[system.site_id])
    assert system.site.get_absolute_url() == reverse("cameras:site_detail", args=[system.site_id])


def _cells(body: str):
    tbody = re.search(r"<tbody>(.*?)</tbody>", body, re.S).group(1)
    return [re.findall(r"<td>(.*?)</td>", row, re.S) for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S)]


@pytest.mark.parametrize("username", ROLES)
def test_the_camera_list_shows_each_visible_camera_as_its_columns_give_it(client_for, users, network, username):
    from django.template import Context, Template

    from centinela.cameras import columns

    user = users[username]
    System.objects.filter(pk=network["V-UP"].system_id).update(owner=System.Owner.choices[-1][0])  # not the default
    response = client_for(username).get(reverse("cameras:device_list"))
    assert response.status_code == 200
    devices = list(selectors.devices_for(user))  # model instances with everything they link to
    shown = [c for c in columns.device_columns(user) if c.on_page]
    render = Template("{{ v }}")
    want = [
        [
            (f'<a href="{reverse("cameras:device_detail", args=[d.pk])}">' if c.link else "")
            + render.render(Context({"v": "" if c.shown(d) is None else c.shown(d)}))
            + ("</a>" if c.link else "")
            for c in shown
        ]
        for d in devices
    ]
    assert _cells(response.content.decode()) == want
    assert len(want) == (4 if username == "presidente.valle" else 6 if username == "presidente.sagrario" else 10)
