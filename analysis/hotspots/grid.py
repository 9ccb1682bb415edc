"""Grids for the hot-spot surfaces: the validation helpers every entry point uses (`checked_xy`,
`positive_metres`), the `Grid` of square cells (row 0 south, cells row-major), `grid_from_points` (counts per cell),
the cell-count limit `MAX_CELLS` and `cell_polygon_features` (one GeoJSON polygon feature per cell) shared by the
results' `to_geojson`."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from analysis.io import InputError

MAX_CELLS = 10_000_000  # grid cells accepted (memory: ~100 bytes per cell for Gi*)


# ------------------------------------------------------------------------------------------------ validation


def checked_xy(x, y) -> tuple[np.ndarray, np.ndarray]:
    """x and y as flat float arrays of one length, or InputError (different lengths, empty, not finite)."""
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.size != y.size:
        raise InputError(f"x and y differ in length ({x.size} and {y.size})")
    if x.size == 0:
        raise InputError("no points: the input is empty")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InputError("coordinates must be finite numbers")
    return x, y


def positive_metres(name: str, value) -> float:
    """`value` as a positive finite float (a distance in metres), or InputError naming `name`."""
    try:
        value = float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must be a number, got {value!r}") from exc
    if not (math.isfinite(value) and value > 0):
        raise InputError(f"{name} must be a positive number of metres, got {value}")
    return value


# ------------------------------------------------------------------------------------------------ grid


@dataclass
class Grid:
    """A regular grid of square cells: counts[row, col], row 0 at miny (south), cells numbered row-major."""

    counts: np.ndarray
    minx: float
    miny: float
    cell: float
    rows: int
    cols: int

    @property
    def extent(self) -> tuple[float, float, float, float]:
        return (self.minx, self.miny, self.minx + self.cols * self.cell, self.miny + self.rows * self.cell)

    @property
    def size(self) -> int:
        return self.rows * self.cols

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Cell centres (x, y), flattened row-major like `counts.ravel()`."""
        cx = self.minx + (np.arange(self.cols) + 0.5) * self.cell
        cy = self.miny + (np.arange(self.rows) + 0.5) * self.cell
        return np.tile(cx, self.rows), np.repeat(cy, self.cols)

    def polygons(self, index=None, crs: str | None = None) -> list[list[list[float]]]:
        """Closed counter-clockwise rings [[x, y], ...] of the cells `index` (flat, default all); in lon/lat when
        `crs` (the grid's projected CRS) is given."""
        index = np.arange(self.size) if index is None else np.asarray(index, dtype=np.int64)
        r, c = np.divmod(index, self.cols)
        x0 = self.minx + c * self.cell
        y0 = self.miny + r * self.cell
        x1, y1 = x0 + self.cell, y0 + self.cell
        xs = np.stack([x0, x1, x1, x0, x0], axis=1)
        ys = np.stack([y0, y0, y1, y1, y0], axis=1)
        if crs:
            from analysis.io import to_lonlat

            lon, lat = to_lonlat(xs.ravel(), ys.ravel(), crs)
            xs, ys = lon.reshape(xs.shape), lat.reshape(ys.shape)
        return np.stack([xs, ys], axis=2).tolist()

    def to_dict(self) -> dict:
        return {"minx": self.minx, "miny": self.miny, "cell": self.cell, "rows": self.rows, "cols": self.cols}


def _grid_shape(extent, cell) -> tuple[float, float, int, int]:
    minx, miny, maxx, maxy = (float(v) for v in extent)
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)) or maxx < minx or maxy < miny:
        raise InputError(f"extent must be (minx, miny, maxx, maxy) with max >= min, got {extent}")
    cols = max(1, int(math.ceil((maxx - minx) / cell - 1e-9)))
    rows = max(1, int(math.ceil((maxy - miny) / cell - 1e-9)))
    if rows * cols > MAX_CELLS:
        raise InputError(
            f"the grid would have {rows} x {cols} = {rows * cols:,} cells, more than the {MAX_CELLS:,} "
            f"that fit in memory: use a larger cell than {cell:g} m or a smaller extent"
        )
    return minx, miny, rows, cols


def grid_from_points(x, y, cell, extent=None) -> Grid:
    """Counts of points per square cell of `cell` metres. `extent` (minx, miny, maxx, maxy) defaults to the points'
    bounding box; the grid starts at (minx, miny) and covers the extent with whole cells (points on the far edges
    fall in the last row/column); points outside a given extent are not counted."""
    x, y = checked_xy(x, y)
    cell = positive_metres("cell", cell)
    if extent is None:
        extent = (x.min(), y.min(), x.max(), y.max())
    minx, miny, rows, cols = _grid_shape(extent, cell)
    maxx, maxy = float(extent[2]), float(extent[3])
    inside = (x >= minx) & (x <= max(maxx, minx + cols * cell)) & (y >= miny) & (y <= max(maxy, miny + rows * cell))
    c = np.clip(((x[inside] - minx) // cell).astype(np.int64), 0, cols - 1)
    r = np.clip(((y[inside] - miny) // cell).astype(np.int64), 0, rows - 1)
    counts = np.bincount(r * cols + c, minlength=rows * cols).reshape(rows, cols)
    return Grid(counts, minx, miny, cell, rows, cols)


def cell_polygon_features(grid: Grid, rings, props_list):
    """One GeoJSON polygon feature per cell: each ring of `rings` with its properties from `props_list`."""
    return [
        {"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        for ring, props in zip(rings, props_list)
    ]
