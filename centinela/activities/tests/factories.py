"""Small builders for activity tests: a plan for the current year with a programme of each kind."""

from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone

from centinela.activities.models import Activity, Indicator, IndicatorTarget, Plan, Programme
from centinela.territory.models import Parish, Place


def plan(year=None):
    year = year or timezone.localdate().year
    p, _ = Plan.objects.get_or_create(
        name=f"Plan cantonal de seguridad ciudadana {year}",
        defaults={"starts_on": date(year, 1, 1), "ends_on": date(year, 12, 31), "objectives": "Reducir la violencia"},
    )
    return p


def programme(kind="operations", code=None, the_plan=None):
    the_plan = the_plan or plan()
    prog, _ = Programme.objects.get_or_create(
        plan=the_plan, code=code or kind.upper()[:6], defaults={"name": f"Programa {kind}", "kind": kind}
    )
    return prog


def at(month, day, hour=10, year=None):
    year = year or timezone.localdate().year
    return timezone.make_aware(datetime(year, month, day, hour, 0))


def activity(
    title="Fumigación",
    kind="operation",
    parish_code="110101",
    place=None,
    status="planned",
    month=3,
    day=10,
    prog=None,
    **extra,
):
    return Activity.objects.create(
        programme=prog or programme(),
        kind=kind,
        title=title,
        starts_at=at(month, day),
        status=status,
        parish=Parish.objects.get(code=parish_code),
        place=Place.objects.filter(name=place).first() if place else None,
        budget_planned=Decimal("100"),
        **extra,
    )


def indicator(prog, metric, target, parish=None, code=None):
    ind = Indicator.objects.create(programme=prog, code=code or metric[:10], name=metric, metric=metric)
    IndicatorTarget.objects.create(
        indicator=ind,
        starts_on=prog.plan.starts_on,
        ends_on=prog.plan.ends_on,
        target=Decimal(target),
        parish=Parish.objects.get(code=parish) if parish else None,
    )
    return ind
