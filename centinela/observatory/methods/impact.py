"""Impact of cameras or interventions: did incidents fall in the treated area (around cameras, or in parishes or
barrios) compared with a control area over the same periods, and did crime move to a buffer ring around it? Its form,
its job (analysis.impact: difference in differences, the weighted displacement quotient) and how the page reads the
result, together."""

from __future__ import annotations

from datetime import timedelta

import shapely
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.jobs.registry import JobError
from centinela.lib import dates
from centinela.observatory import labels, selectors
from centinela.observatory.forms.analysis import DATE, AnalysisForm, last_day, positive_number_field
from centinela.observatory.methods.base import Method
from centinela.observatory.methods.running import (
    capped_table,
    jsonable,
    matching_incidents,
    parse_date,
    points_layer,
    result_base,
)
from centinela.observatory.methods.showing import format_figure, format_percent
from centinela.observatory.selectors import CRS


class ImpactForm(AnalysisForm):
    uses_period = False
    cameras = forms.MultipleChoiceField(
        label=gettext_lazy("Cameras"),
        required=False,
        help_text=gettext_lazy("The treated area is the ground within the distance below around these cameras."),
    )
    treated_parishes = forms.MultipleChoiceField(label=gettext_lazy("Or treated parishes"), required=False)
    treated_barrios = forms.MultipleChoiceField(label=gettext_lazy("Or treated barrios"), required=False)
    distance = positive_number_field(gettext_lazy("Treated distance around the cameras (m)"), 150, maximum=5000)
    buffer = forms.FloatField(
        label=gettext_lazy("Buffer ring (m)"),
        initial=300,
        min_value=0,
        max_value=5000,
        help_text=gettext_lazy(
            "A ring around the treated area left out of the control area "
            "(where crime may be displaced or benefits may spill over); 0: "
            "none."
        ),
    )
    control_parishes = forms.MultipleChoiceField(
        label=gettext_lazy("Control parishes"),
        required=False,
        help_text=gettext_lazy("None chosen: the rest of the urban area."),
    )
    before_start = dates.DateField(label=gettext_lazy("Before: from"), widget=DATE)
    before_end = dates.DateField(label=gettext_lazy("Before: to"), widget=DATE)
    after_start = dates.DateField(label=gettext_lazy("After: from"), widget=DATE)
    after_end = dates.DateField(label=gettext_lazy("After: to"), widget=DATE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        from centinela.territory.selectors import barrios_for

        self.fields["cameras"].choices = [(str(pk), label) for pk, label in selectors.camera_choices(user)]
        self.fields["treated_parishes"].choices = self.fields["parishes"].choices
        self.fields["control_parishes"].choices = self.fields["parishes"].choices
        self.fields["treated_barrios"].choices = [
            (str(b.pk), f"{b.name} ({b.parish.name})") for b in barrios_for(user).order_by("name")
        ]
        for name in ("cameras", "treated_parishes", "treated_barrios", "control_parishes"):
            self.fields[name].widget.attrs["size"] = 6
        today = last_day(user)
        self.fields["after_end"].initial = today
        self.fields["after_start"].initial = today - timedelta(days=180)
        self.fields["before_end"].initial = today - timedelta(days=181)
        self.fields["before_start"].initial = today - timedelta(days=361)

    def clean(self):
        data = super().clean()
        if not (data.get("cameras") or data.get("treated_parishes") or data.get("treated_barrios")):
            self.add_error("cameras", gettext_lazy("Choose the treated area: cameras, parishes or barrios."))
        ok_before = self._check_period("before_start", "before_end", required=True)
        ok_after = self._check_period("after_start", "after_end", required=True)
        if ok_before and ok_after and not self.errors and data["after_start"] <= data["before_end"]:
            self.add_error("after_start", gettext_lazy("The after period must start once the before period has ended."))
        if not self.errors:
            self.require_incidents(1, start=data["before_start"], end=data["after_end"])
        return data


def _treated_area(user, params):
    """The treated area in metres: discs around the chosen cameras, or the chosen parishes / barrios."""
    parts = []
    if params.get("cameras"):
        cams = selectors.cameras(user, ids=params["cameras"], working_only=False)
        distance = float(params.get("distance") or 150)
        parts += [shapely.Point(x, y).buffer(distance, 32) for x, y in zip(cams.x, cams.y)]
    if params.get("treated_parishes"):
        area = selectors.parish_area(user, params["treated_parishes"])
        if area is not None:
            parts.append(selectors.to_metres_geometry(area))
    if params.get("treated_barrios"):
        area = selectors.barrio_area(user, params["treated_barrios"])
        if area is not None:
            parts.append(selectors.to_metres_geometry(area))
    if not parts:
        raise JobError(_("The treated area is empty: the chosen cameras, parishes or barrios have no location."))
    return shapely.union_all(parts)


def _control_area(user, params, treated, buffer):
    if params.get("control_parishes"):
        area = selectors.parish_area(user, params["control_parishes"])
    else:
        area = selectors.urban_area(user)
    if area is None:
        raise JobError(_("There is no control area: choose control parishes."))
    control = selectors.to_metres_geometry(area).difference(treated.buffer(buffer or 0.0))
    if control.is_empty:
        raise JobError(_("The control area is empty once the treated area and its buffer ring are left out."))
    return control


def run_impact(job, user, params, progress):
    from analysis.impact import impact

    before = (parse_date(params["before_start"]), parse_date(params["before_end"]))
    after = (parse_date(params["after_start"]), parse_date(params["after_end"]))
    arrays = matching_incidents(user, params, minimum=1, start=before[0], end=after[1])
    progress(0.3, _("Drawing the areas"))
    treated = _treated_area(user, params)
    buffer = float(params.get("buffer") or 0) or None
    control = _control_area(user, params, treated, buffer)
    periods = {
        "before": (selectors.day_number(before[0]), selectors.day_number(before[1], end_of_day=True)),
        "after": (selectors.day_number(after[0]), selectors.day_number(after[1], end_of_day=True)),
    }
    progress(0.5, _("Comparing before and after"))
    result = impact(
        arrays.x,
        arrays.y,
        arrays.t,
        treated=treated,
        control=control,
        buffer=buffer,
        before=periods["before"],
        after=periods["after"],
        crs=CRS,
    )
    return {
        **result_base(arrays),
        "stats": jsonable(result.to_dict()),
        "table": capped_table(result.to_rows()),
        "geojson": jsonable(result.to_geojson()),
        "points": points_layer(arrays),
    }


# --- the result page -----------------------------------------------------------------------------------------------


def summary(data: dict, stats: dict) -> list:
    counts = stats.get("counts") or {}
    names = {"treated": _("Treated area"), "buffer": _("Buffer ring"), "control": _("Control area")}
    rows = [
        (_("%(area)s: before → after") % {"area": names[k]}, f"{v[0]} → {v[1]}")
        for k, v in counts.items()
        if k in names
    ]
    d = stats.get("did") or {}
    if d:
        low, high = d.get("ratio_low"), d.get("ratio_high")
        rows.append(
            (
                _("Relative effect (after/before, treated over control)"),
                f"{format_figure(d.get('ratio'), 2)} ({format_figure(low, 2)}–{format_figure(high, 2)})"
                if d.get("ratio") is not None
                else "—",
            )
        )
        rows.append(
            (
                _("Relative change"),
                "—"
                if d.get("percent_change") is None
                else ("+" if d["percent_change"] > 0 else "") + format_percent(d["percent_change"] / 100),
            )
        )
        rows.append(
            (
                _("Difference in differences (incidents per day)")
                if d.get("per_day")
                else _("Difference in differences (incidents)"),
                f"{format_figure(d.get('did'), 2)} "
                f"({format_figure(d.get('did_low'), 2)}–{format_figure(d.get('did_high'), 2)})",
            )
        )
        if low is not None and high is not None:
            if high < 1:
                verdict = _(
                    "Incidents fell in the treated area relative to the control (the 95 percent interval lies below 1)."
                )
            elif low > 1:
                verdict = _(
                    "Incidents rose in the treated area relative to the control (the 95 percent interval lies above 1)."
                )
            else:
                verdict = _("No significant relative change (the 95 percent interval includes 1).")
            rows.append((_("Reading"), verdict))
    w = stats.get("wdq")
    if w:
        rows.append((_("Weighted displacement quotient (WDQ)"), format_figure(w.get("wdq"), 2)))
        rows.append((_("WDQ reading"), labels.WDQ_TEXTS.get(w.get("interpretation"), w.get("interpretation"))))
        rows.append((_("Total net effect (incidents prevented)"), format_figure(w.get("total_net_effect"), 1)))
    return rows


def conventions(data: dict) -> list[str]:
    return [
        _(
            "Periods include their first and last days. The control area leaves out the treated area and its "
            "buffer ring. Relative effect: (treated after / before) over (control after / before), below 1 when "
            "incidents fell more in the treated area, with a 95 percent Poisson interval; WDQ after Bowers and "
            "Johnson (2003)."
        )
    ]


def layers(data: dict, geo: dict) -> list[dict]:
    return [{"label": _("Areas compared"), "style": "areas", "data": geo}]


METHOD = Method(
    "impact",
    "impact",
    "impacto/",
    gettext_lazy("Impact of cameras or interventions"),
    gettext_lazy(
        "Did incidents fall around the cameras (or in the barrios) where something was done, compared "
        "with the rest of the city over the same periods?"
    ),
    gettext_lazy(
        "Incidents are counted before and after in the treated area, in a buffer ring around it (where "
        "crime may move to) and in a control area; the weighted displacement quotient and the relative "
        "change say whether the change is more than the city's."
    ),
    (
        "Bowers & Johnson (2003), Measuring the geographical displacement and diffusion of benefit effects of "
        "crime prevention activity, Journal of Quantitative Criminology 19(3).",
        "Welsh & Farrington (2009), Public area CCTV and crime prevention, Justice Quarterly 26(4).",
    ),
    ImpactForm,
    run_impact,
    layers,
    summary=summary,
    conventions=conventions,
    columns={"value": gettext_lazy("Value")},
)
