"""Governance pages: working groups (members, meetings with minutes) and council sessions (attendance,
resolutions), and the board of open resolutions. Reads through selectors.governance, changes through
services.governance."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centinela.accounts.permissions import can, require, scope
from centinela.activities.forms.governance import (
    AttendanceForm,
    MeetingForm,
    MemberForm,
    ResolutionForm,
    SessionForm,
    WorkingGroupForm,
)
from centinela.activities.models import (
    Activity,
    CouncilSession,
    Resolution,
    SessionAttendance,
    WorkingGroup,
    WorkingGroupMember,
)
from centinela.activities.selectors import governance as selectors
from centinela.activities.services import governance as services
from centinela.lib.views import form_view, get_scoped_or_404, list_view
from centinela.partners.models import Institution


def _edit(request, *, form_class, instance, save, title, back, success_url=None):
    return form_view(
        request,
        form_class=form_class,
        instance=instance,
        save=save,
        title=title,
        success_url=success_url or (lambda obj: back),
        template="activities/governance/form.html",
        form_kwargs={"user": request.user, "files": request.FILES or None},
        extra={"cancel_url": back},
    )


# --- working groups ---------------------------------------------------------------------------------------------


def working_group_list(request):
    return list_view(
        request,
        queryset=selectors.working_groups_for(request.user),
        filterset_class=selectors.WorkingGroupFilter,
        columns=selectors.WORKING_GROUP,
        title=_("Working groups"),
        basename="grupos-de-trabajo",
        add_url=reverse("activities:working_group_create"),
    )


def working_group_detail(request, pk):
    user = request.user
    group = get_scoped_or_404(selectors.working_groups_for(user), pk)
    return render(
        request,
        "activities/governance/working_group_detail.html",
        {
            "group": group,
            "members": selectors.members_of(user, group),
            "meetings": selectors.meetings_of(user, group),
            "can_change": can(user, "change", group),
            "can_change_members": can(user, "change", WorkingGroupMember(group=group)),
            "can_add_meeting": can(user, "add", Activity),
            "can_see_institutions": can(user, "view", Institution),
        },
    )


def working_group_create(request):
    return _edit(
        request,
        form_class=WorkingGroupForm,
        instance=WorkingGroup(),
        save=services.save_working_group,
        title=_("New working group"),
        back=reverse("activities:working_group_list"),
        success_url=lambda g: g.get_absolute_url(),
    )


def working_group_edit(request, pk):
    group = get_scoped_or_404(selectors.working_groups_for(request.user), pk)
    return _edit(
        request,
        form_class=WorkingGroupForm,
        instance=group,
        save=services.save_working_group,
        title=_("Edit working group"),
        back=group.get_absolute_url(),
    )


def member_add(request, pk):
    group = get_scoped_or_404(selectors.working_groups_for(request.user), pk)
    return _edit(
        request,
        form_class=MemberForm,
        instance=WorkingGroupMember(group=group),
        save=services.save_member,
        title=_("New member of %(g)s") % {"g": group},
        back=group.get_absolute_url(),
    )


def _member(request, pk):
    return get_scoped_or_404(scope(request.user, WorkingGroupMember.objects.select_related("group", "institution")), pk)


def member_edit(request, pk):
    member = _member(request, pk)
    return _edit(
        request,
        form_class=MemberForm,
        instance=member,
        save=services.save_member,
        title=_("Edit member of %(g)s") % {"g": member.group},
        back=member.group.get_absolute_url(),
    )


@require_POST
def member_remove(request, pk):
    member = _member(request, pk)
    services.remove_member(request.user, member)
    messages.success(request, _("%(i)s is no longer a member of the group.") % {"i": member.institution})
    return redirect(member.group.get_absolute_url())


def meeting_create(request, pk):
    group = get_scoped_or_404(selectors.working_groups_for(request.user), pk)
    meeting = Activity(
        working_group=group,
        programme=group.programme,
        kind=Activity.Kind.MEETING,
        title=_("Meeting of %(g)s") % {"g": group},
    )
    return _edit(
        request,
        form_class=MeetingForm,
        instance=meeting,
        save=services.save_meeting,
        title=_("New meeting of %(g)s") % {"g": group},
        back=group.get_absolute_url(),
    )


def meeting_edit(request, pk):
    meetings = scope(request.user, Activity.objects.filter(kind=Activity.Kind.MEETING, working_group__isnull=False))
    meeting = get_scoped_or_404(meetings.select_related("working_group", "programme__plan"), pk)
    return _edit(
        request,
        form_class=MeetingForm,
        instance=meeting,
        save=services.save_meeting,
        title=_("Edit meeting"),
        back=meeting.working_group.get_absolute_url(),
    )


# --- council sessions ---------------------------------------------------------------------------------------------


def session_list(request):
    return list_view(
        request,
        queryset=selectors.sessions_for(request.user),
        filterset_class=selectors.SessionFilter,
        columns=selectors.SESSION,
        title=_("Council sessions"),
        basename="sesiones-del-concejo",
        add_url=reverse("activities:session_create"),
        extra={
            "add_choices": [
                (reverse("activities:resolution_board"), _("Resolutions board")),
                (reverse("activities:working_group_list"), _("Working groups")),
            ]
        },
    )


def session_detail(request, pk):
    user = request.user
    session = get_scoped_or_404(selectors.sessions_for(user), pk)
    today = timezone.localdate()
    resolutions = list(selectors.resolutions_for(user).filter(session=session).order_by("number"))
    for resolution in resolutions:
        days = selectors.days_overdue(resolution, today)
        resolution.overdue = selectors.overdue_label(days) if days is not None else ""
    return render(
        request,
        "activities/governance/session_detail.html",
        {
            "session": session,
            "attendance": scope(
                user, SessionAttendance.objects.filter(session=session).select_related("institution")
            ).order_by("-present", "institution__name"),
            "resolutions": resolutions,
            "can_change": can(user, "change", session),
            "can_add_resolution": can(user, "add", Resolution),
            "can_change_resolution": can(user, "change", Resolution),
        },
    )


def session_create(request):
    return _edit(
        request,
        form_class=SessionForm,
        instance=CouncilSession(),
        save=services.save_session,
        title=_("New council session"),
        back=reverse("activities:session_list"),
        success_url=lambda s: s.get_absolute_url(),
    )


def session_edit(request, pk):
    session = get_scoped_or_404(selectors.sessions_for(request.user), pk)
    return _edit(
        request,
        form_class=SessionForm,
        instance=session,
        save=services.save_session,
        title=_("Edit %(s)s") % {"s": session},
        back=session.get_absolute_url(),
    )


def session_attendance(request, pk):
    session = get_scoped_or_404(selectors.sessions_for(request.user), pk)
    require(request.user, "change", session)
    form = AttendanceForm(request.POST or None, rows=selectors.attendance_rows(session))
    if request.method == "POST" and form.is_valid():
        services.record_attendance(request.user, session, form.attendance())
        messages.success(request, _("Attendance saved."))
        return redirect(session.get_absolute_url())
    return render(request, "activities/governance/attendance.html", {"session": session, "form": form})


def resolution_create(request, pk):
    session = get_scoped_or_404(selectors.sessions_for(request.user), pk)
    return _edit(
        request,
        form_class=ResolutionForm,
        instance=Resolution(session=session),
        save=services.save_resolution,
        title=_("New resolution of %(s)s") % {"s": session},
        back=session.get_absolute_url(),
    )


def resolution_edit(request, pk):
    resolution = get_scoped_or_404(selectors.resolutions_for(request.user), pk)
    return _edit(
        request,
        form_class=ResolutionForm,
        instance=resolution,
        save=services.save_resolution,
        title=_("Edit resolution %(n)s") % {"n": resolution.number},
        back=resolution.get_absolute_url(),
    )


def resolution_board(request):
    return list_view(
        request,
        queryset=selectors.open_resolutions(request.user),
        filterset_class=selectors.ResolutionBoardFilter,
        columns=selectors.RESOLUTION_BOARD,
        title=_("Pending and overdue resolutions"),
        basename="resoluciones-pendientes",
        template="activities/governance/resolution_board.html",
        extra={"counts": selectors.board_counts(request.user)},
    )
