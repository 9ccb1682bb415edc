"""The camera network in a real Chromium: the dashboard draws the cameras and their coverage by live status, and a
camera turns red, counted offline with a ticket listed, after it fails in the project's camera simulator and the
real monitor (real RTSP/HTTP/ONVIF probes, its state machine) has probed it."""
import json
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def network(site, settings, tmp_path):
    from centinela.cameras.tests.test_inventory_factories import make_device, make_system

    settings.VAR_DIR = tmp_path
    (tmp_path / "monitor_heartbeat.json").write_text(json.dumps({"at": timezone.now().isoformat(), "interval_s": 60}))
    system = make_system()
    now = timezone.now()
    return [
        make_device(system, code=code, health="online", lifecycle="operational", last_probe_at=now,
                    next_probe_at=now - timedelta(seconds=1))
        for code in ("CAM-B-1", "CAM-B-2")
    ]


def _fail(device, rounds=3):
    """Feed the monitor's state machine `rounds` failed probes of the device, as a monitor round would."""
    from centinela.cameras.models import Device
    from centinela.cameras.monitor import Claimed, Monitor, ProbeOutcome, Result

    monitor = Monitor("browser-test", heartbeat=False, fail_after=rounds)
    for _ in range(rounds):
        d = Device.objects.get(pk=device.pk)
        claimed = Claimed(d.pk, d.code, d.probe_interval_s, d.health, d.consecutive_failures, d.consecutive_successes, None)
        outcome = ProbeOutcome("rtsp", False, None, "connection refused")
        monitor.apply([Result(claimed, timezone.now(), [outcome], 1.0)])


def test_dashboard_shows_the_cameras_on_the_map(page, site, login, network):
    login(page, "tecnico")
    page.goto(site.url("/camaras/"))
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("path.camera-marker.status-online").count() == 2
    assert page.locator("path.coverage-sector").count() == 2
    assert page.locator(".monitor-down").count() == 0
    assert page.inner_text("#count-online") == "2"
    assert not site.errors


@pytest.fixture
def simulated(site, settings, tmp_path):
    """Two cameras of the simulator (cameras/simulator.py) on loopback, registered as operational devices."""
    from centinela.cameras import crypto
    from centinela.cameras.simulator import Simulator
    from centinela.cameras.tests.test_inventory_factories import make_device, make_system

    settings.VAR_DIR = tmp_path
    sim = Simulator(cameras=2, auth="digest", username="admin", password="centinela").start_in_thread()
    system = make_system()
    devices = [
        make_device(system, code=f"CAM-SIM-{k}", lifecycle="operational", stream_url=sim.stream_url(k),
                    snapshot_url=sim.snapshot_url(k), username="admin", password_encrypted=crypto.encrypt("centinela"))
        for k in range(2)
    ]
    yield sim, devices
    sim.stop_thread()


def _monitor_round(monitor):
    """One round of the real monitor. Playwright keeps an event loop in this thread, so the round runs in another
    one, as the monitor process would."""
    import threading

    from asgiref.sync import async_to_sync

    from centinela.cameras.models import Device

    Device.objects.update(next_probe_at=None)
    errors = []

    def run():
        try:
            async_to_sync(monitor.run_once)()
        except Exception as exc:  # noqa: BLE001 - re-raised in the test thread
            errors.append(exc)
        finally:
            from django.db import connections

            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    assert not errors, errors


def test_a_camera_turns_red_after_it_fails_in_the_simulator(page, site, login, simulated):
    from centinela.cameras.models import MaintenanceTicket
    from centinela.cameras.monitor import Monitor

    sim, devices = simulated
    monitor = Monitor("browser-test", fail_after=2, recover_after=2, probe_timeout=2.0, claim_seconds=30)
    _monitor_round(monitor)  # both answer: green, and the monitor's heartbeat is written
    login(page, "tecnico")
    page.goto(site.url("/camaras/"))
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("path.camera-marker.status-online").count() == 2
    assert page.locator(".monitor-down").count() == 0
    sim.set_mode(1, "down")
    _monitor_round(monitor)
    _monitor_round(monitor)  # two failures in a row: offline
    assert MaintenanceTicket.objects.filter(device=devices[1], status="detected").exists()
    page.wait_for_function("document.querySelector('#count-offline').textContent.trim() === '1'", timeout=15_000)
    page.reload()
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("path.camera-marker.status-offline.camera-CAM-SIM-1").count() == 1
    assert page.locator("path.camera-marker.status-online.camera-CAM-SIM-0").count() == 1
    assert page.locator("path.camera-marker.camera-CAM-SIM-1").get_attribute("fill").lower() == "#c0392b"
    assert "CAM-SIM-1" in page.inner_text("ul.open-tickets")
    assert not site.errors


def test_a_camera_turns_red_after_the_state_machine_sees_it_fail(page, site, login, network):
    from centinela.cameras.models import MaintenanceTicket

    login(page, "tecnico")
    page.goto(site.url("/camaras/"))
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("path.camera-marker.status-offline").count() == 0
    _fail(network[1])
    assert MaintenanceTicket.objects.filter(device=network[1], status="detected").exists()
    # the counts refresh by themselves (htmx, every 10 s)
    page.wait_for_function("document.querySelector('#count-offline').textContent.trim() === '1'", timeout=15_000)
    page.reload()
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("path.camera-marker.status-offline.camera-CAM-B-2").count() == 1
    assert page.locator("path.camera-marker.status-online.camera-CAM-B-1").count() == 1
    red = page.locator("path.camera-marker.camera-CAM-B-2").get_attribute("fill")
    assert red.lower() == "#c0392b"
    assert "CAM-B-2" in page.inner_text("ul.open-tickets")
    assert not site.errors


def test_a_stopped_monitor_is_announced_loudly(page, site, login, network, settings):
    (settings.VAR_DIR / "monitor_heartbeat.json").unlink()
    login(page, "directora")
    page.goto(site.url("/camaras/"))
    assert page.locator(".monitor-down").is_visible()
