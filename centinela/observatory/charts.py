"""The indicator charts as PNG or SVG, drawn with matplotlib's object API (no pyplot: no global state, no display;
PNG through Agg): counts per parish/barrio/category, the monthly trend, and the hour-by-weekday heat map. Labels are
translated, so the interface language (Spanish by default) is the chart's."""

from __future__ import annotations

import io
import textwrap

from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from centinela.observatory.indicators import Breakdown, Heat, Trend

DPI = 110
BLUE, GREY = "#1a5276", "#909497"
PALETTE = ["#1a5276", "#b03a2e", "#1e8449", "#d68910", "#7d3c98", "#117a65", "#a04000", "#2e4053", "#909497"]
CONTENT_TYPES = {"png": "image/png", "svg": "image/svg+xml"}
MAX_SERIES = 8  # more lines than this are unreadable: the rest are summed as "others"


def render(fig: Figure, fmt: str) -> bytes:
    if fmt not in CONTENT_TYPES:
        raise ValueError(f"unknown chart format {fmt!r}")
    buf = io.BytesIO()
    metadata = {"Software": None} if fmt == "png" else {"Date": None, "Creator": None}
    fig.savefig(buf, format=fmt, dpi=DPI, metadata=metadata)
    return buf.getvalue()


def _finish(fig: Figure, title: str, synthetic: bool):
    fig.suptitle(title, fontsize=11, x=0.01, ha="left")
    if synthetic:
        fig.text(0.99, 0.005, _("Synthetic demonstration data"), ha="right", va="bottom", fontsize=8, color="#a93226")


def _style(ax):
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=8)


def breakdown_chart(data: Breakdown, *, synthetic: bool = False) -> Figure:
    rows = [r for r in data.rows if r.count or r.previous or r.year_before][:25]
    fig = Figure(figsize=(8, 0.32 * max(len(rows), 3) + 1.3), layout="constrained")
    ax = fig.add_subplot()
    labels = ["\n".join(textwrap.wrap(r.label, 38)) for r in rows][::-1]
    ys = range(len(rows))
    h = 0.38
    ax.barh([y + h / 2 for y in ys], [r.count for r in rows][::-1], h, color=BLUE, label=data.period.label())
    ax.barh([y - h / 2 for y in ys], [r.year_before for r in rows][::-1], h, color=GREY, label=data.year_before.label())
    ax.set_yticks(list(ys), labels, fontsize=8)
    ax.set_xlabel(_("Incidents"), fontsize=8)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="x", color="#e5e8e8")
    ax.set_axisbelow(True)
    _style(ax)
    if not rows:
        ax.text(0.5, 0.5, _("No incidents in this period."), ha="center", va="center", transform=ax.transAxes)
    else:
        ax.legend(fontsize=8, frameon=False, loc="lower right")
    _finish(
        fig,
        _("Incidents by %(what)s, %(period)s") % {"what": dimension_label(data.by), "period": data.period.label()},
        synthetic,
    )
    return fig


def trend_chart(data: Trend, *, synthetic: bool = False) -> Figure:
    fig = Figure(figsize=(8, 3.6), layout="constrained")
    ax = fig.add_subplot()
    xs = list(range(len(data.months)))
    series = data.series[:MAX_SERIES]
    rest = data.series[MAX_SERIES:]
    lines = [(s.label, s.values) for s in series]
    if rest:
        lines.append((_("Others"), [sum(v) for v in zip(*(s.values for s in rest))]))
    for i, (label, values) in enumerate(lines):
        ax.plot(
            xs,
            values,
            marker="o",
            markersize=3,
            linewidth=1.6,
            color=PALETTE[i % len(PALETTE)],
            label="\n".join(textwrap.wrap(label, 30)),
        )
    labels = data.labels()
    step = max(1, len(xs) // 12)
    ax.set_xticks(xs[::step], labels[::step], rotation=45, ha="right", fontsize=8)
    ax.set_ylabel(_("Incidents per month"), fontsize=8)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", color="#e5e8e8")
    _style(ax)
    if lines:
        ax.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    else:
        ax.text(0.5, 0.5, _("No incidents in this period."), ha="center", va="center", transform=ax.transAxes)
    _finish(fig, _("Monthly trend by %(what)s") % {"what": dimension_label(data.by)}, synthetic)
    return fig


def heat_chart(data: Heat, *, synthetic: bool = False) -> Figure:
    fig = Figure(figsize=(8, 3.2), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(data.cells, aspect="auto", cmap="YlOrRd", vmin=0, vmax=max(data.maximum, 1))
    ax.set_yticks(range(7), [str(WEEKDAYS_ABBR[i]).capitalize() for i in range(7)], fontsize=8)
    ax.set_xticks(range(24), [f"{h:02d}" for h in range(24)], fontsize=7)
    label = _("Hour of day (Loja local time)")
    if data.time_unknown:
        label += "; " + _("%(n)s incidents without a known time left out") % {"n": data.time_unknown}
    ax.set_xlabel(label, fontsize=8)
    colorbar = fig.colorbar(image, ax=ax, shrink=0.9)
    colorbar.locator = MaxNLocator(integer=True)
    colorbar.update_ticks()
    colorbar.ax.tick_params(labelsize=7)
    colorbar.set_label(_("Incidents"), fontsize=8)
    _finish(fig, _("Incidents by day of week and hour"), synthetic)
    return fig


def dimension_label(by: str) -> str:
    return {"parish": _("parish"), "barrio": _("barrio"), "category": _("category"), "group": _("category group")}[by]
