"""The incident indicators page (/observatorio/indicadores/): the filter form, the breakdown table with rates and
changes, the monthly trend, the hour-by-weekday heat table, their CSV/XLSX downloads and their charts as PNG/SVG.
Thin: figures come from `incidents.indicators`, always scoped by the one permission check."""
from __future__ import annotations

from datetime import timedelta

from django import forms
from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.accounts.permissions import can, require
from centinela.incidents import charts, indicators
from centinela.incidents.cache import cached, data_version, versioned_key
from centinela.incidents.models import Category, Incident
from centinela.incidents.selectors import synthetic_present
from centinela.lib import dates
from centinela.lib.exports import FORMATS, Column, export_response

PERIODS = [("month", gettext_lazy("Month")), ("quarter", gettext_lazy("Quarter")), ("year", gettext_lazy("Year")),
           ("range", gettext_lazy("Date range"))]
BREAKDOWNS = [("parish", gettext_lazy("Parish")), ("barrio", gettext_lazy("Barrio")),
              ("group", gettext_lazy("Category group")), ("category", gettext_lazy("Category"))]
SERIES = [("group", gettext_lazy("Category group")), ("parish", gettext_lazy("Parish"))]
MAX_RANGE_DAYS = 366 * 20
TABLES = {"breakdown", "trend", "heat"}
# Synthetic (demo) incidents in the registry: the CSV/XLSX downloads say so in their file name and in a last column
# that a spreadsheet opens cleanly (the same marks as the observatory's downloads).
SYNTHETIC_SUFFIX = "-sinteticos"
SYNTHETIC_COLUMN = Column("datos_sinteticos", gettext_lazy("Synthetic data"), lambda r: _("yes"))


class IndicatorForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIODS)
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False)
    month = forms.TypedChoiceField(label=gettext_lazy("Month"), coerce=int, required=False,
                                   choices=[(i, i) for i in range(1, 13)])
    quarter = forms.TypedChoiceField(label=gettext_lazy("Quarter"), coerce=int, required=False,
                                     choices=[(q, f"T{q}") for q in range(1, 5)])
    start = dates.DateField(label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = dates.DateField(label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label=gettext_lazy("Rows"), choices=BREAKDOWNS)
    parish = forms.ChoiceField(label=gettext_lazy("Parish"), required=False,
                               error_messages={"invalid_choice": gettext_lazy("Unknown parish: %(value)s.")})
    group = forms.ChoiceField(label=gettext_lazy("Category group"), required=False,
                              error_messages={"invalid_choice": gettext_lazy("Unknown category group: %(value)s.")})
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False,
                                 error_messages={"invalid_choice": gettext_lazy("Unknown category: %(value)s.")})
    series = forms.ChoiceField(label=gettext_lazy("Trend by"), choices=SERIES)

    def __init__(self, data, *, user, **kwargs):
        self.user = user
        self.parishes = {p.code: p for p in indicators.scoped_parishes(user)}
        self.categories = {c.code: c for c in Category.objects.filter(active=True)}
        super().__init__(data, **kwargs)
        self.fields["month"].choices = [(i, _month_name(i)) for i in range(1, 13)]
        self.fields["quarter"].choices = [(q, _("Q%(q)s") % {"q": q}) for q in range(1, 5)]
        if len(self.parishes) > 1:
            self.fields["parish"].choices = [("", _("All parishes"))] + [(c, p.name) for c, p in self.parishes.items()]
        else:
            self.fields["parish"].choices = [(c, p.name) for c, p in self.parishes.items()]
        self.fields["group"].choices = [("", _("All groups"))] + list(Category.Group.choices)
        self.fields["category"].choices = [("", _("All categories"))] + [(c, str(cat)) for c, cat in self.categories.items()]

    def clean(self):
        data = super().clean()
        kind, year = data.get("period"), data.get("year")
        if kind in ("month", "quarter", "year") and not year:
            raise forms.ValidationError(_("Choose a year."))
        if kind == "month":
            if not data.get("month"):
                raise forms.ValidationError(_("Choose a month."))
            data["the_period"] = indicators.month_period(year, data["month"])
        elif kind == "quarter":
            if not data.get("quarter"):
                raise forms.ValidationError(_("Choose a quarter."))
            data["the_period"] = indicators.quarter_period(year, data["quarter"])
        elif kind == "year":
            data["the_period"] = indicators.year_period(year)
        elif kind == "range":
            start, end = data.get("start"), data.get("end")
            if not start or not end:
                raise forms.ValidationError(_("Give both a start and an end date for a date range."))
            if end < start:
                raise forms.ValidationError(_("The end date (%(end)s) is before the start date (%(start)s).") % {
                    "end": end.strftime("%d/%m/%Y"), "start": start.strftime("%d/%m/%Y")})
            if (end - start).days > MAX_RANGE_DAYS:
                raise forms.ValidationError(_("The date range is too long: at most 20 years."))
            data["the_period"] = indicators.Period(start, end, "range")
        period = data.get("the_period")
        if period and period.start > timezone.localdate():
            raise forms.ValidationError(_("The period starts after today: there is nothing to count yet."))
        data["parish_obj"] = self.parishes.get(data.get("parish") or "")
        data["category_obj"] = self.categories.get(data.get("category") or "")
        return data

    def filters(self):
        d = self.cleaned_data
        return {"parish": d["parish_obj"], "group": d.get("group") or None, "category": d["category_obj"]}


