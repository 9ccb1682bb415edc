"""The yearly report page: choose a year and a format; the web version shows here, DOCX and PDF download."""
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from centinela.reports import charts, documents, render_html, selectors
from centinela.reports.forms import AnnualReportForm
from centinela.reports.permissions import can_read_annual_report


def annual_report(request):
    if not can_read_annual_report(request.user):
        raise PermissionDenied
    form = AnnualReportForm(request.GET or None, years=selectors.report_years(request.user))
    context = {"form": form}
    if form.is_bound and form.is_valid():
        year, fmt = form.cleaned_data["year"], form.cleaned_data["format"]
        if fmt != "html":
            document = documents.build(year, fmt, request.user)
            response = HttpResponse(document.content, content_type=document.content_type)
            response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
            return response
        report = selectors.annual_report(year, request.user)
        context.update(render_html.context(report, charts.build_charts(report)))
    return render(request, "reports/annual_report.html", context)
