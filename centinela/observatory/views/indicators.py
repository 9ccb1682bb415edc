"""The incident indicators page (/observatorio/indicadores/): the filter form, the breakdown table with rates and
changes, the monthly trend, the hour-by-weekday heat table, their CSV/XLSX downloads and their charts as PNG/SVG.
Thin: figures come from `observatory.indicators`, always scoped by the one permission check."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can, require
from centinela.incidents.cache import cache_key, cached, data_version, versioned_key
from centinela.incidents.models import Incident
from centinela.incidents.selectors import synthetic_present
from centinela.lib.exports import FORMATS, Column, export_response
from centinela.observatory import charts, indicators
from centinela.observatory.forms.indicators import IndicatorForm

TABLES = {"breakdown", "trend", "heat"}
# Synthetic (demo) incidents in the registry: the CSV/XLSX downloads say so in their file name and in a last column
# that a spreadsheet opens cleanly (the same marks as the observatory's downloads).
SYNTHETIC_SUFFIX = "-sinteticos"
SYNTHETIC_COLUMN = Column("datos_sinteticos", gettext_lazy("Synthetic data"), lambda r: _("yes"))


def _defaults(user) -> dict:
    latest = indicators.latest_year(indicators.counted(user))
    today = timezone.localdate()
    year = latest or today.year
    parishes = list(indicators.scoped_parishes(user)[:2])
    return {
        "period": "year",
        "year": str(year),
        "month": str(today.month if year == today.year else 12),
        "quarter": "1",
        "by": "parish",
        "series": "group",
        "parish": parishes[0].code if len(parishes) == 1 else "",
        "start": (today - timedelta(days=89)).isoformat(),
        "end": today.isoformat(),
    }


def _form(request):
    data = _defaults(request.user)
    given = {k: v for k, v in request.GET.items() if k in IndicatorForm.base_fields}
    data.update(given)
    year, today = data["year"], timezone.localdate()
    past_year = year.isascii() and year.isdecimal() and 1900 < int(year) < today.year  # "²" is a digit int() refuses
    if "start" not in given and "end" not in given and past_year:
        # a date range asked for while a past year is viewed starts as that year (its date pickers open on it)
        data["start"], data["end"] = f"{int(year)}-01-01", f"{int(year)}-12-31"
    return IndicatorForm(data, user=request.user)


def _pct(value):
    return "n/d" if value is None else round(value, 1)


def _population(r):
    return r.population.population if r.population else _("no population")


def breakdown_columns(b) -> list[Column]:
    """The breakdown's columns. The comparison headers name their periods; a year has one comparison (its previous
    period is the year before), so it gets one set of columns, not two equal ones."""
    columns = [
        Column(b.by, charts.dimension_label(b.by).capitalize(), lambda r: r.label),
        Column("count", _("Incidents"), lambda r: r.count),
        Column("population", _("Population"), _population),
        Column("population_year", _("Population year"), lambda r: r.population.year if r.population else ""),
        Column(
            "population_kind",
            _("Census or estimate"),
            lambda r: (_("census") if r.population.kind == "census" else _("estimate")) if r.population else "",
        ),
        Column(
            "rate_per_100k",
            _("Rate per 100,000"),
            lambda r: round(r.rate, 2) if r.rate is not None else _("no population"),
        ),
    ]
    if b.one_comparison:
        label = _("Previous year (%(period)s)") % {"period": b.previous.label()}
    else:
        label = _("Previous period (%(period)s)") % {"period": b.previous.label()}
    columns += [
        Column("previous_period", label, lambda r: r.previous),
        # each column its own label: a file's header row names them, and an importer or a reader must tell them apart
        Column("change_previous", _("Change vs the previous period"), lambda r: r.change_previous[0]),
        Column("change_previous_pct", _("Change vs the previous period %"), lambda r: _pct(r.change_previous[1])),
    ]
    if not b.one_comparison:
        columns += [
            Column(
                "year_before",
                _("A year before (%(period)s)") % {"period": b.year_before.label()},
                lambda r: r.year_before,
            ),
            Column("change_year", _("Change vs a year before"), lambda r: r.change_year[0]),
            Column("change_year_pct", _("Change vs a year before %"), lambda r: _pct(r.change_year[1])),
        ]
    return columns


def _trend_export(trend):
    columns = [
        Column("month", _("Month"), lambda r: r[0]),
        Column(trend.by, charts.dimension_label(trend.by), lambda r: r[1]),
        Column("count", _("Incidents"), lambda r: r[2]),
    ]
    rows = [(m.strftime("%Y-%m"), s.label, s.values[i]) for s in trend.series for i, m in enumerate(trend.months)]
    return rows, columns


def _heat_export(heat):
    columns = [Column("weekday", _("Day"), lambda r: r[0])] + [
        Column(f"h{h:02d}", f"{h:02d}", (lambda r, h=h: r[1][h])) for h in range(24)
    ]
    rows = [(str(WEEKDAYS[d]).capitalize(), heat.cells[d]) for d in range(7)]
    return rows, columns


def _heat_rows(heat):
    top = max(heat.maximum, 1)
    # the shade is a CSS number: formatted here, since the template would localise the decimal point to a comma
    return [(str(WEEKDAYS[d]).capitalize(), [(n, f"{0.85 * n / top:.2f}") for n in heat.cells[d]]) for d in range(7)]


def _parts(user, form) -> tuple:
    """What the page's figures depend on besides the incidents: the scope (role and parish), language, day, filters."""
    return (
        getattr(user, "role", None),
        user.is_superuser,
        getattr(user, "parish_id", None),
        get_language(),
        str(timezone.localdate()),
        sorted((k, str(v)) for k, v in form.cleaned_data.items()),
    )


