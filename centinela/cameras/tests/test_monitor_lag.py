"""The monitor says when its rounds fall behind schedule (many peers hanging until their timeout, too many cameras
for its concurrency): it measures how late due probes start, logs it, writes it in its heartbeat, and the camera
dashboard shows it. Against real peers on loopback that accept and never answer."""

import asyncio
import json
import logging
import socket

import pytest
from asgiref.sync import async_to_sync
from django.test import Client
from django.urls import reverse

from centinela.accounts.models import User
from centinela.cameras.models import Device, Lifecycle, Site, System
from centinela.cameras.monitor import HEARTBEAT_FILE, Monitor


@pytest.fixture
def hanging_peer():
    """A listener whose backlog accepts connections (the kernel does) and never says a word."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    yield sock.getsockname()[1]
    sock.close()


@pytest.mark.django_db(transaction=True)
def test_hanging_cameras_put_the_monitor_behind_schedule_and_it_says_so(settings, tmp_path, hanging_peer, caplog):
    settings.VAR_DIR = tmp_path
    site = Site.objects.create(name="Sitio", lon=-79.2, lat=-3.99)
    system = System.objects.create(site=site, name="NVR")
    for k in range(6):
        Device.objects.create(
            system=system,
            code=f"HANG-{k}",
            name="cuelga",
            lifecycle=Lifecycle.OPERATIONAL,
            stream_url=f"rtsp://127.0.0.1:{hanging_peer}/cam{k}",
            probe_interval_s=30,
        )
    # one probe at a time, each hanging 1 s: the sixth starts some 5 s after it was due
    monitor = Monitor("lag", concurrency=1, fail_after=3, probe_timeout=1.0, claim_seconds=30, behind_after_s=2.0)

    async def drive():
        stop = asyncio.Event()
        task = asyncio.create_task(monitor.run(stop, poll_s=0.1, flush_s=0.1, heartbeat_every_s=0.5))
        await asyncio.sleep(4.5)
        stop.set()
        await task

    with caplog.at_level(logging.WARNING, logger="centinela.cameras.monitor"):
        async_to_sync(drive)()
    beat = json.loads((tmp_path / HEARTBEAT_FILE).read_text())
    assert beat["behind"] is True and beat["lag_s"] > 2.0
    assert "behind schedule" in caplog.text
    # a transactional test makes its own reader: the tests before it may have flushed the demo users
    reader = User.objects.create_user("lectora.lag", password="x-no-importa-1", role="director")
    client = Client()
    client.force_login(reader)
    response = client.get(reverse("cameras:dashboard_counts"))
    assert response.status_code == 200, (response.status_code, response.get("Location"))
    page = response.content.decode()
    assert "El monitor va atrasado" in page


@pytest.mark.django_db
def test_a_monitor_on_schedule_is_not_behind(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    monitor = Monitor("ok", behind_after_s=30)
    assert monitor.measure_lag() == 0.0 and monitor.behind is False
    monitor.write_heartbeat()
    assert json.loads((tmp_path / HEARTBEAT_FILE).read_text())["behind"] is False
