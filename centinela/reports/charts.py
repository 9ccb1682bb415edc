"""The report's images, drawn with matplotlib's object API (no pyplot, so no global state and no display needed):
planned versus executed budget per programme, people trained per parish, and a map of parishes and activities."""

from __future__ import annotations

import io
import textwrap
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter

from centinela.activities.models import Activity
from centinela.lib.formatting import grouped
from centinela.reports.selectors import AnnualReport

DPI = 130
BLUE, GREEN, ORANGE, GREY = "#1a5276", "#1e8449", "#d68910", "#909497"
KIND_STYLE = {  # activity kind -> (colour, marker)
    Activity.Kind.TRAINING: ("#1a5276", "o"),
    Activity.Kind.OPERATION: ("#1e8449", "s"),
    Activity.Kind.CAMPAIGN: ("#b03a2e", "D"),
    Activity.Kind.MEETING: ("#7d3c98", "^"),
    Activity.Kind.OTHER: ("#d68910", "P"),
}


@dataclass
class Chart:
    key: str
    title: str
    png: bytes
    width_px: int
    height_px: int


def _png(fig: Figure, key: str, title: str) -> Chart:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None})
    width, height = fig.get_size_inches() * DPI
    return Chart(key, title, buf.getvalue(), int(width), int(height))


# axis numbers as the report's text writes them: "12.500" in Spanish (matplotlib's own would read "12500")
GROUPED = FuncFormatter(lambda value, _pos: grouped(round(value, 2)))


def budget_chart(report: AnnualReport) -> Chart:
    return _png(budget_figure(report), "budget", _("Planned and executed budget per programme (USD)"))


def budget_figure(report: AnnualReport) -> Figure:
    progs = report.programmes
    fig = Figure(figsize=(8, 0.6 * max(len(progs), 2) + 1.4), layout="constrained")
    ax = fig.add_subplot()
    labels = ["\n".join(textwrap.wrap(f"{p.code} · {p.name}", 34)) for p in progs][::-1]
    ys = range(len(progs))
    h = 0.26
    planned = [float(p.budget_planned) for p in progs][::-1]
    executed = [float(p.budget_executed) for p in progs][::-1]
    in_kind = [float(p.in_kind) for p in progs][::-1]
    ax.barh([y + h for y in ys], planned, h, color=GREY, label=_("Planned budget"))
    ax.barh(list(ys), executed, h, color=BLUE, label=_("Executed budget"))
    ax.barh([y - h for y in ys], in_kind, h, color=GREEN, label=_("In-kind contributions"))
    ax.set_yticks(list(ys), labels, fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.xaxis.set_major_formatter(GROUPED)
    ax.grid(axis="x", color="#e5e8e8")
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, loc="upper right", frameon=False)
    return fig


def trained_chart(report: AnnualReport) -> Chart:
    title = _("People trained per parish")
    rows = report.parishes
    fig = Figure(figsize=(8, 3.4), layout="constrained")
    ax = fig.add_subplot()
    names = [r.name for r in rows]
    people = [r.people for r in rows]
    women = [r.women for r in rows]
    xs = range(len(rows))
    ax.bar(xs, people, 0.6, color=BLUE, label=_("People trained"))
    ax.bar(xs, women, 0.3, color=ORANGE, label=_("Women"))
    for x, r in zip(xs, rows):
        ax.annotate(
            str(r.people),
            (x, r.people),
            ha="center",
            va="bottom",
            fontsize=8,
            xytext=(0, 2),
            textcoords="offset points",
        )
    ax.set_xticks(list(xs), names, fontsize=8, rotation=20 if len(rows) > 7 else 0)
    ax.tick_params(axis="y", labelsize=8)
    ax.yaxis.set_major_formatter(GROUPED)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False)
    return _png(fig, "trained", title)


def _polygons(geometry):
    if geometry is None or geometry.is_empty:
        return []
    return list(geometry.geoms) if hasattr(geometry, "geoms") else [geometry]


