"""Where to place cameras: the k candidate sites that would watch the most incidents not yet watched by the cameras in
service (the maximal covering location problem). Its form, its job (analysis.placement.place_cameras) and how the
page shows the sites, their discs and the cameras in service, together."""

from __future__ import annotations

import shapely
from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.jobs.registry import JobError
from centinela.observatory import selectors
from centinela.observatory.forms.analysis import AnalysisForm, positive_number_field
from centinela.observatory.methods.base import Method
from centinela.observatory.methods.running import capped_table, jsonable, matching_incidents, points_layer, result_base
from centinela.observatory.methods.showing import format_figure, format_percent
from centinela.observatory.selectors import CRS


class PlacementForm(AnalysisForm):
    k = positive_number_field(gettext_lazy("Cameras to place"), 5, decimal=False, maximum=200)
    radius = positive_number_field(gettext_lazy("Radius each camera watches (m)"), 150, maximum=2000)
    spacing = positive_number_field(
        gettext_lazy("Spacing of the candidate grid (m)"),
        150,
        maximum=2000,
        help_text=gettext_lazy("Candidates: the gazetteer's places plus a grid of points over the urban area."),
    )
    count_existing = forms.BooleanField(
        label=gettext_lazy("Count the cameras in service"),
        required=False,
        initial=True,
        help_text=gettext_lazy("Incidents already watched by a camera in service do not call for a new one."),
    )
    solver = forms.ChoiceField(
        label=gettext_lazy("Method"),
        initial="exact",
        choices=[("exact", gettext_lazy("Exact (integer programming)")), ("greedy", gettext_lazy("Greedy (fast)"))],
    )

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        self.require_incidents(1)
        xs, _ys, _labels = selectors.candidate_sites(self.user, spacing=data["spacing"])
        if data["k"] > len(xs):
            self.add_error(
                "k",
                gettext_lazy(
                    "There are only %(n)d candidate sites: ask for at most that many cameras "
                    "(or narrow the grid spacing)."
                )
                % {"n": len(xs)},
            )
        return data


def _disc_layer(xs, ys, radius, props_list) -> dict:
    features = []
    for x, y, props in zip(xs, ys, props_list):
        disc = selectors.to_lonlat_geometry(shapely.Point(x, y).buffer(radius, 16))
        features.append({"type": "Feature", "geometry": shapely.geometry.mapping(disc), "properties": props})
    return {"type": "FeatureCollection", "features": jsonable(features)}


def run_placement(job, user, params, progress):
    from analysis.placement import coverage_share, place_cameras

    arrays = matching_incidents(user, params, minimum=1)
    radius, k = float(params["radius"]), int(params["k"])
    progress(0.2, _("Listing candidate sites"))
    sx, sy, labels = selectors.candidate_sites(
        user, spacing=float(params["spacing"]), near_x=arrays.x, near_y=arrays.y, reach=radius
    )
    if k > len(sx):
        raise JobError(
            _("There are only %(n)d candidate sites near the incidents: ask for at most that many cameras.")
            % {"n": len(sx)}
        )
    existing = selectors.cameras(user) if params.get("count_existing") else selectors.Cameras()
    seen_now = coverage_share(arrays.x, arrays.y, existing.views, crs=CRS) if existing.views else None
    progress(0.35, _("Choosing the sites"))
    result = place_cameras(
        arrays.x,
        arrays.y,
        sx,
        sy,
        radius=radius,
        k=k,
        existing_x=existing.x if len(existing.x) else None,
        existing_y=existing.y if len(existing.y) else None,
        method=params.get("solver") or "exact",
        crs=CRS,
        time_limit=120,
    )
    progress(0.9, _("Preparing the map"))
    sites = result.to_geojson()
    for feature, s in zip(sites["features"], result.sites):
        feature["properties"]["label"] = labels[s]
    table = result.to_rows()
    table[0].append("candidate")
    for row, s in zip(table[1:], result.sites):
        row.append(labels[s])
    stats = result.to_dict()
    stats.pop("site_coordinates", None)
    stats.update(
        candidates=len(sx), existing_cameras=len(existing.ids), seen_now_share=seen_now.share if seen_now else None
    )
    return {
        **result_base(arrays),
        "stats": jsonable(stats),
        "table": capped_table(table),
        "geojson": jsonable(sites),
        "discs": _disc_layer(
            [sx[s] for s in result.sites],
            [sy[s] for s in result.sites],
            radius,
            [{"rank": r + 1} for r in range(len(result.sites))],
        ),
        "existing": _disc_layer(existing.x, existing.y, radius, [{"code": c} for c in existing.codes]),
        "points": points_layer(arrays),
    }


# --- the result page -----------------------------------------------------------------------------------------------


def summary(data: dict, stats: dict) -> list:
    return [
        (_("Candidate sites"), stats.get("candidates")),
        (_("Cameras in service counted"), stats.get("existing_cameras")),
        (_("Incidents seen by the cameras in service now"), format_percent(stats.get("seen_now_share"))),
        (_("Incidents covered with the new cameras"), format_percent(stats.get("share"))),
        (_("Proven optimal"), format_figure(stats.get("optimal"))),
        (_("Gap to the best bound"), format_percent(stats.get("gap"))),
        (_("Greedy's gap"), format_percent(stats.get("greedy_gap"))),
    ]


def conventions(data: dict) -> list[str]:
    return [
        _(
            "A camera is taken to watch every incident within the radius of its site (a disc); cameras in service "
            "count with the same radius. Candidate sites: the places of the gazetteer and a grid over the urban "
            "area, keeping grid points within the radius of an incident."
        )
    ]


def layers(data: dict, geo: dict) -> list[dict]:
    return [
        {"label": _("Cameras in service"), "style": "existing", "data": data.get("existing") or geo},
        {"label": _("Ground the new cameras watch"), "style": "discs", "data": data.get("discs") or geo},
        {"label": _("New camera sites"), "style": "sites", "data": geo},
    ]


METHOD = Method(
    "placement",
    "placement",
    "ubicacion-camaras/",
    gettext_lazy("Where to place cameras"),
    gettext_lazy("Where would k new cameras watch the most incidents, given the cameras already in service?"),
    gettext_lazy(
        "Candidate sites (places of the gazetteer and a grid over the urban area) each watch the incidents "
        "within a radius; the maximal covering location problem picks the k sites that cover the most "
        "incidents not yet watched, solved exactly with HiGHS or greedily."
    ),
    (
        "Church & ReVelle (1974), The maximal covering location problem, Papers of the Regional Science "
        "Association 32.",
        "Huangfu & Hall (2018), Parallelizing the dual revised simplex method, Mathematical Programming "
        "Computation 10.",
    ),
    PlacementForm,
    run_placement,
    layers,
    summary=summary,
    conventions=conventions,
)
