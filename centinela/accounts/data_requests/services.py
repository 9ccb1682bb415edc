"""Acting on a request: recording each search and export in the audit trail (looking a person up is itself
processing of their data), and erasing the personal fields of chosen records in one transaction, each erasure
audited with the request's reference and the old values masked as auditlog masks personal fields."""

from __future__ import annotations

from auditlog.context import disable_auditlog
from auditlog.diff import mask_str
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centinela.accounts.data_requests import selectors
from centinela.accounts.data_requests.registry import Found, Query
from centinela.accounts.permissions import can_see_personal_data, require

REFERENCE_MAX = 100


def _reference(reference: str, *, required: bool) -> str:
    reference = " ".join((reference or "").split())
    if required and not reference:
        raise ValidationError({"reference": _("Write the reference of the request (e.g. Solicitud 2026-014).")})
    if len(reference) > REFERENCE_MAX:
        raise ValidationError({"reference": _("The reference is too long (at most 100 characters).")})
    return reference


def audit_lookup(actor, query: Query, reference: str = "", *, what: str = "data_request_search") -> LogEntry:
    """One entry on the actor's account: who looked for whom (the terms masked), under which request."""
    if not can_see_personal_data(actor):
        raise PermissionDenied
    reference = _reference(reference, required=False)
    changes = {what: ["", query.masked()]}
    if reference:
        changes["data_request"] = ["", reference]
    entry = LogEntry.objects.log_create(
        actor,
        action=LogEntry.Action.ACCESS,
        changes=changes,
        actor=actor,
        force_log=True,
        additional_data={"data_request": reference, "query": query.masked()},
    )
    assert entry is not None
    return entry


def to_erase(actor, query: Query, keys: list[str], reference: str) -> list[Found]:
    """The records an erasure would blank, checked: a reference given, records chosen, each among those the query
    finds (nothing is erased by id alone) and erasable here. Shown on the confirmation step; `erase` checks again."""
    if not can_see_personal_data(actor):
        raise PermissionDenied
    _reference(reference, required=True)
    wanted = set(keys)
    if not wanted:
        raise ValidationError(_("Choose the records to erase."))
    found = {f.key: f for group in selectors.find(actor, query) for f in group.found}
    unknown = sorted(wanted - set(found))
    if unknown:
        raise ValidationError(_("These records are not among those found: %(keys)s.") % {"keys": ", ".join(unknown)})
    chosen = [found[key] for key in sorted(wanted)]
    refused = [f.title for f in chosen if not f.erasable]
    if refused:
        raise ValidationError(_("These records cannot be erased here: %(titles)s.") % {"titles": ", ".join(refused)})
    return chosen


@transaction.atomic
def erase(actor, query: Query, keys: list[str], reference: str) -> list[Found]:
    """Blank the personal fields of the chosen records (`to_erase`). The records stay, and every count made of
    them. All or nothing; one audit entry per record with the request's reference."""
    chosen = to_erase(actor, query, keys, reference)
    reference = _reference(reference, required=True)
    for item in chosen:
        require(actor, "change", item.record)
        before = {name: value for name, _label, value in item.holder.held(item.record)}
        with disable_auditlog():  # the entry below masks every erased field, names included
            item.holder.erase(item.record)
        after = {name: value for name, _label, value in item.holder.held(item.record)}
        changes = {
            name: [mask_str(old), after.get(name, "")] for name, old in before.items() if old and old != after.get(name)
        }
        changes["data_request"] = ["", reference]
        LogEntry.objects.log_create(
            item.record,
            action=LogEntry.Action.UPDATE,
            changes=changes,
            actor=actor,
            force_log=True,
            additional_data={"data_request": reference, "erased": sorted(set(changes) - {"data_request"})},
        )
    return chosen