def _figures(user, form, version=None):
    """The page's figures, cached per scope (role and parish), filters, language and day: the key follows incident
    changes (centinela.incidents.cache), so a new or edited incident shows at once."""
    d = form.cleaned_data
    period, filters = d["the_period"], form.filters()
    return cached(
        "indicators",
        _parts(user, form),
        lambda: {
            "breakdown": indicators.breakdown(user, period, d["by"], **filters),
            "trend": indicators.trend(user, period, d["series"], **filters),
            "heat": indicators.heat(user, period, **filters),
        },
        version,
    )


def indicators_page(request):
    user = request.user
    require(user, "view", Incident)
    form = _form(request)
    context = {
        "form": form,
        "title": _("Incident indicators"),
        "synthetic": synthetic_present(),
        "can_export": can(user, "export", Incident),
    }
    if form.is_valid():
        version = data_version()
        figures = _figures(user, form, version)
        fmt, table = request.GET.get("export"), request.GET.get("table", "breakdown")
        if fmt in FORMATS and table in TABLES:
            require(user, "export", Incident)
            if table == "breakdown":
                b = figures["breakdown"]
                rows, columns, basename = [*b.rows, b.total], breakdown_columns(b), "indicadores-incidentes"
            else:
                rows, columns = (_trend_export if table == "trend" else _heat_export)(figures[table])
                basename = f"indicadores-{'tendencia' if table == 'trend' else 'hora-dia'}"
            if context["synthetic"]:
                columns, basename = columns + [SYNTHETIC_COLUMN], basename + SYNTHETIC_SUFFIX
            return export_response(rows, columns, fmt, basename)
        b = figures["breakdown"]
        columns, query = breakdown_columns(b), _query(form)
        context.update(figures)
        context.update(
            {
                # The results' HTML is cached beside the figures, under the same key plus what only the HTML shows (the
                # export links): the rows are callables, made only when the template's cached fragment is missing.
                # figures of a version before (another request computes this version's) never fill its HTML
                "results_key": versioned_key((_parts(user, form), context["can_export"], query), version)
                + ("" if cache.has_key(cache_key("indicators", _parts(user, form), version)) else ":before"),
                "results_seconds": settings.OPEN_DATA_CACHE_SECONDS,
                "query": query,
                "columns": columns,
                "rows": lambda: [[c.value(r) for c in columns] for r in [*b.rows, b.total]],
                "weekdays": [str(WEEKDAYS[d]).capitalize() for d in range(7)],
                "hours": range(24),
                "heat_rows": lambda: _heat_rows(figures["heat"]),
                "chart_list": [
                    ("breakdown", _("Incidents by %(what)s") % {"what": charts.dimension_label(b.by)}),
                    ("trend", _("Monthly trend")),
                    ("heat", _("Incidents by day of week and hour")),
                ],
                "trend_labels": figures["trend"].labels(),
                "dimension": charts.dimension_label(b.by),
                "series_label": charts.dimension_label(figures["trend"].by),
            }
        )
    fragment = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    response = render(
        request, "observatory/indicators/_results.html" if fragment else "observatory/indicators/page.html", context
    )
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])
    return response


def _query(form) -> str:
    from urllib.parse import urlencode

    return urlencode({k: form.data.get(k, "") for k in IndicatorForm.base_fields})


def chart(request):
    """?chart=breakdown|trend|heat&format=png|svg plus the page's filters."""
    user = request.user
    require(user, "view", Incident)
    name, fmt = request.GET.get("chart", "breakdown"), request.GET.get("format", "png")
    if name not in TABLES or fmt not in charts.CONTENT_TYPES:
        return HttpResponseBadRequest(_("Unknown chart or format."), content_type="text/plain; charset=utf-8")
    form = _form(request)
    if not form.is_valid():
        message = " ".join(str(e) for errors in form.errors.values() for e in errors)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    d = form.cleaned_data
    period, filters = d["the_period"], form.filters()
    synthetic = synthetic_present()
    if name == "breakdown":
        fig = charts.breakdown_chart(indicators.breakdown(user, period, d["by"], **filters), synthetic=synthetic)
    elif name == "trend":
        fig = charts.trend_chart(indicators.trend(user, period, d["series"], **filters), synthetic=synthetic)
    else:
        fig = charts.heat_chart(indicators.heat(user, period, **filters), synthetic=synthetic)
    response = HttpResponse(charts.render(fig, fmt), content_type=charts.CONTENT_TYPES[fmt])
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="indicadores-{name}.{fmt}"'
    return response
