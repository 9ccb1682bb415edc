"""Indicator metrics: how each indicator's actual value is computed from the records, never typed by hand.

A metric takes the indicator's programme, a period and optionally a parish, and returns a number. Targets live in
IndicatorTarget; progress is actual / target.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centinela.activities.models.plans import KNOWN_METRICS


@dataclass(frozen=True)
class Metric:
    label: str
    compute: Callable  # (programme, starts_on, ends_on, parish) -> Decimal


def local_day_bounds(starts_on: date, ends_on: date):
    """The aware datetimes from the start of `starts_on` to the end of `ends_on`, in the current time zone."""
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime.combine(starts_on, time.min), tz),
        timezone.make_aware(datetime.combine(ends_on, time.max), tz),
    )


def _activities(programme, starts_on, ends_on, parish, **filters):
    from centinela.activities.models import Activity

    lo, hi = local_day_bounds(starts_on, ends_on)
    qs = Activity.objects.filter(programme=programme, starts_at__range=(lo, hi), **filters)
    if parish is not None:
        qs = qs.filter(parish=parish)
    return qs


def _done(programme, starts_on, ends_on, parish, **filters):
    return _activities(programme, starts_on, ends_on, parish, status="done", **filters)


def _attendance(programme, starts_on, ends_on, parish, **filters):
    """The trainees of the done trainings: those who came with the speakers to inform are not people trained."""
    from centinela.activities.models import Attendance

    done = _done(programme, starts_on, ends_on, parish, kind="training")
    return Attendance.objects.trained().filter(training__activity__in=done, **filters)


def _count(qs) -> Decimal:
    return Decimal(qs.count())


def _sum(qs, field) -> Decimal:
    # SQLite returns sums of decimals as floats; round to cents so figures match what was recorded
    return Decimal(str(qs.aggregate(v=Sum(field))["v"] or 0)).quantize(Decimal("0.01"))


METRICS: dict[str, Metric] = {
    "activities_done": Metric(_("Activities done"), lambda p, a, b, q: _count(_done(p, a, b, q))),
    "trainings_held": Metric(_("Trainings held"), lambda p, a, b, q: _count(_done(p, a, b, q, kind="training"))),
    "people_trained": Metric(
        _("People trained (distinct)"),
        lambda p, a, b, q: Decimal(_attendance(p, a, b, q).values("person").distinct().count()),
    ),
    "women_trained": Metric(
        _("Women trained (distinct)"),
        lambda p, a, b, q: Decimal(_attendance(p, a, b, q, person__sex="F").values("person").distinct().count()),
    ),
    "presidents_trained": Metric(
        _("Parish presidents trained"),
        lambda p, a, b, q: Decimal(
            _attendance(p, a, b, q, role="parish_president").values("person").distinct().count()
        ),
    ),
    "operations_done": Metric(_("Operations done"), lambda p, a, b, q: _count(_done(p, a, b, q, kind="operation"))),
    "area_treated_m2": Metric(
        _("Area treated (m²)"), lambda p, a, b, q: _sum(_done(p, a, b, q, kind="operation"), "operation__area_m2")
    ),
    "placements_installed": Metric(
        _("Materials placed"),
        lambda p, a, b, q: _sum(
            _activities(p, a, b, q, kind="campaign").exclude(status="cancelled"), "campaign__placements__quantity"
        ),
    ),
    "meetings_held": Metric(_("Meetings held"), lambda p, a, b, q: _count(_done(p, a, b, q, kind="meeting"))),
    "in_kind_value": Metric(
        _("In-kind contributions (USD)"), lambda p, a, b, q: _sum(_done(p, a, b, q), "partner_roles__in_kind_value")
    ),
    "budget_executed": Metric(
        _("Budget executed (USD)"), lambda p, a, b, q: _sum(_activities(p, a, b, q), "budget_executed")
    ),
}
KNOWN_METRICS.update(METRICS)


def metric_choices():
    return [(key, metric.label) for key, metric in METRICS.items()]


@dataclass
class Progress:
    indicator: object
    target: object  # IndicatorTarget
    actual: Decimal

    @property
    def ratio(self) -> float | None:
        return float(self.actual / self.target.target) if self.target.target else None

    @property
    def percent(self) -> int | None:
        return None if self.ratio is None else round(self.ratio * 100)


def actual(indicator, starts_on: date, ends_on: date, parish=None) -> Decimal:
    return METRICS[indicator.metric].compute(indicator.programme, starts_on, ends_on, parish)


def progress(indicator) -> list[Progress]:
    return [
        Progress(indicator, t, actual(indicator, t.starts_on, t.ends_on, t.parish)) for t in indicator.targets.all()
    ]
