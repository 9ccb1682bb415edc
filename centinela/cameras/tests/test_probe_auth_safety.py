"""Credentials go only to the host they were stored for, never in clear to a camera that took Digest: the probes
follow no redirect to another host, and refuse a Basic challenge after Digest was used (in the same probe, or
stored from an earlier one). Against real servers on loopback that redirect or ask for Basic."""

import asyncio

import pytest
from asgiref.sync import async_to_sync

from centinela.cameras.models import Alert, Device, Lifecycle, Site, System
from centinela.cameras.monitor import Monitor
from centinela.cameras.probes import probe_http_snapshot, probe_onvif, probe_rtsp
from centinela.cameras.simulator import Simulator
from centinela.cameras.tests.loopback_peers import BASIC, DIGEST, Peer, reply
from centinela.lib import crypto

USER, PASSWORD = "operador", "Clave-de-Camara-77"
SDP = b"v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"


def _rtsp_digest_then_basic(request, headers, state):
    """OPTIONS: Digest, accepted. DESCRIBE: asks for Basic whatever it is sent (an impostor fishing for the
    password)."""
    cseq = headers.get("cseq", "1")
    method = request.split(" ", 1)[0]
    auth = headers.get("authorization", "")
    if method == "OPTIONS":
        if auth.startswith("Digest "):
            return reply("200 OK", "Public: OPTIONS, DESCRIBE", protocol="RTSP/1.0", cseq=cseq)
        return reply("401 Unauthorized", DIGEST, protocol="RTSP/1.0", cseq=cseq)
    if auth.startswith("Basic "):
        return reply("200 OK", "Content-Type: application/sdp", body=SDP, protocol="RTSP/1.0", cseq=cseq)
    return reply("401 Unauthorized", BASIC, protocol="RTSP/1.0", cseq=cseq)


def test_an_rtsp_camera_that_took_digest_never_gets_the_password_in_basic():
    with Peer(_rtsp_digest_then_basic) as peer:
        outcome = asyncio.run(probe_rtsp(f"rtsp://127.0.0.1:{peer.port}/live", USER, PASSWORD, 3.0))
    assert (outcome.ok, outcome.code) == (False, "auth_downgrade")
    assert peer.authorizations() and all(a.startswith("Digest ") for a in peer.authorizations())


def _http_basic_only(request, headers, state):
    if headers.get("authorization", "").startswith("Basic "):
        return reply("200 OK", "Content-Type: image/jpeg", body=b"\xff\xd8" + b"\0" * 2000 + b"\xff\xd9")
    return reply("401 Unauthorized", BASIC)


@pytest.mark.parametrize("probe", ["snapshot", "onvif"])
def test_a_camera_stored_as_digest_that_now_asks_for_basic_is_refused_without_sending_the_password(probe):
    with Peer(_http_basic_only) as peer:
        url = f"http://127.0.0.1:{peer.port}/" + ("snap.jpg" if probe == "snapshot" else "onvif/device_service")
        fn = probe_http_snapshot if probe == "snapshot" else probe_onvif
        outcome = asyncio.run(fn(url, USER, PASSWORD, 3.0, auth_scheme="digest"))
        assert (outcome.ok, outcome.code) == (False, "auth_downgrade")
        assert peer.authorizations() == []
        # a camera never seen with Digest may still use Basic (many do)
        outcome = asyncio.run(probe_http_snapshot(url, USER, PASSWORD, 3.0)) if probe == "snapshot" else None
    if outcome is not None:
        assert outcome.ok, outcome.detail


def test_a_redirect_to_another_host_is_not_followed_and_gets_no_credentials():
    with Peer(
        lambda r, h, s: reply("200 OK", "Content-Type: image/jpeg", body=b"\xff\xd8" + b"\0" * 2000 + b"\xff\xd9"),
        host="127.0.0.2",
    ) as elsewhere:

        def redirecting(request, headers, state):
            if not headers.get("authorization"):
                return reply("401 Unauthorized", DIGEST)
            return reply("302 Found", f"Location: http://127.0.0.2:{elsewhere.port}/snap.jpg")

        with Peer(redirecting) as camera:
            outcome = asyncio.run(probe_http_snapshot(f"http://127.0.0.1:{camera.port}/snap.jpg", USER, PASSWORD, 3.0))
        assert not outcome.ok and outcome.code == "http_status" and outcome.params["status"] == 302
        assert elsewhere.connections == 0 and elsewhere.requests == []