def _patch(polygon, **style) -> PathPatch:
    vertices, codes = [], []
    for ring in [polygon.exterior, *polygon.interiors]:
        coords = list(ring.coords)
        vertices += coords
        codes += [Path.MOVETO] + [Path.LINETO] * (len(coords) - 2) + [Path.CLOSEPOLY]
    return PathPatch(Path(vertices, codes), **style)


def map_chart(report: AnnualReport) -> Chart:
    """Left: the canton's parishes. Right: the urban parishes, shaded by people trained, with the year's activities."""
    title = _("Parishes and activities of the year")
    fig = Figure(figsize=(8, 6.4), layout="constrained")
    whole, city = fig.subplots(1, 2, width_ratios=[1, 1.7])
    most = max([a.people for a in report.areas] + [1])
    urban_bounds = []
    for area in report.areas:
        dashed = "--" if area.approximate else "-"
        for poly in _polygons(area.geometry):
            urban = area.kind == "urban"
            whole.add_patch(
                _patch(
                    poly,
                    facecolor="#f5b7b1" if urban else "#d5f5e3",
                    edgecolor="#566573",
                    linewidth=0.5,
                    linestyle=dashed,
                )
            )
            if urban:
                shade = 0.1 + 0.6 * area.people / most
                city.add_patch(
                    _patch(
                        poly, facecolor=(0.10, 0.32, 0.46, shade), edgecolor="#154360", linewidth=0.8, linestyle=dashed
                    )
                )
                urban_bounds.append(poly.bounds)
        if area.kind == "urban" and area.geometry is not None and not area.geometry.is_empty:
            c = area.geometry.representative_point()
            city.annotate(
                area.name,
                (c.x, c.y),
                fontsize=9,
                ha="center",
                va="center",
                color="#1c2833",
                alpha=0.85,
                xytext=(0, -14),
                textcoords="offset points",
            )
    whole.autoscale_view()
    for ax in (whole, city):
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
    whole.set_title(_("Canton of Loja"), fontsize=10)
    city.set_title(_("Urban parishes (shade: people trained)"), fontsize=10)

    counts = Counter((round(p.lon, 5), round(p.lat, 5), p.kind) for p in report.points)
    handles = []
    for kind, (colour, marker) in KIND_STYLE.items():
        pts = [(lon, lat, n) for (lon, lat, k), n in counts.items() if k == kind]
        if not pts:
            continue
        city.scatter(
            [p[0] for p in pts],
            [p[1] for p in pts],
            s=[34 + 14 * (p[2] - 1) for p in pts],
            c=colour,
            marker=marker,
            edgecolors="white",
            linewidths=0.5,
            zorder=3,
        )
        handles.append(Patch(color=colour, label=Activity.Kind(kind).label))
    if urban_bounds:
        pad = 0.004
        x0, x1 = min(b[0] for b in urban_bounds) - pad, max(b[2] for b in urban_bounds) + pad
        y0, y1 = min(b[1] for b in urban_bounds) - pad, max(b[3] for b in urban_bounds) + pad
        city.set_xlim(x0, x1)
        city.set_ylim(y0, y1)
        whole.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#154360", linewidth=1))
    if handles:
        fig.legend(handles=handles, fontsize=8.5, loc="outside lower center", ncols=3, frameon=False)
    if report.any_approximate:
        whole.set_xlabel(
            _("Parish areas are approximate until official boundaries are imported."),
            fontsize=7.5,
            color=GREY,
            wrap=True,
        )
    return _png(fig, "map", title)


def build_charts(report: AnnualReport) -> list[Chart]:
    charts = []
    if report.programmes:
        charts.append(budget_chart(report))
    if any(r.people for r in report.parishes):
        charts.append(trained_chart(report))
    if report.areas:
        charts.append(map_chart(report))
    return charts
