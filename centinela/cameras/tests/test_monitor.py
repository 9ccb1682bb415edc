"""The health monitor against real loopback cameras: flap damping, outages, automatic tickets, alerts, recovery,
hanging peers, claims between monitors, restarts, retention, the heartbeat and the command."""

import asyncio
import json
import re
import time
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from centinela.cameras.models import (
    Alert,
    AlertRecipient,
    Device,
    Lifecycle,
    MaintenanceTicket,
    Outage,
    ProbeResult,
    Site,
    StatusChange,
    System,
)
from centinela.cameras.monitor import Monitor, step
from centinela.cameras.tests.test_monitor_peers import LoopbackCameras

Health = Device.Health


@pytest.fixture
def cameras():
    with LoopbackCameras() as peer:
        yield peer


@pytest.fixture
def network(db, cameras, users, settings, tmp_path):
    """Five operational cameras on the loopback peer, a responsible technician, a network-wide recipient."""
    settings.VAR_DIR = tmp_path
    site = Site.objects.create(name="Parque Jipiro", lon=-79.2, lat=-3.97)
    system = System.objects.create(site=site, name="NVR Jipiro")
    tech = users["tecnico"]
    tech.email = "tecnico@example.org"
    tech.save()
    boss = users["directora"]
    boss.email = "directora@example.org"
    boss.save()
    AlertRecipient.objects.create(user=boss, system=None)
    devices = []
    for i in range(5):
        d = Device.objects.create(
            system=system,
            code=f"JIP-{i}",
            name=f"Cámara {i}",
            lifecycle=Lifecycle.OPERATIONAL,
            stream_url=cameras.url(f"JIP-{i}"),
        )
        d.responsible.add(tech)
        devices.append(d)
    return devices


def monitor(**kw):
    kw.setdefault("probe_timeout", 2.0)
    kw.setdefault("claim_seconds", 30)
    return Monitor(kw.pop("worker", "test"), **kw)


def one_round(m):
    """Make every device due and run one round of `m`."""
    Device.objects.update(next_probe_at=None)
    return async_to_sync(m.run_once)()


def reload(d):
    d.refresh_from_db()
    return d


def test_state_machine_damps_flaps():
    h, f, s = Health.ONLINE, 0, 5
    for expected in (None, None, "offline"):
        h, f, s, event = step(h, f, s, False, 3, 2)
        assert event == expected
    assert h == Health.OFFLINE
    h, f, s, event = step(h, f, s, True, 3, 2)
    assert (h, event) == (Health.OFFLINE, None)
    h, f, s, event = step(h, f, s, False, 3, 2)  # a flap back down resets the recovery count
    assert (h, event, s) == (Health.OFFLINE, None, 0)
    h, f, s, _e = step(h, f, s, True, 3, 2)
    h, f, s, event = step(h, f, s, True, 3, 2)
    assert (h, event) == (Health.ONLINE, "online")
    assert step(Health.UNKNOWN, 0, 0, True, 3, 2)[3] == "first_online"


def test_first_round_marks_devices_online(network):
    stats = one_round(monitor())
    assert stats.probed == 5
    for d in network:
        reload(d)
        assert d.health == Health.ONLINE and d.lifecycle == Lifecycle.OPERATIONAL
        assert d.last_probe_at and d.last_latency_ms is not None and d.next_probe_at > timezone.now()
        assert d.monitored_since == d.last_probe_at  # availability counts from the first probe
        assert d.claimed_by == "" and d.claimed_until is None
    assert not Outage.objects.exists() and not MaintenanceTicket.objects.exists()


