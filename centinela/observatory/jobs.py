"""The observatory's analyses as background jobs: one kind per method. Each reads the incidents the person who
asked may see (their scope, at run time), runs the engine (`analysis/`) with a progress callback and, when
`DASK_SCHEDULER` is set, on that Dask cluster, and keeps a compact JSON result on the job: summary figures, the
table rows (CSV download), a GeoJSON layer in lon/lat (grids: only non-zero or significant cells) and the
parameters used."""
from __future__ import annotations

import re
from datetime import date

import numpy as np
import shapely
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analysis.io import InputError
from centinela.jobs.registry import JobError, job_kind
from centinela.observatory import selectors
from centinela.observatory.selectors import CRS

MAX_FEATURES = 5000     # map cells kept (the densest / most significant first): a page stays light
MAX_ROWS = 50_000       # table rows kept for the CSV download


# The engine speaks English (it is a library, used from the CLI too). Its refusals that the data can cause, once the
# forms have checked the parameters, are told to the person in the site's language; anything else keeps the
# engine's detail behind a translated lead.
ENGINE_MESSAGES = [
    (r"the grid would have|cells is more than the|neighbours per cell on",
     gettext_lazy("The grid would have too many cells: choose larger cells or a smaller area.")),
    (r"kernel .* needs ~",
     gettext_lazy("The density surface would take too long: choose larger cells or a smaller bandwidth.")),
    (r"Gi\* needs at least 3 values",
     gettext_lazy("Hot spots need a grid of at least 3 cells: choose smaller cells.")),
    (r"all values are equal",
     gettext_lazy("Every cell of the grid has the same count, so there are no hot or cold spots to find: choose "
                  "smaller cells or a longer period.")),
    (r"the values sum to zero|no points: the input is empty|there are no demand points",
     gettext_lazy("No incidents fall inside the area analysed.")),
    (r"pairs of incidents lie within",
     gettext_lazy("Too many pairs of incidents lie inside the largest distance band: use fewer or narrower "
                  "distance bands, or a shorter period.")),
    (r"exact permutation p-values need",
     gettext_lazy("Exact p-values cannot be computed for these counts: choose the Monte Carlo method.")),
    (r"must be (a positive|a whole|at least|at most|between|one of)",
     gettext_lazy("A parameter of the analysis is out of range: check the form's values.")),
    (r"there are no candidate sites",
     gettext_lazy("There are no candidate sites for new cameras.")),
    (r"cannot choose \d+ sites among",
     gettext_lazy("More new cameras were asked for than there are candidate sites.")),
]


def engine_message(exc: InputError) -> str:
    """The engine's refusal, in the site's language."""
    detail = str(exc)
    for pattern, message in ENGINE_MESSAGES:
        if re.search(pattern, detail):
            return str(message)
    return _("The analysis cannot run on these data (%(detail)s).") % {"detail": detail}


def _result_url(job):
    return reverse("observatory:result", args=[job.pk])


def analysis(name: str, label):
    """`@job_kind` for an observatory method, run in the site's language with the scheduler from the settings."""
    def register(func):
        def run(job, progress):
            with translation.override(settings.LANGUAGE_CODE):
                user = job.created_by
                if user is None or not user.is_active:
                    raise JobError(_("The account that asked for this analysis is no longer active."))
                progress(0.02, _("Reading the incidents"))
                try:
                    result = func(job, user, job.params, progress)
                except InputError as exc:
                    raise JobError(engine_message(exc)) from exc
                result.setdefault("method", name)
                result["params"] = job.params
                progress(1.0, _("Done"))
                return result
        run.__name__ = func.__name__
        job_kind(f"observatory.{name}", label=label, result_url=_result_url)(run)
        return func
    return register


def scheduler():
    return getattr(settings, "DASK_SCHEDULER", "") or None


def _date(value):
    return date.fromisoformat(value) if value else None


def _filters(params, *, start=None, end=None) -> dict:
    return {
        "start": start if start is not None else _date(params.get("start")),
        "end": end if end is not None else _date(params.get("end")),
        "categories": [int(c) for c in params.get("categories") or []],
        "group": params.get("group") or "",
        "parishes": [int(p) for p in params.get("parishes") or []],
    }


def _incidents(user, params, *, minimum: int = 1, with_parish: bool = False, **period):
    arrays = selectors.incident_arrays(user, with_parish=with_parish, **_filters(params, **period))
    if len(arrays) < minimum:
        raise JobError(_("Only %(n)d incidents match these filters (at least %(m)d are needed).")
                       % {"n": len(arrays), "m": minimum})
    return arrays


