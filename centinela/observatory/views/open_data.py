"""Open data at /datos-abiertos/ (no login): incidents by parish x month x category group and by parish x year,
small counts suppressed (`OPEN_DATA_MIN_COUNT`, with complementary suppression), as a page with a note on method
and as CSV/XLSX through the one export helper. Never a location, an address, a source reference or an id.

The figures and the tables' HTML are cached (centinela.incidents.cache: the key changes whenever incidents do), so
the page costs the same at a thousand incidents or a million once computed."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.incidents.cache import cache_key, cached, data_version
from centinela.lib.exports import FORMATS, Column, export_response
from centinela.observatory import indicators


def _count(value):
    return "" if value is None else value


def monthly_export(data: indicators.OpenData):
    labels = dict(data.groups)
    rows = [
        {
            "parish_code": r["parish_code"],
            "parish": r["parish"],
            "year": r["year"],
            "month": r["month"],
            "group": g,
            "group_label": labels[g],
            "count": n,
        }
        for r in data.monthly_rows()
        for (g, _label), n in zip(data.groups, r["counts"])
    ]
    columns = [
        Column("parish_code", _("Parish code"), lambda r: r["parish_code"]),
        Column("parish", _("Parish"), lambda r: r["parish"]),
        Column("year", _("Year"), lambda r: r["year"]),
        Column("month", _("Month"), lambda r: r["month"]),
        Column("category_group", _("Category group"), lambda r: r["group"]),
        Column("category_group_label", _("Category group"), lambda r: str(r["group_label"])),
        Column("count", _("Incidents"), lambda r: _count(r["count"])),
        Column("suppressed", _("Suppressed"), lambda r: 1 if r["count"] is None else 0),
        Column("synthetic", _("Synthetic data"), lambda r: 1 if data.synthetic else 0),
    ]
    return rows, columns


def yearly_export(data: indicators.OpenData):
    rows = [
        {"parish_code": code, "parish": name, "year": y, "count": data.yearly[(key, y)]}
        for key, code, name in data.parishes
        for y in data.years
    ]
    rows += [
        {"parish_code": "total", "parish": _("Canton total"), "year": y, "count": data.canton[y]} for y in data.years
    ]
    columns = [
        Column("parish_code", _("Parish code"), lambda r: r["parish_code"]),
        Column("parish", _("Parish"), lambda r: r["parish"]),
        Column("year", _("Year"), lambda r: r["year"]),
        Column("count", _("Incidents"), lambda r: _count(r["count"])),
        Column("suppressed", _("Suppressed"), lambda r: 1 if r["count"] is None else 0),
        Column("synthetic", _("Synthetic data"), lambda r: 1 if data.synthetic else 0),
    ]
    return rows, columns


FIGURES = "opendata:figures"
_kept: dict = {}  # this process's copy of the figures of the current version: {key: figures}


def cached_open_data() -> tuple[indicators.OpenData, str]:
    """The open-data figures and the cache version they belong to (complete months only: the month is in the key).
    One computation at a time (`incidents.cache.cached`): at a million incidents the figures take seconds, and every
    visitor that found them missing computed them at once (a page waited 25 s after a 1M-row import on SQLite,
    bench/import_load_bench.py); while one computes, the others get the figures of the version before. The import
    job computes them in the worker as soon as its rows are stored (`warm_open_data`), so visitors seldom do.
    Each process also keeps the figures of the current version unpickled: read from the file cache on every request,
    unpickling them was the largest part of the page under load (issue 10's web load). The key carries the data
    version, so a change of incidents makes a new key and the copy is replaced; figures of the version before are
    never kept as this version's."""
    version = data_version()
    parts = (f"{timezone.localdate():%Y%m}", settings.OPEN_DATA_MIN_COUNT)
    key = cache_key(FIGURES, parts, version)
    data = _kept.get(key)
    if data is None:
        data = cached(FIGURES, parts, indicators.open_data, version=version)
        if cache.get(key) is None:  # another request is computing this version: these are the figures before
            return data, f"{version}:{parts[0]}:{parts[1]}:before"
        _kept.clear()
        _kept[key] = data
    return data, f"{version}:{parts[0]}:{parts[1]}"


def warm_open_data(**_kwargs) -> None:
    """Receiver of incidents.signals.incidents_imported (the import job, in the worker): the figures of the new
    version computed now, before a visitor asks for them."""
    cached_open_data()


@login_not_required
def open_data_page(request):
    data, version = cached_open_data()
    fmt, table = request.GET.get("export"), request.GET.get("table")
    if fmt in FORMATS and table in ("monthly", "yearly"):
        rows, columns = (monthly_export if table == "monthly" else yearly_export)(data)
        basename = f"incidentes-{'mensual' if table == 'monthly' else 'anual'}{'-sinteticos' if data.synthetic else ''}"
        # a published data set that programs read: stable machine keys as headers and its codes (parish code,
        # category group) as /datos-abiertos/ documents them, whatever the visitor's language (issue 13 item 1 is
        # for the lists' downloads, which people read)
        return export_response(rows, columns, fmt, basename, headers="keys", codes=True)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    message = None
    if request.GET.get("year") and year not in data.years:
        message = _("There are no published figures for the year %(year)s.") % {"year": request.GET["year"]}
    if year not in data.years:
        year = data.years[-1] if data.years else None
    return render(
        request,
        "observatory/open_data/page.html",
        {
            "title": _("Open data: incidents"),
            "data": data,
            "year": year,
            "message": message,
            # callables: the template calls them only when its cached fragment is missing
            "monthly": (lambda: list(data.monthly_rows(year))) if year else list,
            "yearly": lambda: list(data.yearly_rows()),
            "canton": lambda: [data.canton[y] for y in data.years],
            "fragment_key": f"{version}:{year}",
            "fragment_seconds": settings.OPEN_DATA_CACHE_SECONDS,
        },
    )
