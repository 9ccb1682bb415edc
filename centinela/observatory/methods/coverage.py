"""Camera coverage: what share of the incidents happened in view of a camera that was working at the time, per camera
and per parish. Its form (no parameters of its own), its job (the views' geometry from analysis.placement, the
working rule from the cameras app) and how the page shows the sectors and the incidents seen, together."""

from __future__ import annotations

import numpy as np
import shapely
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.observatory import selectors
from centinela.observatory.forms.analysis import AnalysisForm
from centinela.observatory.methods.base import Method
from centinela.observatory.methods.running import (
    capped_table,
    jsonable,
    matching_incidents,
    points_layer,
    result_base,
    sample_index,
)
from centinela.observatory.methods.showing import format_percent
from centinela.observatory.selectors import CRS


class CoverageForm(AnalysisForm):
    """No parameters of its own: the incidents chosen, and the cameras' views and working records."""

    def clean(self):
        data = super().clean()
        if not self.errors:
            self.require_incidents(1)
        return data


def run_coverage(job, user, params, progress):
    """The share of incidents in view of a camera that was working at the incident's time: the views' geometry
    by analysis.placement.coverage_share, the working rule by cameras.services.working_mask (the rule the
    automatic sightings use)."""
    from analysis.placement import coverage_share
    from centinela.cameras.models import Device
    from centinela.cameras.selectors import status_of
    from centinela.cameras.services import working_mask

    arrays = matching_incidents(user, params, minimum=1, with_parish=True)
    progress(0.2, _("Reading the cameras"))
    cams = selectors.cameras(user, working_only=False)
    devices = {d.pk: d for d in Device.objects.filter(pk__in=cams.ids).select_related("system__site")}
    n = len(arrays)
    seen = np.zeros(n, dtype=bool)
    per_camera = []
    if cams.views:
        progress(0.3, _("Finding the incidents in each camera's view"))
        anywhere = coverage_share(arrays.x, arrays.y, cams.views, crs=CRS)
        near = np.flatnonzero(anywhere.covered)
        seconds = arrays.t * selectors.DAY_S
        for j, (pk, view) in enumerate(zip(cams.ids, cams.views)):
            inside = (
                near[coverage_share(arrays.x[near], arrays.y[near], [view], crs=CRS).covered] if len(near) else near
            )
            working = working_mask(devices[pk], seconds[inside]) if len(inside) else np.zeros(0, dtype=bool)
            seen[inside[working]] = True
            per_camera.append((pk, int(len(inside)), int(working.sum())))
            progress(0.3 + 0.5 * (j + 1) / len(cams.ids), _("Finding the incidents in each camera's view"))
    progress(0.85, _("Preparing the map"))
    camera_rows = [["code", "name", "status", "in_view", "seen_working"]]
    sectors = []
    for (pk, in_view, working), view in zip(per_camera, cams.views):
        device = devices[pk]
        status = status_of(device)
        camera_rows.append([device.code, device.name, status, in_view, working])
        sectors.append(
            {
                "type": "Feature",
                "geometry": shapely.geometry.mapping(selectors.to_lonlat_geometry(view)),
                "properties": {"code": device.code, "status": status, "in_view": in_view, "seen_working": working},
            }
        )
    names = selectors.parish_names(user)
    parish = np.nan_to_num(arrays.parish, nan=0).astype(np.int64)
    parish_rows = [["parish", "incidents", "seen", "share"]]
    for pid in np.unique(parish):
        mine = parish == pid
        total, hits = int(mine.sum()), int(seen[mine].sum())
        parish_rows.append([names.get(int(pid), "—"), total, hits, round(hits / total, 4) if total else None])
    count = int(seen.sum())
    stats = {
        "share": count / n if n else None,
        "seen": count,
        "total": n,
        "cameras": len(cams.ids),
        "cameras_with_incidents": sum(1 for p in per_camera if p[1]),
    }
    points = points_layer(arrays)
    index = sample_index(n)
    for feature, i in zip(points["features"], index):
        feature["properties"] = {"seen": bool(seen[i])}
    return {
        **result_base(arrays),
        "stats": stats,
        "table": capped_table(camera_rows),
        "tables": {"parishes": {"key": "parishes", **capped_table(parish_rows)}},
        "geojson": {"type": "FeatureCollection", "features": jsonable(sectors)},
        "points": points,
    }


# --- the result page -----------------------------------------------------------------------------------------------


def summary(data: dict, stats: dict) -> list:
    return [
        (_("Incidents seen by a working camera"), stats.get("seen")),
        (_("Share seen"), format_percent(stats.get("share"))),
        (_("Cameras considered"), stats.get("cameras")),
        (_("Cameras with incidents in view"), stats.get("cameras_with_incidents")),
    ]


def conventions(data: dict) -> list[str]:
    return [
        _(
            "An incident is seen when it lies in the view sector of a camera (its bearing, angle and range today) "
            "that was working at the incident's time: installed, in service by its status history and not in an "
            "outage recorded by the monitor (the rule of the automatic sightings). Cameras not in service today "
            "count for the years they worked. The map shows a sample of at most 3,000 incidents."
        )
    ]


def layers(data: dict, geo: dict) -> list[dict]:
    return [{"label": _("Camera views"), "style": "sectors", "data": geo}]


METHOD = Method(
    "coverage",
    "coverage",
    "cobertura-camaras/",
    gettext_lazy("Camera coverage"),
    gettext_lazy("What share of the incidents happened in view of a camera that was working at the time?"),
    gettext_lazy(
        "Each camera watches a sector (its bearing, angle and range; a full circle for panning cameras). "
        "An incident counts as seen when it lies in the sector of a camera that was working when it "
        "happened: installed, in service by its status history and not down in the monitor's records. "
        "Shown per camera and per parish, with the sectors and the incidents in and out of view on the map."
    ),
    (
        "Ratcliffe, Taniguchi & Taylor (2009), The crime reduction effects of public CCTV cameras: a "
        "multi-method spatial approach, Justice Quarterly 26(4).",
        "Church & ReVelle (1974), The maximal covering location problem, Papers of the Regional Science "
        "Association 32.",
    ),
    CoverageForm,
    run_coverage,
    layers,
    summary=summary,
    conventions=conventions,
    points_style="seen",
)
