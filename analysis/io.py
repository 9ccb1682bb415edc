"""Reading inputs and writing results for the CLI (and anyone else): CSV points in, JSON / CSV / GeoJSON /
GeoParquet out.

CSV is read by pyarrow's multithreaded CSV reader with the column types given (`read_columns`, which the Django
incident import can call as well: it needs no Django); a file it cannot read cleanly (a bad number, an empty cell,
mixed date formats) is read again row by row, which says what is wrong and where. GeoParquet (`.parquet`,
GeoParquet 1.1: WKB geometry column, the "geo" key in the file metadata, the CRS as PROJJSON) is the compact form
for maps.

Coordinates: analyses work in metres. Input given as lon/lat (WGS84) is projected to the UTM zone of its centre
(Loja: EPSG:32717, UTM 17S); input already in metres (x/y columns) is used as it is.
Times: analyses work in days (float). Input dates or date-times (ISO 8601) become days since 1970-01-01 UTC; a
numeric column is taken as days already.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
COLUMNAR_MIN_BYTES = 1_000_000  # smaller CSV files are read row by row (no pyarrow import: a shorter start-up)


class InputError(ValueError):
    """Bad input or parameters: the message says what and where, before any work starts."""


@dataclass
class Points:
    x: np.ndarray  # metres
    y: np.ndarray  # metres
    t: np.ndarray | None  # days (float), or None
    crs: str | None  # the projected CRS x/y are in (None: as given)
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

    lon, lat = Transformer.from_crs(crs, "EPSG:4326", always_xy=True).transform(
        np.asarray(x, float), np.asarray(y, float)
    )
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
            d = v if v.tzinfo else v.replace(tzinfo=UTC)
        else:
            try:
                out[i] = float(v)
                continue
            except (TypeError, ValueError):
                pass
            try:
                d = datetime.fromisoformat(str(v).strip().replace("Z", "+00:00"))
            except ValueError as exc:
                raise InputError(
                    f"row {i + 1}: '{v}' is not a date (ISO 8601, e.g. 2020-03-14 or 2020-03-14T21:30)"
                ) from exc
            d = d if d.tzinfo else d.replace(tzinfo=UTC)
        out[i] = (d - EPOCH).total_seconds() / 86400.0
    return out


def read_columns(path: str | Path, types: dict[str, Any] | None = None, columns: list[str] | None = None):
    """The columns of a CSV file (a header line, UTF-8, BOM allowed) as numpy arrays, keyed by the header's names
    as written: pyarrow's multithreaded reader, `types` (name -> pyarrow type, e.g. pyarrow.float64()) fixing the
    types it would otherwise infer, `columns` limiting what is read. Strings come back as object arrays, dates and
    date-times as datetime64 (UTC), empty cells as None / NaN / NaT. Raises pyarrow.ArrowInvalid on a value that
    does not fit its type. For the CLI and the incident import alike."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 24),
        convert_options=pacsv.ConvertOptions(
            column_types=types or {}, include_columns=columns or [], strings_can_be_null=True
        ),
    )
    out = {}
    for name, col in zip(table.column_names, table.columns):
        if pa.types.is_timestamp(col.type) and col.type.tz is not None:
            col = col.cast(pa.timestamp(col.type.unit))  # stored as UTC already
        out[name] = col.to_numpy()
    return out


