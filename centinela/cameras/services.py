"""Changing cameras: lifecycle changes with their history (who, when, why) and the maintenance-ticket workflow
(reported or detected -> assigned -> in progress -> resolved). The health monitor uses the same functions, as
user None, so a change made by a person and one made by the monitor are recorded alike."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from centinela.accounts.permissions import require
from centinela.cameras.models import (
    MONITORED_STATES, TRANSITIONS, Device, Lifecycle, MaintenanceTicket, StatusChange,
)

Status = MaintenanceTicket.Status
# Ticket workflow: a ticket is reported by a person or detected by the monitor, then assigned, worked on, resolved.
TICKET_FLOW = {
    Status.REPORTED: {Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED},
    Status.DETECTED: {Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED},
    Status.ASSIGNED: {Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED},
    Status.IN_PROGRESS: {Status.ASSIGNED, Status.RESOLVED},
    Status.RESOLVED: set(),
}
OPEN_TICKET = [Status.REPORTED, Status.DETECTED, Status.ASSIGNED, Status.IN_PROGRESS]


def _label(status: str) -> str:
    return str(Lifecycle(status).label)


def check_transition(from_status: str, to_status: str) -> None:
    """Raise a ValidationError (in the user's language) unless TRANSITIONS allows the change."""
    if to_status not in Lifecycle.values:
        raise ValidationError(_("Unknown lifecycle status: %(s)s.") % {"s": to_status})
    if to_status not in TRANSITIONS.get(from_status, set()):
        raise ValidationError(
            _("A camera cannot go from “%(a)s” to “%(b)s”.") % {"a": _label(from_status), "b": _label(to_status)}
        )


def change_lifecycle(user, device: Device, to_status: str, reason: str = "", *, at=None) -> StatusChange | None:
    """Move a device to another lifecycle status and record who, when and why. `user` None is the monitor.

    The update is conditional on the status read (compare-and-set), so a person and the monitor changing the same
    device at once cannot both win: the loser gets a ValidationError (a person) or None (the monitor)."""
    if user is not None:
        require(user, "change", device)
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the status changes.")})
    from_status = device.lifecycle
    check_transition(from_status, to_status)
    at = at or timezone.now()
    fields = {"lifecycle": to_status}
    if to_status in MONITORED_STATES and from_status not in MONITORED_STATES:
        # back under watch: probe soon, and forget the counters from before it left
        fields.update(next_probe_at=None, consecutive_failures=0, consecutive_successes=0)
    if from_status == Lifecycle.ABANDONED and to_status == Lifecycle.OPERATIONAL:
        fields["reactivated_on"] = timezone.localdate(at)  # a reactivation, as in 2020's twelve systems
    with transaction.atomic():
        updated = Device.objects.filter(pk=device.pk, lifecycle=from_status).update(**fields)
        if not updated:
            if user is None:
                return None
            raise ValidationError(_("Someone else changed this camera's status just now; reload and try again."))
        for name, value in fields.items():
            setattr(device, name, value)
        return StatusChange.objects.create(
            device=device, at=at, from_status=from_status, to_status=to_status, by=user, reason=(reason or "")[:300],
        )


# --- maintenance tickets ------------------------------------------------------------------------------------------


def _append_note(ticket: MaintenanceTicket, line: str) -> None:
    ticket.notes = f"{ticket.notes.rstrip()}\n{line}".strip()


def local_time_text(at) -> str:
    """'14:05 del 25/11/2026' style text in the site's time zone, for ticket notes."""
    local = timezone.localtime(at)
    return _("%(time)s on %(date)s") % {"time": local.strftime("%H:%M"), "date": date_format(local, "d/m/Y")}


def open_ticket(user, device: Device, description: str, *, at=None) -> MaintenanceTicket:
    """A ticket reported by a person."""
    require(user, "add", MaintenanceTicket(device=device))
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe the problem.")})
    return MaintenanceTicket.objects.create(
        device=device, status=Status.REPORTED, opened_at=at or timezone.now(), opened_by=user, description=description,
    )


def _move(user, ticket: MaintenanceTicket, to: str) -> None:
    require(user, "change", ticket)
    if to not in TICKET_FLOW[ticket.status]:
        raise ValidationError(
            _("A ticket cannot go from “%(a)s” to “%(b)s”.") % {"a": Status(ticket.status).label, "b": Status(to).label}
        )
    ticket.status = to


def assign_ticket(user, ticket: MaintenanceTicket, assignee, note: str = "") -> MaintenanceTicket:
    _move(user, ticket, Status.ASSIGNED)
    ticket.assigned_to = assignee
    _append_note(ticket, _("Assigned to %(who)s.") % {"who": assignee.get_full_name() or assignee.username})
    if note:
        _append_note(ticket, note)
    ticket.save(update_fields=["status", "assigned_to", "notes"])
    return ticket


def start_ticket(user, ticket: MaintenanceTicket, note: str = "") -> MaintenanceTicket:
    _move(user, ticket, Status.IN_PROGRESS)
    if note:
        _append_note(ticket, note)
    ticket.save(update_fields=["status", "notes"])
    return ticket


def add_ticket_note(user, ticket: MaintenanceTicket, note: str) -> MaintenanceTicket:
    require(user, "change", ticket)
    _append_note(ticket, note)
    ticket.save(update_fields=["notes"])
    return ticket


def resolve_ticket(user, ticket: MaintenanceTicket, *, cause: str, parts: str = "", cost=0, at=None) -> MaintenanceTicket:
    """Close a ticket with its cause, the parts replaced and the cost (USD)."""
    if not (cause or "").strip():
        raise ValidationError({"cause": _("Say what caused the failure.")})
    cost = Decimal(str(cost or 0))
    if cost < 0:
        raise ValidationError({"cost": _("The cost cannot be negative.")})
    _move(user, ticket, Status.RESOLVED)
    ticket.cause, ticket.parts, ticket.cost = cause, parts, cost
    ticket.resolved_at = at or timezone.now()
    ticket.save(update_fields=["status", "cause", "parts", "cost", "resolved_at"])
    return ticket
