"""The camera network in a real Chromium: the dashboard draws the cameras and their coverage by live status, and a
camera turns red, counted offline with a ticket listed, after it fails in the project's camera simulator and the
real monitor (real RTSP/HTTP/ONVIF probes, its state machine) has probed it."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture(autouse=True)
def patient_page(page):
    """The machine running these may be loaded (2 cores shared): give navigations and actions more time."""
    page.set_default_navigation_timeout(60_000)
    page.set_default_timeout(30_000)
    return page


@pytest.fixture
def network(site, settings, tmp_path):
    from centinela.cameras.tests.test_inventory_factories import make_device, make_system

    settings.VAR_DIR = tmp_path
    (tmp_path / "monitor_heartbeat.json").write_text(json.dumps({"at": timezone.now().isoformat(), "interval_s": 60}))
    system = make_system()
    now = timezone.now()
    return [
        make_device(
            system,
            code=code,
            health="online",
            lifecycle="operational",
            last_probe_at=now,
            next_probe_at=now - timedelta(seconds=1),
        )
        for code in ("CAM-B-1", "CAM-B-2")
    ]


def _fail(device, rounds=3):
    """Feed the monitor's state machine `rounds` failed probes of the device, as a monitor round would."""
    from centinela.cameras.models import Device
    from centinela.cameras.monitor import Claimed, Monitor, ProbeOutcome, Result

    monitor = Monitor("browser-test", heartbeat=False, fail_after=rounds)
    for _ in range(rounds):
        d = Device.objects.get(pk=device.pk)
        claimed = Claimed(
            d.pk, d.code, d.probe_interval_s, d.health, d.consecutive_failures, d.consecutive_successes, None
        )
        outcome = ProbeOutcome.of("rtsp", False, None, "refused")
        monitor.apply([Result(claimed, timezone.now(), [outcome], 1.0)])


# The dashboard refreshes its counts, lists and map every 10 s; on a loaded machine allow a few rounds.
LIVE_TIMEOUT_MS = 45_000


def _see_it_turn_red(page, failed, working):
    """Without reloading the page: the counts, the map (marker and sector, red) and the open tickets follow the
    failure of camera `failed` while camera `working` stays green; the map keeps the view the user had."""
    from playwright.sync_api import expect

    view = "[window.centinelaMap.getCenter().lat, window.centinelaMap.getCenter().lng, window.centinelaMap.getZoom()]"
    page.evaluate(
        "window.centinelaMap.setZoom(window.centinelaMap.getZoom() - 1, {animate: false})"
    )  # the user zooms out
    before = page.evaluate(view)
    expect(page.locator("#count-offline")).to_have_text("1", timeout=LIVE_TIMEOUT_MS)
    marker = page.locator(f"path.camera-marker.camera-{failed}")
    expect(marker).to_have_attribute("fill", "#c0392b", timeout=LIVE_TIMEOUT_MS)
    expect(marker).to_have_class(re.compile(r"\bstatus-offline\b"))
    expect(page.locator(f"path.camera-marker.camera-{working}")).to_have_class(re.compile(r"\bstatus-online\b"))
    expect(page.locator("path.coverage-sector.status-offline")).to_have_count(1, timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("path.coverage-sector.status-offline")).to_have_attribute("fill", "#c0392b")
    expect(page.locator("path.coverage-sector.status-online")).to_have_count(1)
    expect(page.locator("ul.open-tickets")).to_contain_text(failed, timeout=LIVE_TIMEOUT_MS)
    assert page.evaluate(view) == pytest.approx(before)
    # the page was never reloaded: the map object is the one created on load
    assert page.evaluate("window.__loadedOnce === true")


def _open_dashboard(page, site):
    page.goto(site.url("/camaras/"))
    page.wait_for_selector("#map[data-ready='1']")
    page.evaluate("window.__loadedOnce = true")  # lost if the page reloads


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
    from centinela.cameras.simulator import Simulator
    from centinela.cameras.tests.test_inventory_factories import make_device, make_system
    from centinela.lib import crypto

    settings.VAR_DIR = tmp_path
    sim = Simulator(cameras=2, auth="digest", username="admin", password="centinela").start_in_thread()
    system = make_system()
    devices = [
        make_device(
            system,
            code=f"CAM-SIM-{k}",
            lifecycle="operational",
            stream_url=sim.stream_url(k),
            snapshot_url=sim.snapshot_url(k),
            username="admin",
            password_encrypted=crypto.encrypt("centinela"),
        )
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
    _open_dashboard(page, site)
    assert page.locator("path.camera-marker.status-online").count() == 2
    assert page.locator(".monitor-down").count() == 0
    sim.set_mode(1, "down")
    _monitor_round(monitor)
    _monitor_round(monitor)  # two failures in a row: offline
    assert MaintenanceTicket.objects.filter(device=devices[1], status="detected").exists()
    _see_it_turn_red(page, "CAM-SIM-1", "CAM-SIM-0")
    assert not site.errors


def test_a_camera_turns_red_after_the_state_machine_sees_it_fail(page, site, login, network):
    from centinela.cameras.models import MaintenanceTicket

    login(page, "tecnico")
    _open_dashboard(page, site)
    assert page.locator("path.camera-marker.status-offline").count() == 0
    assert "CAM-B-2" not in page.inner_text("ul.open-tickets")
    _fail(network[1])
    assert MaintenanceTicket.objects.filter(device=network[1], status="detected").exists()
    _see_it_turn_red(page, "CAM-B-2", "CAM-B-1")
    assert not site.errors


def test_a_degraded_camera_turns_yellow_in_place(page, site, login, network):
    from playwright.sync_api import expect

    from centinela.cameras.models import Device

    login(page, "tecnico")
    _open_dashboard(page, site)
    expect(page.locator(".cam-legend .cam-dot.degraded")).to_be_visible()
    expect(page.locator("#count-degraded")).to_have_text("0")
    Device.objects.filter(pk=network[0].pk).update(lifecycle="degraded")  # as the monitor's check_degraded does
    marker = page.locator("path.camera-marker.camera-CAM-B-1")
    expect(marker).to_have_attribute("fill", "#f1c40f", timeout=LIVE_TIMEOUT_MS)
    expect(marker).to_have_class(re.compile(r"\bstatus-degraded\b"))
    expect(page.locator("#count-degraded")).to_have_text("1", timeout=LIVE_TIMEOUT_MS)
    expect(page.locator("path.camera-marker.camera-CAM-B-2")).to_have_attribute("fill", "#1e8449")
    expect(page.locator(".map-stale")).to_be_hidden()
    assert page.evaluate("window.__loadedOnce === true")
    assert not site.errors


def test_a_stopped_monitor_is_announced_loudly(page, site, login, network, settings):
    (settings.VAR_DIR / "monitor_heartbeat.json").unlink()
    login(page, "directora")
    page.goto(site.url("/camaras/"))
    assert page.locator(".monitor-down").is_visible()
