"""Availability of cameras per device, site and network, per day and month: uptime %, outages and mean time to
repair, computed from the records (Outage intervals, StatusChange history, resolved tickets), never stored.

- Observed time: the period, minus the time before the device was installed (Device.installed_on, else its
  system's) and the time it was planned or decommissioned (from its StatusChange history). Abandoned and
  under-maintenance time is observed: a camera nobody repairs is exactly what the council must see.
- Down time: Outage intervals (an open outage runs until now), merged, clipped to the observed time.
- Outages: outages overlapping the period. Mean time to repair: over tickets resolved in the period, from the
  start of their outage (else their opening) to their resolution; without any, over outages that ended in it.
  Preventive-maintenance visits (tickets tagged PREVENTIVE_TAG) repair nothing and are left out.
The network and a site are device-time sums: 10 cameras over a day are 10 camera-days observed.
"""

from __future__ import annotations

import calendar
import functools
import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from centinela.cameras.models import Device, Lifecycle, MaintenanceTicket, Outage, StatusChange

NOT_IN_SERVICE = {Lifecycle.PLANNED, Lifecycle.DECOMMISSIONED}
# A preventive-maintenance visit is recorded as a resolved ticket whose description starts with this tag and the
# schedule's number (services.complete_schedule); it repairs nothing, so it stays out of the mean time to repair.
PREVENTIVE_TAG = "[preventivo #"


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
    return _day_bounds(day, timezone.get_current_timezone())


@functools.lru_cache(maxsize=8192)
def _day_bounds(day: date, tz) -> tuple[datetime, datetime]:
    # asked once per camera and day of every series (the dashboard's trend: hundreds per request), always the same
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


def service_timeline(device: Device, changes: list[StatusChange]):
    """When the device was in service, over all time: (its first watched second, the in-service intervals, merged),
    or None when the monitor never watched it. Installed (the time before its installation day does not count),
    watched by the monitor (time before its first probe is not known, so it is not counted as up), and not planned or
    decommissioned (its lifecycle history). Made once per device for a whole series of periods."""
    if device.monitored_since is None:
        return None
    first = device.monitored_since.timestamp()
    installed = device.installed_on or device.system.installed_on
    if installed:
        first = max(first, day_bounds(installed)[0].timestamp())
    changes = sorted(changes, key=lambda c: c.at)
    status = changes[0].from_status if changes else device.lifecycle
    t, out = -math.inf, []
    for c in changes:
        at = c.at.timestamp()
        if at > t:
            if status not in NOT_IN_SERVICE:
                out.append((t, at))
            t = at
        status = c.to_status
    if status not in NOT_IN_SERVICE:
        out.append((t, math.inf))
    return first, _merge(out)


def _clip(timeline, start: float, end: float):
    """The parts of [start, end) when the device was in service (a timeline from service_timeline)."""
    if timeline is None:
        return []
    first, spans = timeline
    start = max(start, first)
    if end <= start:
        return []
    return _intersect(spans, [(start, end)])


def in_service(device: Device, changes: list[StatusChange], start: float, end: float):
    """The parts of [start, end) when the device was in service (see service_timeline)."""
    return _clip(service_timeline(device, changes), start, end)


# --- the computation ------------------------------------------------------------------------------------------------


@dataclass
class _Records:
    """What the computation needs about some devices over a span, read in three queries whatever the number of
    periods: lifecycle history, outages overlapping the span, tickets resolved in it."""

    changes: dict
    outages: dict  # device id -> [(started_at, ended_at or None)]
    repairs: list  # [(resolved_at, seconds from the outage's start, else the opening, to the resolution)]


@dataclass(frozen=True, slots=True)
class _Change:
    """What the computation reads of a StatusChange."""

    at: datetime
    from_status: str
    to_status: str


