"""The yearly report page: choose a year and a format; the web version shows here; DOCX and PDF are built by the
job worker (`reports.annual`, its page follows it) and downloaded from the job's result; a draft version is built by
the worker too (`reports.draft`), and its page goes on to this one."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from centinela.accounts.permissions import can
from centinela.jobs import selectors as job_selectors
from centinela.jobs.models import Job
from centinela.jobs.services import submit
from centinela.reports import charts, jobs, render_html, selectors, services
from centinela.reports.forms import AnnualReportForm
from centinela.reports.models import ReportVersion
from centinela.reports.permissions import can_read_annual_report


def annual_report(request):
    if not can_read_annual_report(request.user):
        raise PermissionDenied
    form = AnnualReportForm(request.POST or request.GET or None, years=selectors.report_years(request.user))
    context = {"form": form, **_versions(request.user)}
    if form.is_bound and form.is_valid():
        year, fmt = form.cleaned_data["year"], form.cleaned_data["format"]
        if fmt != "html":
            if request.method != "POST":  # a document is built on the queue: asked for with the form, never a link
                return render(request, "reports/annual_report.html", context)
            job = submit(request.user, jobs.KIND, {"year": year, "format": fmt})
            messages.success(request, _("The report is being built in the background; this page follows it."))
            return redirect("jobs:job_detail", pk=job.pk)
        report = selectors.annual_report(year, request.user)
        context.update(render_html.context(report, charts.build_charts(report)))
    return render(request, "reports/annual_report.html", context)


@require_GET
def download(request, pk):
    """The document a `reports.annual` job built, for whoever may see that job and read the report."""
    if not can_read_annual_report(request.user):
        raise PermissionDenied
    job = get_object_or_404(job_selectors.visible_jobs(request.user), pk=pk, kind=jobs.KIND, status=Job.Status.DONE)
    path = jobs.document_path(job)
    if path is None or not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=job.result["filename"], content_type=job.result["content_type"]
    )


# --- versions: a draft, the director's approval, the frozen file (reports.services) --------------------------------


def _versions(user) -> dict:
    """The list of versions with each one's recorded SHA-256. The stored files are not read here (hashing every PDF on
    every view): a file is checked against its hash when it is downloaded (version_download)."""
    versions = list(ReportVersion.objects.select_related("approved_by", "created_by"))
    return {
        "versions": versions,
        "can_generate": can(user, "add", ReportVersion),
        "can_approve": can(user, "change", ReportVersion),
    }


def _error(request, error):
    messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))


@require_POST
def version_generate(request):
    if not can_read_annual_report(request.user) or not can(request.user, "add", ReportVersion):
        raise PermissionDenied
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = None
    if year not in selectors.report_years():
        messages.error(request, _("Choose a year with a plan or activities."))
        return redirect("reports:annual_report")
    job = submit(request.user, jobs.DRAFT_KIND, {"year": year})  # built by the worker (reports.jobs.run_draft)
    messages.success(
        request,
        _("The draft of %(year)s is being built in the background; this page goes on to the report when it is done.")
        % {"year": year},
    )
    return redirect(reverse("jobs:job_detail", args=[job.pk]) + "?follow=1")


@require_POST
def version_approve(request, pk):
    if not can_read_annual_report(request.user) or not can(request.user, "change", ReportVersion):
        raise PermissionDenied
    version = get_object_or_404(ReportVersion, pk=pk)
    try:
        services.approve(request.user, version)
    except ValidationError as error:
        _error(request, error)
    else:
        messages.success(request, _("%(version)s approved and frozen.") % {"version": version})
    return redirect("reports:annual_report")


@require_GET
def version_download(request, pk):
    """A version's stored PDF, once its SHA-256 is checked: a file that no longer matches is not handed out."""
    if not can_read_annual_report(request.user):
        raise PermissionDenied
    version = get_object_or_404(ReportVersion, pk=pk)
    if not version.file:
        raise Http404
    if not services.file_matches(version):
        messages.error(
            request,
            _("The stored file of %(version)s does not match its SHA-256: it was altered or lost.")
            % {"version": version},
        )
        return redirect("reports:annual_report")
    return FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.file.name.rsplit("/", 1)[-1],
        content_type="application/pdf",
    )
