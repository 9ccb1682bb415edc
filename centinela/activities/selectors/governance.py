"""Reading governance: working groups with their members and meetings, council sessions with attendance and
resolutions, and the board of open resolutions. Always through the one permission scope. The filters and columns
of the governance lists are here too, beside the reads they shape (page and export share them).

Council sessions, their attendance and resolutions have `parish_path = None`: the council's own business, which
parish presidents do not see. Working groups belong to a programme's plan, so a parish plan's group is its
parish's.
"""

from __future__ import annotations

from datetime import date

import django_filters
from django.db.models import Count, F, Prefetch, Q
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from centinela.accounts.permissions import scope
from centinela.activities.models import (
    Activity,
    CouncilSession,
    Evidence,
    Programme,
    Resolution,
    SessionAttendance,
    WorkingGroup,
    WorkingGroupMember,
)
from centinela.lib.exports import Column
from centinela.lib.filters import SearchFilterSet
from centinela.partners.models import Institution

OPEN = (Resolution.Status.PENDING, Resolution.Status.IN_PROGRESS)


def working_groups_for(user):
    return (
        scope(user, WorkingGroup.objects.select_related("programme", "programme__plan"))
        .annotate(
            member_count=Count("members", distinct=True),
            meeting_count=Count("meetings", filter=Q(meetings__kind=Activity.Kind.MEETING), distinct=True),
        )
        .order_by("name")
    )  # Meta.ordering is not applied to aggregated queries


def members_of(user, group: WorkingGroup):
    return scope(user, WorkingGroupMember.objects.filter(group=group).select_related("institution")).order_by(
        "institution__name"
    )


def meetings_of(user, group: WorkingGroup):
    """The group's meetings (activities of kind "meeting"), newest first, each with its `minutes_files`."""
    minutes = scope(user, Evidence.objects.filter(kind=Evidence.Kind.MINUTES)).order_by("uploaded_at")
    return (
        scope(user, Activity.objects.filter(working_group=group, kind=Activity.Kind.MEETING))
        .select_related("place")
        .prefetch_related(Prefetch("evidence", queryset=minutes, to_attr="minutes_files"))
        .order_by("-starts_at")
    )


def sessions_for(user):
    return (
        scope(user, CouncilSession.objects.select_related("place"))
        .annotate(
            resolution_count=Count("resolutions", distinct=True),
            present_count=Count("attendance", filter=Q(attendance__present=True), distinct=True),
        )
        .order_by("-held_at")
    )


def resolutions_for(user):
    return scope(user, Resolution.objects.select_related("session", "owner_institution", "owner"))


def open_resolutions(user):
    """Resolutions still to be done (pending or in progress), the most urgent first; undated ones last."""
    return (
        resolutions_for(user)
        .filter(status__in=OPEN)
        .order_by(F("due_on").asc(nulls_last=True), "session__held_at", "number")
    )


def board_counts(user, today: date | None = None) -> dict:
    today = today or timezone.localdate()
    qs = open_resolutions(user)
    return {"open": qs.count(), "overdue": qs.filter(due_on__lt=today).count()}


def session_date(session: CouncilSession) -> date:
    return timezone.localtime(session.held_at).date()


def attendance_rows(session: CouncilSession) -> list[dict]:
    """One row per council member (active institutions with `is_council_member`), and per any other institution
    already recorded, with what was recorded for it: the sheet the secretary fills in."""
    recorded = {
        a.institution_id: a for a in SessionAttendance.objects.filter(session=session).select_related("institution")
    }
    institutions = list(
        Institution.objects.filter(Q(is_council_member=True, active=True) | Q(pk__in=recorded)).order_by("name")
    )
    rows = []
    for institution in institutions:
        seat = recorded.get(institution.pk)
        rows.append(
            {
                "institution": institution,
                "recorded": seat is not None,
                "present": seat.present if seat else False,
                "representative": seat.representative if seat else "",
            }
        )
    return rows


def programme_choices(user):
    return scope(user, Programme.objects.select_related("plan")).order_by("-plan__starts_on", "code")


# --- lists: filters and columns ----------------------------------------------------------------------------------


def _programmes(request):
    return programme_choices(request.user) if request else Programme.objects.none()


def _institutions(request):
    return scope(request.user, Institution.objects.all()) if request else Institution.objects.none()


