"""Accuracy of hot-spot maps: would a map (KDE or Gi*) of a training period have pointed to where the test period's
incidents happened? Its form, its job (analysis.accuracy: hit rate, PAI, PEI) and how the page shows the flagged
cells, together."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import shapely
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.jobs.registry import JobError
from centinela.lib import dates
from centinela.observatory import selectors
from centinela.observatory.forms.analysis import DATE, MIN_INCIDENTS, AnalysisForm, last_day, positive_number_field
from centinela.observatory.methods.base import Method
from centinela.observatory.methods.running import (
    capped_table,
    jsonable,
    matching_incidents,
    parse_date,
    points_layer,
    progress_stage,
    result_base,
    scheduler,
    top_features,
)
from centinela.observatory.methods.showing import format_figure, format_percent
from centinela.observatory.selectors import CRS


def _kde_scores(train, *, cell, extent, progress):
    """The training period's kernel density on the grid: (grid, scores by row and column)."""
    from analysis.hotspots import kde

    fitted = kde(train.x, train.y, cell=cell, extent=extent, scheduler=scheduler(), progress=progress)
    return fitted.grid, np.asarray(fitted.values, dtype=float)


def _gistar_scores(train, *, cell, extent, progress):
    """The training period's Gi* z-scores on the grid: (grid, scores by row and column)."""
    from analysis.hotspots import gistar_grid

    fitted = gistar_grid(train.x, train.y, cell=cell, extent=extent, scheduler=scheduler(), progress=progress)
    grid = fitted.grid
    return grid, np.asarray(fitted.z, dtype=float).reshape(grid.rows, grid.cols)


# the hot-spot maps a prediction can be drawn with: name (kept in the job's params) -> (label, scoring function)
PREDICTORS = {
    "kde": (gettext_lazy("Kernel density (KDE)"), _kde_scores),
    "gistar": (gettext_lazy("Getis-Ord Gi*"), _gistar_scores),
}
DEFAULT_PREDICTOR = "kde"


