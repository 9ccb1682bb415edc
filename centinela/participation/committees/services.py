"""Changing barrio committees: the committee, its members, a meeting with its attendance and agreements (one
transaction), and an agreement's follow-up. Each starts with the one permission check, on the very record it changes
(a parish president changes only their parish's committees); rules come back as Spanish field errors and nothing is
saved half-way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can
from centinela.participation.committees.models import (
    AgreementFollowUp,
    Committee,
    CommitteeAgreement,
    CommitteeMeeting,
    CommitteeMember,
)

# An agreement may move between any two statuses (a fulfilled one found undone is reopened), always with a note.
AGREEMENT_STATUSES = set(CommitteeAgreement.Status.values)


def _require(user, action: str, obj) -> None:
    """The one permission check, with a message a president reads when the record is of another parish."""
    if not can(user, action, obj):
        raise PermissionDenied(
            _("You may not change this committee: it belongs to another parish, or your role does not manage them.")
        )


def _require_save(user, obj) -> None:
    """A new record: may the user add it where it is. A changed one: may they change it as it is stored (its parish
    before this change) and as it will be (its parish after): a president never moves a record in or out of theirs."""
    if obj.pk is None:
        _require(user, "add", obj)
        return
    stored = type(obj).objects.filter(pk=obj.pk).first()
    if stored is not None:
        _require(user, "change", stored)
    _require(user, "change", obj)


def save_committee(user, committee: Committee) -> Committee:
    _require_save(user, committee)
    same = Committee.objects.filter(barrio=committee.barrio_id, name__iexact=committee.name.strip()).exclude(
        pk=committee.pk
    )
    committee.name = committee.name.strip()
    if committee.barrio_id and committee.name and same.exists():
        raise ValidationError({"name": _("This barrio already has a committee with that name.")})
    committee.full_clean()
    committee.save()
    return committee


def save_member(user, member: CommitteeMember) -> CommitteeMember:
    """A new or changed member. A cédula is checked (módulo 10) and may belong to only one current member of the
    committee."""
    _require_save(user, member)
    member.name = member.name.strip()
    member.cedula = (member.cedula or "").strip()
    member.phone = (member.phone or "").strip()
    member.full_clean()
    if member.cedula:
        same = CommitteeMember.objects.filter(committee=member.committee_id, cedula=member.cedula, left_on__isnull=True)
        if same.exclude(pk=member.pk).exists():
            raise ValidationError({"cedula": _("A current member of this committee already has this cédula.")})
    member.save()
    return member


@dataclass
class AgreementDraft:
    text: str
    responsible: str = ""
    due_on: date | None = None


def _check_meeting(meeting: CommitteeMeeting, present: list[CommitteeMember], guests) -> None:
    errors: dict[str, list] = {}
    today = timezone.localdate()
    if meeting.held_on is None:
        errors["held_on"] = [_("Say on which day the meeting was held.")]
    elif meeting.held_on > today:
        errors["held_on"] = [_("A meeting is recorded once it has been held: its date cannot be in the future.")]
    elif meeting.committee.founded_on and meeting.held_on < meeting.committee.founded_on:
        errors["held_on"] = [
            _("The meeting is before the committee was founded (%(d)s).")
            % {"d": meeting.committee.founded_on.strftime("%d/%m/%Y")}
        ]
    if guests is not None and guests < 0:
        errors["guests"] = [_("The number of guests cannot be negative.")]
    strangers = [m.name for m in present if m.committee_id != meeting.committee_id]
    if strangers:
        errors["present"] = [_("Not members of this committee: %(names)s.") % {"names": ", ".join(sorted(strangers))}]
    elif meeting.held_on and "held_on" not in errors:
        absent = [m.name for m in present if not m.member_on(meeting.held_on)]
        if absent:
            errors["present"] = [
                _("Were not members of the committee on %(d)s: %(names)s.")
                % {"d": meeting.held_on.strftime("%d/%m/%Y"), "names": ", ".join(sorted(absent))}
            ]
    if errors:
        raise ValidationError(errors)


def _check_agreements(meeting: CommitteeMeeting, agreements: list[AgreementDraft]) -> None:
    messages = []
    for number, draft in enumerate(agreements, start=1):
        if not draft.text.strip():
            messages.append(_("Agreement %(n)s: write what was agreed.") % {"n": number})
        elif meeting.held_on and draft.due_on and draft.due_on < meeting.held_on:
            messages.append(
                _("Agreement %(n)s: the due date is before the meeting (%(d)s).")
                % {"n": number, "d": meeting.held_on.strftime("%d/%m/%Y")}
            )
    if messages:
        raise ValidationError({"agreements": messages})


@transaction.atomic
def save_meeting(
    user,
    meeting: CommitteeMeeting,
    *,
    present: list[CommitteeMember],
    agreements: list[AgreementDraft] = (),
) -> CommitteeMeeting:
    """Record (or correct) a meeting: its date, place, topics and minutes, the members present (members of the
    committee on that day) and the guests' count, and the agreements reached (added to those it has). Everything is
    checked before anything is written."""
    _require_save(user, meeting)
    present = list(present)
    agreements = list(agreements)
    _check_meeting(meeting, present, meeting.guests)
    _check_agreements(meeting, agreements)
    if not meeting.pk:
        meeting.created_by = user if getattr(user, "is_authenticated", False) else None
    meeting.full_clean()
    meeting.save()
    if set(meeting.present.all()) != set(present):
        meeting.present.set(present)
    for draft in agreements:
        agreement = CommitteeAgreement(
            meeting=meeting, text=draft.text.strip(), responsible=draft.responsible.strip(), due_on=draft.due_on
        )
        _require(user, "add", agreement)
        agreement.full_clean()
        agreement.save()
    return meeting


@transaction.atomic
def follow_up(user, agreement: CommitteeAgreement, *, on: date | None, note: str, status: str) -> AgreementFollowUp:
    """A step of an agreement's follow-up: what was done by a day, and the status it leaves the agreement in."""
    agreement = (
        CommitteeAgreement.objects.select_for_update().select_related("meeting__committee__barrio").get(pk=agreement.pk)
    )
    _require(user, "change", agreement)
    errors = {}
    note = (note or "").strip()
    if not note:
        errors["note"] = _("Write what was done or found.")
    if on is None:
        errors["on"] = _("Say on which day.")
    elif on > timezone.localdate():
        errors["on"] = _("The follow-up date cannot be in the future.")
    elif on < agreement.meeting.held_on:
        errors["on"] = _("The follow-up date is before the meeting (%(d)s).") % {
            "d": agreement.meeting.held_on.strftime("%d/%m/%Y")
        }
    if status not in AGREEMENT_STATUSES:
        errors["status"] = _("Choose a status.")
    if errors:
        raise ValidationError(errors)
    entry = AgreementFollowUp(
        agreement=agreement,
        on=on,
        note=note,
        status_from=agreement.status,
        status_to=status,
        author=user if getattr(user, "is_authenticated", False) else None,
    )
    _require(user, "add", entry)
    entry.full_clean()
    entry.save()
    if status != agreement.status:
        agreement.status = status
        agreement.save(update_fields=["status", "updated_at"])
    return entry