def _stage(progress, lo: float, hi: float, message: str):
    """The engine's progress(fraction) as a slice lo..hi of the job's bar."""
    def report(fraction, *_args):
        progress(lo + (hi - lo) * max(0.0, min(1.0, float(fraction))), message)
    return report


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return _jsonable(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _table(rows, keep=None) -> dict:
    """Header + rows (optionally only rows where keep(row) holds), capped at MAX_ROWS."""
    header, body = rows[0], rows[1:]
    if keep is not None:
        body = [r for r in body if keep(r)]
    return {"header": list(header), "rows": _jsonable(body[:MAX_ROWS]), "total": len(body)}


def _top_features(collection: dict, key: str, *, reverse: bool = True) -> dict:
    features = collection.get("features", [])
    total = len(features)
    if total > MAX_FEATURES:
        features = sorted(features, key=lambda f: abs(f["properties"].get(key) or 0), reverse=reverse)[:MAX_FEATURES]
    return {"type": "FeatureCollection", "features": _jsonable(features), "total": total}


def _sample_index(n: int, limit: int = 3000, seed: int = 0) -> np.ndarray:
    return np.arange(n) if n <= limit else np.sort(np.random.default_rng(seed).choice(n, limit, replace=False))


def _points_layer(arrays, limit: int = 3000, seed: int = 0) -> dict:
    """A sample of the incidents analysed, as points (the map shows where they are, not every one)."""
    n = len(arrays)
    index = _sample_index(n, limit, seed)
    return {"type": "FeatureCollection", "total": n, "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(float(arrays.lon[i]), 6),
                                                                         round(float(arrays.lat[i]), 6)]},
         "properties": {}} for i in index]}


def _base(arrays) -> dict:
    return {"n": len(arrays), "synthetic": bool(arrays.synthetic), "crs": CRS}


# --- hot spots ------------------------------------------------------------------------------------------------------


@analysis("kde", gettext_lazy("Kernel density (KDE)"))
def run_kde(job, user, params, progress):
    from analysis.hotspots import kde

    arrays = _incidents(user, params, minimum=1)
    result = kde(arrays.x, arrays.y, cell=float(params["cell"]),
                 bandwidth=float(params["bandwidth"]) if params.get("bandwidth") else None,
                 kernel=params.get("kernel") or "quartic", scheduler=scheduler(),
                 progress=_stage(progress, 0.1, 0.9, _("Computing the density")))
    progress(0.92, _("Preparing the map"))
    summary = result.to_dict()
    summary.pop("values", None)
    return {**_base(arrays), "stats": _jsonable(summary),
            "geojson": _top_features(result.to_geojson(crs=CRS), "density"),
            "table": _table(result.to_rows())}


@analysis("gistar", gettext_lazy("Hot spots (Getis-Ord Gi*)"))
def run_gistar(job, user, params, progress):
    from analysis.hotspots import gistar_grid

    arrays = _incidents(user, params, minimum=3)
    result = gistar_grid(arrays.x, arrays.y, cell=float(params["cell"]), kind=params.get("kind") or "queen",
                         order=int(params.get("order") or 1), permutations=int(params.get("permutations") or 999),
                         seed=int(params.get("seed") or 0), method=params.get("p_method") or "exact",
                         fdr=float(params["fdr"]) if params.get("fdr") not in (None, "") else None,
                         scheduler=scheduler(), progress=_stage(progress, 0.1, 0.9, _("Testing the cells")))
    progress(0.92, _("Preparing the map"))
    summary = {k: v for k, v in result.to_dict().items()
               if k not in ("values", "gi", "z", "p_norm", "p_sim", "p_value", "q", "category")}
    rows = result.to_rows()
    value_at, significant_at = rows[0].index("value"), rows[0].index("significant")
    return {**_base(arrays), "stats": _jsonable(summary),
            "geojson": _top_features(result.to_geojson(crs=CRS), "z"),
            "table": _table(rows, keep=lambda r: r[significant_at] or r[value_at] > 0)}


# --- near repeat ---------------------------------------------------------------------------------------------------


