"""How to reach a camera is the network managers' business: no role but the administrator and the technicians reads
a camera's address or credentials in any page, API answer or export. Walks every URL pattern of the site (the
camera pages with their records' ids), the API's schema and answers, every camera export and the audit trail, as
every role, with a camera whose host, user and password are distinctive strings, and two cameras the monitor has
really probed (a loopback listener on a distinctive address: one port open, one port refused by the allowance), so
the probe's findings (the camera page, its history, the ticket and outage the monitor opened, the ECU 911 files)
are walked too."""

import io
import re
import socket
import zipfile
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from centinela.cameras.models import Device, FootageRequest, MaintenanceSchedule, MaintenanceTicket, ProbeResult
from centinela.cameras.monitor import Monitor
from centinela.cameras.tests.test_inventory_factories import make_device
from centinela.lib import crypto
from centinela.partners.models import Institution

pytestmark = pytest.mark.django_db

HOST, USER, PASSWORD = "zq9x-host.lan", "zq9x-usuario", "zq9x-Clave-Secreta"
SECRETS = (HOST, USER, PASSWORD)
MANAGERS = ("admin", "tecnico")
OTHERS = ("directora", "enlace.policia", "enlace.ecu911", "presidente.sagrario", "presidente.valle")


PROBED_HOST = "127.0.0.77"  # a loopback address no page shows for another reason


@pytest.fixture
def listeners():
    """Two real TCP listeners on PROBED_HOST: the monitor may connect to the first; the second's port is refused."""
    socks = []
    for _ in range(2):
        sock = socket.socket()
        sock.bind((PROBED_HOST, 0))
        sock.listen(8)
        socks.append(sock)
    yield [s.getsockname()[1] for s in socks]
    for sock in socks:
        sock.close()


@pytest.fixture
def network(users, settings, tmp_path, listeners):
    settings.VAR_DIR = tmp_path
    device = make_device(
        code="CAM-S-1",
        stream_url=f"rtsp://{HOST}:7554/live",
        snapshot_url=f"http://{HOST}/snap.jpg",
        onvif_url=f"http://{HOST}:8000/onvif/device_service",
        host="zq9x-old.lan",
        port=7554,
    )
    # then moved (audited): the audit trail holds the old and the new host
    device.host, device.username, device.password_encrypted = HOST, USER, crypto.encrypt(PASSWORD)
    device.save()
    ticket = MaintenanceTicket.objects.create(device=device, opened_at=timezone.now(), description="lente sucio")
    schedule = MaintenanceSchedule.objects.create(
        device=device, task="limpieza", every_days=30, next_due=timezone.localdate()
    )
    footage = FootageRequest.objects.create(
        institution=Institution.objects.first() or Institution.objects.create(name="Policía Nacional"),
        requester="Cbop. Pérez",
        requested_at=timezone.now(),
        period_start=timezone.now(),
        period_end=timezone.now(),
    )
    footage.devices.add(device)
    # two cameras the monitor really probes: their findings name no address or port
    open_port, refused_port = listeners
    settings.CAMERA_ALLOWED_NETWORKS = [f"{PROBED_HOST}/32"]
    settings.CAMERA_ALLOWED_PORTS = [str(open_port)]
    probed = [
        make_device(
            device.system, f"CAM-P-{n}", host=PROBED_HOST, port=port, stream_url="", snapshot_url="", onvif_url=""
        )
        for n, port in ((1, open_port), (2, refused_port))
    ]
    Device.objects.exclude(pk__in=[d.pk for d in probed]).update(next_probe_at=timezone.now() + timedelta(days=1))
    async_to_sync(Monitor("walk", fail_after=1, recover_after=1, probe_timeout=2.0, claim_seconds=30).run_once)()
    codes = set(ProbeResult.objects.filter(device__in=probed).values_list("device__code", "ok"))
    assert codes == {("CAM-P-1", True), ("CAM-P-2", False)}, codes  # probed for real: one open, one refused
    return {
        "device": device,
        "probed": probed,
        "ports": listeners,
        "site": device.system.site,
        "system": device.system,
        "ticket": ticket,
        "schedule": schedule,
        "footage": footage,
    }


def _patterns(resolver=None, prefix=""):
    """(name with namespace, route) of every URL pattern of the site."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{p.namespace}:" if p.namespace else prefix
            yield from _patterns(p, ns if p.namespace else prefix)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{prefix}{p.name}", p


def _kwargs_for(pattern, objects):
    """Fill a camera pattern's ids with this test's records; other apps' patterns with parameters are skipped."""
    names = list(pattern.pattern.converters)
    if not names:
        return {}
    route = str(pattern.pattern)
    pick = {
        "sitios/<int:pk>": "site",
        "sitios/<int:site_pk>": "site",
        "sistemas/": "system",
        "dispositivos/": "device",
        "mantenimiento/preventivo/": "schedule",
        "mantenimiento/": "ticket",
        "pedidos-video/": "footage",
    }
    for start, key in pick.items():
        if route.startswith(start):
            return {names[0]: objects[key].pk}
    if route.startswith("ecu911/exportar"):
        return {"fmt": "csv"}
    return None


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # XLSX: every part of the archive
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return " ".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return content.decode("utf-8", "replace")