def test_dead_camera_goes_offline_after_n_rounds_with_ticket_and_alert(network, cameras):
    m = monitor(fail_after=3)
    one_round(m)
    dead = network[0]
    cameras.set(dead.code, "close")
    for _ in range(2):  # flap damping: two failures are not an outage yet
        one_round(m)
        assert reload(dead).health == Health.ONLINE
        assert not Outage.objects.exists() and not MaintenanceTicket.objects.exists() and not mail.outbox
    assert reload(dead).consecutive_failures == 2
    one_round(m)
    reload(dead)
    assert dead.health == Health.OFFLINE and dead.lifecycle == Lifecycle.OFFLINE
    outage = Outage.objects.get(device=dead, ended_at__isnull=True)
    change = StatusChange.objects.get(device=dead, to_status=Lifecycle.OFFLINE)
    assert change.by is None and change.from_status == Lifecycle.OPERATIONAL and change.reason
    ticket = MaintenanceTicket.objects.get(device=dead)
    assert ticket.status == MaintenanceTicket.Status.DETECTED and ticket.outage == outage
    alert = Alert.objects.get(device=dead, event="offline", channel="tecnico@example.org")
    assert alert.sent_at is not None and alert.attempts == 1
    assert {m.to[0] for m in mail.outbox} == {"tecnico@example.org", "directora@example.org"}
    assert dead.code in mail.outbox[0].subject
    # the others were untouched
    assert all(reload(d).health == Health.ONLINE for d in network[1:])
    # while it stays dark, no new outage, ticket or alert
    one_round(m)
    assert Outage.objects.count() == 1 and MaintenanceTicket.objects.count() == 1
    assert Alert.objects.filter(device=dead, event="offline").count() == 2  # one per channel, once


def test_camera_back_after_m_successes_notes_the_ticket(network, cameras):
    m = monitor(fail_after=2, recover_after=2)
    one_round(m)
    dead = network[1]
    cameras.set(dead.code, "garbage")
    one_round(m), one_round(m)
    assert reload(dead).health == Health.OFFLINE
    cameras.set(dead.code, "ok")
    one_round(m)
    assert reload(dead).health == Health.OFFLINE  # one success is not enough
    assert Outage.objects.get(device=dead).ended_at is None
    one_round(m)
    reload(dead)
    assert dead.health == Health.ONLINE and dead.lifecycle == Lifecycle.OPERATIONAL
    assert Outage.objects.get(device=dead).ended_at is not None
    ticket = MaintenanceTicket.objects.get(device=dead)
    assert ticket.status == MaintenanceTicket.Status.DETECTED and ticket.resolved_at is None  # noted, not resolved
    assert re.search(r"Volvió en línea a las \d\d:\d\d del \d\d/\d\d/\d{4}\.", ticket.notes), ticket.notes
    assert Alert.objects.filter(device=dead, event="online", sent_at__isnull=False).exists()
    assert StatusChange.objects.filter(device=dead, to_status=Lifecycle.OPERATIONAL, by__isnull=True).exists()


def test_hanging_camera_delays_nobody_beyond_the_timeout(network, cameras):
    cameras.set(network[0].code, "hang")
    m = monitor(probe_timeout=1.0)
    start = time.perf_counter()
    one_round(m)
    assert (
        time.perf_counter() - start < 1.0 + 2.5
    )  # slack for a loaded machine; without the timeout it would hang forever
    hung = reload(network[0])
    assert hung.consecutive_failures == 1 and hung.last_detail
    assert all(reload(d).health == Health.ONLINE for d in network[1:])


def test_in_the_running_loop_healthy_cameras_are_recorded_before_a_hanging_one_times_out(network, cameras):
    cameras.set(network[0].code, "hang")
    m = monitor(probe_timeout=5.0, claim_seconds=30)
    healthy = [d.pk for d in network[1:]]

    async def drive():
        stop = asyncio.Event()
        task = asyncio.create_task(m.run(stop, poll_s=0.1, flush_s=0.1))
        start = time.perf_counter()
        count = sync_to_async(lambda: Device.objects.filter(pk__in=healthy, health=Health.ONLINE).count())
        while await count() < len(healthy) and time.perf_counter() - start < 10:
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - start
        stop.set()
        await task
        return elapsed

    elapsed = async_to_sync(drive)()
    assert elapsed < 4.0  # before the hanging camera's 5 s timeout (slack for a loaded machine)
    assert reload(network[0]).consecutive_failures == 1  # recorded when stopping, after its timeout
    assert not Device.objects.exclude(claimed_by="").exists()  # claims given back on stop


