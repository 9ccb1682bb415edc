"""Changing activities: saving an activity with its barrios and partners (and the rest of its page), an indicator with
its targets, adding evidence, changing status."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from centinela.accounts.permissions import require
from centinela.activities.evidence import check_upload
from centinela.activities.models import Activity, Evidence, Indicator


@transaction.atomic
def save_activity(user, activity: Activity, *, barrios=None) -> Activity:
    """Create or update an activity. Its parish is the parish it serves (a training for Sucre may be held at the
    Salón de los Alcaldes, in El Sagrario); when none is given it follows from the place. A parish president may
    only save activities of their own parish."""
    if not activity.parish_id and activity.place_id and activity.place.parish_id:
        activity.parish = activity.place.parish
    require(user, "change" if activity.pk else "add", activity)
    activity.full_clean()
    if barrios is not None:
        barrios = list(barrios)
        outside = [b for b in barrios if activity.parish_id and b.parish_id != activity.parish_id]
        if outside:
            raise ValidationError({"barrios": _("%(b)s is not in the activity's parish.") % {"b": outside[0]}})
    activity.save()
    if barrios is not None:
        activity.barrios.set(barrios)
    return activity


@transaction.atomic
def save_activity_page(
    user, form, partners, *, kind: str, detail_form=None, materials=None, placements=None
) -> Activity:
    """Save what the activity page holds, all or nothing: the activity with its barrios (`save_activity`), its
    partners and, by type, its operation or campaign, with the campaign's materials and placements. The forms and
    formsets are valid; a ValidationError or PermissionDenied rolls every one of them back."""
    activity = form.save(commit=False)
    activity.kind = kind
    save_activity(user, activity, barrios=form.cleaned_data["barrios"])
    partners.instance = activity
    partners.save()
    if detail_form is not None:
        detail = detail_form.save(commit=False)
        detail.activity = activity
        detail.full_clean()
        detail.save()
        sync_operation_status(user, activity)
        if materials is not None:
            materials.instance = detail
            materials.save()
            placements.instance = detail
            placements.save()
    return activity


@transaction.atomic
def save_indicator(user, form, targets) -> Indicator:
    """Save an indicator and its targets (per period, and per parish where it applies), all or nothing. Each target
    saved or deleted is checked for the user: a parish president, their parish only (PermissionDenied rolls back)."""
    indicator = form.save()
    targets.instance = indicator
    for target in targets.save(commit=False):
        require(user, "change" if target.pk else "add", target)
        target.save()
    for target in targets.deleted_objects:
        require(user, "delete", target)
        target.delete()
    return indicator


def add_evidence(user, activity: Activity, uploaded, *, kind: str, title: str, include_in_report=False) -> Evidence:
    require(user, "change", activity)
    checked = check_upload(uploaded, photo=kind == Evidence.Kind.PHOTO)
    evidence = Evidence(
        activity=activity,
        kind=kind,
        title=title or uploaded.name,
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=user,
        include_in_report=include_in_report,
    )
    evidence.file.save(checked.content.name, checked.content, save=False)
    evidence.save()
    return evidence


def set_status(user, activity: Activity, status: str, reason: str = "") -> Activity:
    require(user, "change", activity)
    activity.status, activity.status_reason = status, reason
    activity.full_clean()
    activity.save(update_fields=["status", "status_reason", "updated_at"])
    return activity


def sync_operation_status(user, activity: Activity) -> None:
    """An operation's stage drives its activity's status: a done operation is a done activity."""
    operation = getattr(activity, "operation", None)
    if operation is not None and operation.stage == "done" and activity.status == Activity.Status.PLANNED:
        set_status(user, activity, Activity.Status.DONE)
