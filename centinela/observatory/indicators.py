"""Incident indicators: counts and rates per 100,000 inhabitants by parish, barrio, category or category group over
a period, the change against the previous period and the same period a year before, hour-by-weekday heat tables and
monthly trend series; and the open-data tables with small counts suppressed.

Everything is aggregated by the database (GROUP BY over local-time truncations and extractions), never by looping
over incidents, so it stays fast with a million of them. Times are read in America/Guayaquil: an incident at 23:30
local time (04:30 UTC the next day) counts on its local day and hour. Discarded incidents are never counted.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Max, Q
from django.db.models.functions import ExtractHour, ExtractIsoWeekDay, TruncMonth
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from centinela.accounts.permissions import scope
from centinela.incidents.models import Category, Incident
from centinela.lib.disclosure import suppress
from centinela.territory.models import RATE_KINDS, Barrio, BarrioPopulation, Parish, ParishPopulation, PopulationKind

TZ = ZoneInfo(settings.TIME_ZONE)
PER = 100_000


# --- periods -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """Local calendar dates, both included. `kind` is month, quarter, year or range (a user-chosen span)."""

    start: date
    end: date
    kind: str = "range"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: local midnights, so UTC never decides the day."""
        return (datetime.combine(self.start, time(), TZ), datetime.combine(self.end + timedelta(days=1), time(), TZ))

    def q(self) -> Q:
        start, end = self.bounds()
        return Q(occurred_at__gte=start, occurred_at__lt=end)

    def previous(self) -> Period:
        if self.kind == "month":
            return month_period(*_add_months(self.start.year, self.start.month, -1))
        if self.kind == "quarter":
            year, month = _add_months(self.start.year, self.start.month, -3)
            return quarter_period(year, (month - 1) // 3 + 1)
        if self.kind == "year":
            return year_period(self.start.year - 1)
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1), "range")

    def year_before(self) -> Period:
        if self.kind == "month":
            return month_period(self.start.year - 1, self.start.month)
        if self.kind == "quarter":
            return quarter_period(self.start.year - 1, (self.start.month - 1) // 3 + 1)
        if self.kind == "year":
            return year_period(self.start.year - 1)
        return Period(_year_back(self.start), _year_back(self.end), "range")

    def label(self) -> str:
        if self.kind == "month":
            return date_format(self.start, "F Y")
        if self.kind == "quarter":
            return _("Q%(q)s %(year)s") % {"q": (self.start.month - 1) // 3 + 1, "year": self.start.year}
        if self.kind == "year":
            return str(self.start.year)
        return f"{self.start:%d/%m/%Y} – {self.end:%d/%m/%Y}"


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + n
    return index // 12, index % 12 + 1


def _year_back(d: date) -> date:
    return d.replace(year=d.year - 1, day=28) if (d.month, d.day) == (2, 29) else d.replace(year=d.year - 1)


def month_period(year: int, month: int) -> Period:
    return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month")


def quarter_period(year: int, quarter: int) -> Period:
    first = 3 * (quarter - 1) + 1
    return Period(date(year, first, 1), date(year, first + 2, calendar.monthrange(year, first + 2)[1]), "quarter")


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31), "year")


# --- what is counted ---------------------------------------------------------------------------------------------

DIMENSIONS = {"parish": "parish", "barrio": "barrio", "category": "category", "group": "category__group"}


def counted(user=None):
    """The incidents that count: not discarded, and, for a user, only those the one permission check lets them see.
    `user=None` is for the open-data tables, which publish only suppressed aggregates."""
    qs = Incident.objects.exclude(status=Incident.Status.DISCARDED)
    return qs if user is None else scope(user, qs)


def filtered(qs, *, parish=None, group=None, category=None):
    if parish is not None:
        qs = qs.filter(parish=parish)
    if group:
        qs = qs.filter(category__group=group)
    if category is not None:
        qs = qs.filter(category=category)
    return qs


def latest_year(qs) -> int | None:
    last = qs.aggregate(last=Max("occurred_at"))["last"]
    return timezone.localtime(last, TZ).year if last else None


def scoped_parishes(user):
    # what the indicators read of a parish: its key, code and name (not its boundary, parsed for nothing before)
    return scope(user, Parish.objects.only("id", "code", "name")).order_by("name")


# --- population --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Population:
    population: int
    year: int
    source: str
    kind: str = PopulationKind.CENSUS
    source_url: str = ""

    def describe(self) -> str:
        kind = _("census") if self.kind == PopulationKind.CENSUS else _("estimate")
        return f"{kind} {self.year}"


def distance(year: int, period: Period) -> int:
    """Years between a population figure and the period (0 when the figure's year falls in it)."""
    return max(period.start.year - year, year - period.end.year, 0)


