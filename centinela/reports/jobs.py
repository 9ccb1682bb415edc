"""The yearly report as background jobs: a DOCX or PDF of a year's records takes long enough to build (charts,
layout) that it runs in `run_jobs`, not in a web request; the job's page follows it and links the document
(`reports.annual`). A draft version (`reports.draft`: the PDF, its figures and hash, `services.generate_draft`) is
built the same way; its job page goes on to the report page, where the draft is listed. `manage.py annual_report`
builds the same document directly."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.jobs.registry import JobError, job_kind

KIND = "reports.annual"
DRAFT_KIND = "reports.draft"


def folder() -> Path:
    path = Path(settings.VAR_DIR) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def document_path(job) -> Path | None:
    name = (job.result or {}).get("file")
    return folder() / Path(name).name if name else None


def _result_url(job):
    return reverse("reports:download", args=[job.pk])


@job_kind(KIND, label=gettext_lazy("Yearly accountability report"), result_url=_result_url)
def run_annual_report(job, progress):
    from centinela.reports import documents
    from centinela.reports.permissions import can_read_annual_report

    year, fmt = int(job.params["year"]), job.params["format"]
    with translation.override(settings.LANGUAGE_CODE):
        user = job.created_by
        if user is None or not user.is_active or not can_read_annual_report(user):
            raise JobError(_("The account that asked for this report may no longer read it."))
        if fmt not in documents.FORMATS:
            raise JobError(_("Unknown report format: %(f)s.") % {"f": fmt})
        progress(0.1, _("Building the report"))
        document = documents.build(year, fmt, user)
        name = f"{job.pk}-{secrets.token_urlsafe(8)}.{fmt}"
        (folder() / name).write_bytes(document.content)
        progress(1.0, _("Done"))
        return {
            "file": name,
            "filename": document.filename,
            "content_type": document.content_type,
            "size": len(document.content),
        }


def _draft_result_url(job):
    return reverse("reports:annual_report")


@job_kind(DRAFT_KIND, label=gettext_lazy("Draft of the accountability report"), result_url=_draft_result_url)
def run_draft(job, progress):
    """A draft version of the year's report; the permission is checked again here (the account may have changed
    since it was queued), and `services.generate_draft` checks it once more as every service does."""
    from centinela.accounts.permissions import can
    from centinela.reports import selectors, services
    from centinela.reports.models import ReportVersion
    from centinela.reports.permissions import can_read_annual_report

    year = int(job.params["year"])
    with translation.override(settings.LANGUAGE_CODE):
        user = job.created_by
        if (
            user is None
            or not user.is_active
            or not can_read_annual_report(user)
            or not can(user, "add", ReportVersion)
        ):
            raise JobError(_("The account that asked for this draft may no longer generate it."))
        if year not in selectors.report_years():
            raise JobError(_("Choose a year with a plan or activities."))
        progress(0.1, _("Building the draft"))
        version = services.generate_draft(user, year)
        progress(1.0, _("Done"))
        return {"version": version.pk, "label": str(version)}
