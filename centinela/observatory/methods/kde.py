"""Kernel density (KDE): where incidents concentrate, as a smooth surface of incidents per km² on a grid. Its form,
its job (analysis.hotspots.kde) and how the page shows the surface, together, so the method reads in one place."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.observatory import labels
from centinela.observatory.forms.analysis import AnalysisForm, positive_number_field
from centinela.observatory.methods.base import Method
from centinela.observatory.methods.running import (
    capped_table,
    jsonable,
    matching_incidents,
    progress_stage,
    result_base,
    scheduler,
    top_features,
)
from centinela.observatory.methods.showing import format_figure
from centinela.observatory.selectors import CRS


class KdeForm(AnalysisForm):
    cell = positive_number_field(
        gettext_lazy("Cell size (m)"), 100, help_text=gettext_lazy("Side of each square of the grid."), maximum=5000
    )
    bandwidth = positive_number_field(
        gettext_lazy("Bandwidth (m)"),
        None,
        required=False,
        maximum=20000,
        help_text=gettext_lazy(
            "Radius of the kernel; empty: chosen from the data (the rule used is shown with the result)."
        ),
    )
    kernel = forms.ChoiceField(
        label=gettext_lazy("Kernel"),
        initial="quartic",
        choices=[
            ("quartic", gettext_lazy("Quartic")),
            ("gaussian", gettext_lazy("Gaussian")),
            ("epanechnikov", gettext_lazy("Epanechnikov")),
            ("triangular", gettext_lazy("Triangular")),
            ("uniform", gettext_lazy("Uniform")),
        ],
    )

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.require_incidents()
        return data


def run_kde(job, user, params, progress):
    from analysis.hotspots import kde

    arrays = matching_incidents(user, params, minimum=1)
    result = kde(
        arrays.x,
        arrays.y,
        cell=float(params["cell"]),
        bandwidth=float(params["bandwidth"]) if params.get("bandwidth") else None,
        kernel=params.get("kernel") or "quartic",
        scheduler=scheduler(),
        progress=progress_stage(progress, 0.1, 0.9, _("Computing the density")),
    )
    progress(0.92, _("Preparing the map"))
    summary = result.to_dict()
    summary.pop("values", None)
    return {
        **result_base(arrays),
        "stats": jsonable(summary),
        "geojson": top_features(result.to_geojson(crs=CRS), "density"),
        "table": capped_table(result.to_rows()),
    }


# --- the result page -----------------------------------------------------------------------------------------------


def summary(data: dict, stats: dict) -> list:
    return [
        (_("Bandwidth (m)"), format_figure(stats.get("bandwidth_m"), 1)),
        (_("Bandwidth rule"), labels.word("bandwidth_rule", stats.get("bandwidth_rule"))),
        (_("Kernel"), labels.word("kernel", stats.get("kernel"))),
        (_("Highest density (incidents per km²)"), format_figure(stats.get("max_density"), 1)),
        (_("Cells on the map"), data["geojson"].get("total")),
    ]


def conventions(data: dict) -> list[str]:
    return [
        _(
            "Density in incidents per km² at each cell's centre; only cells with a density above zero are listed "
            "and mapped (at most the 5,000 densest on the map)."
        )
    ]


def layers(data: dict, geo: dict) -> list[dict]:
    return [{"label": _("Density"), "style": "density", "key": "density", "data": geo}]


METHOD = Method(
    "kde",
    "kde",
    "densidad/",
    gettext_lazy("Kernel density (KDE)"),
    gettext_lazy("Where do incidents concentrate? A smooth surface of incidents per km², on a grid."),
    gettext_lazy(
        "Each incident spreads over a circle (the bandwidth) with a weight that fades with distance; the "
        "density of each cell is the sum of what reaches its centre. With no bandwidth given, it is chosen "
        "from the data with ArcGIS Pro's rule."
    ),
    (
        "Silverman (1986), Density Estimation for Statistics and Data Analysis.",
        "Chainey, Tompson & Uhlig (2008), The utility of hotspot mapping for predicting spatial patterns of "
        "crime, Security Journal 21.",
        "CrimeStat IV, chapter 10 (kernel density).",
    ),
    KdeForm,
    run_kde,
    layers,
    summary=summary,
    conventions=conventions,
)
