"""The yearly report page: choose a year and a format; the web version shows here; DOCX and PDF are built by the
job worker (`reports.annual`, its page follows it) and downloaded from the job's result."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from centinela.jobs import selectors as job_selectors
from centinela.jobs.models import Job
from centinela.jobs.services import submit
from centinela.reports import charts, jobs, render_html, selectors
from centinela.reports.forms import AnnualReportForm
from centinela.reports.permissions import can_read_annual_report


def annual_report(request):
    if not can_read_annual_report(request.user):
        raise PermissionDenied
    form = AnnualReportForm(request.POST or request.GET or None, years=selectors.report_years(request.user))
    context = {"form": form}
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
    job = get_object_or_404(job_selectors.visible_jobs(request.user), pk=pk, kind=jobs.KIND,
                            status=Job.Status.DONE)
    path = jobs.document_path(job)
    if path is None or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.result["filename"],
                        content_type=job.result["content_type"])