def _month_name(i):
    from django.utils.dates import MONTHS as NAMES

    return str(NAMES[i]).capitalize()


def _defaults(user) -> dict:
    latest = indicators.latest_year(indicators.counted(user))
    today = timezone.localdate()
    year = latest or today.year
    parishes = list(indicators.scoped_parishes(user)[:2])
    return {"period": "year", "year": str(year), "month": str(today.month if year == today.year else 12),
            "quarter": "1", "by": "parish", "series": "group",
            "parish": parishes[0].code if len(parishes) == 1 else "",
            "start": (today - timedelta(days=89)).isoformat(), "end": today.isoformat()}


def _form(request):
    data = _defaults(request.user)
    data.update({k: v for k, v in request.GET.items() if k in IndicatorForm.base_fields})
    return IndicatorForm(data, user=request.user)


def _pct(value):
    return "n/d" if value is None else round(value, 1)


def breakdown_columns(by: str) -> list[Column]:
    return [
        Column(by, charts.dimension_label(by).capitalize(), lambda r: r.label),
        Column("count", _("Incidents"), lambda r: r.count),
        Column("population", _("Population"), lambda r: r.population.population if r.population else _("no population")),
        Column("census_year", _("Census"), lambda r: r.population.census_year if r.population else ""),
        Column("rate_per_100k", _("Rate per 100,000"), lambda r: round(r.rate, 2) if r.rate is not None else _("no population")),
        Column("previous_period", _("Previous period"), lambda r: r.previous),
        Column("change_previous", _("Change"), lambda r: r.change_previous[0]),
        Column("change_previous_pct", _("Change %"), lambda r: _pct(r.change_previous[1])),
        Column("year_before", _("A year before"), lambda r: r.year_before),
        Column("change_year", _("Change"), lambda r: r.change_year[0]),
        Column("change_year_pct", _("Change %"), lambda r: _pct(r.change_year[1])),
    ]


def _trend_export(trend):
    columns = [Column("month", _("Month"), lambda r: r[0]), Column(trend.by, charts.dimension_label(trend.by), lambda r: r[1]),
               Column("count", _("Incidents"), lambda r: r[2])]
    rows = [(m.strftime("%Y-%m"), s.label, s.values[i]) for s in trend.series for i, m in enumerate(trend.months)]
    return rows, columns