def _load(ids: list[int], start: datetime, end: datetime, *, repairs: bool = True) -> _Records:
    # rows, not model instances: the dashboard's uptime trend reads these on every request (issue 10's web load)
    changes: dict[int, list] = {pk: [] for pk in ids}
    for device_id, at, from_status, to_status in (
        StatusChange.objects.filter(device_id__in=ids)
        .order_by()
        .values_list("device_id", "at", "from_status", "to_status")
    ):
        changes[device_id].append(_Change(at, from_status, to_status))
    outages: dict[int, list] = {pk: [] for pk in ids}
    for device_id, started_at, ended_at in (
        Outage.objects.filter(device_id__in=ids, started_at__lt=end)
        .filter(Q(ended_at__isnull=True) | Q(ended_at__gt=start))
        .values_list("device_id", "started_at", "ended_at")
    ):
        outages[device_id].append((started_at, ended_at))
    if not repairs:  # uptime alone (daily_uptime): the mean time to repair is not asked for
        return _Records(changes, outages, [])
    repairs = []
    for opened_at, resolved_at, outage_id, outage_started_at in (
        MaintenanceTicket.objects.filter(device_id__in=ids, resolved_at__gte=start, resolved_at__lt=end)
        .exclude(description__startswith=PREVENTIVE_TAG)
        .order_by()
        .values_list("opened_at", "resolved_at", "outage_id", "outage__started_at")
    ):
        began = outage_started_at if outage_id else opened_at
        repairs.append((resolved_at, max(0.0, (resolved_at - began).total_seconds())))
    return _Records(changes, outages, repairs)


def _prepare(outages: list, now: datetime) -> list:
    """A device's outages with what each period asks of them computed once: (started, ended or None, its span in
    POSIX seconds (an open one until now), its duration when it ended)."""
    return [
        (
            began,
            ended,
            (began.timestamp(), (ended or now).timestamp()),
            None if ended is None else (ended - began).total_seconds(),
        )
        for began, ended in outages
    ]


def _period(
    devices, records: _Records, timelines: dict, start: datetime, end: datetime, now: datetime, label: str = ""
) -> Availability:
    s, e = start.timestamp(), min(end, max(start, now)).timestamp()
    overlapping = 0
    ended_durations = []
    observed = down = 0.0
    for d in devices:
        pk = d.pk
        service = _clip(timelines[pk], s, e)
        if not service:  # not observed in the period: its outages still count, its time does not
            for began, ended, _span, duration in records.outages[pk]:
                if began >= end or (ended is not None and ended <= start):
                    continue
                overlapping += 1
                if ended is not None and start <= ended < end:
                    ended_durations.append(duration)
            continue
        spans = []
        for began, ended, span, duration in records.outages[pk]:
            if began >= end or (ended is not None and ended <= start):
                continue
            overlapping += 1
            spans.append(span)
            if ended is not None and start <= ended < end:
                ended_durations.append(duration)
        observed += _total(service)
        if spans:
            down += _total(_intersect(_merge(spans), service))
    repairs = [seconds for resolved, seconds in records.repairs if start <= resolved < end]
    if repairs:
        mttr, source, count = sum(repairs) / len(repairs), "tickets", len(repairs)
    elif ended_durations:
        mttr, source, count = sum(ended_durations) / len(ended_durations), "outages", len(ended_durations)
    else:
        mttr, source, count = None, "", 0
    return Availability(start, end, len(devices), observed, down, overlapping, count, mttr, source, label)


def series(devices, periods, *, now=None) -> list[Availability]:
    """Availability of the devices over each of `periods` ((start, end, label) triples), from one read of the
    records over their whole span: three queries for a year of days as for one day."""
    return _series(devices, periods, now=now)


def _series(devices, periods, *, now=None, repairs: bool = True) -> list[Availability]:
    now = now or timezone.now()
    devices = list(devices)
    periods = list(periods)
    if not periods:
        return []
    records = _load([d.pk for d in devices], min(p[0] for p in periods), max(p[1] for p in periods), repairs=repairs)
    records.outages = {pk: _prepare(outages, now) for pk, outages in records.outages.items()}
    timelines = {d.pk: service_timeline(d, records.changes[d.pk]) for d in devices}
    return [_period(devices, records, timelines, start, end, now, label) for start, end, label in periods]


def _compute(devices, start: datetime, end: datetime, *, now=None, label: str = "") -> Availability:
    return series(devices, [(start, end, label)], now=now)[0]