def nearest(figures, period: Period) -> Population | None:
    """The figure nearest the period; between equally near ones a census before an estimate, then the earlier year
    (the people counted before the incidents happened)."""
    best = min(
        (f for f in figures if f.population),
        key=lambda f: (distance(f.year, period), f.kind != PopulationKind.CENSUS, f.year),
        default=None,
    )
    return best


def _figures(model, key: str, ids, period: Period) -> dict[int, Population]:
    rows = model.objects.filter(**{f"{key}__in": list(ids)}, kind__in=RATE_KINDS).values_list(
        key, "year", "population", "source", "kind", "source_url"
    )
    by_area: dict[int, list[Population]] = {}
    for area, year, population, source, kind, url in rows:
        by_area.setdefault(area, []).append(Population(population, year, source, kind, url))
    out = {area: nearest(figures, period) for area, figures in by_area.items()}
    return {area: pop for area, pop in out.items() if pop is not None}


def populations(parish_ids, period: Period) -> dict[int, Population]:
    """Per parish, the population figure nearest the period (census or estimate, see `nearest`; an unverified figure
    is never used)."""
    return _figures(ParishPopulation, "parish_id", parish_ids, period)


def barrio_populations(barrio_ids, period: Period) -> dict[int, Population]:
    return _figures(BarrioPopulation, "barrio_id", barrio_ids, period)


def rate(count: int, population: int | None) -> float | None:
    return count * PER / population if population else None


def change(current: int, base: int) -> tuple[int, float | None]:
    """Absolute and relative (%) change; the relative change is None ("n/d") when the base is zero."""
    return current - base, ((current - base) * 100.0 / base if base else None)


# --- the breakdown table ----------------------------------------------------------------------------------------


@dataclass
class Row:
    key: Any
    label: str
    count: int
    previous: int
    year_before: int
    population: Population | None = None
    total: bool = False

    @property
    def rate(self):
        return rate(self.count, self.population.population if self.population else None)

    @property
    def change_previous(self):
        return change(self.count, self.previous)

    @property
    def change_year(self):
        return change(self.count, self.year_before)


@dataclass
class Breakdown:
    period: Period
    previous: Period
    year_before: Period
    by: str
    rows: list[Row]
    total: Row
    population_note: str  # which censuses and sources gave the rates, or why there are none
    missing_population: list[str] = field(default_factory=list)

    @property
    def one_comparison(self) -> bool:
        """A year's previous period is the year before: one comparison, shown once, not two equal columns."""
        return self.previous == self.year_before


def _labels(by: str, keys) -> dict:
    keys = [k for k in keys if k is not None]
    if by == "group":
        return {value: label for value, label in Category.Group.choices}
    model = {"parish": Parish, "barrio": Barrio, "category": Category}[by]
    return {obj.pk: str(obj) for obj in model.objects.filter(pk__in=keys)}


def _all_keys(user, by: str, parish=None, group=None, category=None) -> list:
    """The rows shown even with no incidents, so zeros (and their rates) appear."""
    if by == "parish":
        parishes = scoped_parishes(user)
        return [p.pk for p in (parishes.filter(pk=parish.pk) if parish else parishes)]
    if by == "barrio":
        barrios = scope(user, Barrio.objects.all())
        return list(
            (barrios.filter(parish=parish) if parish else barrios).order_by("name").values_list("pk", flat=True)
        )
    if by == "group":
        return [group] if group else [value for value, _label in Category.Group.choices]
    cats = Category.objects.filter(active=True)
    if group:
        cats = cats.filter(group=group)
    if category is not None:
        cats = cats.filter(pk=category.pk)
    return list(cats.values_list("pk", flat=True))