class WorkingGroupFilter(SearchFilterSet):
    search_fields = ("name", "purpose", "members__institution__name", "members__representative")
    programme = django_filters.ModelChoiceFilter(label=_("Programme"), queryset=_programmes)

    class Meta:
        model = WorkingGroup
        fields = ["q", "programme"]

    def search(self, queryset, name, value):
        return super().search(queryset, name, value).distinct()


class SessionFilter(SearchFilterSet):
    search_fields = ("agenda", "minutes")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=CouncilSession.Kind.choices)
    year = django_filters.NumberFilter(label=_("Year"), field_name="held_at", lookup_expr="year")

    class Meta:
        model = CouncilSession
        fields = ["q", "kind", "year"]


class ResolutionBoardFilter(SearchFilterSet):
    search_fields = ("number", "text", "follow_up")
    owner_institution = django_filters.ModelChoiceFilter(label=_("Responsible institution"), queryset=_institutions)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=[(s.value, s.label) for s in OPEN])
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="by_overdue")
    session = django_filters.ModelChoiceFilter(
        label=_("Session"),
        queryset=lambda request: sessions_for(request.user) if request else CouncilSession.objects.none(),
    )

    class Meta:
        model = Resolution
        fields = ["q", "owner_institution", "status", "overdue", "session"]

    def by_overdue(self, queryset, name, value):
        today = timezone.localdate()
        overdue = Q(due_on__lt=today)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


def _local(dt):
    return timezone.localtime(dt).strftime("%Y-%m-%d %H:%M") if dt else ""


def days_overdue(resolution, today: date | None = None):
    today = today or timezone.localdate()
    return (today - resolution.due_on).days if resolution.is_overdue(today) else None


def overdue_label(days: int) -> str:
    return ngettext("%(n)s day overdue", "%(n)s days overdue", days) % {"n": days}


def _overdue_badge(resolution):
    days = days_overdue(resolution)
    if days is None:
        return ""
    return format_html('<span class="badge overdue">{}</span>', overdue_label(days))


WORKING_GROUP = [
    Column("name", _("Name"), lambda g: g.name, link=True),
    Column("programme", _("Programme"), lambda g: g.programme.code, display=lambda g: str(g.programme)),
    Column("plan", _("Plan"), lambda g: g.programme.plan.name),
    Column("members", _("Members"), lambda g: getattr(g, "member_count", None)),
    Column("meetings", _("Meetings"), lambda g: getattr(g, "meeting_count", None)),
    Column("formed_on", _("Formed on"), lambda g: g.formed_on, display=lambda g: _date(g.formed_on)),
]

SESSION = [
    Column("session", _("Session"), lambda s: str(s), link=True),
    Column("kind", _("Type"), lambda s: s.kind, display=lambda s: s.get_kind_display()),
    Column("number", _("Number"), lambda s: s.number, on_page=False),
    Column("held_at", _("Held at"), lambda s: _local(s.held_at)),
    Column("place", _("Place"), lambda s: s.place.name if s.place else ""),
    Column("present", _("Institutions present"), lambda s: getattr(s, "present_count", None)),
    Column("resolutions", _("Resolutions"), lambda s: getattr(s, "resolution_count", None)),
    Column("agenda", _("Agenda"), lambda s: s.agenda, on_page=False),
]

RESOLUTION_BOARD = [
    Column("session", _("Session"), lambda r: str(r.session)),
    Column("number", _("Number"), lambda r: r.number, link=True),
    Column("text", _("Resolution"), lambda r: r.text),
    Column(
        "owner_institution",
        _("Responsible institution"),
        lambda r: r.owner_institution.name if r.owner_institution else "",
    ),
    Column(
        "owner", _("Responsible person"), lambda r: (r.owner.get_full_name() or r.owner.username) if r.owner else ""
    ),
    Column("due_on", _("Due on"), lambda r: r.due_on, display=lambda r: _date(r.due_on)),
    Column("status", _("Status"), lambda r: r.status, display=lambda r: r.get_status_display()),
    Column("days_overdue", _("Overdue"), lambda r: days_overdue(r), display=_overdue_badge),
    Column("follow_up", _("Follow-up"), lambda r: r.follow_up, on_page=False),
]