def _header(path: str | Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        line = handle.readline()
    return next(csv.reader([line]), [])


def read_points(
    path: str | Path, *, time_column: str | None = "t", require_time: bool = False, crs: str | None = None
) -> Points:
    """Points from a CSV with a header: either `x`,`y` (metres) or `lon`,`lat` (WGS84), and optionally a time
    column (`t`, `date` or `time`, or `time_column`). Read column-wise by pyarrow (`read_columns`); anything it
    cannot read cleanly is read again row by row for a precise message. Files under COLUMNAR_MIN_BYTES are read
    row by row anyway: importing pyarrow (~0.2 s) would cost more than it saves."""
    try:
        small = Path(path).stat().st_size < COLUMNAR_MIN_BYTES
    except OSError:
        small = True
    if small:
        return _read_points_rows(path, time_column=time_column, require_time=require_time, crs=crs)
    import pyarrow as pa

    try:
        names = {n.strip().lower(): n for n in _header(path) if n}
    except (OSError, UnicodeDecodeError):
        names = {}
    if {"x", "y"} <= set(names):
        xs, ys = "x", "y"
    elif {"lon", "lat"} <= set(names):
        xs, ys = "lon", "lat"
    else:
        return _read_points_rows(path, time_column=time_column, require_time=require_time, crs=crs)
    tcol = next((c.lower() for c in (time_column, "t", "date", "time") if c and c.lower() in names), None)
    wanted = [names[xs], names[ys]] + ([names[tcol]] if tcol else [])
    try:
        cols = read_columns(path, {names[xs]: pa.float64(), names[ys]: pa.float64()}, wanted)
        a, b = cols[names[xs]], cols[names[ys]]
        t = None
        if tcol:
            raw = cols[names[tcol]]
            if raw.dtype.kind not in "fiuM" or (raw.dtype.kind == "f" and np.isnan(raw).any()):
                raise ValueError("time column needs the row-by-row reader")
            if raw.dtype.kind == "M" and np.isnat(raw).any():
                raise ValueError("missing date")
            t = to_days(raw)
    except (pa.ArrowInvalid, ValueError):
        return _read_points_rows(path, time_column=time_column, require_time=require_time, crs=crs)
    if a.size == 0 or not (np.isfinite(a).all() and np.isfinite(b).all()):
        return _read_points_rows(path, time_column=time_column, require_time=require_time, crs=crs)
    if require_time and tcol is None:
        raise InputError(f"{path}: needs a time column (t, date or time)")
    if xs == "lon":
        if np.abs(b).max() > 90 or np.abs(a).max() > 180:
            raise InputError(f"{path}: lon/lat outside the globe (swapped columns?)")
        x, y, used = to_metres(a, b, crs)
        return Points(x, y, t, used, lon=a, lat=b)
    return Points(a, b, t, crs)


def _read_points_rows(
    path: str | Path, *, time_column: str | None = "t", require_time: bool = False, crs: str | None = None
) -> Points:
    """`read_points` row by row (the csv module): slow, but it names the row and the fault."""
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
        raise InputError(f"{path}: a coordinate is not a number ({exc})") from exc
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


FORMATS = {"json": ".json", "csv": ".csv", "geojson": ".geojson", "parquet": ".parquet"}


def write_result(result: Any, path: str | Path, fmt: str | None = None) -> None:
    """Write a result object by `fmt` (json, csv, geojson, parquet) or else the file's suffix: .json
    (result.to_dict(); one top-level key a line, arrays on one line), .csv (result.to_rows(): header then rows),
    .geojson (result.to_geojson()) or .parquet (GeoParquet of result.to_columns(): see `write_geoparquet`)."""
    path = Path(path)
    suffix = FORMATS.get(fmt or "", path.suffix.lower())
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"unknown output format '{fmt}': use json, csv, geojson or parquet")
    if suffix == ".json":
        data = result.to_dict()
        body = ",\n".join(
            f"  {json.dumps(str(k))}: {json.dumps(v, ensure_ascii=False, default=_jsonable)}" for k, v in data.items()
        )
        path.write_text("{\n" + body + "\n}\n", encoding="utf-8")
    elif suffix == ".csv":
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(result.to_rows())
    elif suffix == ".geojson":
        if not hasattr(result, "to_geojson"):
            raise InputError("this result has no map form: write .json or .csv")
        if hasattr(result, "write_geojson"):  # a fast writer of the same text
            result.write_geojson(path)
        else:
            path.write_text(json.dumps(result.to_geojson(), ensure_ascii=False, default=_jsonable))
    elif suffix == ".parquet":
        if not hasattr(result, "to_columns"):
            raise InputError("this result has no map form: write .json or .csv")
        write_geoparquet(path, *result.to_columns())
    else:
        raise InputError(f"unknown output format '{suffix}': use .json, .csv, .geojson or .parquet")


def wkb_boxes(x0, y0, x1, y1):
    """Axis-aligned rectangles as WKB polygons (little-endian, one closed counter-clockwise ring of 5 points), built
    with numpy: a pyarrow binary array."""
    import pyarrow as pa

    x0, y0, x1, y1 = (np.asarray(v, dtype=np.float64) for v in (x0, y0, x1, y1))
    n = x0.size
    rec = np.zeros(
        n,
        dtype=np.dtype([("order", "u1"), ("type", "<u4"), ("rings", "<u4"), ("points", "<u4"), ("xy", "<f8", (5, 2))]),
    )
    rec["order"], rec["type"], rec["rings"], rec["points"] = 1, 3, 1, 5
    rec["xy"][:, :, 0] = np.stack([x0, x1, x1, x0, x0], axis=1)
    rec["xy"][:, :, 1] = np.stack([y0, y0, y1, y1, y0], axis=1)
    size = rec.dtype.itemsize  # 93 bytes
    offsets = (np.arange(n + 1, dtype=np.int64) * size).astype(np.int32 if n * size < 2**31 else np.int64)
    kind = pa.binary() if offsets.dtype == np.int32 else pa.large_binary()
    return pa.Array.from_buffers(kind, n, [None, pa.py_buffer(offsets), pa.py_buffer(rec.tobytes())])


def write_geoparquet(path, columns: dict, geometry, crs: str | None, bbox, geometry_types=("Polygon",), meta=None):
    """A GeoParquet 1.1 file: `columns` (name -> numpy array; string arrays dictionary-encoded), `geometry` (WKB,
    a pyarrow binary array, e.g. `wkb_boxes`) as the primary column "geometry", the "geo" file metadata (encoding
    WKB, geometry types, bbox, and the CRS as PROJJSON: `crs` an EPSG code such as "EPSG:32717"; null when unknown,
    as the specification asks for coordinates in an unstated CRS). `meta` (JSON-able) goes under "centinela"."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrays, names = [], []
    for name, values in columns.items():
        arr = np.asarray(values)
        if arr.dtype.kind in "OU":
            arrays.append(pa.array(arr.astype(str)).dictionary_encode())
        else:
            arrays.append(pa.array(arr))
        names.append(name)
    arrays.append(geometry)
    names.append("geometry")
    projjson = None
    if crs:
        from pyproj import CRS

        projjson = CRS.from_user_input(crs).to_json_dict()
    geo = {
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {
            "geometry": {
                "encoding": "WKB",
                "geometry_types": list(geometry_types),
                "crs": projjson,
                "bbox": [float(v) for v in bbox],
            }
        },
    }
    table = pa.Table.from_arrays(arrays, names=names)
    extra = {b"geo": json.dumps(geo).encode()}
    if meta is not None:
        extra[b"centinela"] = json.dumps(meta, default=_jsonable).encode()
    table = table.replace_schema_metadata(extra)
    pq.write_table(table, path, compression="zstd")


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