def breakdown(user, period: Period, by: str = "parish", *, parish=None, group=None, category=None) -> Breakdown:
    dim = DIMENSIONS[by]
    previous, year_before = period.previous(), period.year_before()
    qs = filtered(counted(user), parish=parish, group=group, category=category)
    agg = (
        qs.filter(period.q() | previous.q() | year_before.q())
        .values(dim)
        .annotate(
            n=Count("pk", filter=period.q()),
            prev=Count("pk", filter=previous.q()),
            ly=Count("pk", filter=year_before.q()),
        )
        .order_by()
    )
    counts = {row[dim]: (row["n"], row["prev"], row["ly"]) for row in agg}
    keys = _all_keys(user, by, parish, group, category)
    keys += [k for k in counts if k not in keys and k is not None]
    if None in counts:
        keys.append(None)
    labels = _labels(by, keys)
    none_label = {"parish": _("No parish assigned"), "barrio": _("No barrio assigned")}.get(by, _("Unknown"))
    ids = [k for k in keys if k is not None]
    pops = populations(ids, period) if by == "parish" else barrio_populations(ids, period) if by == "barrio" else {}
    rows = []
    for key in keys:
        n, prev, ly = counts.get(key, (0, 0, 0))
        rows.append(
            Row(key, labels.get(key, none_label) if key is not None else none_label, n, prev, ly, pops.get(key))
        )
    if by in ("group", "category"):
        rows.sort(key=lambda r: (-r.count, r.label))
    total = Row(
        "total",
        _("Total"),
        sum(r.count for r in rows),
        sum(r.previous for r in rows),
        sum(r.year_before for r in rows),
        total=True,
    )

    # The population behind the total (and behind category rows): every parish in view must have a figure, or the
    # rate would divide incidents of some parishes by the people of others.
    in_view = [parish.pk] if parish else list(scoped_parishes(user).values_list("pk", flat=True))
    scope_pops = pops if by == "parish" and not parish else populations(in_view, period)
    names = dict(Parish.objects.filter(pk__in=in_view).values_list("pk", "name"))
    missing = sorted(names[pk] for pk in in_view if pk not in scope_pops)
    if in_view and not missing:
        used = [scope_pops[pk] for pk in in_view]
        whole = Population(
            sum(p.population for p in used),
            max(p.year for p in used),
            "; ".join(sorted({p.source for p in used if p.source})),
            PopulationKind.CENSUS if all(p.kind == PopulationKind.CENSUS for p in used) else PopulationKind.ESTIMATE,
        )
        total.population = whole
        if by in ("group", "category"):
            for row in rows:
                row.population = whole
    used = [r.population for r in rows if r.population] + list(scope_pops.values())
    if used:
        figures = sorted({(p.describe(), p.source) for p in used})
        note = _(
            "Rates per 100,000 inhabitants: incidents in the period × 100,000 ÷ population, not annualised. "
            "Population: for each area, the figure nearest the period (a census before an estimate when equally "
            "near). Figures used: %(figures)s."
        ) % {"figures": "; ".join(f"{what} ({source})" for what, source in figures)}
    else:
        note = _("No population figure recorded for the areas in view: rates per 100,000 inhabitants are not shown.")
    if by == "barrio":  # the rows are barrios: name those without a figure (the total needs every parish's)
        missing = sorted(r.label for r in rows if r.key is not None and r.population is None)
    return Breakdown(period, previous, year_before, by, rows, total, note, missing)


# --- heat table: hour of day by day of week ----------------------------------------------------------------------


@dataclass
class Heat:
    cells: list[list[int]]  # [iso weekday - 1][hour]
    total: int
    time_unknown: int = 0  # incidents of the period left out: their source gave the date without the time

    @property
    def maximum(self) -> int:
        return max((max(row) for row in self.cells), default=0)


def heat(user, period: Period, **filters) -> Heat:
    """Incidents by weekday and hour; those without a known time (a date alone, stored as 00:00) are left out and
    counted apart, or they would all pile up at midnight."""
    qs = filtered(counted(user), **filters).filter(period.q())
    time_unknown = qs.filter(time_known=False).count()
    agg = (
        qs.filter(time_known=True)
        .annotate(d=ExtractIsoWeekDay("occurred_at", tzinfo=TZ), h=ExtractHour("occurred_at", tzinfo=TZ))
        .values("d", "h")
        .annotate(n=Count("pk"))
        .order_by()
    )
    cells = [[0] * 24 for _day in range(7)]
    total = 0
    for row in agg:
        cells[row["d"] - 1][row["h"]] = row["n"]
        total += row["n"]
    return Heat(cells, total, time_unknown)


# --- trend: monthly series ---------------------------------------------------------------------------------------


@dataclass
class Series:
    key: Any
    label: str
    values: list[int]

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass
class Trend:
    months: list[date]  # first day of each month
    series: list[Series]
    by: str

    def labels(self) -> list[str]:
        return [date_format(m, "M Y") for m in self.months]


def trend_window(period: Period) -> Period:
    """The selected period, widened to at least the twelve months that end with it, so a month has a context."""
    year, month = _add_months(period.end.year, period.end.month, -11)
    start = min(period.start.replace(day=1), date(year, month, 1))
    return Period(start, period.end, "range")


def month_key(value) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value, TZ) if timezone.is_aware(value) else value
        return date(value.year, value.month, 1)
    return date(value.year, value.month, 1)