def test_an_rtsp_redirect_is_not_followed():
    with Peer(
        lambda r, h, s: reply(
            "200 OK", "Content-Type: application/sdp", body=SDP, protocol="RTSP/1.0", cseq=h.get("cseq")
        ),
        host="127.0.0.2",
    ) as elsewhere:

        def redirecting(request, headers, state):
            return reply(
                "302 Moved Temporarily",
                f"Location: rtsp://127.0.0.2:{elsewhere.port}/live",
                protocol="RTSP/1.0",
                cseq=headers.get("cseq"),
            )

        with Peer(redirecting) as camera:
            outcome = asyncio.run(probe_rtsp(f"rtsp://127.0.0.1:{camera.port}/live", USER, PASSWORD, 3.0))
        assert not outcome.ok and outcome.code == "status" and outcome.params["status"] == 302
        assert elsewhere.connections == 0


@pytest.mark.django_db
def test_the_monitor_learns_digest_and_then_refuses_a_basic_impostor_as_rejected_credentials(users, settings, tmp_path):
    """A real camera (the simulator with Digest) is learnt as Digest; when the same address then asks for Basic,
    the password is not sent, the camera's state is "rejected" (not offline) and the alert says so."""
    settings.VAR_DIR = tmp_path
    sim = Simulator(cameras=1, auth="digest", username=USER, password=PASSWORD).start_in_thread()
    try:
        site = Site.objects.create(name="Sitio", lon=-79.2, lat=-3.99)
        device = Device.objects.create(
            system=System.objects.create(site=site, name="NVR"),
            code="DIG-1",
            name="x",
            lifecycle=Lifecycle.OPERATIONAL,
            stream_url=sim.stream_url(0),
            username=USER,
            password_encrypted=crypto.encrypt(PASSWORD),
        )
        tech = users["tecnico"]
        tech.email = "tecnico@example.org"
        tech.save()
        device.responsible.add(tech)
        monitor = Monitor("dig", fail_after=2, recover_after=1, probe_timeout=3.0, claim_seconds=30)

        def round_():
            Device.objects.update(next_probe_at=None)
            async_to_sync(monitor.run_once)()
            device.refresh_from_db()

        round_()
        assert (device.health, device.auth_scheme) == (Device.Health.ONLINE, "digest")
        sim.auth = "basic"  # the same address now asks for Basic
        round_()
        round_()
        assert device.health == Device.Health.REJECTED
        assert "Basic" in device.last_detail and "no se envió la contraseña" in device.last_detail
        assert Alert.objects.filter(device=device, event="rejected").exists()
        assert not Alert.objects.filter(device=device, event="offline").exists()
    finally:
        sim.stop_thread()


def _rtsp_basic(request, headers, state):
    cseq = headers.get("cseq", "1")
    if headers.get("authorization", "").startswith("Basic "):
        return reply("200 OK", "Content-Type: application/sdp", body=SDP, protocol="RTSP/1.0", cseq=cseq)
    return reply("401 Unauthorized", BASIC, protocol="RTSP/1.0", cseq=cseq)


@pytest.mark.parametrize("probe", ["rtsp", "snapshot", "onvif"])
def test_credentials_written_inside_a_stored_url_are_never_sent(probe):
    """Addresses with user:pass@ are refused when saved; one stored before that rule is probed without them (the
    credentials belong in their own fields, encrypted, bound to the host)."""
    answer = _rtsp_basic if probe == "rtsp" else _http_basic_only
    with Peer(answer) as peer:
        scheme, path = ("rtsp", "live") if probe == "rtsp" else ("http", "snap.jpg")
        url = f"{scheme}://{USER}:{PASSWORD}@127.0.0.1:{peer.port}/{path}"
        fn = {"rtsp": probe_rtsp, "snapshot": probe_http_snapshot, "onvif": probe_onvif}[probe]
        outcome = asyncio.run(fn(url, None, None, 3.0))
        assert not outcome.ok and outcome.code == "unauthorized_no_credentials", outcome.detail
        assert peer.requests and peer.authorizations() == []
        assert all(USER not in line and PASSWORD not in line for line, _h in peer.requests)
