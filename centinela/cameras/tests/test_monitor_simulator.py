"""The monitor with the real probes (RTSP DESCRIBE, JPEG snapshot, ONVIF, TCP) against the project's camera
simulator with digest authentication: credentials decrypted for the probe, a camera going down and coming back,
wrong credentials and a hanging camera recorded as failures with their reason."""

import time

import pytest
from asgiref.sync import async_to_sync

from centinela.cameras.models import Device, Lifecycle, MaintenanceTicket, Outage, ProbeResult, Site, System
from centinela.lib import crypto

simulator = pytest.importorskip("centinela.cameras.simulator")


@pytest.fixture
def sim():
    s = simulator.Simulator(cameras=4, auth="digest", username="admin", password="centinela").start_in_thread()
    yield s
    s.stop_thread()


@pytest.fixture
def devices(db, sim, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    site = Site.objects.create(name="Centro de Abasto Gran Colombia", lon=-79.2, lat=-3.98)
    system = System.objects.create(site=site, name="NVR Mercado")
    out = []
    for k in range(4):
        out.append(
            Device.objects.create(
                system=system,
                code=f"MER-{k}",
                name=f"Cámara {k}",
                lifecycle=Lifecycle.OPERATIONAL,
                stream_url=sim.stream_url(k),
                snapshot_url=sim.snapshot_url(k),
                onvif_url=sim.onvif_url(k),
                username="admin",
                password_encrypted=crypto.encrypt("centinela" if k != 3 else "equivocada"),
            )
        )
    return out


def one_round(m):
    Device.objects.update(next_probe_at=None)
    return async_to_sync(m.run_once)()


def test_real_probes_through_the_monitor(devices, sim):
    from centinela.cameras.monitor import Monitor

    m = Monitor("sim", fail_after=2, recover_after=2, probe_timeout=2.0, claim_seconds=30)
    one_round(m)
    for d in devices[:3]:
        d.refresh_from_db()
        assert d.health == Device.Health.ONLINE, d.last_detail
    assert set(ProbeResult.objects.filter(device=devices[0]).values_list("kind", flat=True)) >= {
        "rtsp",
        "http",
        "onvif",
    }
    wrong = Device.objects.get(pk=devices[3].pk)
    assert wrong.consecutive_failures == 1 and "RTSP: credenciales rechazadas (401)" in wrong.last_detail
    # camera 1 goes down, camera 2 hangs: both offline after two rounds, each with a ticket
    sim.set_mode(1, "down")
    sim.set_mode(2, "hang")
    start = time.perf_counter()
    one_round(m)
    assert time.perf_counter() - start < 2.0 + 2.5
    one_round(m)
    for k in (1, 2):
        d = Device.objects.get(pk=devices[k].pk)
        assert d.health == Device.Health.OFFLINE and d.lifecycle == Lifecycle.OFFLINE
        assert MaintenanceTicket.objects.filter(device=d, status="detected").exists()
    sim.set_mode(1, None)
    one_round(m), one_round(m)
    back = Device.objects.get(pk=devices[1].pk)
    assert back.health == Device.Health.ONLINE and back.lifecycle == Lifecycle.OPERATIONAL
    assert Outage.objects.get(device=back).ended_at is not None
    assert "Volvió en línea a las" in MaintenanceTicket.objects.get(device=back).notes


def test_a_broken_stream_with_a_working_snapshot_is_degraded_then_recovers(devices, sim):
    import socket

    from centinela.cameras.models import StatusChange
    from centinela.cameras.monitor import Monitor

    with socket.socket() as s:  # a port nobody listens on: the stream is refused, the snapshot still works
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    d = devices[0]
    Device.objects.filter(pk=d.pk).update(stream_url=f"rtsp://127.0.0.1:{dead_port}/cam/0")
    m = Monitor("sim", fail_after=2, recover_after=2, probe_timeout=2.0, claim_seconds=30)
    one_round(m)
    one_round(m)
    d.refresh_from_db()
    assert d.health == Device.Health.ONLINE and d.lifecycle == Lifecycle.DEGRADED, d.last_detail
    assert not MaintenanceTicket.objects.filter(device=d).exists()  # degraded is not an outage
    Device.objects.filter(pk=d.pk).update(stream_url=sim.stream_url(0))
    one_round(m)
    assert Device.objects.get(pk=d.pk).lifecycle == Lifecycle.DEGRADED  # one good round is not enough
    one_round(m)
    assert Device.objects.get(pk=d.pk).lifecycle == Lifecycle.OPERATIONAL
    assert list(StatusChange.objects.filter(device=d).order_by("at").values_list("to_status", flat=True)) == [
        Lifecycle.DEGRADED,
        Lifecycle.OPERATIONAL,
    ]
