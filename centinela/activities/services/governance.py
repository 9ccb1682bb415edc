"""Changing governance: working groups, their members and meetings (with minutes), council sessions, attendance
and resolutions. Every function starts with the one permission check; rules come back as field errors."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.accounts.permissions import require
from centinela.activities.models import (
    Activity,
    CouncilSession,
    Evidence,
    Resolution,
    SessionAttendance,
    WorkingGroup,
    WorkingGroupMember,
)
from centinela.activities.selectors.governance import session_date
from centinela.activities.services.plans import add_evidence, save_activity
from centinela.lib.records import save_checked


def save_working_group(user, group: WorkingGroup) -> WorkingGroup:
    return save_checked(user, group)


def _check_member(member: WorkingGroupMember):
    same = WorkingGroupMember.objects.filter(group=member.group_id, institution=member.institution_id).exclude(
        pk=member.pk
    )
    if member.institution_id and same.exists():
        raise ValidationError({"institution": _("This institution is already a member of the group.")})


def save_member(user, member: WorkingGroupMember) -> WorkingGroupMember:
    return save_checked(user, member, _check_member)


def remove_member(user, member: WorkingGroupMember) -> None:
    require(user, "delete", member)
    member.delete()


@transaction.atomic
def save_meeting(user, meeting: Activity, minutes_file=None, minutes_title: str = "") -> Activity:
    """A working-group meeting is an activity of kind "meeting" in the group's programme; its minutes are the
    description, and the signed minutes an evidence file. A parish plan's meeting is in that parish."""
    if minutes_file is None:
        minutes_file, minutes_title = getattr(meeting, "minutes_upload", (None, ""))  # set by MeetingForm.save
    group = meeting.working_group
    meeting.kind = Activity.Kind.MEETING
    meeting.programme = group.programme
    if meeting.parish_id is None and not meeting.place_id and group.programme.plan.parish_id:
        meeting.parish_id = group.programme.plan.parish_id
    save_activity(user, meeting)
    if minutes_file:
        try:
            add_evidence(user, meeting, minutes_file, kind=Evidence.Kind.MINUTES, title=minutes_title or _("Minutes"))
        except ValidationError as exc:
            raise ValidationError({"minutes_file": exc.messages}) from exc
    return meeting


def check_session(session: CouncilSession):
    same = CouncilSession.objects.filter(kind=session.kind, number=session.number).exclude(pk=session.pk)
    if session.number is not None and same.exists():
        raise ValidationError({"number": _("There is already a session of this type with that number.")})


def save_session(user, session: CouncilSession) -> CouncilSession:
    return save_checked(user, session, check_session)


@transaction.atomic
def record_attendance(user, session: CouncilSession, rows) -> None:
    """`rows`: (institution, present, representative) for each institution on the sheet. Each seat is one
    audited record; seats that did not change are not written again."""
    require(user, "change", session)
    for institution, present, representative in rows:
        seat = SessionAttendance.objects.filter(session=session, institution=institution).first()
        if seat is None:
            seat = SessionAttendance(session=session, institution=institution)
        elif (seat.present, seat.representative) == (present, representative):
            continue
        seat.present, seat.representative = present, representative
        seat.full_clean()
        seat.save()


def check_resolution(resolution: Resolution, today=None) -> None:
    today = today or timezone.localdate()
    held_on = session_date(resolution.session)
    errors = {}
    if resolution.due_on and resolution.due_on < held_on:
        errors["due_on"] = _("The due date is before the session (%(d)s).") % {"d": held_on.strftime("%d/%m/%Y")}
    if resolution.status == Resolution.Status.DONE and not resolution.done_on:
        errors["done_on"] = _("Say when it was done.")
    elif resolution.done_on and resolution.status != Resolution.Status.DONE:
        errors["done_on"] = _("Only a resolution that is done has a done date.")
    elif resolution.done_on and resolution.done_on < held_on:
        errors["done_on"] = _("The done date is before the session (%(d)s).") % {"d": held_on.strftime("%d/%m/%Y")}
    elif resolution.done_on and resolution.done_on > today:
        errors["done_on"] = _("The done date cannot be in the future.")
    same = Resolution.objects.filter(session=resolution.session_id, number=resolution.number).exclude(pk=resolution.pk)
    if resolution.number and same.exists():
        errors["number"] = _("This session already has a resolution with that number.")
    if errors:
        raise ValidationError(errors)


def save_resolution(user, resolution: Resolution) -> Resolution:
    return save_checked(user, resolution, check_resolution)
