"""The citizen participation page (/observatorio/participacion/): reports per category, barrio and month, response
and resolution times, the share resolved within the time limit, and their CSV/XLSX downloads. Thin: the figures
come from `observatory.participation`, through the inbox's permission scope."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can, require
from centinela.lib.exports import FORMATS, Column, export_response
from centinela.observatory import participation
from centinela.observatory.forms.participation import ParticipationForm
from centinela.participation.models import Report

TABLES = {"category", "barrio", "month"}
BASENAMES = {"category": "reportes-por-categoria", "barrio": "reportes-por-barrio", "month": "reportes-por-mes"}


def _number(value, places=1):
    return "" if value is None else round(value, places)


def columns(table: str) -> list[Column]:
    first = {
        "category": [Column("category", _("Category"), lambda r: r.label)],
        "barrio": [Column("parish", _("Parish"), lambda r: r.parish), Column("barrio", _("Barrio"), lambda r: r.label)],
        "month": [Column("month", _("Month"), lambda r: r.label)],
    }[table]
    return first + [
        Column("reports", _("Reports received"), lambda r: r.reports),
        Column("unanswered", _("Never answered"), lambda r: r.unanswered),
        Column(
            "median_response_hours",
            _("Median time to first response (hours)"),
            lambda r: _number(r.median_response_hours),
        ),
        Column(
            "mean_response_hours", _("Mean time to first response (hours)"), lambda r: _number(r.mean_response_hours)
        ),
        Column("resolved", _("Reports resolved"), lambda r: r.resolved),
        Column(
            "median_resolution_days", _("Median time to resolution (days)"), lambda r: _number(r.median_resolution_days)
        ),
        Column("mean_resolution_days", _("Mean time to resolution (days)"), lambda r: _number(r.mean_resolution_days)),
        Column("resolved_in_time", _("Resolved within the time limit"), lambda r: r.resolved_in_time),
        Column("share_in_time_pct", _("Share resolved within the time limit (%)"), lambda r: _number(r.share_in_time)),
    ]


def participation_page(request):
    user = request.user
    require(user, "view", Report)
    data = {"period": "year", "year": str(timezone.localdate().year)}
    data.update({k: v for k, v in request.GET.items() if k in ParticipationForm.base_fields})
    form = ParticipationForm(data, user=user)
    context = {"form": form, "title": _("Citizen participation"), "can_export": can(user, "export", Report)}
    status = 200
    if form.is_valid():
        d = form.cleaned_data
        figures = participation.figures(user, d["start"], d["end"], d["parish_obj"])
        fmt, table = request.GET.get("export"), request.GET.get("table", "category")
        if fmt in FORMATS and table in TABLES:
            require(user, "export", Report)
            rows = {"category": figures.by_category, "barrio": figures.by_barrio, "month": figures.by_month}[table]
            rows = rows + [figures.total] if table != "barrio" else rows
            return export_response(rows, columns(table), fmt, BASENAMES[table])
        totals = [figures.total] if figures.total.reports else []
        query = urlencode({k: form.data.get(k, "") for k in ParticipationForm.base_fields})
        context.update(
            {
                "figures": figures,
                "query": query,
                "tables": [
                    (
                        key,
                        label,
                        columns(key),
                        [[c.value(r) for c in columns(key)] for r in rows],
                    )
                    for key, label, rows in [
                        ("category", _("By category"), figures.by_category + totals),
                        ("barrio", _("By barrio"), figures.by_barrio),
                        ("month", _("By month"), figures.by_month + totals),
                    ]
                ],
            }
        )
    else:
        status = 400
    return render(request, "observatory/participation/page.html", context, status=status)
