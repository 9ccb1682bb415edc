"""Why a camera failed, said in the site's language (Spanish) wherever a person reads it: the camera page, the
ticket the monitor opens, the lifecycle reason (and the ECU 911 files), the alert e-mail. Against real peers:
GStreamer's RTSP server and the project's simulator with digest auth, a name that does not resolve, and a stored
password the current key cannot decrypt."""

import os
import socket
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from cryptography.fernet import Fernet
from django.core import mail
from django.urls import reverse
from django.utils import translation

from centinela.cameras import ecu911, probe_messages
from centinela.cameras.models import Device, Lifecycle, MaintenanceTicket, ProbeResult, Site, StatusChange, System
from centinela.cameras.monitor import Monitor
from centinela.cameras.probes import REASONS, ProbeOutcome
from centinela.cameras.simulator import Simulator
from centinela.cameras.tests.gst_rtsp_server import gst_rtsp_server, unavailable_reason
from centinela.lib import crypto

USER, PASSWORD = "admin", "s3cr3to-Loja"
CREDENTIALS_REJECTED = "RTSP: credenciales rechazadas (401)"


@pytest.fixture(params=["gstreamer", "simulator"])
def rtsp_url(request):
    """A real RTSP server with digest authentication on loopback; yields a stream URL it serves."""
    if request.param == "gstreamer":
        reason = unavailable_reason()
        if reason:
            if os.environ.get("CI") == "true":
                pytest.fail(f"CI needs GStreamer's RTSP server: {reason}")
            pytest.skip(reason)
        with gst_rtsp_server(auth="digest", user=USER, password=PASSWORD, path="/test") as port:
            yield f"rtsp://127.0.0.1:{port}/test"
    else:
        sim = Simulator(cameras=1, auth="digest", username=USER, password=PASSWORD).start_in_thread()
        yield sim.stream_url(0)
        sim.stop_thread()