@analysis("near_repeat", gettext_lazy("Near repeat (Knox)"))
def run_near_repeat(job, user, params, progress):
    from analysis.knox import near_repeat

    arrays = _incidents(user, params, minimum=2)
    progress(0.1, _("Counting pairs of incidents"))
    result = near_repeat(arrays.x, arrays.y, arrays.t, distance_band=float(params["distance_band"]),
                         distance_bands=int(params["distance_bands"]), time_band=float(params["time_band"]),
                         time_bands=int(params["time_bands"]), metric=params.get("metric") or "manhattan",
                         permutations=int(params["permutations"]), seed=int(params.get("seed") or 0),
                         same_location=float(params.get("same_location") or 1.0),
                         scheduler=scheduler(), progress=_stage(progress, 0.1, 0.95, _("Permuting the times")))
    return {**_base(arrays), "knox": _jsonable(result.to_dict()), "table": _table(result.to_rows()),
            "geojson": _points_layer(arrays)}


# --- camera coverage -----------------------------------------------------------------------------------------------


@analysis("coverage", gettext_lazy("Camera coverage"))
def run_coverage(job, user, params, progress):
    """The share of incidents in view of a camera that was working at the incident's time: the views' geometry
    by analysis.placement.coverage_share, the working rule by cameras.services.working_mask (the rule the
    automatic sightings use)."""
    from analysis.placement import coverage_share
    from centinela.cameras.models import Device
    from centinela.cameras.selectors import status_of
    from centinela.cameras.services import working_mask

    arrays = _incidents(user, params, minimum=1, with_parish=True)
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
            inside = near[coverage_share(arrays.x[near], arrays.y[near], [view], crs=CRS).covered] if len(near) else near
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
        sectors.append({"type": "Feature", "geometry": shapely.geometry.mapping(selectors.to_lonlat_geometry(view)),
                        "properties": {"code": device.code, "status": status, "in_view": in_view,
                                       "seen_working": working}})
    names = selectors.parish_names(user)
    parish = np.nan_to_num(arrays.parish, nan=0).astype(np.int64)
    parish_rows = [["parish", "incidents", "seen", "share"]]
    for pid in np.unique(parish):
        mine = parish == pid
        total, hits = int(mine.sum()), int(seen[mine].sum())
        parish_rows.append([names.get(int(pid), "—"), total, hits, round(hits / total, 4) if total else None])
    count = int(seen.sum())
    stats = {"share": count / n if n else None, "seen": count, "total": n, "cameras": len(cams.ids),
             "cameras_with_incidents": sum(1 for p in per_camera if p[1])}
    points = _points_layer(arrays)
    index = _sample_index(n)
    for feature, i in zip(points["features"], index):
        feature["properties"] = {"seen": bool(seen[i])}
    return {**_base(arrays), "stats": stats, "table": _table(camera_rows),
            "tables": {"parishes": {"key": "parishes", **_table(parish_rows)}},
            "geojson": {"type": "FeatureCollection", "features": _jsonable(sectors)}, "points": points}


# --- camera placement ----------------------------------------------------------------------------------------------


def _disc_layer(xs, ys, radius, props_list) -> dict:
    features = []
    for x, y, props in zip(xs, ys, props_list):
        disc = selectors.to_lonlat_geometry(shapely.Point(x, y).buffer(radius, 16))
        features.append({"type": "Feature", "geometry": shapely.geometry.mapping(disc), "properties": props})
    return {"type": "FeatureCollection", "features": _jsonable(features)}


@analysis("placement", gettext_lazy("Where to place cameras"))
def run_placement(job, user, params, progress):
    from analysis.placement import coverage_share, place_cameras

    arrays = _incidents(user, params, minimum=1)
    radius, k = float(params["radius"]), int(params["k"])
    progress(0.2, _("Listing candidate sites"))
    sx, sy, labels = selectors.candidate_sites(user, spacing=float(params["spacing"]), near_x=arrays.x,
                                               near_y=arrays.y, reach=radius)
    if k > len(sx):
        raise JobError(_("There are only %(n)d candidate sites near the incidents: ask for at most that many "
                         "cameras.") % {"n": len(sx)})
    existing = selectors.cameras(user) if params.get("count_existing") else selectors.Cameras()
    seen_now = coverage_share(arrays.x, arrays.y, existing.views, crs=CRS) if existing.views else None
    progress(0.35, _("Choosing the sites"))
    result = place_cameras(arrays.x, arrays.y, sx, sy, radius=radius, k=k,
                           existing_x=existing.x if len(existing.x) else None,
                           existing_y=existing.y if len(existing.y) else None,
                           method=params.get("solver") or "exact", crs=CRS, time_limit=120)
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
    stats.update(candidates=len(sx), existing_cameras=len(existing.ids),
                 seen_now_share=seen_now.share if seen_now else None)
    return {**_base(arrays), "stats": _jsonable(stats), "table": _table(table),
            "geojson": _jsonable(sites),
            "discs": _disc_layer([sx[s] for s in result.sites], [sy[s] for s in result.sites], radius,
                                 [{"rank": r + 1} for r in range(len(result.sites))]),
            "existing": _disc_layer(existing.x, existing.y, radius, [{"code": c} for c in existing.codes]),
            "points": _points_layer(arrays)}


