"""Availability from hand-built outages: clipping to the period, time before installation and while
decommissioned excluded, overlapping outages merged, open outages, sites and the network, mean time to repair."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone

from centinela.cameras import availability as av
from centinela.cameras.models import Device, Lifecycle, MaintenanceTicket, Outage, Site, StatusChange, System

DAY = 86400


def at(day, hour=0, minute=0):
    return timezone.make_aware(datetime(2020, 3, day, hour, minute), timezone.get_current_timezone())


@pytest.fixture
def net(db):
    site = Site.objects.create(name="Parque Pucará", lon=-79.2, lat=-4.0)
    other = Site.objects.create(name="Puerto Seco Comercial", lon=-79.21, lat=-4.01)
    s1 = System.objects.create(site=site, name="NVR Pucará")
    s2 = System.objects.create(site=other, name="NVR Puerto Seco")
    watched = at(1)  # the monitor has probed them since the 1st of March
    a = Device.objects.create(
        system=s1, code="PUC-1", name="A", lifecycle=Lifecycle.OPERATIONAL, monitored_since=watched
    )
    b = Device.objects.create(
        system=s1, code="PUC-2", name="B", lifecycle=Lifecycle.OPERATIONAL, monitored_since=watched
    )
    c = Device.objects.create(
        system=s2, code="PSC-1", name="C", lifecycle=Lifecycle.OPERATIONAL, monitored_since=watched
    )
    return a, b, c, site


NOW = at(31, 23)


def test_outage_clipped_to_the_day(net):
    a, *_ = net
    Outage.objects.create(device=a, started_at=at(9, 18), ended_at=at(10, 6))  # 6 h of it on the 10th
    r = av.device_availability(a, *av.day_bounds(date(2020, 3, 10)), now=NOW)
    assert r.observed_s == DAY and r.down_s == 6 * 3600 and r.outages == 1
    assert r.uptime_pct == pytest.approx(75.0)
    assert av.device_availability(a, *av.day_bounds(date(2020, 3, 11)), now=NOW).uptime_pct == 100.0


def test_time_before_the_monitor_first_probed_is_not_counted_as_up(net):
    a, *_ = net
    a.monitored_since = at(10, 12)
    a.save()
    assert av.device_availability(a, *av.day_bounds(date(2020, 3, 9)), now=NOW).uptime_pct is None
    assert av.device_availability(a, *av.day_bounds(date(2020, 3, 10)), now=NOW).observed_s == DAY / 2
    a.monitored_since = None
    a.save()
    assert av.device_availability(a, *av.month_bounds(2020, 3), now=NOW).observed_s == 0


def test_overlapping_outages_are_merged_and_open_outage_runs_until_now(net):
    a, *_ = net
    Outage.objects.create(device=a, started_at=at(5, 10), ended_at=at(5, 14))
    Outage.objects.create(device=a, started_at=at(5, 12), ended_at=at(5, 16))
    r = av.device_availability(a, *av.day_bounds(date(2020, 3, 5)), now=NOW)
    assert r.down_s == 6 * 3600 and r.outages == 2
    Outage.objects.create(device=a, started_at=at(20, 12))
    r = av.device_availability(a, *av.day_bounds(date(2020, 3, 20)), now=at(20, 18))
    assert r.observed_s == 18 * 3600 and r.down_s == 6 * 3600  # the future is not observed yet


def test_time_before_installation_and_while_decommissioned_is_excluded(net):
    a, b, *_ = net
    a.installed_on = date(2020, 3, 16)
    a.save()
    month = av.month_bounds(2020, 3)
    r = av.device_availability(a, *month, now=NOW + timedelta(days=1))
    assert r.observed_s == 16 * DAY  # 16th to 31st
    StatusChange.objects.create(
        device=b, at=at(11), from_status=Lifecycle.OPERATIONAL, to_status=Lifecycle.DECOMMISSIONED
    )
    Outage.objects.create(device=b, started_at=at(10, 12))  # never closed, but it stops counting when decommissioned
    r = av.device_availability(b, *month, now=NOW + timedelta(days=1))
    assert r.observed_s == 10 * DAY and r.down_s == 12 * 3600


def test_site_and_network_are_device_time_sums(net):
    a, b, c, site = net
    Outage.objects.create(device=a, started_at=at(3, 0), ended_at=at(3, 12))
    Outage.objects.create(device=c, started_at=at(3, 0), ended_at=at(4, 0))
    day = av.day_bounds(date(2020, 3, 3))
    s = av.site_availability(site, *day, now=NOW)
    assert s.devices == 2 and s.observed_s == 2 * DAY and s.uptime_pct == pytest.approx(75.0)
    n = av.network_availability(*day, now=NOW)
    assert n.devices == 3 and n.uptime_pct == pytest.approx(50.0) and n.outages == 2
    days = av.daily(date(2020, 3, 2), date(2020, 3, 4), now=NOW)
    assert [d.label for d in days] == ["2020-03-02", "2020-03-03", "2020-03-04"]
    assert [d.uptime_pct for d in days] == [100.0, pytest.approx(50.0), 100.0]
    months = av.monthly(2020, now=NOW + timedelta(days=1))
    assert len(months) == 12 and months[2].outages == 2 and months[1].outages == 0


def test_mean_time_to_repair_from_resolved_tickets_else_outages(net):
    a, b, *_ = net
    o1 = Outage.objects.create(device=a, started_at=at(6, 8), ended_at=at(6, 10))
    Outage.objects.create(device=b, started_at=at(7, 8), ended_at=at(7, 12))
    month = av.month_bounds(2020, 3)
    r = av.network_availability(*month, now=NOW)
    assert r.mttr_source == "outages" and r.mttr_hours == 3.0 and r.repairs == 2
    MaintenanceTicket.objects.create(device=a, status="resolved", opened_at=at(6, 9), outage=o1, resolved_at=at(7, 8))
    r = av.network_availability(*month, now=NOW)
    assert r.mttr_source == "tickets" and r.mttr_hours == 24.0 and r.repairs == 1


def test_no_devices_means_no_uptime_figure(db):
    r = av.network_availability(*av.day_bounds(date(2020, 3, 1)), devices=Device.objects.none())
    assert r.uptime_pct is None and r.mttr_s is None
    assert len(av.network_daily(days=3)) == 3


def test_one_read_for_many_periods_gives_what_each_period_alone_gives(net):
    a, b, c, site = net
    Outage.objects.create(device=a, started_at=at(4, 22), ended_at=at(6, 3))  # spans three days
    Outage.objects.create(device=b, started_at=at(5, 10))  # still open
    o = Outage.objects.create(device=c, started_at=at(5, 1), ended_at=at(5, 2))
    MaintenanceTicket.objects.create(device=c, status="resolved", opened_at=at(5, 1), outage=o, resolved_at=at(5, 5))
    batched = av.daily(date(2020, 3, 3), date(2020, 3, 8), now=NOW)
    alone = [av.network_availability(*av.day_bounds(date(2020, 3, d)), now=NOW) for d in range(3, 9)]
    for x, y in zip(batched, alone):
        assert (x.observed_s, x.down_s, x.outages, x.repairs, x.mttr_s, x.mttr_source) == (
            y.observed_s,
            y.down_s,
            y.outages,
            y.repairs,
            y.mttr_s,
            y.mttr_source,
        )
    assert [x.outages for x in batched] == [0, 1, 3, 2, 1, 1]
    site_days = av.series(
        av._devices(Device.objects.filter(system__site=site)),
        [(*av.day_bounds(date(2020, 3, d)), "") for d in (5, 6)],
        now=NOW,
    )
    assert [round(r.down_s / 3600, 2) for r in site_days] == [38.0, 27.0]  # a: 24 then 3 h; b: 14 then 24 h


def _in_service_reference(device, changes, start, end):
    """The day-by-day walk in_service did before it was made from one timeline per device (web load, issue 10)."""
    installed = device.installed_on or device.system.installed_on
    if installed:
        start = max(start, av.day_bounds(installed)[0].timestamp())
    if device.monitored_since is None:
        return []
    start = max(start, device.monitored_since.timestamp())
    if end <= start:
        return []
    changes = sorted(changes, key=lambda c: c.at)
    status = changes[0].from_status if changes else device.lifecycle
    t, out = start, []
    for c in changes:
        at = c.at.timestamp()
        if at > t:
            if status not in av.NOT_IN_SERVICE:
                out.append((t, min(at, end)))
            t = at
        status = c.to_status
        if t >= end:
            break
    if t < end and status not in av.NOT_IN_SERVICE:
        out.append((t, end))
    return av._merge(out)


def test_in_service_from_one_timeline_is_the_day_by_day_walk():
    import random
    from types import SimpleNamespace

    statuses = ["planned", "installed", "operational", "offline", "maintenance", "decommissioned", "abandoned"]
    rng = random.Random(7)
    base = datetime(2020, 3, 1, tzinfo=UTC)
    for _ in range(400):
        changes = [
            SimpleNamespace(
                at=base + timedelta(hours=rng.randrange(0, 24 * 20)),
                from_status=rng.choice(statuses),
                to_status=rng.choice(statuses),
            )
            for _ in range(rng.randrange(0, 6))
        ]
        device = SimpleNamespace(
            installed_on=rng.choice([None, date(2020, 3, rng.randrange(1, 20))]),
            lifecycle=rng.choice(statuses),
            system=SimpleNamespace(installed_on=rng.choice([None, date(2020, 3, 2)])),
            monitored_since=rng.choice([None, base + timedelta(hours=rng.randrange(0, 24 * 10))]),
        )
        timeline = av.service_timeline(device, changes)
        for day in range(1, 22):
            start, end = (b.timestamp() for b in av.day_bounds(date(2020, 3, day)))
            assert av._clip(timeline, start, end) == _in_service_reference(device, changes, start, end)