@pytest.fixture
def system(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    site = Site.objects.create(name="Parque Pucará", lon=-79.2, lat=-3.99)
    return System.objects.create(site=site, name="NVR Pucará", monitored_by="ecu911")


def camera(system, users, **fields):
    d = Device.objects.create(
        system=system, code=fields.pop("code", "PUC-1"), name="Mirador", lifecycle=Lifecycle.OPERATIONAL, **fields
    )
    tech = users["tecnico"]
    tech.email = "tecnico@example.org"
    tech.save()
    d.responsible.add(tech)
    return d


def one_round(m):
    Device.objects.update(next_probe_at=None)
    return async_to_sync(m.run_once)()


def monitor():
    return Monitor("msg", fail_after=1, recover_after=1, probe_timeout=4.0, claim_seconds=30)


def test_wrong_credentials_are_said_in_spanish_on_the_page_the_ticket_and_the_alert(
    rtsp_url, system, users, client_for
):
    d = camera(system, users, stream_url=rtsp_url, username=USER, password_encrypted=crypto.encrypt("equivocada"))
    one_round(monitor())
    d.refresh_from_db()
    # its own state, not a plain "offline": the camera answers, a person must enter the credentials again
    assert d.health == Device.Health.REJECTED and d.lifecycle == Lifecycle.OFFLINE
    # the port answers, the credentials do not: the sentence says both
    assert d.last_detail == CREDENTIALS_REJECTED + " (el puerto responde)"
    rtsp = ProbeResult.objects.get(device=d, kind="rtsp")
    assert (rtsp.ok, rtsp.detail) == (False, "credenciales rechazadas (401)")
    ticket = MaintenanceTicket.objects.get(device=d, status=MaintenanceTicket.Status.DETECTED)
    assert ticket.description.startswith("Detectado por el monitor: " + CREDENTIALS_REJECTED)
    change = StatusChange.objects.get(device=d, to_status=Lifecycle.OFFLINE)
    assert change.reason.startswith(CREDENTIALS_REJECTED)
    # the ECU 911 files carry the same sentence: the status changes and the inventory's live status
    assert ecu911.status_rows([change])[0]["reason"].startswith(CREDENTIALS_REJECTED)
    assert CREDENTIALS_REJECTED in ecu911.inventory_csv([d])
    # the e-mail to the responsible technician
    assert [m.to for m in mail.outbox] == [["tecnico@example.org"]]
    assert mail.outbox[0].subject.startswith("Cámara rechaza sus credenciales: ")
    assert "Último sondeo: " + CREDENTIALS_REJECTED in mail.outbox[0].body
    # and the pages people read
    c = client_for("tecnico")
    page = c.get(reverse("cameras:device_detail", args=[d.pk])).content.decode()
    assert CREDENTIALS_REJECTED in page and "unauthorized" not in page
    page = c.get(reverse("cameras:ticket_detail", args=[ticket.pk])).content.decode()
    assert "Detectado por el monitor: " + CREDENTIALS_REJECTED in page


def test_the_right_credentials_are_described_in_spanish_too(rtsp_url, system, users):
    d = camera(system, users, stream_url=rtsp_url, username=USER, password_encrypted=crypto.encrypt(PASSWORD))
    one_round(monitor())
    d.refresh_from_db()
    assert d.health == Device.Health.ONLINE, d.last_detail
    assert d.last_detail == "el stream responde, vídeo JPEG/90000, autenticación digest"


def test_an_unknown_host_is_a_clear_reason_not_a_crash(system, users):
    d = camera(
        system, users, stream_url="rtsp://no-such-host.invalid/", snapshot_url="http://no-such-host.invalid/a.jpg"
    )
    stats = one_round(monitor())
    assert stats.probed == 1
    d.refresh_from_db()
    assert d.health == Device.Health.OFFLINE
    assert d.last_detail == "RTSP: no se encontró el servidor (nombre desconocido)"
    assert set(ProbeResult.objects.filter(device=d).values_list("kind", "detail")) == {
        (kind, "no se encontró el servidor (nombre desconocido)") for kind in ("rtsp", "http", "tcp")
    }
    ticket = MaintenanceTicket.objects.get(device=d)
    assert ticket.description == "Detectado por el monitor: RTSP: no se encontró el servidor (nombre desconocido)"


def test_a_refused_connection_and_a_hanging_camera_are_said_in_spanish(system, users):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    d = camera(system, users, stream_url=f"rtsp://127.0.0.1:{port}/cam")
    one_round(monitor())
    d.refresh_from_db()
    assert d.last_detail == "RTSP: conexión rechazada"
    with socket.socket() as hung:  # accepts (the kernel does) and never answers
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        Device.objects.filter(pk=d.pk).update(stream_url=f"rtsp://127.0.0.1:{hung.getsockname()[1]}/cam")
        # the monitor's own limit (0.5 s) comes before the probes' inner ones (1 s)
        one_round(Monitor("msg", fail_after=1, recover_after=1, probe_timeout=0.5, claim_seconds=30))
    d.refresh_from_db()
    assert d.last_detail == "TCP: sin respuesta en 0,5 s"


def test_unreadable_credentials_say_the_key_changed_instead_of_401(
    rtsp_url, system, users, settings, caplog, client_for
):
    settings.CAMERA_CREDENTIALS_KEY = Fernet.generate_key().decode()
    token = crypto.encrypt(PASSWORD)  # saved under the old key...
    settings.CAMERA_CREDENTIALS_KEY = Fernet.generate_key().decode()  # ...which was then replaced
    d = camera(system, users, stream_url=rtsp_url, username=USER, password_encrypted=token)
    with caplog.at_level("WARNING", logger="centinela.lib.crypto"):
        one_round(monitor())
    d.refresh_from_db()
    assert d.last_detail.startswith("RTSP: credenciales ilegibles: la clave de cifrado cambió")
    assert "401" not in d.last_detail
    assert "CAMERA_CREDENTIALS_KEY" in caplog.text  # the administrator learns what to fix
    assert PASSWORD not in caplog.text and token not in caplog.text
    assert d.health == Device.Health.REJECTED
    with pytest.raises(crypto.UnreadableSecret):  # never read as "" (an empty password tried, none shown)
        crypto.decrypt(token)
    # the network managers are told on the camera page and in its form what to do
    page = client_for("tecnico").get(reverse("cameras:device_detail", args=[d.pk])).content.decode()
    assert "Credenciales ilegibles: vuelva a ingresarlas." in page
    form = client_for("admin").get(reverse("cameras:device_edit", args=[d.pk])).content.decode()
    assert "Credenciales ilegibles: vuelva a ingresarlas." in form


SAMPLE = {
    "protocol": "RTSP",
    "other": "HTTP",
    "limit": 65536,
    "size": 70000,
    "minimum": 1000,
    "seconds": 5.0,
    "error": "x",
    "status": 500,
    "reason": "internal error",
    "ctype": "text/html",
    "operation": "X",
    "port": 554,
    "codec": "H264/90000",
    "auth": "basic",
    "kb": 12.0,
    "width": 320,
    "height": 240,
    "info": "HIKVISION",
    "clock": 12,
}


def test_every_reason_code_has_a_spanish_sentence():
    import polib
    from django.conf import settings

    catalogue = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    ES = {entry.msgid: entry.msgstr for entry in catalogue.translated_entries()}

    for code in REASONS:
        assert code in probe_messages.MESSAGES, code
        text = probe_messages.describe(code, SAMPLE, fallback="<fallback>")
        assert text != "<fallback>" and "%(" not in text, code
    with translation.override("en"):
        msgids = [str(message) for message in probe_messages.MESSAGES.values()]
    assert [m for m in msgids if m not in ES] == []
    assert (
        probe_messages.describe("too_large", {"limit": 5_000_000})
        == "respuesta demasiado grande (más de 5.000.000 bytes)"
    )
    assert probe_messages.describe("status", {"status": 404, "reason": "not found"}) == "no existe en la cámara (404)"
    assert probe_messages.describe("not_jpeg_type", {"ctype": "text/html"}) == "no es una imagen JPEG (tipo text/html)"
    # an outcome without a code (a probe of someone else's) keeps its own words
    assert probe_messages.outcome_text(ProbeOutcome("tcp", False, None, "custom")) == "custom"


@pytest.mark.parametrize(
    "code, params",
    [
        ("tcp_open", {"port": 47123}),
        ("port_not_allowed", {"port": 47123}),
        ("network", {"error": "Multiple exceptions: [Errno 111] Connect call failed ('10.9.8.7', 47123)"}),
        ("network", {"error": "Connect call failed ('fe80::1:7', 47123, 0, 0)"}),
        ("tls", {"error": "hostname mismatch, certificate is not valid for 'camara-zq.lan'"}),
        ("error", {"error": "OSError: cannot reach camara-zq.lan:47123 (10.9.8.7:47123, [fe80::1:7]:47123)"}),
        ("probe_error", {"error": "ValueError: bad port 47123 on 10.9.8.7"}),
    ],
)
def test_no_sentence_names_a_host_an_address_or_a_port(code, params):
    """Every role that sees a camera reads these sentences; how to reach it is the network managers' business."""
    text = probe_messages.describe(code, params)
    for secret in ("47123", "10.9.8.7", "fe80::1", "camara-zq"):
        assert secret not in text, (code, text)
    outcome = ProbeOutcome.of("tcp", code == "tcp_open", None, code, **params)
    assert "47123" not in probe_messages.outcome_text(outcome)
