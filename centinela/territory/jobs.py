"""The boundary import as a background job: the upload page previews the file, the confirmation queues this job and
`run_jobs` applies it (all or nothing), so a large Shapefile or GeoPackage never holds a web request. A file over
IMPORT_CHECK_IN_REQUEST_MAX_MB is not even read in the request: `run_check` reads, reprojects and checks it and the
page shows the result (lib.import_views.PreviewAsJob). The management command `import_boundaries` runs the same
importer directly."""

from __future__ import annotations

from auditlog.context import set_actor
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.jobs.imports import SHOWN_PROBLEMS, nothing_imported
from centinela.jobs.registry import JobError, job_kind
from centinela.jobs.services import held_path

KIND = "territory.boundaries"


def _importing_user(job):
    """The user who asked for the job, if they may still change the boundaries (a right, or the account, can be
    taken away between the upload and the worker): the check and the import both ask."""
    from centinela.accounts.permissions import can
    from centinela.territory.models import Parish

    user = job.created_by
    if user is None or not user.is_active or not can(user, "change", Parish):
        raise JobError(_("The account that asked for this import may no longer import boundaries."))
    return user


def _result_url(job):
    return reverse("territory:parish_list" if job.params.get("level") == "parish" else "territory:barrio_list")


@job_kind(KIND, label=gettext_lazy("Boundary import"), result_url=_result_url)
def run_boundary_import(job, progress):
    from centinela.lib.import_views import keep_rejected_in_job
    from centinela.lib.imports import run_import
    from centinela.territory.boundaries import RejectedFeatures, importer_for

    path = held_path(job)  # kept by the queue until the job has ended (a retry reads it)
    with translation.override(settings.LANGUAGE_CODE):
        user = _importing_user(job)
        if path is None or not path.exists():
            raise JobError(_("The uploaded file is no longer there; upload it again."))
        progress(0.05, _("Reading the file"))
        skip = frozenset(job.params.get("skip") or ())
        # the features left out, written here for the page's download (never read again in a web request)
        kept = keep_rejected_in_job(job.params, path, RejectedFeatures())
        with set_actor(user):  # the import's audit entry names who asked for it
            result = run_import(
                importer_for(job.params, user, skip=skip), path, filename=job.params.get("filename", "")
            )
        if not result.ok:
            raise nothing_imported(result.problems)
        progress(1.0, _("Boundaries imported: %(counts)s") % {"counts": result.counts})
        return {
            "counts": result.counts,
            "level": job.params.get("level"),
            "rejected": len(skip),
            # the job's page offers the features left out, when they could be kept
            "rejected_urls": job.params.get("rejected_urls") if kept else None,
        }


# --- a large upload checked in the background (lib.import_views.PreviewAsJob) -------------------------------------

CHECK_KIND = "territory.boundary_check"


def _checked_url(job):
    return f"{reverse('territory:boundary_import')}?checked={job.pk}"


@job_kind(CHECK_KIND, label=gettext_lazy("Boundary file check"), result_url=_checked_url)
def run_check(job, progress):
    """The checks of the upload page (every feature read, reprojected and its geometry checked, and the preview) on
    a file too large to check in a web request; the page then shows what they found, and its confirmation queues
    the import (`run_boundary_import`) as for any other file. The importer is the one the page would use for this
    user (new parishes only for who may add them)."""
    from centinela.lib.import_views import check_in_job
    from centinela.territory.boundaries import importer_for

    with translation.override(settings.LANGUAGE_CODE):
        user = _importing_user(job)
        progress(0.05, _("Reading the file"))
        try:
            return check_in_job(
                lambda params, skip: importer_for(params, user, skip=skip),
                job.params,
                skip_problem_rows=True,
                shown=SHOWN_PROBLEMS,
            )
        except FileNotFoundError:
            raise JobError(_("The uploaded file is no longer there; upload it again.")) from None


def checked(user, job_id) -> dict | None:
    """The result of `user`'s finished check job `job_id`, or None (another user's, not finished, not a check)."""
    from centinela.jobs.selectors import own_result

    return own_result(user, job_id, CHECK_KIND)
