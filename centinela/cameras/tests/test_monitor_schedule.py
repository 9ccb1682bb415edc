"""When the monitor probes again: timed from when a probe started (a probe that runs into its timeout does not push
the next one back), confirmation probes without jitter, so a dark camera's offline alert comes within two intervals
plus the probe timeout; and one round probes each due device once, so it ends even when it is slower than the
shortest interval. Against the real loopback peers of test_monitor."""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync

from centinela.cameras.models import Device, Lifecycle, Site, System
from centinela.cameras.monitor import Monitor
from centinela.cameras.tests.test_monitor_peers import LoopbackCameras

Health = Device.Health
TIMEOUT = 2.5


@pytest.fixture
def cameras():
    with LoopbackCameras() as peer:
        yield peer


@pytest.fixture
def device(db, cameras, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    site = Site.objects.create(name="Parque Pucará", lon=-79.2, lat=-3.99)
    system = System.objects.create(site=site, name="NVR Pucará")
    return Device.objects.create(
        system=system,
        code="PUC-1",
        name="Cámara 1",
        lifecycle=Lifecycle.OPERATIONAL,
        stream_url=cameras.url("PUC-1"),
        probe_interval_s=60,
    )


def _monitor(**kw):
    return Monitor("schedule-test", heartbeat=False, probe_timeout=TIMEOUT, claim_seconds=30, **kw)


def test_the_next_probe_is_timed_from_the_start_of_a_probe_that_hung(device, cameras):
    cameras.set(device.code, "hang")
    m = _monitor(fail_after=3)
    Device.objects.update(next_probe_at=None)
    async_to_sync(m.run_once)()
    device.refresh_from_db()
    assert device.consecutive_failures == 1 and device.health != Health.OFFLINE
    # the probe started at last_probe_at and took the whole timeout; the confirmation comes interval / 3 after its
    # start, exactly (no jitter while confirming), not interval / 3 after the timeout ran out
    assert (device.next_probe_at - device.last_probe_at) == timedelta(seconds=20)


def test_a_dark_camera_alerts_within_two_intervals_plus_the_timeout(device, cameras):
    """The worst case on the monitor's own schedule: the camera goes dark right after a good probe and every probe
    after that hangs for the whole timeout. The gaps the monitor sets between probe starts, plus the last probe's
    timeout, must stay within 2 intervals + the timeout (the issue's bound)."""
    m = _monitor(fail_after=3)
    gaps = []
    for mode in ("ok", "hang", "hang", "hang"):
        cameras.set(device.code, mode)
        Device.objects.update(next_probe_at=None)  # run each probe as soon as it is due
        async_to_sync(m.run_once)()
        device.refresh_from_db()
        if device.health == Health.OFFLINE:
            break
        gaps.append((device.next_probe_at - device.last_probe_at).total_seconds())
    assert device.health == Health.OFFLINE and len(gaps) == 3
    assert gaps[0] <= 60 + 3 and gaps[1] == gaps[2] == 20
    assert sum(gaps) + TIMEOUT <= 2 * 60 + TIMEOUT


def test_a_round_slower_than_the_interval_still_ends(device, cameras):
    """Each probe hangs for 2.5 s and the confirmation is due 2 s after it starts: before, `run_once` claimed the
    device again and again and never returned."""
    cameras.set(device.code, "hang")
    Device.objects.filter(pk=device.pk).update(probe_interval_s=6)  # confirmations every max(2, 6 / 3) = 2 s
    m = _monitor(fail_after=3)
    Device.objects.update(next_probe_at=None)

    async def bounded():
        return await asyncio.wait_for(m.run_once(), 20)

    stats = async_to_sync(bounded)()
    assert stats.probed == 1
