"""The monitor against GStreamer's RTSP server (Debian) with digest authentication: online while it serves,
offline after N rounds once it is gone (connection refused), with its outage, ticket and alert."""

import os

import pytest
from asgiref.sync import async_to_sync

from centinela.cameras.models import Alert, Device, Lifecycle, MaintenanceTicket, Outage, Site, System
from centinela.cameras.monitor import Monitor
from centinela.cameras.tests.gst_rtsp_server import gst_rtsp_server, unavailable_reason
from centinela.lib import crypto

USER, PASSWORD = "admin", "s3cr3to-Loja"


@pytest.fixture
def gstreamer():
    reason = unavailable_reason()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs GStreamer's RTSP server: {reason}")
        pytest.skip(reason)
    return gst_rtsp_server


def one_round(m):
    Device.objects.update(next_probe_at=None)
    return async_to_sync(m.run_once)()


def test_monitor_follows_a_real_rtsp_server_going_away(db, gstreamer, users, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    site = Site.objects.create(name="Parque Lineal", lon=-79.2, lat=-3.97)
    system = System.objects.create(site=site, name="NVR Parque Lineal")
    m = Monitor("gst", fail_after=2, recover_after=2, probe_timeout=4.0, claim_seconds=30)
    with gstreamer(auth="digest", user=USER, password=PASSWORD, path="/test") as port:
        d = Device.objects.create(
            system=system,
            code="LIN-1",
            name="Puente",
            lifecycle=Lifecycle.OPERATIONAL,
            stream_url=f"rtsp://127.0.0.1:{port}/test",
            username=USER,
            password_encrypted=crypto.encrypt(PASSWORD),
        )
        d.responsible.add(users["tecnico"])
        one_round(m)
        d.refresh_from_db()
        assert d.health == Device.Health.ONLINE, d.last_detail
        assert d.last_detail == "el stream responde, vídeo JPEG/90000, autenticación digest"
    one_round(m)
    assert Device.objects.get(pk=d.pk).health == Device.Health.ONLINE  # damped
    one_round(m)
    d.refresh_from_db()
    assert d.health == Device.Health.OFFLINE and d.lifecycle == Lifecycle.OFFLINE
    assert d.last_detail == "RTSP: conexión rechazada"  # the server is gone: said in the site's language
    assert Outage.objects.filter(device=d, ended_at__isnull=True).exists()
    assert MaintenanceTicket.objects.filter(device=d, status="detected").exists()
    assert Alert.objects.filter(device=d, event="offline", sent_at__isnull=False).exists()
