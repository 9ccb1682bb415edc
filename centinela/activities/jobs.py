"""The activity import and the attendance-sheet import, applied by the job queue once the user confirms the preview
(centinela.jobs.imports): the upload page checks the file in the request, the worker applies it (all rows or
none) with the same importer, for the same user, who must still be allowed to."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.jobs.imports import import_job_kind
from centinela.jobs.registry import JobError

ACTIVITY_KIND = "activities.import"
ATTENDANCE_KIND = "activities.attendance_import"


def may_import_activities(user, params=None) -> bool:
    """The activity import page's own check (`require(user, "add", Activity)`)."""
    from centinela.accounts.permissions import can
    from centinela.activities.models import Activity

    return can(user, "add", Activity)


def _activity_importer(user, params, skip):
    from centinela.activities.activity_import import activity_importer

    return activity_importer(user, skip=skip)


def activity_summary(result, params) -> tuple[str, str]:
    """What the page says once the file is applied, and where it leads: the activity list."""
    message = _("%(n)s activities saved.") % {"n": result.counts["saved"]}
    if result.skipped:
        message += " " + _("%(n)s rows with problems were left out.") % {"n": result.skipped}
    return message, reverse("activities:activity_list")


import_job_kind(
    ACTIVITY_KIND,
    label=gettext_lazy("Activity import"),
    make_importer=_activity_importer,
    may_import=may_import_activities,
    summary=activity_summary,
    page_url=lambda params: reverse("activities:activity_import"),
)


def changeable_training(user, pk):
    """The training of the sheet, if `user` may still change it (the page's check: in their scope, and theirs to
    change), else None."""
    from centinela.accounts.permissions import can
    from centinela.activities.selectors.training import trainings_for

    training = trainings_for(user).filter(pk=pk).first() if str(pk).isdigit() else None
    return training if training is not None and can(user, "change", training) else None


def _attendance_importer(user, params, skip):
    from centinela.activities.attendance_import import attendance_importer

    training = changeable_training(user, params.get("training"))
    if training is None:
        raise JobError(_("The account that asked for this import may no longer do it; nothing was imported."))
    return attendance_importer(user, training, skip=skip)


def attendance_summary(result, params) -> tuple[str, str]:
    """What the page says once the sheet is applied, and where it leads: the training's page."""
    c = result.counts
    message = _(
        "Attendance imported: %(new)s marked present, %(already)s already present, %(changed)s with their "
        "participation updated, %(people)s new people, %(skipped)s rows skipped."
    ) % {
        "new": c["attendance_new"],
        "already": c["already_present"],
        "changed": c["participation_changed"],
        "people": c["people_new"],
        "skipped": c["skipped"],
    }
    return message, reverse("activities:training_detail", args=[params["training"]])


import_job_kind(
    ATTENDANCE_KIND,
    label=gettext_lazy("Attendance sheet import"),
    make_importer=_attendance_importer,
    may_import=lambda user, params: changeable_training(user, params.get("training")) is not None,
    summary=attendance_summary,
    page_url=lambda params: reverse("activities:training_attendance_import", args=[params.get("training") or 0]),
)
