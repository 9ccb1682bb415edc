"""The words the observatory shows for the engine's column names and coded values, in one place.

The engine (`analysis/`) writes its tables with English machine keys (``cell``, ``p_value``, ``category``) and coded
values (``hot 99%``, ``not significant``, ``arcgis``); the result page, the CSV and the XLSX downloads show them
through these maps, translated (Spanish on the site). The JSON download keeps the engine's own keys and values on
purpose: it is the machine-readable record of the job, the same keys the CLI writes (`centinela-analysis`).

`COLUMNS` holds the headers shared by every method; a method's own `columns` (in its module of `methods/`) override
them where a key means something else in that method. `VALUES[column]` maps a column's coded values; numbers and
dates pass through unchanged (the downloads keep full precision, the page formats them)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

COLUMNS = {
    # grids (KDE, Gi*)
    "cell": _("Cell"),
    "row": _("Grid row"),
    "col": _("Grid column"),
    "x": _("X (m, UTM 17S)"),
    "y": _("Y (m, UTM 17S)"),
    "lon": _("Longitude"),
    "lat": _("Latitude"),
    "count": _("Incidents"),
    "density_per_km2": _("Density (incidents per km²)"),
    "value": _("Incidents in the cell"),
    "gi": _("Gi* statistic"),
    "z": _("z-score"),
    "p_norm": _("p-value (normal)"),
    "p_sim": _("p-value (permutation, one-sided)"),
    "p_value": _("p-value (two-sided)"),
    "q": _("q-value (false discovery rate)"),
    "significant": _("Significant"),
    "category": _("Category"),
    # near repeat
    "distance": _("Distance (m)"),
    "time": _("Days apart"),
    "distance_from_m": _("Distance from (m)"),
    "distance_to_m": _("Distance up to (m, not included)"),
    "time_from_days": _("Days from"),
    "time_to_days": _("Days up to (not included)"),
    "observed": _("Observed pairs"),
    "expected": _("Expected pairs"),
    "ratio": _("Knox ratio"),
    "simulated_mean": _("Mean of the permutations"),
    # placement
    "rank": _("Rank"),
    "site": _("Site number"),
    "exclusive_weight": _("Incidents newly covered"),
    "candidate": _("Candidate site"),
    # impact, accuracy: a measure per row
    "measure": _("Measure"),
    # coverage
    "code": _("Camera"),
    "name": _("Name"),
    "status": _("Status now"),
    "in_view": _("Incidents in its view"),
    "seen_working": _("In view while it was working"),
    "parish": _("Parish"),
    "incidents": _("Incidents"),
    "seen": _("Seen by a working camera"),
    "share": _("Share seen"),
}

GISTAR_CATEGORIES = {
    "hot 99%": _("Hot spot, 99 percent confidence"),
    "hot 95%": _("Hot spot, 95 percent confidence"),
    "hot 90%": _("Hot spot, 90 percent confidence"),
    "cold 99%": _("Cold spot, 99 percent confidence"),
    "cold 95%": _("Cold spot, 95 percent confidence"),
    "cold 90%": _("Cold spot, 90 percent confidence"),
    "not significant": _("Not significant"),
}
KERNELS = {
    "quartic": _("Quartic"),
    "gaussian": _("Gaussian"),
    "epanechnikov": _("Epanechnikov"),
    "triangular": _("Triangular"),
    "uniform": _("Uniform"),
}
BANDWIDTH_RULES = {
    "arcgis": _("ArcGIS Pro's rule (spatial Silverman)"),
    "scott": _("Scott's rule"),
    "given": _("Given in the form"),
}
P_METHODS = {
    "exact": _("Exact (conditional permutation, the limit of infinitely many)"),
    "mc": _("Monte Carlo (random permutations)"),
}
MEASURES = {
    # impact
    "treated_before": _("Treated area, before"),
    "treated_after": _("Treated area, after"),
    "buffer_before": _("Buffer ring, before"),
    "buffer_after": _("Buffer ring, after"),
    "control_before": _("Control area, before"),
    "control_after": _("Control area, after"),
    "per_day": _("Counts per day (periods of different length)"),
    "treated_change": _("Change in the treated area"),
    "control_change": _("Change in the control area"),
    "did": _("Difference in differences"),
    "did_low": _("Difference in differences, 95 percent low"),
    "did_high": _("Difference in differences, 95 percent high"),
    "ratio": _("Relative effect"),
    "ratio_low": _("Relative effect, 95 percent low"),
    "ratio_high": _("Relative effect, 95 percent high"),
    "percent_change": _("Relative change (%)"),
    "success_measure": _("Success measure (WDQ)"),
    "displacement_measure": _("Displacement measure (WDQ)"),
    "wdq": _("Weighted displacement quotient (WDQ)"),
    "total_net_effect": _("Total net effect (incidents)"),
    "wdq_interpretation": _("WDQ reading"),
    # accuracy
    "hit_rate": _("Hit rate"),
    "pai": _("PAI"),
    "pei": _("PEI"),
    "cells": _("Cells flagged"),
    "area_km2": _("Area flagged (km²)"),
    "hits": _("Test incidents in the flagged cells"),
    "total": _("Test incidents"),
    "max_hits": _("Most incidents the same area could hold"),
    "max_pai": _("Best PAI possible"),
    "study_km2": _("Study area (km²)"),
    "outside": _("Test incidents outside the study area"),
    "area_share": _("Share of the area flagged"),
}
CAMERA_STATUS = {
    "online": _("Online"),
    "offline": _("Offline"),
    "rejected": _("Credentials rejected"),
    "maintenance": _("Under maintenance"),
    "unknown": _("No probe yet"),
    "inactive": _("Not in service"),
}
# the impact engine's reading of the weighted displacement quotient (its table's "value" and the summary)
WDQ_TEXTS = {
    "the control area has no incidents in a period: the WDQ is undefined": _(
        "the control area has no incidents in a period: the WDQ is undefined"
    ),
    "no success in the treated area (it did not improve relative to the control): the WDQ is not interpretable": _(
        "no success in the treated area (it did not improve relative to the control): the WDQ is not interpretable"
    ),
    "diffusion of benefits larger than the direct effect": _("diffusion of benefits larger than the direct effect"),
    "diffusion of benefits to the buffer, smaller than the direct effect": _(
        "diffusion of benefits to the buffer, smaller than the direct effect"
    ),
    "neither displacement nor diffusion of benefits": _("neither displacement nor diffusion of benefits"),
    "some displacement to the buffer, smaller than the direct effect (net benefit)": _(
        "some displacement to the buffer, smaller than the direct effect (net benefit)"
    ),
    "displacement to the buffer larger than the direct effect (net loss)": _(
        "displacement to the buffer larger than the direct effect (net loss)"
    ),
}
TABLE_TITLES = {"parishes": _("Incidents seen by parish"), "cameras": _("Incidents seen by camera")}
VALUES = {
    "category": GISTAR_CATEGORIES,
    "kernel": KERNELS,
    "bandwidth_rule": BANDWIDTH_RULES,
    "p_method": P_METHODS,
    "measure": MEASURES,
    "status": CAMERA_STATUS,
}


def header(keys, own: dict | None = None) -> list[str]:
    """The engine's column keys as the page and the downloads name them (`own`: the method's own `columns`)."""
    own = own or {}
    return [str(own.get(k) or COLUMNS.get(k) or k) for k in keys]


def value(key: str, v):
    """A coded value in words (booleans: yes / no); anything else unchanged."""
    if isinstance(v, bool):
        from django.utils.translation import gettext

        return gettext("yes") if v else gettext("no")
    words = VALUES.get(key)
    if words is not None and isinstance(v, str) and v in words:
        return str(words[v])
    if key == "value" and isinstance(v, str):  # the impact table's WDQ reading, in words
        return str(WDQ_TEXTS.get(v, v))
    return v


def rows(keys, body) -> list[list]:
    """The table's rows with their coded values in words."""
    keys = list(keys)
    return [[value(k, v) for k, v in zip(keys, row)] for row in body]


def word(kind: str, v) -> str:
    """One coded value of a summary (kind: kernel, bandwidth_rule, p_method, category) in words."""
    if v is None:
        return "—"
    return str(VALUES.get(kind, {}).get(v, v))