def test_a_second_monitor_never_takes_claimed_devices(network):
    a, b = monitor(worker="a", batch_size=3), monitor(worker="b", batch_size=10)
    got_a = {c.pk for c in a.claim(3)}
    got_b = {c.pk for c in b.claim(10)}
    assert len(got_a) == 3 and len(got_b) == 2 and not got_a & got_b
    assert b.claim(10) == [] and a.claim(10) == []
    # compare-and-set: a device claimed between another monitor's read and its update is not taken twice
    Device.objects.filter(pk__in=got_a).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert {c.pk for c in b.claim(10)} == got_a  # a's claims expired (a crashed): b picks them up


def test_restart_continues_from_the_database(network, cameras):
    dead = network[2]
    one_round(monitor())
    cameras.set(dead.code, "close")
    one_round(monitor(worker="first", fail_after=3))
    one_round(monitor(worker="first", fail_after=3))
    # the process restarts: a new Monitor knows nothing but the database
    one_round(monitor(worker="second", fail_after=3))
    assert reload(dead).health == Health.OFFLINE
    assert Outage.objects.filter(device=dead).count() == 1


def test_retention_keeps_failures_and_one_success_per_period(network, cameras):
    m = monitor(success_every_s=900)
    for _ in range(3):
        one_round(m)
    d = network[3]
    assert ProbeResult.objects.filter(device=d, ok=True).values("at").distinct().count() == 1
    cameras.set(d.code, "close")
    for _ in range(2):
        one_round(m)
    assert ProbeResult.objects.filter(device=d, ok=False).values("at").distinct().count() == 2


def test_confirmation_probes_come_sooner(network, cameras):
    m = monitor(fail_after=3)
    one_round(m)
    d = network[4]
    cameras.set(d.code, "close")
    one_round(m)
    reload(d)
    assert (d.next_probe_at - d.last_probe_at).total_seconds() < d.probe_interval_s / 2


def test_devices_out_of_service_are_not_probed(network):
    Device.objects.filter(pk=network[0].pk).update(lifecycle=Lifecycle.MAINTENANCE)
    Device.objects.filter(pk=network[1].pk).update(lifecycle=Lifecycle.DECOMMISSIONED)
    assert one_round(monitor()).probed == 3
    assert reload(network[0]).last_probe_at is None


def test_command_once_and_heartbeat(network, settings):
    out = []

    class Sink:
        def write(self, s):
            out.append(s)

        def flush(self):
            pass

    call_command("monitor_cameras", "--once", "--timeout", "2", "--claim-seconds", "30", stdout=Sink())
    assert "5 probed" in "".join(out)
    beat = json.loads((settings.VAR_DIR / "monitor_heartbeat.json").read_text())
    assert beat["at"] and beat["interval_s"] == 60
    from centinela.cameras import selectors

    if hasattr(selectors, "heartbeat"):
        assert selectors.heartbeat()["ok"]


def test_declared_repaired_but_still_dark_goes_offline_again(network, cameras, users):
    from centinela.cameras.services import change_lifecycle

    m = monitor(fail_after=2)
    one_round(m)
    dead = network[0]
    cameras.set(dead.code, "close")
    one_round(m), one_round(m)
    assert reload(dead).lifecycle == Lifecycle.OFFLINE
    change_lifecycle(users["tecnico"], dead, Lifecycle.MAINTENANCE, "cambio de cable")
    change_lifecycle(users["tecnico"], dead, Lifecycle.OPERATIONAL, "reparada")
    one_round(m)
    assert reload(dead).lifecycle == Lifecycle.OPERATIONAL  # damped again after the person's change
    one_round(m)
    assert reload(dead).lifecycle == Lifecycle.OFFLINE
    assert Outage.objects.filter(device=dead, ended_at__isnull=True).count() == 1
    ticket = MaintenanceTicket.objects.get(device=dead)
    assert "Fuera de línea otra vez" in ticket.notes
