"""Reading inputs and writing results for the CLI (and anyone else): CSV points in, JSON / CSV / GeoJSON out.

Coordinates: analyses work in metres. Input given as lon/lat (WGS84) is projected to the UTM zone of its centre
(Loja: EPSG:32717, UTM 17S); input already in metres (x/y columns) is used as it is.
Times: analyses work in days (float). Input dates or date-times (ISO 8601) become days since 1970-01-01 UTC; a
numeric column is taken as days already.
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


class InputError(ValueError):
    """Bad input or parameters: the message says what and where, before any work starts."""


@dataclass
class Points:
    x: np.ndarray            # metres
    y: np.ndarray            # metres
    t: np.ndarray | None     # days (float), or None
    crs: str | None          # the projected CRS x/y are in (None: as given)
    lon: np.ndarray | None = None
    lat: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.x)


def utm_crs(lon: np.ndarray, lat: np.ndarray) -> str:
    """The UTM zone (as EPSG code) of the points' centre."""
    zone = int((float(np.nanmean(lon)) + 180) // 6) + 1
    return f"EPSG:{32700 + zone if float(np.nanmean(lat)) < 0 else 32600 + zone}"


def to_metres(lon, lat, crs: str | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    from pyproj import Transformer

    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    crs = crs or utm_crs(lon, lat)
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(lon, lat)
    return np.asarray(x), np.asarray(y), crs


def to_lonlat(x, y, crs: str) -> tuple[np.ndarray, np.ndarray]:
    from pyproj import Transformer

    lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(np.asarray(x, float), np.asarray(y, float))
    return np.asarray(lon), np.asarray(lat)


def to_days(values) -> np.ndarray:
    """Dates / date-times (ISO strings, datetime objects, numpy datetime64) or numbers (days) -> float days."""
    arr = np.asarray(values)
    if arr.dtype.kind in "fiu":
        return arr.astype(float)
    if arr.dtype.kind == "M":
        return arr.astype("datetime64[s]").astype(np.int64) / 86400.0
    out = np.empty(len(arr))
    for i, v in enumerate(arr):
        if isinstance(v, datetime):
            d = v if v.tzinfo else v.replace(tzinfo=timezone.utc)
        else:
            try:
                out[i] = float(v)
                continue
            except (TypeError, ValueError):
                pass
            try:
                d = datetime.fromisoformat(str(v).strip().replace("Z", "+00:00"))
            except ValueError:
                raise InputError(f"row {i + 1}: '{v}' is not a date (ISO 8601, e.g. 2020-03-14 or 2020-03-14T21:30)")
            d = d if d.tzinfo else d.replace(tzinfo=timezone.utc)
        out[i] = (d - EPOCH).total_seconds() / 86400.0
    return out


def read_points(path: str | Path, *, time_column: str | None = "t", require_time: bool = False,
                crs: str | None = None) -> Points:
    """Points from a CSV with a header: either `x`,`y` (metres) or `lon`,`lat` (WGS84), and optionally a time
    column (`t`, `date` or `time`, or `time_column`)."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
        rows = [{k.strip().lower(): v for k, v in row.items() if k} for row in reader]
    if not rows:
        raise InputError(f"{path}: no rows")
    if {"x", "y"} <= set(fields):
        xs, ys = "x", "y"
    elif {"lon", "lat"} <= set(fields):
        xs, ys = "lon", "lat"
    else:
        raise InputError(f"{path}: needs columns x,y (metres) or lon,lat (WGS84); found {', '.join(fields)}")
    try:
        a = np.array([float(r[xs]) for r in rows])
        b = np.array([float(r[ys]) for r in rows])
    except (TypeError, ValueError) as exc:
        raise InputError(f"{path}: a coordinate is not a number ({exc})")
    if not (np.isfinite(a).all() and np.isfinite(b).all()):
        raise InputError(f"{path}: coordinates must be finite numbers")
    tcol = next((c for c in (time_column, "t", "date", "time") if c and c.lower() in fields), None)
    if require_time and tcol is None:
        raise InputError(f"{path}: needs a time column (t, date or time)")
    t = to_days([r[tcol.lower()] for r in rows]) if tcol else None
    if xs == "lon":
        if np.abs(b).max() > 90 or np.abs(a).max() > 180:
            raise InputError(f"{path}: lon/lat outside the globe (swapped columns?)")
        x, y, used = to_metres(a, b, crs)
        return Points(x, y, t, used, lon=a, lat=b)
    return Points(a, b, t, crs)


def write_result(result: Any, path: str | Path) -> None:
    """Write a result object by the file's suffix: .json (result.to_dict()), .csv (result.to_rows(): header then
    rows) or .geojson (result.to_geojson())."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".json":
        path.write_text(json.dumps(result.to_dict(), indent=2, ensure_ascii=False, default=_jsonable))
    elif suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(result.to_rows())
    elif suffix == ".geojson":
        if not hasattr(result, "to_geojson"):
            raise InputError("this result has no map form: write .json or .csv")
        path.write_text(json.dumps(result.to_geojson(), ensure_ascii=False, default=_jsonable))
    else:
        raise InputError(f"unknown output format '{suffix}': use .json, .csv or .geojson")


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
