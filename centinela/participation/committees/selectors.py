"""Reading barrio committees, always through the one permission scope: the list with its figures, a committee's
members (contact data by role), meetings with attendance, agreements with their follow-up (overdue ones marked), and
what happens in its barrio: the residents' reports and the council's activities there."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Max, Prefetch, Q
from django.utils import timezone

from centinela.accounts.permissions import can_see_personal_data, scope
from centinela.activities.selectors.plans import activities_for
from centinela.participation.committees.models import (
    OPEN_AGREEMENT,
    AgreementFollowUp,
    Committee,
    CommitteeAgreement,
    CommitteeMeeting,
    CommitteeMember,
)
from centinela.participation.selectors import reports_for
from centinela.territory.models import Barrio

BARRIO_LIMIT = 20  # reports and activities of the barrio shown on a committee's page (the lists hold the rest)


def _open_agreements(today: date) -> tuple[Q, Q]:
    prefix = "meetings__agreements__"
    opened = Q(**{f"{prefix}status__in": list(OPEN_AGREEMENT)})
    return opened, opened & Q(**{f"{prefix}due_on__lt": today})


def committees_for(user):
    """The committees the user may see, with the figures the list shows and exports."""
    today = timezone.localdate()
    opened, overdue = _open_agreements(today)
    current = Q(members__left_on__isnull=True) | Q(members__left_on__gte=today)
    return scope(
        user,
        Committee.objects.select_related("barrio", "barrio__parish")
        .defer("barrio__geometry", "barrio__parish__geometry")
        .annotate(
            n_members=Count("members", filter=current, distinct=True),
            n_meetings=Count("meetings", distinct=True),
            last_meeting=Max("meetings__held_on"),
            n_open=Count("meetings__agreements", filter=opened, distinct=True),
            n_overdue=Count("meetings__agreements", filter=overdue, distinct=True),
        )
        .order_by("name", "id"),
    )


def barrio_committees(user, barrio_id):
    """The active committees of a barrio the user may see (a citizen report's page names them)."""
    return scope(user, Committee.objects.filter(barrio=barrio_id, active=True).only("id", "name")).order_by("name")


def barrio_choices(user):
    """The barrios a committee may be formed in: those of the parishes the user sees (names only)."""
    return scope(user, Barrio.objects.select_related("parish").only("id", "name", "parish__name")).order_by(
        "parish__name", "name"
    )


def members_of(user, committee: Committee) -> list[dict]:
    """Current members first, then those who left; cédula, phone and e-mail only for those who may see personal data
    (LOPDP): everyone else reads whether they were given."""
    personal = can_see_personal_data(user)
    today = timezone.localdate()
    rows = []
    members = scope(user, CommitteeMember.objects.filter(committee=committee)).annotate(
        attended=Count("meetings_attended")
    )
    for m in members:
        rows.append(
            {
                "member": m,
                "current": m.left_on is None or m.left_on >= today,
                "attended": m.attended,
                "contact": {f: getattr(m, f) for f in CommitteeMember.PERSONAL} if personal else None,
                "has_contact": any(getattr(m, f) for f in CommitteeMember.PERSONAL),
            }
        )
    rows.sort(key=lambda r: (not r["current"], r["member"].role != CommitteeMember.Role.COORDINATOR, r["member"].name))
    return rows


def current_members(committee: Committee, day: date | None = None):
    """Who may be ticked as present at a meeting on `day`: members who had joined and not yet left."""
    day = day or timezone.localdate()
    return (
        CommitteeMember.objects.filter(committee=committee, joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .order_by("name")
    )


def meetings_of(user, committee: Committee):
    """The committee's meetings, newest first, with who came and their agreements (each with its follow-up)."""
    today = timezone.localdate()
    meetings = list(
        scope(user, CommitteeMeeting.objects.filter(committee=committee))
        .annotate(n_present=Count("present", distinct=True))
        .prefetch_related(
            Prefetch("present", queryset=CommitteeMember.objects.order_by("name")),
            Prefetch(
                "agreements",
                queryset=CommitteeAgreement.objects.order_by("id").prefetch_related(
                    Prefetch("follow_ups", queryset=AgreementFollowUp.objects.select_related("author"))
                ),
            ),
        )
    )
    for meeting in meetings:
        for agreement in meeting.agreements.all():
            agreement.overdue = agreement.is_overdue(today)
    return meetings


def agreements_for(user):
    """Every agreement the user may see (the agreements board and its export), open ones by due date first."""
    return scope(
        user,
        CommitteeAgreement.objects.select_related("meeting", "meeting__committee", "meeting__committee__barrio__parish")
        .defer("meeting__committee__barrio__geometry", "meeting__committee__barrio__parish__geometry")
        .annotate(n_follow_ups=Count("follow_ups"), last_follow_up=Max("follow_ups__on")),
    ).order_by("due_on", "id")


def members_for(user):
    return scope(user, CommitteeMember.objects.select_related("committee"))


def meetings_for(user):
    return scope(user, CommitteeMeeting.objects.select_related("committee"))


def agreement_counts(committee: Committee) -> dict:
    today = timezone.localdate()
    agreements = CommitteeAgreement.objects.filter(meeting__committee=committee)
    counts = {s: 0 for s in CommitteeAgreement.Status.values}
    for row in agreements.values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    counts["overdue"] = agreements.filter(status__in=list(OPEN_AGREEMENT), due_on__lt=today).count()
    return counts


def barrio_reports(user, committee: Committee):
    """The residents' reports in the committee's barrio that the user may read, newest first (the inbox's scope)."""
    return reports_for(user).filter(barrio=committee.barrio_id).order_by("-created_at", "-id")


def barrio_activities(user, committee: Committee):
    """The council's activities in the committee's barrio that the user may read: those that name the barrio, and
    those held at a place in it; newest first."""
    in_barrio = Q(barrios=committee.barrio_id) | Q(place__barrio=committee.barrio_id)
    ids = activities_for(user).filter(in_barrio).values("pk")
    return activities_for(user).filter(pk__in=ids).order_by("-starts_at", "-id")