# --- impact --------------------------------------------------------------------------------------------------------


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


@analysis("impact", gettext_lazy("Impact of cameras or interventions"))
def run_impact(job, user, params, progress):
    from analysis.impact import impact

    before = (_date(params["before_start"]), _date(params["before_end"]))
    after = (_date(params["after_start"]), _date(params["after_end"]))
    arrays = _incidents(user, params, minimum=1, start=before[0], end=after[1])
    progress(0.3, _("Drawing the areas"))
    treated = _treated_area(user, params)
    buffer = float(params.get("buffer") or 0) or None
    control = _control_area(user, params, treated, buffer)
    periods = {"before": (selectors.day_number(before[0]), selectors.day_number(before[1], end_of_day=True)),
               "after": (selectors.day_number(after[0]), selectors.day_number(after[1], end_of_day=True))}
    progress(0.5, _("Comparing before and after"))
    result = impact(arrays.x, arrays.y, arrays.t, treated=treated, control=control, buffer=buffer,
                    before=periods["before"], after=periods["after"], crs=CRS)
    return {**_base(arrays), "stats": _jsonable(result.to_dict()), "table": _table(result.to_rows()),
            "geojson": _jsonable(result.to_geojson()), "points": _points_layer(arrays)}


# --- accuracy ------------------------------------------------------------------------------------------------------


@analysis("accuracy", gettext_lazy("Accuracy of hot-spot maps"))
def run_accuracy(job, user, params, progress):
    from analysis.accuracy import hotspot_accuracy
    from analysis.hotspots import gistar_grid, kde

    train_period = (_date(params["train_start"]), _date(params["train_end"]))
    test_period = (_date(params["test_start"]), _date(params["test_end"]))
    arrays = _incidents(user, params, minimum=1, start=train_period[0], end=test_period[1])
    train, test = arrays.between(*train_period), arrays.between(*test_period)
    if len(train) < 3 or len(test) < 1:
        raise JobError(_("Too few incidents: %(a)d in the training period (at least 3) and %(b)d in the test period "
                         "(at least 1).") % {"a": len(train), "b": len(test)})
    cell = float(params["cell"])
    # one grid over both periods, so the test incidents fall on the cells that were scored
    extent = (float(arrays.x.min()), float(arrays.y.min()), float(arrays.x.max()), float(arrays.y.max()))
    stage = _stage(progress, 0.1, 0.8, _("Drawing the hot-spot map of the training period"))
    if params.get("predictor") == "gistar":
        fitted = gistar_grid(train.x, train.y, cell=cell, extent=extent, scheduler=scheduler(), progress=stage)
        grid = fitted.grid
        scores = np.asarray(fitted.z, dtype=float).reshape(grid.rows, grid.cols)
    else:
        fitted = kde(train.x, train.y, cell=cell, extent=extent, scheduler=scheduler(), progress=stage)
        grid = fitted.grid
        scores = np.asarray(fitted.values, dtype=float)
    progress(0.85, _("Scoring the test period"))
    # the study area: cells whose centre lies in the parishes analysed (the canton's land, not the bounding box)
    area = selectors.study_area(user, params.get("parishes"))
    if area is not None:
        cx, cy = grid.centres()
        outside = ~shapely.contains_xy(area, cx, cy).reshape(grid.rows, grid.cols)
        if not outside.all():
            scores = np.where(outside, np.nan, scores)
    result = hotspot_accuracy(scores, test.x, test.y, minx=grid.minx, miny=grid.miny, cell=cell,
                              area_share=float(params["area_share"]) / 100.0, crs=CRS)
    stats = result.to_dict()
    stats.update(train_n=len(train), test_n=len(test))
    geo = result.to_geojson()
    for feature in geo["features"]:
        r, c = feature["properties"]["row"], feature["properties"]["col"]
        feature["properties"]["score"] = float(scores[r, c])
    return {**_base(arrays), "stats": _jsonable(stats), "table": _table(result.to_rows()),
            "geojson": _top_features(geo, "score"), "points": _points_layer(test)}
