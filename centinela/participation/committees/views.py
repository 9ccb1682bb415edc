"""Barrio committee pages: the list, a committee's page (members, meetings with attendance, agreements with their
follow-up, and its barrio's reports and the council's activities there), the committee and member forms, recording a
meeting with its attendance and agreements, an agreement's follow-up, and the agreements board. Reads through the
selectors, changes through the services; every record is found through the user's scope first (another parish's
answers 404), and the services check the permission on the record itself."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can, can_see_personal_data, require
from centinela.activities.models import Activity
from centinela.lib.urls import reverse
from centinela.lib.views import add_errors, form_view, get_scoped_or_404, list_view
from centinela.participation.columns import status_badge
from centinela.participation.committees import columns, selectors, services
from centinela.participation.committees.filters import AgreementFilter, CommitteeFilter
from centinela.participation.committees.forms import (
    AgreementFormSet,
    CommitteeForm,
    FollowUpForm,
    MeetingForm,
    MemberForm,
)
from centinela.participation.committees.models import Committee, CommitteeMeeting, CommitteeMember

TEMPLATES = "participation/committees/"


def committee_list(request):
    return list_view(
        request,
        queryset=selectors.committees_for(request.user),
        filterset_class=CommitteeFilter,
        columns=columns.COMMITTEE,
        title=_("Barrio committees"),
        basename="comites-barriales",
        add_url=reverse("participation:committee_create"),
        template=TEMPLATES + "list.html",
        extra={"add_choices": [(reverse("participation:agreement_list"), _("Agreements board"))]},
    )


def agreement_list(request):
    return list_view(
        request,
        queryset=selectors.agreements_for(request.user),
        filterset_class=AgreementFilter,
        columns=columns.AGREEMENT,
        title=_("Agreements of the barrio committees"),
        basename="acuerdos-comites",
        template=TEMPLATES + "list.html",
        extra={"add_choices": [(reverse("participation:committee_list"), _("Barrio committees"))]},
    )


def committee_detail(request, pk):
    user = request.user
    committee = get_scoped_or_404(selectors.committees_for(user), pk)
    reports = selectors.barrio_reports(user, committee)
    activities = selectors.barrio_activities(user, committee)
    context = {
        "title": committee.name,
        "committee": committee,
        "members": selectors.members_of(user, committee),
        "sees_personal_data": can_see_personal_data(user),
        "meetings": selectors.meetings_of(user, committee),
        "counts": selectors.agreement_counts(committee),
        "reports": [(r, status_badge(r)) for r in reports[: selectors.BARRIO_LIMIT]],
        "reports_total": reports.count(),
        "activities": list(activities[: selectors.BARRIO_LIMIT]),
        "activities_total": activities.count(),
        "can_see_activities": can(user, "view", Activity),
        "can_change": can(user, "change", committee),
    }
    return render(request, TEMPLATES + "detail.html", context)


def _edit(request, *, form_class, instance, save, title, back, success_url=None):
    return form_view(
        request,
        form_class=form_class,
        instance=instance,
        save=save,
        title=title,
        success_url=success_url or (lambda obj: back),
        template=TEMPLATES + "form.html",
        form_kwargs={"user": request.user},
        extra={"cancel_url": back},
    )


def committee_create(request):
    return _edit(
        request,
        form_class=CommitteeForm,
        instance=Committee(),
        save=services.save_committee,
        title=_("New barrio committee"),
        back=reverse("participation:committee_list"),
        success_url=lambda c: c.get_absolute_url(),
    )


def committee_edit(request, pk):
    committee = get_scoped_or_404(selectors.committees_for(request.user), pk)
    return _edit(
        request,
        form_class=CommitteeForm,
        instance=committee,
        save=services.save_committee,
        title=_("Edit %(c)s") % {"c": committee},
        back=committee.get_absolute_url(),
    )


def member_add(request, pk):
    committee = get_scoped_or_404(selectors.committees_for(request.user), pk)
    return _edit(
        request,
        form_class=MemberForm,
        instance=CommitteeMember(committee=committee),
        save=services.save_member,
        title=_("New member of %(c)s") % {"c": committee},
        back=committee.get_absolute_url(),
    )


def member_edit(request, pk):
    member = get_scoped_or_404(selectors.members_for(request.user), pk)
    return _edit(
        request,
        form_class=MemberForm,
        instance=member,
        save=services.save_member,
        title=_("Edit member of %(c)s") % {"c": member.committee},
        back=member.get_absolute_url(),
    )


def _meeting_page(request, committee, meeting, title):
    require(request.user, "change" if meeting.pk else "add", meeting)
    form = MeetingForm(request.POST or None, instance=meeting, committee=committee)
    agreements = AgreementFormSet(request.POST or None, prefix="acuerdos")
    status = 200
    if request.method == "POST":
        if form.is_valid() and agreements.is_valid():
            drafts = [d for d in (f.draft() for f in agreements.forms) if d is not None]
            try:
                services.save_meeting(
                    request.user, form.save(commit=False), present=form.cleaned_data["present"], agreements=drafts
                )
            except ValidationError as exc:
                add_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc) or _("You may not save this record here (it belongs to another parish)."))
            else:
                messages.success(request, _("Meeting saved."))
                return redirect(meeting.get_absolute_url())
        status = 400
    context = {
        "title": title,
        "committee": committee,
        "meeting": meeting,
        "form": form,
        "agreements": agreements,
        "existing": list(meeting.agreements.all()) if meeting.pk else [],
        "cancel_url": committee.get_absolute_url(),
    }
    return render(request, TEMPLATES + "meeting_form.html", context, status=status)


def meeting_create(request, pk):
    committee = get_scoped_or_404(selectors.committees_for(request.user), pk)
    meeting = CommitteeMeeting(committee=committee)
    return _meeting_page(request, committee, meeting, _("Record a meeting of %(c)s") % {"c": committee})


def meeting_edit(request, pk):
    meeting = get_scoped_or_404(selectors.meetings_for(request.user), pk)
    return _meeting_page(
        request,
        meeting.committee,
        meeting,
        _("Edit the meeting of %(d)s") % {"d": meeting.held_on.strftime("%d/%m/%Y")},
    )


def agreement_follow_up(request, pk):
    agreement = get_scoped_or_404(selectors.agreements_for(request.user), pk)
    require(request.user, "change", agreement)
    form = FollowUpForm(request.POST or None, agreement=agreement)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.follow_up(request.user, agreement, on=data["on"], note=data["note"], status=data["status"])
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Follow-up saved."))
                return redirect(agreement.get_absolute_url())
        status = 400
    context = {
        "title": _("Follow-up of an agreement"),
        "agreement": agreement,
        "committee": agreement.meeting.committee,
        "history": list(agreement.follow_ups.select_related("author")),
        "overdue": agreement.is_overdue(),
        "form": form,
        "cancel_url": agreement.get_absolute_url(),
    }
    return render(request, TEMPLATES + "follow_up.html", context, status=status)