def trend(user, period: Period, by: str = "group", **filters) -> Trend:
    window = trend_window(period)
    dim = DIMENSIONS[by]
    qs = filtered(counted(user), **filters).filter(window.q())
    agg = qs.annotate(m=TruncMonth("occurred_at", tzinfo=TZ)).values("m", dim).annotate(n=Count("pk")).order_by()
    months = []
    year, month = window.start.year, window.start.month
    while date(year, month, 1) <= window.end:
        months.append(date(year, month, 1))
        year, month = _add_months(year, month, 1)
    index = {m: i for i, m in enumerate(months)}
    values: dict[Any, list[int]] = {}
    for row in agg:
        i = index.get(month_key(row["m"]))
        if i is not None:
            values.setdefault(row[dim], [0] * len(months))[i] += row["n"]
    labels = _labels(by, values.keys())
    none_label = {"parish": _("No parish assigned"), "barrio": _("No barrio assigned")}.get(by, _("Unknown"))
    series = [Series(k, labels.get(k, none_label) if k is not None else none_label, v) for k, v in values.items()]
    series.sort(key=lambda s: (-s.total, s.label))
    return Trend(months, series, by)


# --- open data: suppressed aggregates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Translated:
    """A fixed text in the language of whoever reads it, kept in the cache as its English msgid (the open data are
    computed once for every reader: translated when computed, the text stayed in that reader's language)."""

    msgid: str

    def __str__(self):
        return _(self.msgid)


@dataclass(frozen=True)
class GroupLabel:
    """A category group's label, in the language of whoever reads it (as Category.Group's lazy label), kept in the
    cache as its value alone: the open data are read from the cache on every request, and unpickling a lazy label
    builds a new class (a third of that page's time, issue 10)."""

    value: str

    def __str__(self):
        return str(Category.Group(self.value).label)


@dataclass
class OpenData:
    k: int
    months: list[date]
    years: list[int]
    groups: list[tuple[str, str]]
    parishes: list[tuple[Any, str, str]]  # (key, code, name); key None: incidents with no parish assigned
    monthly: dict  # (parish key, year, month, group) -> count or None (suppressed)
    yearly: dict  # (parish key, year) -> count or None
    canton: dict  # year -> count or None
    synthetic: bool = False

    def monthly_rows(self, year: int | None = None):
        for key, code, name in self.parishes:
            for m in self.months:
                if year is None or m.year == year:
                    yield {
                        "parish_code": code,
                        "parish": name,
                        "year": m.year,
                        "month": m.month,
                        "counts": [self.monthly[(key, m.year, m.month, g)] for g, _label in self.groups],
                    }

    def yearly_rows(self):
        for key, code, name in self.parishes:
            yield {"parish_code": code, "parish": name, "counts": [self.yearly[(key, y)] for y in self.years]}


def open_data(k: int | None = None) -> OpenData:
    """Incidents by parish x month x category group and by parish x year (with the canton's total per year), all
    with small counts suppressed. No location, address, source reference or id ever leaves this function."""
    from centinela.incidents.selectors import synthetic_present

    k = settings.OPEN_DATA_MIN_COUNT if k is None else k
    # Complete months only: a month still filling up, published day after day, would let a reader subtract
    # yesterday's figures from today's.
    this_month = datetime.combine(timezone.localdate().replace(day=1), time(), TZ)
    agg = (
        counted()
        .filter(occurred_at__lt=this_month)
        .annotate(m=TruncMonth("occurred_at", tzinfo=TZ))
        .values("parish", "m", "category__group")
        .annotate(n=Count("pk"))
        .order_by()
    )
    raw = {}
    for row in agg:
        m = month_key(row["m"])
        key = (row["parish"], m.year, m.month, row["category__group"])
        raw[key] = raw.get(key, 0) + row["n"]
    groups = [(value, GroupLabel(value)) for value in Category.Group.values]
    parishes = [(p.pk, p.code, p.name) for p in Parish.objects.order_by("code")]
    if any(key[0] is None for key in raw):
        parishes.append((None, "", Translated(gettext_noop("No parish assigned"))))
    months = []
    if raw:
        first = min((y, m) for _p, y, m, _g in raw)
        last = max((y, m) for _p, y, m, _g in raw)
        year, month = first
        while (year, month) <= last:
            months.append(date(year, month, 1))
            year, month = _add_months(year, month, 1)
    years = sorted({m.year for m in months})

    values: dict = {}
    hidden: set = set()
    for y in years:
        blocks = {}
        for pkey, _code, _name in parishes:
            cells = {
                (pkey, y, m.month, g): raw.get((pkey, y, m.month, g), 0)
                for m in months
                if m.year == y
                for g, _label in groups
            }
            values.update(cells)
            values[(pkey, y)] = sum(cells.values())
            blocks[(pkey, y)] = cells
        values[("canton", y)] = sum(values[b] for b in blocks)
        hidden |= suppress(blocks, k, root=("canton", y))

    def shown(cell):
        return None if cell in hidden else values[cell]

    return OpenData(
        k=k,
        months=months,
        years=years,
        groups=groups,
        parishes=parishes,
        monthly={c: shown(c) for c in values if len(c) == 4},
        yearly={c: shown(c) for c in values if len(c) == 2 and c[0] != "canton"},
        canton={y: shown(("canton", y)) for y in years},
        synthetic=synthetic_present(),
    )
