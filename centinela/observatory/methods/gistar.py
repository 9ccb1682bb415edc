"""Hot spots (Getis-Ord Gi*): which cells of a grid have significantly more or fewer incidents around them than chance
would give. Its form, its job (analysis.hotspots.gistar_grid) and how the page shows the cells, together."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.observatory import labels
from centinela.observatory.forms.analysis import MAX_PERMUTATIONS, AnalysisForm, positive_number_field
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
from centinela.observatory.selectors import CRS


class GiStarForm(AnalysisForm):
    cell = positive_number_field(
        gettext_lazy("Cell size (m)"), 200, help_text=gettext_lazy("Side of each square of the grid."), maximum=5000
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Neighbours"),
        initial="queen",
        choices=[("queen", gettext_lazy("Queen (sides and corners)")), ("rook", gettext_lazy("Rook (sides only)"))],
    )
    order = positive_number_field(
        gettext_lazy("Neighbour order"),
        1,
        decimal=False,
        maximum=5,
        help_text=gettext_lazy("1: the adjacent cells; 2: also their neighbours."),
    )
    p_method = forms.ChoiceField(
        label=gettext_lazy("Method of the p-values"),
        initial="exact",
        choices=[
            ("exact", gettext_lazy("Exact (conditional permutation)")),
            ("mc", gettext_lazy("Monte Carlo (random permutations)")),
        ],
        help_text=gettext_lazy(
            "Exact: the p-values the permutations would give with infinitely many of them, "
            "computed directly (no randomness: permutations and seed do not apply). Monte Carlo: "
            "the permutations below, drawn from the seed (on the Dask cluster when one is "
            "configured)."
        ),
    )
    permutations = positive_number_field(
        gettext_lazy("Permutations"),
        999,
        decimal=False,
        maximum=MAX_PERMUTATIONS,
        help_text=gettext_lazy("Monte Carlo only."),
    )
    seed = forms.IntegerField(
        label=gettext_lazy("Random seed"),
        initial=0,
        min_value=0,
        help_text=gettext_lazy("Monte Carlo only. The same seed gives the same result."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("permutations", "seed"):
            self.fields[name].widget.attrs["data-applies-when"] = "p_method=mc"

    fdr = forms.FloatField(
        label=gettext_lazy("False discovery rate"),
        initial=0.05,
        required=False,
        min_value=0.0001,
        max_value=0.5,
        help_text=gettext_lazy(
            "Benjamini-Hochberg correction of the p-values for testing many cells at once; empty: none."
        ),
    )

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.require_incidents()
        return data


def run_gistar(job, user, params, progress):
    from analysis.hotspots import gistar_grid

    arrays = matching_incidents(user, params, minimum=3)
    result = gistar_grid(
        arrays.x,
        arrays.y,
        cell=float(params["cell"]),
        kind=params.get("kind") or "queen",
        order=int(params.get("order") or 1),
        permutations=int(params.get("permutations") or 999),
        seed=int(params.get("seed") or 0),
        method=params.get("p_method") or "exact",
        fdr=float(params["fdr"]) if params.get("fdr") not in (None, "") else None,
        scheduler=scheduler(),
        progress=progress_stage(progress, 0.1, 0.9, _("Testing the cells")),
    )
    progress(0.92, _("Preparing the map"))
    summary = {
        k: v
        for k, v in result.to_dict().items()
        if k not in ("values", "gi", "z", "p_norm", "p_sim", "p_value", "q", "category")
    }
    rows = result.to_rows()
    value_at, significant_at = rows[0].index("value"), rows[0].index("significant")
    return {
        **result_base(arrays),
        "stats": jsonable(summary),
        "geojson": top_features(result.to_geojson(crs=CRS), "z"),
        "table": capped_table(rows, keep=lambda r: r[significant_at] or r[value_at] > 0),
    }


# --- the result page -----------------------------------------------------------------------------------------------


def summary(data: dict, stats: dict) -> list:
    cats = stats.get("categories") or {}
    rows = [
        (_("Cells tested"), stats.get("n")),
        (_("Significant cells"), stats.get("significant")),
        (_("Method of the p-values"), labels.word("p_method", stats.get("p_method"))),
    ]
    if stats.get("p_method") == "mc":
        rows += [(_("Permutations"), stats.get("permutations")), (_("Random seed"), stats.get("seed"))]
    rows += [
        (labels.GISTAR_CATEGORIES.get(label, label), count)
        for label, count in cats.items()
        if label != "not significant"
    ]
    return rows


def conventions(data: dict) -> list[str]:
    return [
        _(
            "A cell's statistic adds its own count and its neighbours'; hot and cold spots at 90, 95 and 99 percent "
            "confidence (two-sided), after the false discovery rate correction when one was given. Only "
            "significant cells are mapped; the table lists cells with incidents or significance."
        )
    ]


def layers(data: dict, geo: dict) -> list[dict]:
    return [{"label": _("Hot and cold spots"), "style": "gistar", "data": geo}]


METHOD = Method(
    "gistar",
    "gistar",
    "puntos-calientes/",
    gettext_lazy("Hot spots (Getis-Ord Gi*)"),
    gettext_lazy(
        "Which cells have significantly more (hot spot) or fewer (cold spot) incidents around them than "
        "chance would give?"
    ),
    gettext_lazy(
        "Incidents are counted on a grid; each cell's count plus its neighbours' is compared with what "
        "random rearrangements of the counts give. Cells are marked hot or cold at 90, 95 or 99 percent "
        "confidence, after the false discovery rate correction."
    ),
    (
        "Getis & Ord (1992), The analysis of spatial association by use of distance statistics, "
        "Geographical Analysis 24(3).",
        "Ord & Getis (1995), Local spatial autocorrelation statistics, Geographical Analysis 27(4).",
        "Benjamini & Hochberg (1995), Controlling the false discovery rate, JRSS-B 57(1).",
    ),
    GiStarForm,
    run_gistar,
    layers,
    summary=summary,
    conventions=conventions,
)
