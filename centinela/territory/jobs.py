"""The boundary import as a background job: the upload page previews the file, the confirmation queues this job and
`run_jobs` applies it (all or nothing), so a large Shapefile or GeoPackage never holds a web request. The management
command `import_boundaries` runs the same importer directly."""

from __future__ import annotations

from auditlog.context import set_actor
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.jobs.registry import JobError, job_kind
from centinela.jobs.services import held_path

KIND = "territory.boundaries"
SHOWN_PROBLEMS = 20


def _result_url(job):
    return reverse("territory:parish_list" if job.params.get("level") == "parish" else "territory:barrio_list")


@job_kind(KIND, label=gettext_lazy("Boundary import"), result_url=_result_url)
def run_boundary_import(job, progress):
    from centinela.accounts.permissions import can
    from centinela.lib.import_views import keep_rejected_in_job
    from centinela.lib.imports import run_import
    from centinela.territory.boundaries import RejectedFeatures, importer_for
    from centinela.territory.models import Parish

    path = held_path(job)  # kept by the queue until the job has ended (a retry reads it)
    with translation.override(settings.LANGUAGE_CODE):
        user = job.created_by
        if user is None or not user.is_active or not can(user, "change", Parish):
            raise JobError(_("The account that asked for this import may no longer import boundaries."))
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
            shown = "; ".join(str(p) for p in result.problems[:SHOWN_PROBLEMS])
            raise JobError(_("%(n)s problems; nothing was imported.") % {"n": len(result.problems)} + " " + shown)
        progress(1.0, _("Boundaries imported: %(counts)s") % {"counts": result.counts})
        return {
            "counts": result.counts,
            "level": job.params.get("level"),
            "rejected": len(skip),
            # the job's page offers the features left out, when they could be kept
            "rejected_urls": job.params.get("rejected_urls") if kept else None,
        }
