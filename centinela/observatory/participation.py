"""Citizen participation in figures (issue 12): the reports received in a period, per barrio, category and month,
how soon the council first answered them, how long they took to be resolved, and the share resolved within their
category's time limit. Read through the one permission scope (the inbox's), for the observatory's page
(`/observatorio/participacion/`), its downloads and the yearly report alike.

Definitions, the same everywhere:
- counted: the reports received in the period (local days), except those merged into another (duplicates: the
  kept report counts for them);
- first response: the first update written by a person of the council that the reporter reads (a public update)
  or that changed the status; routing and automatic notes do not count. Its time runs from the moment received;
- resolution: the last time a report went to "resolved", for the reports that are resolved now;
- within the time limit: resolved on or before the local day received plus the category's days to resolve (the
  rule of `Report.due_on`); the share is over the reports counted that the council did not close as not
  applicable.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.participation.models import Report
from centinela.participation.selectors import reports_for


@dataclass(frozen=True)
class Times:
    """One report, as the figures read it."""

    received: datetime
    category: str
    category_order: int
    days_to_resolve: int
    parish: str
    barrio: str
    status: str
    first_response: datetime | None
    resolved_at: datetime | None

    @property
    def response_hours(self) -> float | None:
        if self.first_response is None:
            return None
        return max(0.0, (self.first_response - self.received).total_seconds() / 3600)

    @property
    def resolution_days(self) -> float | None:
        if self.resolved_at is None:
            return None
        return max(0.0, (self.resolved_at - self.received).total_seconds() / 86400)

    @property
    def due_on(self) -> date:
        return timezone.localtime(self.received).date() + timedelta(days=self.days_to_resolve)

    @property
    def resolved_in_time(self) -> bool:
        return self.resolved_at is not None and timezone.localtime(self.resolved_at).date() <= self.due_on

    @property
    def month(self) -> str:
        return timezone.localtime(self.received).strftime("%Y-%m")


def _median(values):
    return statistics.median(values) if values else None


def _mean(values):
    return statistics.fmean(values) if values else None


@dataclass
class Row:
    """The figures of a group of reports (a category, a barrio, a month, or all of them)."""

    label: str
    parish: str = ""
    reports: int = 0
    answered: int = 0
    unanswered: int = 0
    resolved: int = 0
    resolved_in_time: int = 0
    not_applicable: int = 0
    share_in_time: float | None = None  # percent
    median_response_hours: float | None = None
    mean_response_hours: float | None = None
    median_resolution_days: float | None = None
    mean_resolution_days: float | None = None

    @classmethod
    def of(cls, label: str, items: list[Times], parish: str = "") -> Row:
        responses = [t.response_hours for t in items if t.response_hours is not None]
        resolutions = [t.resolution_days for t in items if t.resolution_days is not None]
        not_applicable = sum(1 for t in items if t.status == Report.Status.NOT_APPLICABLE)
        in_time = sum(1 for t in items if t.resolved_in_time)
        base = len(items) - not_applicable
        return cls(
            label=label,
            parish=parish,
            reports=len(items),
            answered=len(responses),
            unanswered=len(items) - len(responses),
            resolved=len(resolutions),
            resolved_in_time=in_time,
            not_applicable=not_applicable,
            share_in_time=100 * in_time / base if base else None,
            median_response_hours=_median(responses),
            mean_response_hours=_mean(responses),
            median_resolution_days=_median(resolutions),
            mean_resolution_days=_mean(resolutions),
        )


@dataclass
class Figures:
    start: date
    end: date
    total: Row
    by_category: list[Row] = field(default_factory=list)
    by_barrio: list[Row] = field(default_factory=list)
    by_month: list[Row] = field(default_factory=list)
    by_status: list[tuple[str, int]] = field(default_factory=list)  # (status label, reports)
    duplicates: int = 0  # merged into another report in the period: not counted above


def scoped(user):
    """The reports a user reads (the inbox's scope); `user` None reads them all (the yearly report's command)."""
    return Report.objects.all() if user is None else reports_for(user)


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end] local days as [from, to) aware datetimes."""
    tz = timezone.get_current_timezone()
    return datetime.combine(start, time(), tz), datetime.combine(end + timedelta(days=1), time(), tz)


FIRST_RESPONSE = Q(updates__author__isnull=False) & (Q(updates__public=True) | ~Q(updates__status_to=""))


def report_times(user, start: date, end: date, parish=None) -> tuple[list[Times], int]:
    """The counted reports received from `start` to `end` (local days, both included), in `parish` when given, and
    the number of duplicates left out."""
    lo, hi = bounds(start, end)
    qs = scoped(user).filter(created_at__gte=lo, created_at__lt=hi)
    if parish is not None:
        qs = qs.filter(parish=parish)
    duplicates = qs.filter(status=Report.Status.DUPLICATE).count()
    rows = (
        qs.exclude(status=Report.Status.DUPLICATE)
        .order_by()
        .values(
            "pk",
            "created_at",
            "status",
            "category__name",
            "category__order",
            "category__days_to_resolve",
            "parish__name",
            "barrio__name",
        )
        .annotate(
            first_response=Min("updates__created_at", filter=FIRST_RESPONSE),
            last_resolved=Max("updates__created_at", filter=Q(updates__status_to=Report.Status.RESOLVED)),
        )
    )
    times = [
        Times(
            received=r["created_at"],
            category=r["category__name"],
            category_order=r["category__order"],
            days_to_resolve=r["category__days_to_resolve"],
            parish=r["parish__name"] or "",
            barrio=r["barrio__name"] or "",
            status=r["status"],
            first_response=r["first_response"],
            resolved_at=r["last_resolved"] if r["status"] == Report.Status.RESOLVED else None,
        )
        for r in rows
    ]
    return times, duplicates


def figures(user, start: date, end: date, parish=None) -> Figures:
    times, duplicates = report_times(user, start, end, parish)
    by_category, by_barrio, by_month = defaultdict(list), defaultdict(list), defaultdict(list)
    order = {}
    for t in times:
        by_category[t.category].append(t)
        order[t.category] = t.category_order
        by_barrio[(t.parish, t.barrio)].append(t)
        by_month[t.month].append(t)
    statuses = dict(Report.Status.choices)
    counts = defaultdict(int)
    for t in times:
        counts[t.status] += 1
    no_barrio = _("(no barrio)")
    return Figures(
        start=start,
        end=end,
        total=Row.of(_("All reports"), times),
        by_category=[Row.of(c, by_category[c]) for c in sorted(by_category, key=lambda c: (order[c], c))],
        by_barrio=sorted(
            (Row.of(b or no_barrio, items, parish=p) for (p, b), items in by_barrio.items()),
            key=lambda r: (-r.reports, r.parish, r.label),
        ),
        by_month=[Row.of(m, by_month[m]) for m in sorted(by_month)],
        by_status=[(str(statuses[s]), counts[s]) for s in statuses if counts.get(s)],
        duplicates=duplicates,
    )


def year_figures(user, year: int, parish=None) -> Figures:
    return figures(user, date(year, 1, 1), date(year, 12, 31), parish)
