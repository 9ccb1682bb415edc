"""The incident import as a background job: the upload page previews the file, the confirmation queues this job,
and `run_jobs` imports it (staged outside the transaction, then one short transaction: all rows or none) with a
progress bar on the job's page; the import's audit entry names the user who asked for it."""

from __future__ import annotations

import logging
from pathlib import Path

from auditlog.context import set_actor
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.accounts.permissions import can
from centinela.jobs.imports import SHOWN_PROBLEMS, nothing_imported
from centinela.jobs.registry import JobError, job_kind
from centinela.jobs.services import held_folder, hold, transaction_progress  # noqa: F401 - the queue keeps uploads
from centinela.lib.import_views import keep_rejected_in_job

logger = logging.getLogger(__name__)

KIND = "incidents.import"


def _result_url(job):
    result = job.result or {}
    url = reverse("incidents:incident_list")
    return f"{url}?source={result['source_id']}" if result.get("source_id") else url


def _importing_user(job):
    """The user who asked for the job, if they may still import incidents (a right can be taken away meanwhile)."""
    from centinela.incidents.models import ImportProfile, Incident

    user = job.created_by
    if user is None or not can(user, "add", Incident) or not can(user, "add", ImportProfile):
        raise JobError(_("The account that asked for this import may no longer import incidents."))
    return user


@job_kind(KIND, label=gettext_lazy("Incident import"), result_url=_result_url)
def run_import(job, progress):
    from centinela.incidents.importer import rows_message
    from centinela.incidents.models import ImportProfile
    from centinela.incidents.services import import_incidents

    params = job.params
    path = held_folder() / Path(params["file"]).name  # kept by the queue until the job has ended (a retry reads it)
    with translation.override(settings.LANGUAGE_CODE):
        user = _importing_user(job)
        profile = ImportProfile.objects.select_related("source").filter(pk=params.get("profile")).first()
        if profile is None:
            raise JobError(_("The import profile no longer exists."))
        if not path.exists():
            raise JobError(_("The uploaded file is no longer there; upload it again."))
        # the rows left out, written here for the page's download (never read again in a web request)
        kept = keep_rejected_in_job(params, path)
        report, close = transaction_progress(job, progress)
        try:
            with set_actor(user):
                result = import_incidents(
                    path,
                    profile,
                    progress=report,
                    skip=frozenset(params.get("skip") or ()),
                    filename=params.get("filename", ""),
                )
        finally:
            close()
        if not result.ok:  # the registry changed since the preview: nothing was imported
            raise nothing_imported(result.problems)
        progress(1.0, rows_message(len(result.rows), len(result.rows)))  # committed: shown as it is now
        if result.counts["created"]:
            compute_figures_after_import(result.counts["created"])
        return {
            "rows": len(result.rows),
            "created": result.counts["created"],
            "rejected": len(params.get("skip") or ()),
            "already_imported": result.counts["already_imported"],
            "without_parish": result.preview.get("without_parish", 0),
            "without_time": result.preview.get("without_time", 0),
            "source_id": profile.source_id,
            "profile": profile.name,
            "filename": params.get("filename", ""),
            # the job's page offers the rejected rows (import_views), when they could be kept
            "rejected_urls": params.get("rejected_urls") if kept else None,
        }


def compute_figures_after_import(created: int) -> None:
    """incidents_imported: what other apps compute from every incident (the open data's figures) is computed now, in
    the worker, not by the first visitor after the import (25 s at a million incidents on SQLite). A failure there is
    logged and leaves the import done: a visitor's request computes the figures as before."""
    from centinela.incidents.models import Incident
    from centinela.incidents.signals import incidents_imported

    for receiver, outcome in incidents_imported.send_robust(sender=Incident, created=created):
        if isinstance(outcome, Exception):
            logger.warning("computing %s after an import failed: %r", getattr(receiver, "__name__", receiver), outcome)


# --- a large upload checked in the background (lib.import_views.PreviewAsJob) -------------------------------------

CHECK_KIND = "incidents.check"


def _checked_url(job):
    return f"{reverse('incidents:import')}?checked={job.pk}"


@job_kind(CHECK_KIND, label=gettext_lazy("Incident file check"), result_url=_checked_url)
def run_check(job, progress):
    """The checks of the upload page (every row, and the preview) on a file too large to check in a web request;
    the page then shows what they found, and its confirmation queues the import as for any other file."""
    from centinela.incidents.importer import incident_importer
    from centinela.incidents.models import ImportProfile
    from centinela.lib.import_views import check_in_job

    params = job.params
    with translation.override(settings.LANGUAGE_CODE):
        _importing_user(job)

        def make_importer(form_params, skip=frozenset()):
            profile = ImportProfile.objects.select_related("source").filter(pk=form_params.get("profile")).first()
            if profile is None:
                raise JobError(_("The import profile no longer exists."))
            return incident_importer(profile, skip=skip, progress=progress)

        try:
            return check_in_job(make_importer, params, skip_problem_rows=True, shown=SHOWN_PROBLEMS)
        except FileNotFoundError:
            raise JobError(_("The uploaded file is no longer there; upload it again.")) from None


def checked(user, job_id) -> dict | None:
    """The result of `user`'s finished check job `job_id`, or None (another user's, not finished, not a check)."""
    from centinela.jobs.selectors import own_result

    return own_result(user, job_id, CHECK_KIND)
