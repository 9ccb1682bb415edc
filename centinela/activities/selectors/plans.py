"""Reading activities, plans and indicators, always through the one permission scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from centinela.accounts.permissions import scope
from centinela.activities import indicators
from centinela.activities.models import Activity, Plan, Programme

CENT = Decimal("0.01")


def activities_for(user):
    # an activity shows its parish's name (and centre on the map), never its boundary: not parsed for every row
    return scope(
        user,
        Activity.objects.select_related("programme", "programme__plan", "parish", "place", "responsible").defer(
            "parish__geometry"
        ),
    )


def activity_rows_for(user):
    """The activity list's rows (page and export): the codes and names of an activity's programme, parish and place
    as columns of its own row, not as five model instances more per row (columns.ACTIVITY reads them)."""
    return activity_rows(listed_activities(user))


def listed_activities(user):
    """The activities the list counts and filters (its rows add activity_rows)."""
    return scope(user, Activity.objects.all())


def activity_rows(queryset):
    """What the list's rows read beyond an activity's own columns (lib.views.list_view applies it to the page and
    exports only: the count of records joins nothing)."""
    return queryset.annotate(
        programme_code=F("programme__code"),
        parish_code=F("parish__code"),
        parish_name=F("parish__name"),
        place_name=F("place__name"),
    )


def upcoming_activities(user, days: int = 14, limit: int = 8):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    return (  # the home page shows a title, a start and a link: only those are read (no related records)
        activities_for(user)
        .select_related(None)
        .only("id", "title", "starts_at")
        .filter(starts_at__gte=now, starts_at__lte=now + timedelta(days=days))
        .exclude(status=Activity.Status.CANCELLED)
        .order_by("starts_at")[:limit]
    )


def plans_for(user):
    return scope(user, Plan.objects.select_related("parish", "parent"))


def programmes_for(user):
    return scope(user, Programme.objects.select_related("plan", "responsible"))


def programme_choices(user):
    """Programmes an activity of this user may belong to: what the user may see, plus, for a parish president, the
    cantonal programmes (a plan without a parish), since the work in their parish runs under them."""
    from centinela.accounts.permissions import can_record_in_cantonal_programmes

    qs = Programme.objects.select_related("plan")
    if can_record_in_cantonal_programmes(user):
        return qs.filter(Q(plan__parish=user.parish_id) | Q(plan__parish=None)).order_by("-plan__starts_on", "code")
    return scope(user, qs).order_by("-plan__starts_on", "code")


def current_plan(user, today: date | None = None) -> Plan | None:
    today = today or timezone.localdate()
    plans = plans_for(user).filter(level=Plan.Level.CANTONAL)
    return plans.filter(starts_on__lte=today, ends_on__gte=today).first() or plans.first()


def programme_summary(programme: Programme) -> dict:
    qs = programme.activities.all()
    totals = qs.aggregate(
        planned=Sum("budget_planned"),
        executed=Sum("budget_executed"),
        done=Count("id", filter=Q(status=Activity.Status.DONE)),
        total=Count("id"),
        cancelled=Count("id", filter=Q(status=Activity.Status.CANCELLED)),
    )
    active = totals["total"] - totals["cancelled"]
    return {
        "programme": programme,
        "activities": totals["total"],
        "done": totals["done"],
        "percent_done": round(100 * totals["done"] / active) if active else None,
        # SQLite sums decimals as floats: bring them back to cents
        "budget_planned": Decimal(totals["planned"] or 0).quantize(CENT),
        "budget_executed": Decimal(totals["executed"] or 0).quantize(CENT),
        "indicators": [p for ind in programme.indicators.all() for p in indicators.progress(ind)],
    }


def plan_dashboard(plan: Plan) -> list[dict]:
    return [
        programme_summary(p)
        for p in plan.programmes.prefetch_related(
            "indicators__targets__parish", "indicators__programme"
        ).select_related("responsible")
    ]


def answered_reports(user, activity):
    """The citizen reports this activity answered (participation's Report.answered_by), those the user may read:
    through the reverse relation Activity.answered_reports, so this app does not import the one above it."""
    return (
        scope(user, activity.answered_reports.all())
        .select_related("category")
        .only("pk", "code", "status", "created_at", "parish_id", "category__name")
        .order_by("created_at", "pk")
    )
