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


def read_columns(
    path: str | Path, types: dict[str, Any] | None = None, columns: list[str] | None = None, *, delimiter: str = ","
):
    """The columns of a CSV file (a header line, UTF-8, BOM allowed) as numpy arrays, keyed by the header's names
    as written: pyarrow's multithreaded reader, `types` (name -> pyarrow type, e.g. pyarrow.float64()) fixing the
    types it would otherwise infer, `columns` limiting what is read. Strings come back as object arrays, dates and
    date-times as datetime64 (UTC), empty cells as None / NaN / NaT. Raises pyarrow.ArrowInvalid on a value that
    does not fit its type. Numbers and date-times are taken from pyarrow's buffers (`_numpy`): pyarrow's own
    to_numpy imports pandas (a quarter of a second), which the CLI does not otherwise need."""
    from pyarrow import csv as pacsv

    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(
            column_types=types or {}, include_columns=columns or [], strings_can_be_null=True
        ),
    )
    return {name: _numpy(col) for name, col in zip(table.column_names, table.columns)}


def read_text_columns(
    source, *, delimiter: str = ",", width: int | None = None, quoted: bool = True
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Every record of a CSV as text, column by column (object arrays of str, the header record first), and the
    length in bytes of every cell (int32 arrays, the same order; 0: an empty cell), read by
    the same multithreaded pyarrow reader as `read_columns`: no type is inferred, no cell is changed (empty cells
    are "", spaces kept), quotes as the csv module reads them ("" inside a quoted cell, delimiters and line breaks
    inside quotes). `source`: a path, or UTF-8 bytes. `width`: the number of columns, when known (else the header
    record's, found by pyarrow). A record with another number of cells than the header raises pyarrow.ArrowInvalid
    (the csv module would read it, padded or longer: callers that accept such files read them with it); a blank
    line is a record of empty cells. For the incident import (centinela.incidents.importer), which checks every
    value itself and names its row: record k of the file (k = 1 for the header) is element k - 1. `quoted=False`
    (the caller knows the file holds no quote character) lets pyarrow cut the file into blocks at any line break
    and parse them in parallel, about twice as fast."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    if isinstance(source, bytes | bytearray | memoryview):
        source = pa.BufferReader(source)
    names = [f"f{k}" for k in range(width or 4096)]  # pyarrow's own names for headerless files; unused ones ignored
    table = pacsv.read_csv(
        source,
        read_options=pacsv.ReadOptions(use_threads=True, block_size=1 << 24, autogenerate_column_names=True),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=quoted, ignore_empty_lines=False),
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    return [col.to_numpy() for col in table.columns], [_text_lengths(col) for col in table.columns]


def _text_lengths(col) -> np.ndarray:
    """The byte length of every cell of a pyarrow string column, from its offsets (no Python object per cell)."""
    parts = []
    for chunk in col.chunks:
        n, offset = len(chunk), chunk.offset
        offsets = np.frombuffer(chunk.buffers()[1], dtype=np.int32, count=offset + n + 1)[offset:]
        parts.append(np.diff(offsets))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int32)


_FIXED = {"double": np.float64, "float": np.float32, "int64": np.int64, "int32": np.int32}


def _numpy(col) -> np.ndarray:
    """A pyarrow column as a numpy array: float, int64/int32 and timestamp columns read from the data buffers (nulls
    as NaN / NaT; an integer column with nulls becomes float, as pyarrow's to_numpy makes it), anything else through
    pyarrow's to_numpy."""
    import pyarrow as pa

    kind = col.type
    stamp = pa.types.is_timestamp(kind)
    dtype = np.dtype(np.int64) if stamp else _FIXED.get(str(kind))
    if dtype is None:
        if stamp and kind.tz is not None:
            col = col.cast(pa.timestamp(kind.unit))  # stored as UTC already
        return col.to_numpy()
    parts, valid = [], []
    for chunk in col.chunks:
        n, offset = len(chunk), chunk.offset
        validity, data = chunk.buffers()[:2]
        parts.append(np.frombuffer(data, dtype=dtype, count=offset + n)[offset:] if n else np.empty(0, dtype))
        if chunk.null_count:
            bits = np.unpackbits(np.frombuffer(validity, np.uint8), bitorder="little")
            valid.append(bits[offset : offset + n].astype(bool))
        else:
            valid.append(np.ones(n, dtype=bool))
    values = np.concatenate(parts) if parts else np.empty(0, dtype)
    nulls = col.null_count > 0
    if stamp:
        values = values.view(f"datetime64[{kind.unit}]")
        if nulls:
            values[~np.concatenate(valid)] = np.datetime64("NaT")
        return values
    if nulls:
        values = values.astype(np.float64)
        values[~np.concatenate(valid)] = np.nan
    return values


def _header(path: str | Path) -> list[str]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        line = handle.readline()
    return next(csv.reader([line]), [])


def read_points(
    path: str | Path,
    *,
    time_column: str | None = "t",
    require_time: bool = False,
    crs: str | None = None,
    time: bool = True,
) -> Points:
    """Points from a CSV with a header: either `x`,`y` (metres) or `lon`,`lat` (WGS84), and optionally a time
    column (`t`, `date` or `time`, or `time_column`; with `time=False` none is read, for methods without time).
    Read column-wise by pyarrow (`read_columns`); anything it cannot read cleanly is read again row by row for a
    precise message. Files under COLUMNAR_MIN_BYTES are read
    row by row anyway: importing pyarrow (~0.2 s) would cost more than it saves."""
    try:
        small = Path(path).stat().st_size < COLUMNAR_MIN_BYTES
    except OSError:
        small = True
    if small:
        return _read_points_rows(path, time_column=time_column, require_time=require_time, crs=crs, time=time)
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
        return _read_points_rows(path, time_column=time_column, require_time=require_time, crs=crs, time=time)
    tcol = next((c.lower() for c in (time_column, "t", "date", "time") if c and c.lower() in names), None)
    tcol = tcol if time else None
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
        return _read_points_rows(path, time_column=time_column, require_time=require_time, crs=crs, time=time)
    if a.size == 0 or not (np.isfinite(a).all() and np.isfinite(b).all()):
        return _read_points_rows(path, time_column=time_column, require_time=require_time, crs=crs, time=time)
    if require_time and tcol is None:
        raise InputError(f"{path}: needs a time column (t, date or time)")
    if xs == "lon":
        if np.abs(b).max() > 90 or np.abs(a).max() > 180:
            raise InputError(f"{path}: lon/lat outside the globe (swapped columns?)")
        x, y, used = to_metres(a, b, crs)
        return Points(x, y, t, used, lon=a, lat=b)
    return Points(a, b, t, crs)


def _read_points_rows(
    path: str | Path,
    *,
    time_column: str | None = "t",
    require_time: bool = False,
    crs: str | None = None,
    time: bool = True,
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
    tcol = tcol if time else None
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
        arrays.append(_arrow(np.asarray(values)))
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


def _arrow(arr: np.ndarray):
    """A numpy column as a pyarrow array, built from its buffers: numbers as they are, booleans bit-packed, strings
    dictionary-encoded (int32 indices into the sorted distinct values). The same arrays pyarrow.array (and
    dictionary_encode) would build, without the pandas import that pyarrow.array makes on first use (about a
    quarter of a second of start-up for a CLI run that never needs pandas)."""
    import pyarrow as pa

    n = arr.size
    if arr.dtype.kind in "OU":
        uniques, inverse = np.unique(arr.astype(str), return_inverse=True)
        encoded = [u.encode("utf-8") for u in uniques.tolist()]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        dictionary = pa.Array.from_buffers(
            pa.string(), len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
        )
        indices = pa.Array.from_buffers(pa.int32(), n, [None, pa.py_buffer(inverse.astype(np.int32).ravel())])
        return pa.DictionaryArray.from_arrays(indices, dictionary)
    if arr.dtype.kind == "b":
        bits = np.packbits(arr.astype(np.uint8), bitorder="little")
        return pa.Array.from_buffers(pa.bool_(), n, [None, pa.py_buffer(bits)])
    kinds = {"f8": pa.float64(), "f4": pa.float32(), "i8": pa.int64(), "i4": pa.int32(), "u1": pa.uint8()}
    kind = kinds.get(arr.dtype.str.lstrip("<=|"))
    if kind is None:
        return pa.array(arr)
    return pa.Array.from_buffers(
        kind, n, [None, pa.py_buffer(np.ascontiguousarray(arr, dtype=arr.dtype.newbyteorder("=")))]
    )


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")
