"""Availability of cameras per device, site and network, per day and month: uptime %, outages and mean time to
repair, computed from the records (Outage intervals, StatusChange history, resolved tickets), never stored.

- Observed time: the period, minus the time before the device was installed (Device.installed_on, else its
  system's) and the time it was planned or decommissioned (from its StatusChange history). Abandoned and
  under-maintenance time is observed: a camera nobody repairs is exactly what the council must see.
- Down time: Outage intervals (an open outage runs until now), merged, clipped to the observed time.
- Outages: outages overlapping the period. Mean time to repair: over tickets resolved in the period, from the
  start of their outage (else their opening) to their resolution; without any, over outages that ended in it.
The network and a site are device-time sums: 10 cameras over a day are 10 camera-days observed.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from centinela.cameras.models import Device, Lifecycle, MaintenanceTicket, Outage, StatusChange

NOT_IN_SERVICE = {Lifecycle.PLANNED, Lifecycle.DECOMMISSIONED}


@dataclass
class Availability:
    start: datetime
    end: datetime
    devices: int
    observed_s: float
    down_s: float
    outages: int
    repairs: int
    mttr_s: float | None
    mttr_source: str = ""  # "tickets" | "outages" | ""
    label: str = ""  # the day or month, for tables and charts

    @property
    def uptime_pct(self) -> float | None:
        if self.observed_s <= 0:
            return None
        return round(100.0 * (1 - self.down_s / self.observed_s), 3)

    @property
    def mttr_hours(self) -> float | None:
        return None if self.mttr_s is None else round(self.mttr_s / 3600, 2)

    @property
    def day(self) -> str:  # for the dashboard's trend
        return self.label


# --- periods in the site's time zone ------------------------------------------------------------------------------


def day_bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time.min), tz)
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min), tz)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    start, _e = day_bounds(date(year, month, 1))
    _s, end = day_bounds(date(year, month, calendar.monthrange(year, month)[1]))
    return start, end


# --- interval arithmetic on (start, end) pairs of POSIX seconds ---------------------------------------------------


def _merge(intervals):
    out = []
    for s, e in sorted(i for i in intervals if i[1] > i[0]):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def _intersect(a, b):
    out, i, j = [], 0, 0
    while i < len(a) and j < len(b):
        s, e = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if e > s:
            out.append((s, e))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _total(intervals) -> float:
    return sum(e - s for s, e in intervals)


def in_service(device: Device, changes: list[StatusChange], start: float, end: float):
    """The parts of [start, end) when the device was installed, watched by the monitor (time before its first probe
    is not known, so it is not counted as up), and not planned or decommissioned."""
    installed = device.installed_on or device.system.installed_on
    if installed:
        start = max(start, day_bounds(installed)[0].timestamp())
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
            if status not in NOT_IN_SERVICE:
                out.append((t, min(at, end)))
            t = at
        status = c.to_status
        if t >= end:
            break
    if t < end and status not in NOT_IN_SERVICE:
        out.append((t, end))
    return _merge(out)


# --- the computation ------------------------------------------------------------------------------------------------


def _compute(devices, start: datetime, end: datetime, *, now=None, label: str = "") -> Availability:
    now = now or timezone.now()
    devices = list(devices)
    ids = [d.pk for d in devices]
    s, e = start.timestamp(), min(end, max(start, now)).timestamp()
    changes: dict[int, list] = {pk: [] for pk in ids}
    for c in StatusChange.objects.filter(device_id__in=ids).only("device_id", "at", "from_status", "to_status"):
        changes[c.device_id].append(c)
    outages: dict[int, list] = {pk: [] for pk in ids}
    overlapping = 0
    ended_durations = []
    for o in Outage.objects.filter(device_id__in=ids, started_at__lt=end).only("device_id", "started_at", "ended_at"):
        if o.ended_at is not None and o.ended_at <= start:
            continue
        overlapping += 1
        finish = (o.ended_at or now).timestamp()
        outages[o.device_id].append((o.started_at.timestamp(), finish))
        if o.ended_at is not None and start <= o.ended_at < end:
            ended_durations.append((o.ended_at - o.started_at).total_seconds())
    observed = down = 0.0
    for d in devices:
        service = in_service(d, changes[d.pk], s, e)
        observed += _total(service)
        down += _total(_intersect(_merge(outages[d.pk]), service))
    repairs = []
    for t in (MaintenanceTicket.objects.filter(device_id__in=ids, resolved_at__gte=start, resolved_at__lt=end)
              .select_related("outage").only("opened_at", "resolved_at", "outage__started_at")):
        began = t.outage.started_at if t.outage_id else t.opened_at
        repairs.append(max(0.0, (t.resolved_at - began).total_seconds()))
    if repairs:
        mttr, source, count = sum(repairs) / len(repairs), "tickets", len(repairs)
    elif ended_durations:
        mttr, source, count = sum(ended_durations) / len(ended_durations), "outages", len(ended_durations)
    else:
        mttr, source, count = None, "", 0
    return Availability(start, end, len(devices), observed, down, overlapping, count, mttr, source, label)


def _devices(devices) -> list[Device]:
    qs = devices if devices is not None else Device.objects.all()
    if isinstance(qs, QuerySet):
        qs = qs.select_related("system").only("pk", "lifecycle", "installed_on", "system__installed_on", "monitored_since")
    return list(qs)


def device_availability(device: Device, start: datetime, end: datetime, *, now=None) -> Availability:
    return _compute([device], start, end, now=now)


def site_availability(site, start: datetime, end: datetime, *, now=None) -> Availability:
    return _compute(_devices(Device.objects.filter(system__site=site)), start, end, now=now)


def network_availability(start: datetime, end: datetime, devices=None, *, now=None) -> Availability:
    """The whole network, or the devices given (a queryset already scoped to what a user may see)."""
    return _compute(_devices(devices), start, end, now=now)


def daily(first: date, last: date, devices=None, *, now=None) -> list[Availability]:
    rows = _devices(devices)
    out, day = [], first
    while day <= last:
        start, end = day_bounds(day)
        out.append(_compute(rows, start, end, now=now, label=day.isoformat()))
        day += timedelta(days=1)
    return out


def monthly(year: int, devices=None, *, now=None) -> list[Availability]:
    rows = _devices(devices)
    return [_compute(rows, *month_bounds(year, m), now=now, label=f"{year}-{m:02}") for m in range(1, 13)]


def network_daily(devices=None, *, days: int = 14, now=None) -> list[Availability]:
    """The last `days` days up to today, for the dashboard's uptime trend."""
    today = timezone.localdate(now or timezone.now())
    return daily(today - timedelta(days=days - 1), today, devices, now=now)