def _pages(client, objects):
    """Every page and answer a user may ask for: {what: text}."""
    seen = {}
    for name, pattern in _patterns():
        if name.startswith(("admin:", "api:")) or "logout" in name:
            continue
        camera_page = name.startswith("cameras:")
        kwargs = _kwargs_for(pattern, objects) if camera_page else ({} if not pattern.pattern.converters else None)
        if kwargs is None:
            continue
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:  # noqa: BLE001 - a pattern that needs arguments we cannot give
            continue
        response = client.get(url)
        if response.status_code == 200:
            seen[url] = _text(response)
    exports = [reverse("cameras:device_list") + f"?export={fmt}" for fmt in ("csv", "xlsx", "geojson")]
    exports += [
        reverse(n) + f"?export={fmt}"
        for n in ("cameras:site_list", "cameras:ticket_list", "cameras:footage_list", "cameras:schedule_list")
        for fmt in ("csv", "xlsx")
    ]
    exports += [reverse("cameras:ecu911_export", kwargs={"fmt": f}) for f in ("csv", "geojson")]
    exports += [
        reverse("cameras:dashboard_map"),
        reverse("cameras:dashboard_lists"),
        reverse("cameras:device_edit", args=[objects["device"].pk]),
        *(reverse("cameras:device_detail", args=[d.pk]) for d in objects["probed"]),
        reverse("audit_log"),
        reverse("audit_log") + "?export=csv",
    ]
    for url in exports:
        response = client.get(url)
        if response.status_code == 200:
            seen[url] = _text(response)
    schema = client.get("/api/openapi.json")
    if schema.status_code == 200:
        seen["/api/openapi.json"] = schema.content.decode()
        for path, item in schema.json()["paths"].items():
            if "get" in item and "{" not in path:
                response = client.get(path)
                if response.status_code == 200:
                    seen[path] = _text(response)
    return seen


@pytest.mark.parametrize("username", OTHERS)
def test_no_role_but_the_network_managers_reads_a_cameras_address_or_credentials(client_for, users, network, username):
    pages = _pages(client_for(username), network)
    assert len(pages) > 20, pages.keys()  # the walk saw the site, not only refusals
    secrets = [*SECRETS, PROBED_HOST]
    ports = [re.compile(rf"(?<![\w.]){port}(?![\w])") for port in network["ports"]]
    leaks = {
        url: [s for s in secrets if s in text] + [p.pattern for p in ports if p.search(text)]
        for url, text in pages.items()
    }
    assert {url: found for url, found in leaks.items() if found} == {}
    # the probed cameras' findings were on the pages walked (every role but the other parish's president sees them)
    details = [(reverse("cameras:device_detail", args=[d.pk]), d.pk) for d in network["probed"]]
    seen = [(url, pk) for url, pk in details if url in pages]
    assert len(seen) == (0 if username == "presidente.valle" else 2)
    for url, pk in seen:
        assert Device.objects.get(pk=pk).last_detail in pages[url]


@pytest.mark.parametrize("username", MANAGERS)
def test_the_network_managers_read_addresses_and_users_but_never_the_password(client_for, users, network, username):
    pages = _pages(client_for(username), network)
    device = network["device"]
    detail = pages[reverse("cameras:device_detail", args=[device.pk])]
    assert HOST in detail and USER in detail
    assert HOST in pages[reverse("cameras:device_list") + "?export=csv"]
    assert HOST in pages[reverse("cameras:device_edit", args=[device.pk])]
    if users[username].role == "admin":  # the audit trail (administrators and the director) shows the change
        assert any(HOST in text for url, text in pages.items() if "auditoria" in url)
    assert {url for url, text in pages.items() if PASSWORD in text} == set()


def test_a_parish_president_who_may_edit_a_camera_gets_a_form_without_its_addresses(client_for, network):
    device = network["device"]
    client = client_for("presidente.sagrario")
    page = client.get(reverse("cameras:device_edit", args=[device.pk]))
    assert page.status_code == 200
    form = page.context["form"]
    for name in ("stream_url", "snapshot_url", "onvif_url", "host", "port", "username", "password"):
        assert name not in form.fields, name
    # posting the fields anyway changes nothing of how to reach the camera
    data = {k: v for k, v in form.initial.items() if k in form.fields and v is not None}
    data.update(
        system=device.system_id,
        code=device.code,
        name="Renombrada",
        camera_type="fixed",
        probe_interval_s=60,
        stream_url="rtsp://203.0.113.9/x",
        host="203.0.113.9",
        username="intruso",
        password="otra",
    )
    data["responsible"] = [u.pk for u in device.responsible.all()]
    response = client.post(reverse("cameras:device_edit", args=[device.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    device.refresh_from_db()
    assert device.name == "Renombrada"
    assert (device.stream_url, device.host, device.username) == (f"rtsp://{HOST}:7554/live", HOST, USER)
    assert crypto.decrypt(device.password_encrypted) == PASSWORD
