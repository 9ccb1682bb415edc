"""Reading partners: institutions and their contacts, agreements with their status and obligations, the activities
partners took part in and their in-kind contributions. Always through the one permission scope.

Contacts, agreements and obligations belong to no parish (their models have no `parish_path`): they are the
council's own business, so the one check shows them to staff and liaisons and not to parish presidents. The
directory of institutions is readable by every role (accounts.permissions.SHARED_DIRECTORY), since activities in
a president's parish name them.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Count, DecimalField, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from centinela.accounts.permissions import scope
from centinela.partners.models import (
    Agreement,
    ContactPerson,
    Institution,
    Obligation,
    activity_model,
    contribution_model,
)

STATUSES = ("pending", "in_force", "expiring", "expired")  # the values of Agreement.status()


def institutions_for(user):
    return (
        scope(user, Institution.objects.select_related("place"))
        .annotate(agreement_count=Count("agreements", distinct=True))
        .order_by("name")
    )  # Meta.ordering is not applied to aggregated queries


def contacts_for(user, institution: Institution):
    return scope(user, ContactPerson.objects.filter(institution=institution))


def agreements_for(user):
    return scope(user, Agreement.objects.select_related("counterpart"))


def obligations_for(user):
    return scope(user, Obligation.objects.select_related("agreement", "agreement__counterpart"))


def with_status(agreements, status: str, today: date | None = None):
    """The agreements whose `Agreement.status` is `status`. The status depends on each agreement's own warning
    period, so it is computed in Python: a council has tens of agreements, not thousands."""
    today = today or timezone.localdate()
    rows = agreements.select_related(None).only("pk", "signed_on", "valid_until", "warn_days")
    return agreements.filter(pk__in=[a.pk for a in rows if a.status(today) == status])


def expiring_agreements(today: date | None = None, user=None) -> list[Agreement]:
    """Agreements in their warning period (valid_until within warn_days of today, not yet expired), soonest
    first, each with `days_left`. Without a user (the warning command) every agreement counts; with one, only
    those the user may see, so the banner tells a parish president nothing."""
    today = today or timezone.localdate()
    qs = Agreement.objects.select_related("counterpart").filter(valid_until__gte=today, signed_on__lte=today)
    if user is not None:
        qs = scope(user, qs)
    found = [a for a in qs if a.status(today) == "expiring"]
    for agreement in found:
        agreement.days_left = (agreement.valid_until - today).days
    return sorted(found, key=lambda a: (a.valid_until, a.code))


def obligations_of(user, agreement: Agreement) -> list[dict]:
    """Each obligation with the activities that fulfil it (those the user may see) and whether it is fulfilled:
    at least one of its activities is done."""
    visible = set(
        scope(user, activity_model().objects.filter(obligations__agreement=agreement)).values_list("pk", flat=True)
    )
    rows = []
    for obligation in agreement.obligations.prefetch_related("activities"):
        linked = list(obligation.activities.all())
        rows.append(
            {
                "obligation": obligation,
                "activities": [a for a in linked if a.pk in visible],
                "fulfilled": any(a.status == activity_model().Status.DONE for a in linked),
            }
        )
    return rows


def obligations_by_party(user, agreement: Agreement) -> list[tuple[str, list[dict]]]:
    rows = obligations_of(user, agreement)
    return [(label, [r for r in rows if r["obligation"].party == party]) for party, label in Obligation.Party.choices]


def participation(user, institution: Institution):
    """The activities an institution took part in, with its role and contribution, newest first."""
    return (
        scope(user, contribution_model().objects.filter(institution=institution))
        .select_related("activity", "activity__programme")
        .order_by("-activity__starts_at", "role")
    )


def _contributions(user, year: int | None = None):
    """In-kind contributions that count: a value above zero, to an activity not cancelled, visible to the user."""
    qs = scope(user, contribution_model().objects.filter(in_kind_value__gt=0)).exclude(
        activity__status=activity_model().Status.CANCELLED
    )
    if year:
        qs = qs.filter(activity__starts_at__year=year)
    return qs


def in_kind_total(user, institution: Institution, year: int | None = None) -> dict:
    totals = (
        _contributions(user, year)
        .filter(institution=institution)
        .aggregate(total=Sum("in_kind_value"), count=Count("id"))
    )
    return {"total": totals["total"] or 0, "count": totals["count"]}


def with_in_kind(institutions, user, year: int | None = None):
    """Institutions annotated with `in_kind_total` (USD) and `in_kind_count`, keeping those that contributed,
    biggest first. Sums come from a subquery so the rows stay one per institution."""
    per_partner = _contributions(user, year).filter(institution=OuterRef("pk")).order_by().values("institution")
    total = per_partner.annotate(s=Sum("in_kind_value")).values("s")
    count = per_partner.annotate(n=Count("id")).values("n")
    return (
        institutions.annotate(
            in_kind_total=Coalesce(
                Subquery(total), Value(0), output_field=DecimalField(max_digits=14, decimal_places=2)
            ),
            in_kind_count=Coalesce(Subquery(count), Value(0), output_field=IntegerField()),
        )
        .filter(in_kind_count__gt=0)
        .order_by("-in_kind_total", "name")
    )


def contribution_years(user) -> list[int]:
    """Years with any contribution, newest first, and always the current one (for the year filter)."""
    activities = activity_model().objects.filter(pk__in=_contributions(user).values("activity"))
    years = {d.year for d in activities.datetimes("starts_at", "year")} | {timezone.localdate().year}
    return sorted(years, reverse=True)


def activity_choices(user):
    """Activities an obligation may link to or an institution may be recorded in: those the user may see."""
    return scope(user, activity_model().objects.select_related("programme")).order_by("-starts_at")