def _heat_export(heat):
    columns = [Column("weekday", _("Day"), lambda r: r[0])] + [
        Column(f"h{h:02d}", f"{h:02d}", (lambda r, h=h: r[1][h])) for h in range(24)]
    rows = [(str(WEEKDAYS[d]).capitalize(), heat.cells[d]) for d in range(7)]
    return rows, columns


def _heat_rows(heat):
    top = max(heat.maximum, 1)
    # the shade is a CSS number: formatted here, since the template would localise the decimal point to a comma
    return [(str(WEEKDAYS[d]).capitalize(), [(n, f"{0.85 * n / top:.2f}") for n in heat.cells[d]]) for d in range(7)]


def _parts(user, form) -> tuple:
    """What the page's figures depend on besides the incidents: the scope (role and parish), language, day, filters."""
    return (getattr(user, "role", None), user.is_superuser, getattr(user, "parish_id", None), get_language(),
            str(timezone.localdate()), sorted((k, str(v)) for k, v in form.cleaned_data.items()))


def _figures(user, form, version=None):
    """The page's figures, cached per scope (role and parish), filters, language and day: the key follows incident
    changes (centinela.incidents.cache), so a new or edited incident shows at once."""
    d = form.cleaned_data
    period, filters = d["the_period"], form.filters()
    return cached("indicators", _parts(user, form), lambda: {
        "breakdown": indicators.breakdown(user, period, d["by"], **filters),
        "trend": indicators.trend(user, period, d["series"], **filters),
        "heat": indicators.heat(user, period, **filters),
    }, version)


def indicators_page(request):
    user = request.user
    require(user, "view", Incident)
    form = _form(request)
    context = {"form": form, "title": _("Incident indicators"), "synthetic": synthetic_present(),
               "can_export": can(user, "export", Incident)}
    if form.is_valid():
        version = data_version()
        figures = _figures(user, form, version)
        fmt, table = request.GET.get("export"), request.GET.get("table", "breakdown")
        if fmt in FORMATS and table in TABLES:
            require(user, "export", Incident)
            if table == "breakdown":
                b = figures["breakdown"]
                rows, columns, basename = [*b.rows, b.total], breakdown_columns(b.by), "indicadores-incidentes"
            else:
                rows, columns = (_trend_export if table == "trend" else _heat_export)(figures[table])
                basename = f"indicadores-{'tendencia' if table == 'trend' else 'hora-dia'}"
            if context["synthetic"]:
                columns, basename = columns + [SYNTHETIC_COLUMN], basename + SYNTHETIC_SUFFIX
            return export_response(rows, columns, fmt, basename)
        b = figures["breakdown"]
        columns, query = breakdown_columns(b.by), _query(form)
        context.update(figures)
        context.update({
            # The results' HTML is cached beside the figures, under the same key plus what only the HTML shows (the
            # export links): the rows are callables, made only when the template's cached fragment is missing.
            "results_key": versioned_key((_parts(user, form), context["can_export"], query), version),
            "results_seconds": settings.OPEN_DATA_CACHE_SECONDS,
            "query": query, "columns": columns,
            "rows": lambda: [[c.value(r) for c in columns] for r in [*b.rows, b.total]],
            "weekdays": [str(WEEKDAYS[d]).capitalize() for d in range(7)], "hours": range(24),
            "heat_rows": lambda: _heat_rows(figures["heat"]),
            "chart_list": [("breakdown", _("Incidents by %(what)s") % {"what": charts.dimension_label(b.by)}),
                           ("trend", _("Monthly trend")), ("heat", _("Incidents by day of week and hour"))],
            "trend_labels": figures["trend"].labels(),
            "dimension": charts.dimension_label(b.by), "series_label": charts.dimension_label(figures["trend"].by),
        })
    fragment = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    response = render(request, "incidents/indicators/_results.html" if fragment else "incidents/indicators/page.html",
                      context)
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