class AccuracyForm(AnalysisForm):
    uses_period = False
    train_start = dates.DateField(label=gettext_lazy("Training period: from"), widget=DATE)
    train_end = dates.DateField(label=gettext_lazy("Training period: to"), widget=DATE)
    test_start = dates.DateField(label=gettext_lazy("Test period: from"), widget=DATE)
    test_end = dates.DateField(label=gettext_lazy("Test period: to"), widget=DATE)
    predictor = forms.ChoiceField(
        label=gettext_lazy("Hot-spot method"),
        initial=DEFAULT_PREDICTOR,
        choices=[(name, label) for name, (label, _scores) in PREDICTORS.items()],
    )
    cell = positive_number_field(gettext_lazy("Cell size (m)"), 100, maximum=5000)
    area_share = forms.FloatField(
        label=gettext_lazy("Share of the area flagged (%)"),
        initial=5,
        min_value=0.1,
        max_value=50,
        help_text=gettext_lazy("The hottest cells covering this share of the area are the prediction."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        today = last_day(user)
        self.fields["test_end"].initial = today
        self.fields["test_start"].initial = today - timedelta(days=90)
        self.fields["train_end"].initial = today - timedelta(days=91)
        self.fields["train_start"].initial = today - timedelta(days=456)

    def clean(self):
        data = super().clean()
        ok_train = self._check_period("train_start", "train_end", required=True)
        ok_test = self._check_period("test_start", "test_end", required=True)
        if ok_train and ok_test and not self.errors and data["test_start"] <= data["train_end"]:
            self.add_error("test_start", gettext_lazy("The test period must start after the training period."))
        if not self.errors:
            self.require_incidents(MIN_INCIDENTS, field="train_start", start=data["train_start"], end=data["train_end"])
            self.require_incidents(1, field="test_start", start=data["test_start"], end=data["test_end"])
        return data


def run_accuracy(job, user, params, progress):
    from analysis.accuracy import hotspot_accuracy

    train_period = (parse_date(params["train_start"]), parse_date(params["train_end"]))
    test_period = (parse_date(params["test_start"]), parse_date(params["test_end"]))
    arrays = matching_incidents(user, params, minimum=1, start=train_period[0], end=test_period[1])
    train, test = arrays.between(*train_period), arrays.between(*test_period)
    if len(train) < 3 or len(test) < 1:
        raise JobError(
            _("Too few incidents: %(a)d in the training period (at least 3) and %(b)d in the test period (at least 1).")
            % {"a": len(train), "b": len(test)}
        )
    cell = float(params["cell"])
    # one grid over both periods, so the test incidents fall on the cells that were scored
    extent = (float(arrays.x.min()), float(arrays.y.min()), float(arrays.x.max()), float(arrays.y.max()))
    stage = progress_stage(progress, 0.1, 0.8, _("Drawing the hot-spot map of the training period"))
    _label, predict = PREDICTORS.get(params.get("predictor"), PREDICTORS[DEFAULT_PREDICTOR])
    grid, scores = predict(train, cell=cell, extent=extent, progress=stage)
    progress(0.85, _("Scoring the test period"))
    # the study area: cells whose centre lies in the parishes analysed (the canton's land, not the bounding box)
    area = selectors.study_area(user, params.get("parishes"))
    if area is not None:
        cx, cy = grid.centres()
        outside = ~shapely.contains_xy(area, cx, cy).reshape(grid.rows, grid.cols)
        if not outside.all():
            scores = np.where(outside, np.nan, scores)
    result = hotspot_accuracy(
        scores,
        test.x,
        test.y,
        minx=grid.minx,
        miny=grid.miny,
        cell=cell,
        area_share=float(params["area_share"]) / 100.0,
        crs=CRS,
    )
    stats = result.to_dict()
    stats.update(train_n=len(train), test_n=len(test))
    geo = result.to_geojson()
    for feature in geo["features"]:
        r, c = feature["properties"]["row"], feature["properties"]["col"]
        feature["properties"]["score"] = float(scores[r, c])
    return {
        **result_base(arrays),
        "stats": jsonable(stats),
        "table": capped_table(result.to_rows()),
        "geojson": top_features(geo, "score"),
        "points": points_layer(test),
    }


# --- the result page -----------------------------------------------------------------------------------------------


def summary(data: dict, stats: dict) -> list:
    return [
        (_("Incidents in the training period"), stats.get("train_n")),
        (_("Incidents in the test period"), stats.get("test_n")),
        (_("Cells flagged"), stats.get("cells")),
        (_("Area flagged (km²)"), format_figure(stats.get("area_km2"), 3)),
        (_("Study area (km²)"), format_figure(stats.get("study_km2"), 2)),
        (_("Hit rate"), format_percent(stats.get("hit_rate"))),
        (_("PAI"), format_figure(stats.get("pai"), 2)),
        (_("Best PAI possible"), format_figure(stats.get("max_pai"), 2)),
        (_("PEI"), format_figure(stats.get("pei"), 2)),
        (_("Test incidents outside the study area"), stats.get("outside")),
    ]


def conventions(data: dict) -> list[str]:
    return [
        _(
            "Hit rate: share of the test period's incidents in the flagged cells. PAI: hit rate over the share of "
            "the area flagged. PEI: PAI over the best PAI possible with the same area. The study area is the cells "
            "whose centre lies in the parishes analysed."
        )
    ]


def layers(data: dict, geo: dict) -> list[dict]:
    return [{"label": _("Cells flagged by the prediction"), "style": "density", "key": "score", "data": geo}]


METHOD = Method(
    "accuracy",
    "accuracy",
    "precision/",
    gettext_lazy("Accuracy of hot-spot maps"),
    gettext_lazy("Would a hot-spot map of past incidents have pointed to where the next incidents happened?"),
    gettext_lazy(
        "A map (KDE or Gi*) is drawn from the training period; its hottest cells covering a share of the "
        "area are the prediction; the hit rate, the prediction accuracy index (PAI) and the prediction "
        "efficiency index (PEI) measure how many test-period incidents fell in them."
    ),
    (
        "Chainey, Tompson & Uhlig (2008), Security Journal 21.",
        "Hunt (2016), Do crime hot spots move? Exploring the effects of the modifiable areal unit problem and "
        "modifiable temporal unit problem on crime hot spot stability, PhD thesis (PEI).",
        "Adepeju, Rosser & Cheng (2016), Novel evaluation metrics for sparse spatio-temporal point process "
        "hotspot predictions, Crime Science 5.",
    ),
    AccuracyForm,
    run_accuracy,
    layers,
    summary=summary,
    conventions=conventions,
    points_label=gettext_lazy("Incidents of the test period"),
    columns={"value": gettext_lazy("Value")},
)
