"""What the methods' jobs share: the incidents the asker may see, the engine's progress as a slice of the job's bar,
and the compact JSON a result keeps (tables capped, map layers with the densest or most significant features first,
a sample of the incidents as points). Public: every method module of this package uses them."""

from __future__ import annotations

from datetime import date

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from centinela.jobs.registry import JobError
from centinela.observatory import selectors
from centinela.observatory.selectors import CRS

MAX_FEATURES = 5000  # map cells kept (the densest / most significant first): a page stays light
MAX_ROWS = 50_000  # table rows kept for the CSV download


def scheduler():
    return getattr(settings, "DASK_SCHEDULER", "") or None


def parse_date(value):
    return date.fromisoformat(value) if value else None


def _filters(params, *, start=None, end=None) -> dict:
    return {
        "start": start if start is not None else parse_date(params.get("start")),
        "end": end if end is not None else parse_date(params.get("end")),
        "categories": [int(c) for c in params.get("categories") or []],
        "group": params.get("group") or "",
        "parishes": [int(p) for p in params.get("parishes") or []],
    }


def matching_incidents(user, params, *, minimum: int = 1, with_parish: bool = False, **period):
    arrays = selectors.incident_arrays(user, with_parish=with_parish, **_filters(params, **period))
    if len(arrays) < minimum:
        raise JobError(
            _("Only %(n)d incidents match these filters (at least %(m)d are needed).")
            % {"n": len(arrays), "m": minimum}
        )
    return arrays


def progress_stage(progress, lo: float, hi: float, message: str):
    """The engine's progress(fraction) as a slice lo..hi of the job's bar."""

    def report(fraction, *_args):
        progress(lo + (hi - lo) * max(0.0, min(1.0, float(fraction))), message)

    return report


def jsonable(value):
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return jsonable(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def capped_table(rows, keep=None) -> dict:
    """Header + rows (optionally only rows where keep(row) holds), capped at MAX_ROWS."""
    header, body = rows[0], rows[1:]
    if keep is not None:
        body = [r for r in body if keep(r)]
    return {"header": list(header), "rows": jsonable(body[:MAX_ROWS]), "total": len(body)}


def top_features(collection: dict, key: str, *, reverse: bool = True) -> dict:
    features = collection.get("features", [])
    total = len(features)
    if total > MAX_FEATURES:
        features = sorted(features, key=lambda f: abs(f["properties"].get(key) or 0), reverse=reverse)[:MAX_FEATURES]
    return {"type": "FeatureCollection", "features": jsonable(features), "total": total}


def sample_index(n: int, limit: int = 3000, seed: int = 0) -> np.ndarray:
    return np.arange(n) if n <= limit else np.sort(np.random.default_rng(seed).choice(n, limit, replace=False))


def points_layer(arrays, limit: int = 3000, seed: int = 0) -> dict:
    """A sample of the incidents analysed, as points (the map shows where they are, not every one). None for an asker
    who may not read exact points (a parish president: `arrays.exact`), as their incident list and map show none:
    the layer is then empty, with the number analysed."""
    n = len(arrays)
    if not getattr(arrays, "exact", True):
        return {"type": "FeatureCollection", "total": n, "features": []}
    index = sample_index(n, limit, seed)
    return {
        "type": "FeatureCollection",
        "total": n,
        "features": [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(float(arrays.lon[i]), 6), round(float(arrays.lat[i]), 6)],
                },
                "properties": {},
            }
            for i in index
        ],
    }


def result_base(arrays) -> dict:
    return {"n": len(arrays), "synthetic": bool(arrays.synthetic), "crs": CRS}
