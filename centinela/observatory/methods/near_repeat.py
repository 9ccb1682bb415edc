"""Near repeat (Knox): after an incident, are there more incidents nearby in the following days than chance would
give? Its form, its job (analysis.knox.near_repeat) and the result page's coloured Knox table, together."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.observatory.forms.analysis import MAX_PERMUTATIONS, AnalysisForm, positive_number_field
from centinela.observatory.methods.base import Method
from centinela.observatory.methods.running import (
    capped_table,
    jsonable,
    matching_incidents,
    points_layer,
    progress_stage,
    result_base,
    scheduler,
)


class NearRepeatForm(AnalysisForm):
    distance_band = positive_number_field(gettext_lazy("Distance band (m)"), 100, maximum=10000)
    distance_bands = positive_number_field(gettext_lazy("Distance bands"), 3, decimal=False, maximum=20)
    time_band = positive_number_field(gettext_lazy("Time band (days)"), 7, maximum=365)
    time_bands = positive_number_field(gettext_lazy("Time bands"), 3, decimal=False, maximum=52)
    same_location = positive_number_field(
        gettext_lazy("Same location below (m)"),
        1,
        maximum=1000,
        help_text=gettext_lazy(
            "Pairs closer than this are at the same place (the table's first row); it must be below the distance band."
        ),
    )
    metric = forms.ChoiceField(
        label=gettext_lazy("Distance"),
        initial="manhattan",  # analysis.knox.DEFAULT_METRIC (not imported here: it loads numba; a test compares)
        choices=[
            ("manhattan", gettext_lazy("Manhattan (along the streets)")),
            ("euclidean", gettext_lazy("Euclidean (straight line)")),
        ],
    )
    permutations = positive_number_field(gettext_lazy("Permutations"), 999, decimal=False, maximum=MAX_PERMUTATIONS)
    seed = forms.IntegerField(
        label=gettext_lazy("Random seed"),
        initial=0,
        min_value=0,
        help_text=gettext_lazy("The same seed gives the same result."),
    )

    def clean(self):
        data = super().clean()
        _whole_edges(self, data)
        same, band = data.get("same_location"), data.get("distance_band")
        if same is not None and band is not None and same >= band:
            self.add_error(
                "same_location",
                gettext_lazy("The same-location distance must be below the distance band (%(band)s m).")
                % {"band": f"{band:g}"},
            )
        if not self.errors:
            self.require_incidents(2)
        return data


def _whole_edges(form, data) -> None:
    """The engine compares distances in whole centimetres and times in whole seconds (analysis.knox.whole_units):
    an edge between two of them is refused here, on its field, rather than by the job."""
    from analysis.io import InputError
    from analysis.knox import CM_PER_M, SECONDS_PER_DAY, whole_units

    checks = (
        ("distance_band", CM_PER_M, gettext_lazy("Use a whole number of centimetres (at most two decimals).")),
        ("same_location", CM_PER_M, gettext_lazy("Use a whole number of centimetres (at most two decimals).")),
        ("time_band", SECONDS_PER_DAY, gettext_lazy("Use a whole number of seconds (0.5 days is 43,200 seconds).")),
    )
    for name, per, message in checks:
        value = data.get(name)
        if value is None or name in form.errors:
            continue
        try:
            whole_units(name, value, per, "", "", float("inf"))
        except InputError:
            form.add_error(name, message)


def run_near_repeat(job, user, params, progress):
    from analysis.knox import near_repeat

    arrays = matching_incidents(user, params, minimum=2)
    progress(0.1, _("Counting pairs of incidents"))
    result = near_repeat(
        arrays.x,
        arrays.y,
        arrays.t,
        distance_band=float(params["distance_band"]),
        distance_bands=int(params["distance_bands"]),
        time_band=float(params["time_band"]),
        time_bands=int(params["time_bands"]),
        metric=params.get("metric") or "manhattan",
        permutations=int(params["permutations"]),
        seed=int(params.get("seed") or 0),
        same_location=float(params.get("same_location") or 1.0),
        scheduler=scheduler(),
        progress=progress_stage(progress, 0.1, 0.95, _("Permuting the times")),
    )
    return {
        **result_base(arrays),
        "knox": jsonable(result.to_dict()),
        "table": capped_table(result.to_rows()),
        "geojson": points_layer(arrays),
    }


# --- the result page -----------------------------------------------------------------------------------------------


def summary(data: dict, stats: dict) -> list:
    knox = data.get("knox") or {}
    return [
        (_("Pairs of incidents"), knox.get("pairs")),
        (_("Pairs within the largest distance"), knox.get("close_pairs")),
        (_("Permutations"), knox.get("permutations")),
        (_("Random seed"), knox.get("seed")),
    ]


def conventions(data: dict) -> list[str]:
    knox = data.get("knox") or {}
    return [
        _(
            "Bands are half-open: a pair is in the band [a, b) when a ≤ distance < b metres and a ≤ days apart < b. "
            "The first row holds pairs at the same place (under %(s)s m); the last row and column, everything from "
            "the largest edge on. Distance: %(m)s. Expected counts: the exact average if the dates were shuffled "
            "among the places; p-value: share of %(p)s random shuffles with at least as many pairs (seed "
            "%(seed)s). Each pair counts once."
        )
        % {
            "s": knox.get("same_location"),
            "m": dict(NearRepeatForm.base_fields["metric"].choices).get(  # type: ignore[attr-defined]
                knox.get("metric"), knox.get("metric")
            ),
            "p": knox.get("permutations"),
            "seed": knox.get("seed"),
        },
        _(
            "Distances are compared to the centimetre and times to the second, exactly (in whole numbers): a pair "
            "exactly on an edge always falls in the band that starts there."
        ),
    ]


def layers(data: dict, geo: dict) -> list[dict]:
    return [{"label": _("Incidents analysed"), "style": "points", "data": geo}]


def page(data: dict) -> dict:
    return {"knox": knox_table(data["knox"]) if data.get("knox") else None}


def knox_table(knox: dict) -> dict:
    """The near-repeat table with each cell coloured by its Knox ratio (red above 1, blue below) and marked when
    significant (p ≤ 0.05)."""
    rows = []
    for r, label in enumerate(knox["row_labels"]):
        cells = []
        for c, _col in enumerate(knox["col_labels"]):
            ratio = knox["ratio"][r][c]
            p = knox["p_value"][r][c]
            cells.append(
                {
                    "observed": knox["observed"][r][c],
                    "expected": knox["expected"][r][c],
                    "ratio": ratio,
                    "p": p,
                    "significant": p is not None and p <= 0.05,
                    "colour": _heat(ratio),
                }
            )
        rows.append({"label": label, "cells": cells})
    return {"columns": knox["col_labels"], "rows": rows}


def _heat(ratio) -> str:
    if ratio is None:
        return "#f4f6f6"
    if ratio >= 1:
        strength = min(1.0, (ratio - 1) / 1.0)
        return f"rgba(192, 57, 43, {0.08 + 0.6 * strength:.2f})"
    strength = min(1.0, 1 - ratio)
    return f"rgba(36, 113, 163, {0.08 + 0.5 * strength:.2f})"


METHOD = Method(
    "near_repeat",
    "near_repeat",
    "repeticion-cercana/",
    gettext_lazy("Near repeat (Knox)"),
    gettext_lazy("After an incident, are there more incidents nearby in the following days than chance would give?"),
    gettext_lazy(
        "Every pair of incidents is counted by its distance and its time apart; the table compares the "
        "pairs observed with those expected if times were shuffled among the places (Knox ratio), with a "
        "permutation p-value per cell, as Ratcliffe's Near Repeat Calculator."
    ),
    (
        "Knox (1964), The detection of space-time interactions, Applied Statistics 13(1).",
        "Ratcliffe (2009), Near Repeat Calculator v1.3, Temple University.",
        "Johnson et al. (2007), Space-time patterns of risk, Journal of Quantitative Criminology 23.",
    ),
    NearRepeatForm,
    run_near_repeat,
    layers,
    summary=summary,
    conventions=conventions,
    page=page,
    result_template="observatory/methods/near_repeat.html",
)