@dataclass(frozen=True, slots=True)
class _System:
    installed_on: date | None


@dataclass(frozen=True, slots=True)
class _Device:
    """What the computation reads of a Device (service_timeline): a row, not a model instance with its system."""

    pk: int
    lifecycle: str
    installed_on: date | None
    monitored_since: datetime | None
    system: _System


def service_row(pk: int, lifecycle: str, installed_on, monitored_since, system_installed_on) -> _Device:
    """A camera as the computation reads it, from columns a caller has read already."""
    return _Device(pk, lifecycle, installed_on, monitored_since, _System(system_installed_on))


def _devices(devices) -> list:
    qs = devices if devices is not None else Device.objects.all()
    if isinstance(qs, QuerySet):
        return [
            _Device(pk, lifecycle, installed_on, monitored_since, _System(system_installed_on))
            for pk, lifecycle, installed_on, monitored_since, system_installed_on in qs.values_list(
                "pk", "lifecycle", "installed_on", "monitored_since", "system__installed_on"
            )
        ]
    return list(qs)


def device_availability(device: Device, start: datetime, end: datetime, *, now=None) -> Availability:
    return _compute([device], start, end, now=now)


def site_availability(site, start: datetime, end: datetime, *, now=None) -> Availability:
    return _compute(_devices(Device.objects.filter(system__site=site)), start, end, now=now)


def network_availability(start: datetime, end: datetime, devices=None, *, now=None) -> Availability:
    """The whole network, or the devices given (a queryset already scoped to what a user may see)."""
    return _compute(_devices(devices), start, end, now=now)


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield (*day_bounds(day), day.isoformat())
        day += timedelta(days=1)


def daily(first: date, last: date, devices=None, *, now=None) -> list[Availability]:
    return series(_devices(devices), _days(first, last), now=now)


def monthly(year: int, devices=None, *, now=None) -> list[Availability]:
    return series(_devices(devices), [(*month_bounds(year, m), f"{year}-{m:02}") for m in range(1, 13)], now=now)


def network_daily(devices=None, *, days: int = 14, now=None) -> list[Availability]:
    """The last `days` days up to today, for the dashboard's uptime trend."""
    today = timezone.localdate(now or timezone.now())
    return daily(today - timedelta(days=days - 1), today, devices, now=now)


@dataclass(frozen=True, slots=True)
class Uptime:
    label: str  # the day
    uptime_pct: float | None


def daily_uptime(devices=None, *, days: int = 14, now=None) -> list[Uptime]:
    """network_daily's uptime alone, for the dashboard's trend (it shows nothing else, on every request): the
    tickets resolved, which only the mean time to repair reads, are not read (two queries, not three)."""
    today = timezone.localdate(now or timezone.now())
    rows = _series(_devices(devices), _days(today - timedelta(days=days - 1), today), now=now, repairs=False)
    return [Uptime(row.label, row.uptime_pct) for row in rows]


@dataclass
class Overview:
    """What a camera's or a site's page shows: the last `days` days together, day by day, and the last months."""

    recent: Availability
    days: list[Availability]
    months: list[Availability]


def overview(devices, *, days: int = 30, months: int = 12, now=None) -> Overview:
    """The last `days` days (today included) as one figure and day by day, and the last `months` calendar months
    (this one included, newest first), from one read of the records (three queries)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    first = today - timedelta(days=days - 1)
    y, m = today.year, today.month
    month_periods = []
    for _i in range(months):
        month_periods.append((*month_bounds(y, m), f"{y}-{m:02}"))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    recent = (day_bounds(first)[0], day_bounds(today)[1], "")
    rows = series(_devices(devices), [recent, *_days(first, today), *month_periods], now=now)
    return Overview(rows[0], rows[1 : days + 1], rows[days + 1 :])


def device_overview(device: Device, **kwargs) -> Overview:
    return overview(Device.objects.filter(pk=device.pk), **kwargs)


def site_overview(site, devices=None, **kwargs) -> Overview:
    """`devices`: the site's cameras a user may see (a queryset), else all of them."""
    return overview(devices if devices is not None else Device.objects.filter(system__site=site), **kwargs)
