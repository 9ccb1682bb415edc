"""Hot-spot surfaces: kernel density (KDE) on a grid and Getis-Ord Gi* with permutation p-values.

Public API (the web page calls exactly these):

    grid_from_points(x, y, cell, extent=None) -> Grid
    kde(x, y, *, cell, bandwidth=None, extent=None, kernel="quartic", scheduler=None, progress=None) -> KdeResult
    grid_neighbours(rows, cols, kind="queen", order=1, include_self=True) -> (indptr, indices)
    distance_neighbours(x, y, threshold, include_self=True) -> (indptr, indices)
    gistar(values, neighbours, *, permutations=999, seed=0, transform="B", fdr=None, method="auto", alpha=0.05,
           scheduler=None, progress=None) -> GiStarResult
    gistar_grid(x, y, *, cell, extent=None, kind="queen", order=1, permutations=999, seed=0, fdr=None, ...)
        -> GiStarResult (with the grid, so to_geojson() draws cells)

Conventions
-----------
* Coordinates are projected metres. A grid has `rows` x `cols` square cells of `cell` metres; row 0 is the
  southern edge (smallest y), column 0 the western edge; cells are numbered row-major, i = row * cols + col (the
  same order as libpysal's `lat2W(rows, cols)`).
* Weights are binary neighbour lists in CSR form (indptr, indices), built here without libpysal. Gi* always
  includes the cell itself (self weight 1 with transform "B"; with "R" every neighbour, self included, weighs
  1 / (k_i + 1)), whether or not the lists name it.

Gi* statistic and analytic z (Getis & Ord 1992; Ord & Getis 1995), computed exactly as esda's
`G_Local(y, w, transform=..., star=True)` does so both agree to rounding: with N cells, values y, W_i the row
sum of the (transformed) weights including self, ybar = mean(y), s2 = mean(y**2) - ybar**2,

    G*_i = sum_j w_ij y_j / sum_j y_j,   E = W_i / N,   V = W_i (N - W_i) / (N - 1) / N**2 * s2 / ybar**2,
    z_i = (G*_i - E) / sqrt(V),          p_norm = one-sided normal tail beyond |z| (as esda).

With "B", W_i = k_i + 1 and z is the usual Gi* z-score (ArcGIS "Hot Spot Analysis"). With "R", W_i = 1: esda
plugs the row sum into the binary-weights variance, so "R" z-scores are smaller in magnitude than "B" ones (not a
unit-variance score); we keep esda's formula for comparability and default to "B".

Permutation p-values (conditional randomisation, Anselin 1995): for cell i, its own value stays put and the values
of its k_i neighbours are replaced by k_i values drawn WITHOUT replacement from the other N - 1 cells (cell i's own
value is excluded, exactly). Since every neighbour of i has the same weight, the statistic is an increasing function
of the neighbour sum S_i, so only S_i matters: p_hot = P(S_i >= s_i), p_cold = P(S_i <= s_i) (ties count on both
sides, which is conservative), p_sim = min(p_hot, p_cold): the one-sided p in the direction the data point to,
esda's "directed" convention. (Where there are no ties, esda's directed p and ours are the same formula; with tied
integer counts esda counts a tie as "larger" only, so a cell whose neighbourhood is all zeros among mostly-zero
cells gets esda p = 1/(P+1), i.e. a spurious cold spot; ours gets p = 1.) Two schemes:

* method="exact" (integer values, e.g. counts): the limit of infinitely many permutations. The distribution of the
  sum of c draws without replacement from a multiset is a multivariate-hypergeometric convolution over the value
  histogram: prod_v (1 + t z**v)**h_v. It is built once for all N values (per draw count c <= max k); removing cell
  i's own value a is an exact deconvolution by (1 + t z**a): G[c][s] = (N F[c][s] - c G[c-1][s-a]) / (N - c) in
  probability form. One table per distinct value a serves every cell with that value, so the cost depends on the
  number of distinct values and the range of sums, not on N or on the number of permutations (`permutations` is
  then unused). Agrees with full enumeration to 1e-12 in the tests.
* method="mc" (any values): P seeded permutations. For every cell and permutation, a uniformly random set of k_i
  distinct cells among the N - 1 other cells is drawn, independently for every cell (no index sets shared across
  cells, unlike esda's numba engine which draws P index sets once and reuses them for all cells, so that a cell's
  own value can land among its "neighbours"). p_hot = (#{S >= s} + 1) / (P + 1), etc. The draw is made cheap on
  count grids, where most cells hold 0 or 1, by drawing first how many of the k_i picks fall on each of the most
  frequent values, from the exact multivariate hypergeometric law (cell i removed from its own group), and then
  only the picks among the other values (Lemire's unbiased bounded integers); see `_mc_counts` for the algorithm
  and analysis/test_hotspots_mc.py for the checks against full enumeration and the exact method.
  Sums are compared with a relative tolerance of 1e-9, so exact ties count as ties (esda compares a fastmath
  x * (1/sum) with x / sum, so tied integer sums fall on either side by rounding; on count grids this makes its
  p_sim smaller than the conditional-permutation value for many cells, see analysis/test_hotspots.py).
  Random numbers: a splitmix64 stream per (chunk, cell), keyed from the chunk's SeedSequence (analysis.parallel.plan,
  chunks of MC_CHUNK permutations), so results are identical in-process and on Dask, whatever the thread count.
* method="auto" (default): "exact" when the values are integers and the exact tables are affordable, else "mc".

Significance: `p_value` = min(1, 2 p_sim), two-sided, as ArcGIS's Gi_Bin confidence levels (90/95/99%). With
`fdr`, Benjamini-Hochberg (1995) adjusted p-values (`q`) of p_value decide `significant` (q <= fdr) and the
category levels; without it, significant = p_value <= alpha. Categories: "hot 99%" (<= 0.01), "hot 95%" (<= 0.05),
"hot 90%" (<= 0.10), the same for "cold", else "not significant".

KDE: density at each cell centre, sum_j K(d_ij / h) / h**2, in incidents per km^2 (Silverman 1986). Kernels
(u = d / h): quartic (biweight, default, as CrimeStat/ArcGIS) 3/pi (1-u^2)^2; epanechnikov 2/pi (1-u^2);
triangular 3/pi (1-u); uniform 1/pi; gaussian 1/(2 pi) exp(-u^2/2) cut at u = 4. Default bandwidth (`bandwidth_rule`
"arcgis"): ArcGIS Pro's spatial variant of Silverman's rule of thumb, h = 0.9 min(SD, sqrt(1/ln 2) Dm) n^-0.2,
SD the standard distance and Dm the median distance to the mean centre; "scott": h = sqrt((sx^2 + sy^2)/2) n^(-1/6)
(Scott 1992, bivariate). The grid is cut into row bands run through `analysis.parallel.run_chunks` (Dask-able).

References: Getis & Ord (1992) Geogr. Anal. 24(3); Ord & Getis (1995) Geogr. Anal. 27(4); Anselin (1995) Geogr.
Anal. 27(2); Benjamini & Hochberg (1995) JRSS-B 57(1); Silverman (1986) Density Estimation; esda.getisord.G_Local;
ArcGIS Pro "Hot Spot Analysis (Getis-Ord Gi*)" and "Kernel Density" documentation; CrimeStat IV ch. 10.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numba
import numpy as np

from analysis.io import InputError
from analysis.parallel import plan, run_chunks

MAX_CELLS = 10_000_000          # grid cells accepted (memory: ~100 bytes per cell for Gi*)
KDE_MAX_WORK = 5e9              # kernel evaluations accepted (points x cells per kernel)
EXACT_MAX_WORK = 4e9            # inner-loop steps accepted for the exact permutation tables
MC_CHUNK = 125                  # permutations per chunk (analysis.parallel.plan): 8 chunks for 999
KERNELS = {"quartic": 0, "epanechnikov": 1, "triangular": 2, "uniform": 3, "gaussian": 4}
GAUSS_CUT = 4.0
BANDWIDTH_RULES = ("arcgis", "scott")
CATEGORIES = np.array(["not significant", "hot 90%", "hot 95%", "hot 99%", "cold 90%", "cold 95%", "cold 99%"])


# ------------------------------------------------------------------------------------------------ validation

def _xy(x, y) -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.size != y.size:
        raise InputError(f"x and y differ in length ({x.size} and {y.size})")
    if x.size == 0:
        raise InputError("no points: the input is empty")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InputError("coordinates must be finite numbers")
    return x, y


def _positive(name: str, value) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number, got {value!r}")
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
        raise InputError(f"the grid would have {rows} x {cols} = {rows * cols:,} cells, more than the {MAX_CELLS:,} "
                         f"that fit in memory: use a larger cell than {cell:g} m or a smaller extent")
    return minx, miny, rows, cols


def grid_from_points(x, y, cell, extent=None) -> Grid:
    """Counts of points per square cell of `cell` metres. `extent` (minx, miny, maxx, maxy) defaults to the points'
    bounding box; the grid starts at (minx, miny) and covers the extent with whole cells (points on the far edges
    fall in the last row/column); points outside a given extent are not counted."""
    x, y = _xy(x, y)
    cell = _positive("cell", cell)
    if extent is None:
        extent = (x.min(), y.min(), x.max(), y.max())
    minx, miny, rows, cols = _grid_shape(extent, cell)
    maxx, maxy = float(extent[2]), float(extent[3])
    inside = (x >= minx) & (x <= max(maxx, minx + cols * cell)) & (y >= miny) & (y <= max(maxy, miny + rows * cell))
    c = np.clip(((x[inside] - minx) // cell).astype(np.int64), 0, cols - 1)
    r = np.clip(((y[inside] - miny) // cell).astype(np.int64), 0, rows - 1)
    counts = np.bincount(r * cols + c, minlength=rows * cols).reshape(rows, cols)
    return Grid(counts, minx, miny, cell, rows, cols)


def _grid_feature(grid: Grid, rings, props_list):
    return [{"type": "Feature", "properties": props, "geometry": {"type": "Polygon", "coordinates": [ring]}}
            for ring, props in zip(rings, props_list)]


# ------------------------------------------------------------------------------------------------ KDE

@dataclass
class KdeResult:
    """Kernel density per cell (values[rows, cols], incidents per km^2) on `grid` (grid.counts: incidents per cell)."""
    values: np.ndarray
    bandwidth: float
    bandwidth_rule: str
    kernel: str
    grid: Grid
    n: int
    crs: str | None = None

    def to_dict(self) -> dict:
        return {"method": "kde", "kernel": self.kernel, "bandwidth_m": self.bandwidth,
                "bandwidth_rule": self.bandwidth_rule, "units": "incidents per km2", "n": self.n,
                "grid": self.grid.to_dict(), "crs": self.crs, "max_density": float(self.values.max()),
                "values": self.values}

    def to_rows(self) -> list[list]:
        cx, cy = self.grid.centres()
        rows: list[list] = [["cell", "row", "col", "x", "y", "count", "density_per_km2"]]
        v, counts = self.values.ravel(), self.grid.counts.ravel()
        for i in np.flatnonzero(v > 0):
            rows.append([int(i), int(i // self.grid.cols), int(i % self.grid.cols), float(cx[i]), float(cy[i]),
                         int(counts[i]), float(v[i])])
        return rows

    def to_geojson(self, crs: str | None = None) -> dict:
        """Cells with a non-zero density as polygons (lon/lat when `crs`, or the result's crs, is given)."""
        crs = crs or self.crs
        v, counts = self.values.ravel(), self.grid.counts.ravel()
        index = np.flatnonzero(v > 0)
        rings = self.grid.polygons(index, crs)
        props = [{"cell": int(i), "count": int(counts[i]), "density": float(v[i])} for i in index]
        return {"type": "FeatureCollection", "features": _grid_feature(self.grid, rings, props),
                "properties": {k: val for k, val in self.to_dict().items() if k != "values"}}


def bandwidth_rule(x, y, rule: str = "arcgis") -> float:
    """Default KDE bandwidth (metres) of points by `rule`: "arcgis" (ArcGIS Pro Kernel Density default: spatial
    Silverman rule, 0.9 min(SD, sqrt(1/ln 2) Dm) n^-0.2) or "scott" (sqrt((sx^2 + sy^2) / 2) n^(-1/6))."""
    x, y = _xy(x, y)
    n = x.size
    dx, dy = x - x.mean(), y - y.mean()
    if rule == "arcgis":
        sd = math.sqrt(float((dx ** 2).mean() + (dy ** 2).mean()))
        dm = float(np.median(np.hypot(dx, dy)))
        h = 0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * n ** -0.2
    elif rule == "scott":
        h = math.sqrt((x.var() + y.var()) / 2) * n ** (-1 / 6)
    else:
        raise InputError(f"unknown bandwidth rule '{rule}': use one of {', '.join(BANDWIDTH_RULES)} or metres")
    if not (h > 0 and math.isfinite(h)):
        raise InputError("cannot derive a bandwidth: the points do not spread (too few or all at one place); "
                         "give an explicit bandwidth in metres")
    return h


@numba.njit(cache=True, parallel=True)
def _kde_band(xs, ys, minx, miny, cell, cols, r0, r1, h, support, kernel):
    """Density (per m^2) at the centres of rows r0..r1-1 from points sorted by y."""
    out = np.zeros((r1 - r0, cols))
    h2 = h * h
    rad2 = support * support
    if kernel == 0:
        norm = 3.0 / (math.pi * h2)
    elif kernel == 1:
        norm = 2.0 / (math.pi * h2)
    elif kernel == 2:
        norm = 3.0 / (math.pi * h2)
    elif kernel == 3:
        norm = 1.0 / (math.pi * h2)
    else:
        norm = 1.0 / (2.0 * math.pi * h2)
    for rr in numba.prange(r1 - r0):
        yc = miny + (r0 + rr + 0.5) * cell
        lo = np.searchsorted(ys, yc - support)
        hi = np.searchsorted(ys, yc + support, side="right")
        row = out[rr]
        for j in range(lo, hi):
            dy = ys[j] - yc
            rem = rad2 - dy * dy
            if rem < 0:
                continue
            half = math.sqrt(rem)
            c0 = max(0, int(math.ceil((xs[j] - half - minx) / cell - 0.5)))
            c1 = min(cols - 1, int(math.floor((xs[j] + half - minx) / cell - 0.5)))
            for c in range(c0, c1 + 1):
                dx = minx + (c + 0.5) * cell - xs[j]
                d2 = dx * dx + dy * dy
                if d2 > rad2:
                    continue
                u2 = d2 / h2
                if kernel == 0:
                    t = 1.0 - u2
                    row[c] += norm * t * t
                elif kernel == 1:
                    row[c] += norm * (1.0 - u2)
                elif kernel == 2:
                    row[c] += norm * (1.0 - math.sqrt(u2))
                elif kernel == 3:
                    row[c] += norm
                else:
                    row[c] += norm * math.exp(-0.5 * u2)
    return out


def _kde_tile(xs, ys, params, band):
    minx, miny, cell, cols, h, support, kernel = params
    r0, r1 = band
    return _kde_band(xs, ys, minx, miny, cell, int(cols), r0, r1, h, support, int(kernel))


def kde(x, y, *, cell, bandwidth=None, extent=None, kernel: str = "quartic", scheduler=None,
        progress: Callable[[float], None] | None = None) -> KdeResult:
    """Kernel density of points on a grid of `cell` metres, in incidents per km^2 at each cell centre.

    bandwidth: metres, or a rule name ("arcgis", the default when None, or "scott"; see `bandwidth_rule`).
    kernel: "quartic" (default, as CrimeStat/ArcGIS), "epanechnikov", "triangular", "uniform" or "gaussian" (h is
    the standard deviation, cut at 4h). Every point counts, also points outside a given `extent` whose kernel
    reaches into it. The grid is split into fixed row bands run with `run_chunks` (here or on Dask via
    `scheduler`); `progress(fraction)` is called as bands finish."""
    x, y = _xy(x, y)
    cell = _positive("cell", cell)
    if kernel not in KERNELS:
        raise InputError(f"unknown kernel '{kernel}': use one of {', '.join(KERNELS)}")
    if bandwidth is None or isinstance(bandwidth, str):
        rule = bandwidth or "arcgis"
        if rule not in BANDWIDTH_RULES:
            raise InputError(f"unknown bandwidth rule '{rule}': use one of {', '.join(BANDWIDTH_RULES)} or metres")
        grid = grid_from_points(x, y, cell, extent)
        h = bandwidth_rule(x, y, rule)
    else:
        h = _positive("bandwidth", bandwidth)
        rule = "given"
        grid = grid_from_points(x, y, cell, extent)
    support = h * (GAUSS_CUT if kernel == "gaussian" else 1.0)
    work = x.size * math.pi * (support / cell + 1) ** 2
    if work > KDE_MAX_WORK:
        raise InputError(f"a {support:g} m kernel on {cell:g} m cells over {x.size:,} points needs ~{work:.2g} kernel "
                         f"evaluations (limit {KDE_MAX_WORK:.0e}): use a larger cell or a smaller bandwidth")
    order = np.argsort(y, kind="stable")
    xs, ys = np.ascontiguousarray(x[order]), np.ascontiguousarray(y[order])
    params = (grid.minx, grid.miny, cell, grid.cols, h, support, KERNELS[kernel])
    band = max(8, -(-grid.rows // 32))
    bands = [(r0, min(grid.rows, r0 + band)) for r0 in range(0, grid.rows, band)]
    parts = run_chunks(_kde_tile, (xs, ys, params), bands, scheduler=scheduler, progress=progress)
    values = np.concatenate(parts, axis=0) * 1e6
    return KdeResult(values, h, rule, kernel, grid, int(x.size))


# ------------------------------------------------------------------------------------------------ weights

def _offsets(kind: str, order) -> np.ndarray:
    if kind not in ("queen", "rook", "distance"):
        raise InputError(f"unknown neighbour kind '{kind}': use queen, rook or distance")
    try:
        order_f = float(order)
    except (TypeError, ValueError):
        raise InputError(f"order must be a number, got {order!r}")
    if kind in ("queen", "rook") and (order_f != int(order_f) or order_f < 1):
        raise InputError(f"{kind} contiguity order must be a whole number >= 1, got {order}")
    if not (order_f > 0 and math.isfinite(order_f)) or order_f > 50:
        raise InputError(f"order (in cells) must be in (0, 50], got {order}")
    m = int(math.floor(order_f))
    dr_grid, dc_grid = np.meshgrid(np.arange(-m, m + 1), np.arange(-m, m + 1), indexing="ij")
    dr, dc = dr_grid.ravel(), dc_grid.ravel()
    if kind == "queen":
        keep = np.ones(dr.size, bool)
    elif kind == "rook":
        keep = np.abs(dr) + np.abs(dc) <= m
    else:
        keep = dr * dr + dc * dc <= order_f * order_f * (1 + 1e-12)
    return np.stack([dr[keep], dc[keep]], axis=1).astype(np.int64)   # sorted row-major, so indices come out sorted


@numba.njit(cache=True)
def _grid_csr(rows, cols, offsets, include_self):
    n = rows * cols
    indptr = np.zeros(n + 1, dtype=np.int64)
    m = offsets.shape[0]
    for r in range(rows):
        for c in range(cols):
            k = 0
            for o in range(m):
                rr, cc = r + offsets[o, 0], c + offsets[o, 1]
                if 0 <= rr < rows and 0 <= cc < cols and (include_self or offsets[o, 0] != 0 or offsets[o, 1] != 0):
                    k += 1
            indptr[r * cols + c + 1] = k
    for i in range(n):
        indptr[i + 1] += indptr[i]
    indices = np.empty(indptr[n], dtype=np.int32)
    for r in range(rows):
        for c in range(cols):
            p = indptr[r * cols + c]
            for o in range(m):
                rr, cc = r + offsets[o, 0], c + offsets[o, 1]
                if 0 <= rr < rows and 0 <= cc < cols and (include_self or offsets[o, 0] != 0 or offsets[o, 1] != 0):
                    indices[p] = rr * cols + cc
                    p += 1
    return indptr, indices


def grid_neighbours(rows: int, cols: int, kind: str = "queen", order=1, include_self: bool = True):
    """Neighbour lists of a rows x cols grid (cells row-major) as CSR arrays (indptr int64, indices int32, sorted).

    kind "queen": cells within queen contiguity of order k (Chebyshev distance <= k: 8 neighbours for k = 1);
    "rook": rook contiguity up to order k (Manhattan distance <= k); "distance": centres within `order` cells
    (Euclidean, order may be fractional). Orders are cumulative (all lower orders included), as libpysal's
    `higher_order(..., lower_order=True)`; order 1 equals `lat2W(rows, cols, rook=...)`."""
    try:
        rows, cols = int(rows), int(cols)
    except (TypeError, ValueError):
        raise InputError("rows and cols must be whole numbers")
    if rows < 1 or cols < 1:
        raise InputError(f"the grid needs at least one row and one column, got {rows} x {cols}")
    if rows * cols > MAX_CELLS:
        raise InputError(f"{rows} x {cols} = {rows * cols:,} cells is more than the {MAX_CELLS:,} that fit in memory")
    offsets = _offsets(kind, order)
    if offsets.shape[0] * rows * cols > 40 * MAX_CELLS:
        raise InputError(f"{offsets.shape[0]} neighbours per cell on {rows * cols:,} cells do not fit in memory: "
                         f"use a lower order or a coarser grid")
    return _grid_csr(rows, cols, offsets, bool(include_self))


def distance_neighbours(x, y, threshold, include_self: bool = True):
    """Neighbour lists of points (e.g. areas' centroids, metres) within `threshold` metres, as CSR arrays
    (indptr int64, indices int32, sorted), via scipy's cKDTree; the equivalent of libpysal's
    `DistanceBand(points, threshold, binary=True)` (distance <= threshold) plus the point itself when
    `include_self`. Points without neighbours are islands: their Gi* only uses their own value."""
    x, y = _xy(x, y)
    threshold = _positive("threshold", threshold)
    from scipy.spatial import cKDTree

    n = x.size
    pairs = cKDTree(np.column_stack([x, y])).query_pairs(threshold, output_type="ndarray")
    a = np.concatenate([pairs[:, 0], pairs[:, 1]] + ([np.arange(n)] if include_self else []))
    b = np.concatenate([pairs[:, 1], pairs[:, 0]] + ([np.arange(n)] if include_self else []))
    order = np.lexsort((b, a))
    a, b = a[order], b[order]
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(a, minlength=n), out=indptr[1:])
    return indptr, b.astype(np.int32)


# ------------------------------------------------------------------------------------------------ Gi* kernels

@numba.njit(cache=True, parallel=True)
def _neighbour_sums(indptr, indices, values):
    """Sum of the neighbours' values and their number, the cell itself excluded; -1 in bad[i] marks duplicates."""
    n = indptr.size - 1
    s = np.zeros(n)
    k = np.zeros(n, dtype=np.int64)
    bad = np.zeros(n, dtype=np.int8)
    for i in numba.prange(n):
        acc = 0.0
        cnt = 0
        for p in range(indptr[i], indptr[i + 1]):
            j = indices[p]
            if j == i:
                continue
            for q in range(indptr[i], p):
                if indices[q] == j:
                    bad[i] = 1
            acc += values[j]
            cnt += 1
        s[i] = acc
        k[i] = cnt
    return s, k, bad


@numba.njit(cache=True)
def _mix64(z):
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@numba.njit(cache=True, inline="always")
def _pick_rest(d, picked, scratch, m, b, skip, sb, reject, state):
    """Sum of d over m distinct positions drawn uniformly in [0, b) (positions >= skip shift by one), advancing the
    splitmix64 counter `state`: Lemire's multiply-shift with rejection on the top 32 bits of each output, duplicates
    redrawn while m is small against b, else a partial Fisher-Yates shuffle of `scratch` (the identity, restored)."""
    golden = np.uint64(0x9E3779B97F4A7C15)
    two32 = np.uint64(4294967296)
    mask = np.uint64(0xFFFFFFFF)
    sh32 = np.uint64(32)
    acc = 0.0
    if m <= 16 and 4 * m <= b:
        t = 0
        while t < m:
            state += golden
            prod = (_mix64(state) >> sh32) * sb
            if (prod & mask) < reject:
                continue
            j = np.int64(prod >> sh32)
            dup = False
            for q in range(t):
                if picked[q] == j:
                    dup = True
                    break
            if dup:
                continue
            picked[t] = j
            t += 1
            acc += d[j + 1 if j >= skip else j]
    else:
        for t in range(m):
            span = np.uint64(b - t)
            cut = (two32 - span) % span
            while True:
                state += golden
                prod = (_mix64(state) >> sh32) * span
                if (prod & mask) >= cut:
                    break
            j = t + np.int64(prod >> sh32)
            picked[t] = j
            tmp = scratch[t]
            scratch[t] = scratch[j]
            scratch[j] = tmp
            idx = scratch[t]
            acc += d[idx + 1 if idx >= skip else idx]
        for t in range(m - 1, -1, -1):
            j = picked[t]
            tmp = scratch[t]
            scratch[t] = scratch[j]
            scratch[j] = tmp
    return acc, state


@numba.njit(cache=True, parallel=True)
def _mc_counts(d, pos, row_of, thr, guide, last, osum, orest, s_rel, k, nperm, key0, key1, tol):
    """For every cell i: over `nperm` conditional permutations, how many neighbour sums are >= / <= the observed one.

    A literal Monte Carlo draw, independent for every cell and permutation, of a uniformly random set of k_i
    distinct cells among the n - 1 cells other than i (i's own value excluded exactly), made cheap by the repeated
    values of count grids (most cells hold 0, many 1). `_mc_prepare` splits the values into L "levels", the most
    frequent values (v_0 = base, v_1, ... ; L = 0 when no value repeats enough to pay), and the "rest": the B cells
    of any other value, listed in `d` as v - base (cell i at position pos[i] there, -1 when i is on a level;
    the table row of cell i, row_of[i], is set by k_i and i's group: its level, or the rest). A uniform k-subset of the n - 1 others is drawn in two exact steps:

    1. Its composition (c_0, ..., c_L), how many of the k_i picks fall on each level and among the rest, has the
       multivariate hypergeometric law: P = prod_g C(n_g, c_g) / C(n - 1, k_i), n_g the size of group g once cell i
       is removed from its own group. Each (k_i, group of i) has a table row listing every
       possible composition o with its cumulative threshold thr[row, o] = floor(2**64 P(outcome <= o)) computed from
       exact integer binomials, sum_g c_g (v_g - base) (osum) and c_L (orest). A 64-bit uniform u picks the outcome
       by inversion, started from a 4096-bucket guide table on u's top 12 bits (guide[row, u >> 52]) so that about
       one comparison is made. The only departure from the exact law is the 2**-64 resolution of u.
    2. Given the composition, which rest cells were picked is a uniform c_L-subset of the b = B - [i in rest] rest
       cells other than i: c_L distinct positions in [0, b), each drawn with Lemire's multiply-shift on 32 bits WITH
       its rejection step (exactly uniform), duplicates redrawn (c_L <= 16 and 4 c_L <= b) or a partial
       Fisher-Yates shuffle otherwise; positions at or past pos[i] shift by one, which skips cell i itself. Which
       level cells were picked does not matter: each adds its level's value.

    The permuted sum minus k_i base is osum + the picked d's, compared with the observed one (`s_rel`) within
    `tol[i]` (ties count on both sides). With L = 0 step 1 always gives c_L = k_i: the plain draw of k_i distinct
    others.

    Random numbers: splitmix64 on a counter, per cell keyed by (key0, key1) (the chunk's SeedSequence) and the cell
    index, so the result does not depend on the thread count, the blocking or where the chunk runs (Dask)."""
    n = k.size
    big = d.size
    ge = np.zeros(n, dtype=np.int32)
    le = np.zeros(n, dtype=np.int32)
    golden = np.uint64(0x9E3779B97F4A7C15)
    two32 = np.uint64(4294967296)
    bits = 0                              # guide.shape[1] == 2**bits buckets, indexed by u's top bits
    while (1 << bits) < guide.shape[1]:
        bits += 1
    sh52 = np.uint64(64 - bits)
    kmax = 0
    for i in range(n):
        kmax = max(kmax, k[i])
    need_scratch = kmax > 16 or 4 * kmax > big - 1
    nblocks = min(n, 256)
    per = (n + nblocks - 1) // nblocks
    for blk in numba.prange(nblocks):
        picked = np.empty(max(kmax, 1), dtype=np.int64)
        scratch = np.arange(big) if need_scratch else np.empty(0, dtype=np.int64)
        for i in range(blk * per, min(n, (blk + 1) * per)):
            ki = k[i]
            if ki == 0:
                ge[i] = nperm
                le[i] = nperm
                continue
            own = pos[i]
            skip = own if own >= 0 else big
            b = big - (1 if own >= 0 else 0)
            row = row_of[i]
            top = last[row]
            sb = np.uint64(max(b, 1))
            reject = (two32 - sb) % sb          # Lemire: low words below 2**32 mod b are rejected
            state = key0 ^ _mix64(key1 + np.uint64(i) * golden)
            lo = s_rel[i] - tol[i]
            hi = s_rel[i] + tol[i]
            g = guide[row]
            th = thr[row]
            os_ = osum[row]
            orr = orest[row]
            cge = 0
            cle = 0
            for _ in range(nperm):
                state += golden
                u = _mix64(state)
                o = np.int64(g[u >> sh52])
                while o < top and u >= th[o]:
                    o += 1
                acc = os_[o]
                m = orr[o]
                if m > 0:
                    extra, state = _pick_rest(d, picked, scratch, m, b, skip, sb, reject, state)
                    acc += extra
                cge += acc >= lo
                cle += acc <= hi
            ge[i] = cge
            le[i] = cle
    return ge, le


MC_LEVELS = 5                   # at most this many of the most frequent values become levels (see _mc_counts)
MC_LEVEL_SHARE = (0.10, 0.005)  # share of cells the first value / each further one must hold to become a level
MC_TABLE_MAX = 50_000           # most composition outcomes tabulated (over all rows); fewer levels beyond
MC_GUIDE_BITS = 12              # guide buckets per table row: 2**12 (2 when there are no levels: one outcome)


def _compositions(total: int, caps: list[int]):
    """Every (c_0, ..., c_G) with sum `total` and c_g <= caps[g]."""
    if len(caps) == 1:
        if total <= caps[0]:
            yield (total,)
        return
    for c in range(min(total, caps[0]) + 1):
        for tail in _compositions(total - c, caps[1:]):
            yield (c,) + tail


def _mc_tables(n: int, sizes: list[int], level_values: list[float], ks: np.ndarray):
    """Composition tables for every (k, group of the cell itself): see _mc_counts. Returns None when too big."""
    ngroups = len(sizes)
    if ngroups > 1 and ngroups * sum(math.comb(int(kv) + ngroups - 1, ngroups - 1) for kv in ks.tolist()) > MC_TABLE_MAX:
        return None                       # (an upper bound on the number of compositions, before listing them)
    rows: list[list | None] = []
    for kv in ks.tolist():
        for own in range(ngroups):
            caps = [s - (1 if g == own else 0) for g, s in enumerate(sizes)]
            if caps[own] < 0:
                rows.append(None)          # no cell of this group: the row is never used
                continue
            rows.append(list(_compositions(int(kv), caps)))
    count = sum(len(r) for r in rows if r)
    if count > MC_TABLE_MAX:
        return None
    width = max(1, max((len(r) for r in rows if r), default=1))
    nrow = len(rows)
    thr = np.zeros((nrow, width), dtype=np.uint64)
    osum = np.zeros((nrow, width))
    orest = np.zeros((nrow, width), dtype=np.int64)
    last = np.zeros(nrow, dtype=np.int64)
    bits = MC_GUIDE_BITS if ngroups > 1 else 1
    guide = np.zeros((nrow, 1 << bits), dtype=np.int32)
    starts = np.arange(1 << bits, dtype=np.uint64) << np.uint64(64 - bits)
    top = (1 << 64) - 1
    for r, outs in enumerate(rows):
        if not outs:
            continue
        kv = sum(outs[0])
        caps = [s - (1 if g == r % ngroups else 0) for g, s in enumerate(sizes)]
        total = math.comb(n - 1, kv)
        cum = 0
        kept = []
        for comp in outs:
            w = 1
            for c, cap in zip(comp, caps):
                w *= math.comb(cap, c)
            if w == 0:
                continue
            cum += w
            kept.append((comp, min(top, (cum << 64) // total)))
        assert cum == total
        for o, (comp, t) in enumerate(kept):
            thr[r, o] = t
            osum[r, o] = sum(c * v for c, v in zip(comp[:-1], level_values))
            orest[r, o] = comp[-1]
        last[r] = len(kept) - 1
        guide[r] = np.searchsorted(thr[r, :last[r]], starts, side="right")
    return thr, guide, last, osum, orest


def _mc_prepare(values: np.ndarray, s_obs: np.ndarray, k: np.ndarray):
    """The arrays `_mc_counts` draws from: (d, pos, group, row_of, thr, guide, last, osum, orest, s_rel)."""
    n = values.size
    uniq, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    inverse = inverse.ravel()
    order = np.argsort(-counts, kind="stable")
    levels = []
    for rank, u in enumerate(order[:MC_LEVELS]):
        if counts[u] >= MC_LEVEL_SHARE[min(rank, 1)] * n:
            levels.append(int(u))
        else:
            break
    ks, kid = np.unique(k, return_inverse=True)
    kid = kid.ravel()
    while True:
        base = float(uniq[levels[0]]) if levels else 0.0
        group = np.full(n, len(levels), dtype=np.int64)
        for g, u in enumerate(levels):
            group[inverse == u] = g
        sizes = [int((group == g).sum()) for g in range(len(levels) + 1)]
        tables = _mc_tables(n, sizes, [float(uniq[u]) - base for u in levels], ks)
        if tables is not None:
            break
        levels = levels[:-1]
    listed = np.flatnonzero(group == len(levels))
    pos = np.full(n, -1, dtype=np.int64)
    pos[listed] = np.arange(listed.size)
    d = values[listed] - base
    ngroups = len(levels) + 1
    row_of = (kid * ngroups + group).astype(np.int64)
    s_rel = s_obs - k * base
    return (d, pos, row_of, *tables, s_rel)


def _mc_chunk(d, pos, row_of, thr, guide, last, osum, orest, s_rel, k, tol, chunk):
    seedseq, nperm = chunk
    key = seedseq.generate_state(2, dtype=np.uint64)
    return _mc_counts(d, pos, row_of, thr, guide, last, osum, orest, s_rel, k, int(nperm), key[0], key[1], tol)


@numba.njit(cache=True)
def _sum_distribution(vals, mult, n, kmax, smax):
    """F[c, s] = P(sum of c draws without replacement from the multiset {vals[g] x mult[g]} equals s), c <= kmax.
    Groups are added in ascending value order; hypergeometric weights are computed as products (no lgamma)."""
    f = np.zeros((kmax + 1, smax + 1))
    f[0, 0] = 1.0
    new = np.zeros((kmax + 1, smax + 1))
    seen = 0
    # reach[g]: largest sum of kmax draws among groups 0..g (limits the s loop)
    reach = np.zeros(vals.size, dtype=np.int64)
    for g in range(vals.size):
        need = kmax
        tot = 0
        h = g
        while need > 0 and h >= 0:
            take = min(need, mult[h])
            tot += take * vals[h]
            need -= take
            h -= 1
        reach[g] = min(tot, smax)
    prev_reach = 0
    for g in range(vals.size):
        v = vals[g]
        hcount = mult[g]
        top = reach[g]
        for c in range(kmax + 1):
            for s in range(top + 1):
                new[c, s] = 0.0
        for c in range(min(kmax, seen + hcount) + 1):
            for j in range(min(hcount, c) + 1):
                if c - j > seen:
                    continue
                # C(seen, c-j) C(h, j) / C(seen+h, c)
                coef = 1.0
                for t in range(1, j + 1):          # binomial C(c, j)
                    coef = coef * (c - j + t) / t
                for t in range(c - j):
                    coef *= (seen - t) / (seen + hcount - t)
                for t in range(j):
                    coef *= (hcount - t) / (seen + hcount - (c - j) - t)
                if coef == 0.0:
                    continue
                shift = j * v
                src = f[c - j]
                dst = new[c]
                for s in range(min(prev_reach, top - shift) + 1):
                    dst[s + shift] += coef * src[s]
        for c in range(kmax + 1):
            for s in range(top + 1):
                f[c, s] = new[c, s]
        seen += hcount
        prev_reach = top
    return f


@numba.njit(cache=True, parallel=True)
def _exact_tails(f, n, group_vals, group_start, order, s_obs, k, kmax):
    """p_hot = P(S >= s_i), p_cold = P(S <= s_i) for every cell, S the sum of k_i draws without replacement from
    the n - 1 values other than cell i's own. One deconvolved table per distinct own value a."""
    smax = f.shape[1] - 1
    p_hot = np.ones(order.size)
    p_cold = np.ones(order.size)
    for g in numba.prange(group_vals.size):
        a = group_vals[g]
        gt = np.zeros((kmax + 1, smax + 1))
        gt[0, 0] = 1.0
        for c in range(1, kmax + 1):
            for s in range(smax + 1):
                prev = gt[c - 1, s - a] if s >= a else 0.0
                val = (n * f[c, s] - c * prev) / (n - c)
                gt[c, s] = val if val > 0.0 else 0.0
        # cumulative tails in place: hot[c, s] = sum_{t>=s}, cold[c, s] = sum_{t<=s}
        cold = gt.copy()
        for c in range(kmax + 1):
            for s in range(1, smax + 1):
                cold[c, s] += cold[c, s - 1]
            for s in range(smax - 1, -1, -1):
                gt[c, s] += gt[c, s + 1]
        for p in range(group_start[g], group_start[g + 1]):
            i = order[p]
            ki = k[i]
            si = s_obs[i]
            if ki == 0:
                continue
            p_hot[i] = min(1.0, gt[ki, si])
            p_cold[i] = min(1.0, cold[ki, si])
    return p_hot, p_cold


def _exact_plan(values: np.ndarray, k: np.ndarray):
    """Integer-shifted values and the exact tables' size and work, or None when the values are not integers."""
    if not np.all(np.isfinite(values)) or not np.array_equal(values, np.round(values)):
        return None
    vmin = values.min()
    shifted = (values - vmin).astype(np.int64)
    kmax = int(k.max()) if k.size else 0
    top = np.sort(np.partition(shifted, max(0, shifted.size - kmax))[shifted.size - kmax:]) if kmax else shifted[:0]
    smax = int(top.sum())
    hist = np.bincount(shifted) if shifted.max() < 50_000_000 else None
    if hist is None:
        return None
    vals = np.flatnonzero(hist)
    work = vals.size * (kmax + 1) * (smax + 1) * (min(kmax, 8) + 2.0)
    memory = 3.0 * (kmax + 1) * (smax + 1) * 8 * (numba.get_num_threads() + 2)
    return shifted, vmin, vals, hist[vals], kmax, smax, work, memory


def _exact_pvalues(values, s_obs, k, prepared):
    shifted, vmin, vals, mult, kmax, smax, _, _ = prepared
    n = values.size
    f = _sum_distribution(vals.astype(np.int64), mult.astype(np.int64), n, kmax, smax)
    s_int = np.rint(s_obs - k * vmin).astype(np.int64)
    order = np.argsort(shifted, kind="stable")
    sv = shifted[order]
    group_vals, group_start = np.unique(sv, return_index=True)
    group_start = np.append(group_start, n).astype(np.int64)
    return _exact_tails(f, float(n), group_vals.astype(np.int64), group_start, order, s_int, k, kmax)


@numba.njit(cache=True, parallel=True)
def _normal_sf(z):
    """One-sided standard normal tail beyond |z| (as scipy.stats.norm.sf(abs(z)))."""
    out = np.empty(z.size)
    for i in numba.prange(z.size):
        out[i] = 0.5 * math.erfc(abs(z[i]) / math.sqrt(2.0))
    return out


def benjamini_hochberg(p) -> np.ndarray:
    """Benjamini-Hochberg (1995) adjusted p-values (q-values): reject where q <= FDR level."""
    p = np.asarray(p, dtype=float)
    n = p.size
    order = np.argsort(p)
    ranked = p[order] * n / np.arange(1, n + 1)
    q = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(n)
    out[order] = np.minimum(q, 1.0)
    return out


# ------------------------------------------------------------------------------------------------ Gi* result

@dataclass
class GiStarResult:
    """Gi* per cell/area (arrays of length n, in input order). See the module docstring for every convention."""
    values: np.ndarray
    gi: np.ndarray              # G*_i statistic (esda's Gs)
    z: np.ndarray               # analytic z (esda's Zs)
    p_norm: np.ndarray          # one-sided normal p of |z| (esda's p_norm)
    p_sim: np.ndarray           # one-sided permutation p in the observed direction (esda's "directed" p_sim)
    p_value: np.ndarray         # two-sided, min(1, 2 p_sim): used for significance and categories
    q: np.ndarray | None        # Benjamini-Hochberg adjusted p_value when fdr was given
    significant: np.ndarray     # bool
    code: np.ndarray            # int8 index into CATEGORIES
    hot: np.ndarray             # bool: observed sum in the upper tail
    transform: str
    method: str                 # "exact" or "mc"
    permutations: int           # 0 for exact
    seed: int | None
    fdr: float | None
    alpha: float
    grid: Grid | None = None
    crs: str | None = None

    @property
    def category(self) -> np.ndarray:
        return CATEGORIES[self.code]

    @property
    def n(self) -> int:
        return int(self.values.size)

    def summary(self) -> dict:
        counts = np.bincount(self.code, minlength=len(CATEGORIES))
        return {str(label): int(c) for label, c in zip(CATEGORIES, counts)}

    def to_dict(self) -> dict:
        out = {"method": "gistar", "p_method": self.method, "transform": self.transform, "n": self.n,
               "permutations": self.permutations, "seed": self.seed, "fdr": self.fdr, "alpha": self.alpha,
               "crs": self.crs, "categories": self.summary(), "significant": int(self.significant.sum())}
        if self.grid is not None:
            out["grid"] = self.grid.to_dict()
        out.update({"values": self.values, "gi": self.gi, "z": self.z, "p_norm": self.p_norm, "p_sim": self.p_sim,
                    "p_value": self.p_value, "q": self.q, "category": self.category.tolist()})
        return out

    def to_rows(self) -> list[list]:
        head = ["cell", "row", "col", "x", "y"] if self.grid is not None else ["id"]
        rows: list[list] = [head + ["value", "gi", "z", "p_norm", "p_sim", "p_value", "q", "significant", "category"]]
        if self.grid is not None:
            cx, cy = self.grid.centres()
        cats = self.category
        for i in range(self.n):
            lead: list = [i, i // self.grid.cols, i % self.grid.cols, float(cx[i]), float(cy[i])] if self.grid is not None else [i]
            rows.append(lead + [float(self.values[i]), float(self.gi[i]), float(self.z[i]), float(self.p_norm[i]),
                                float(self.p_sim[i]), float(self.p_value[i]),
                                "" if self.q is None else float(self.q[i]), bool(self.significant[i]), str(cats[i])])
        return rows

    def to_geojson(self, crs: str | None = None, all_cells: bool = False) -> dict:
        """Grid cells as polygons (lon/lat when `crs`, or the result's crs, is given): the cells in a hot or cold
        category (all cells with `all_cells`)."""
        if self.grid is None:
            raise InputError("this Gi* result has no grid: write .json or .csv")
        crs = crs or self.crs
        index = np.arange(self.n) if all_cells else np.flatnonzero(self.code > 0)
        rings = self.grid.polygons(index, crs)
        cats = self.category
        props = [{"cell": int(i), "value": float(self.values[i]), "z": float(self.z[i]), "p_sim": float(self.p_sim[i]),
                  "p_value": float(self.p_value[i]), "q": None if self.q is None else float(self.q[i]),
                  "significant": bool(self.significant[i]), "category": str(cats[i])} for i in index]
        meta = {k: v for k, v in self.to_dict().items()
                if k not in ("values", "gi", "z", "p_norm", "p_sim", "p_value", "q", "category")}
        return {"type": "FeatureCollection", "features": _grid_feature(self.grid, rings, props), "properties": meta}


# ------------------------------------------------------------------------------------------------ Gi*

def _check_csr(neighbours, n):
    try:
        indptr, indices = neighbours
    except (TypeError, ValueError):
        raise InputError("neighbours must be (indptr, indices) CSR arrays, e.g. from grid_neighbours()")
    indptr = np.asarray(indptr)
    indices = np.asarray(indices)
    if indptr.ndim != 1 or indptr.size != n + 1 or indptr.dtype.kind not in "iu" or indices.dtype.kind not in "iu":
        raise InputError(f"neighbours do not match the values: indptr needs {n + 1} integers, got {indptr.size}")
    if indptr[0] != 0 or indptr[-1] != indices.size or np.any(np.diff(indptr) < 0):
        raise InputError("neighbours: indptr must start at 0, never decrease and end at len(indices)")
    if indices.size and (indices.min() < 0 or indices.max() >= n):
        raise InputError(f"neighbours: indices must lie in 0..{n - 1}")
    return np.ascontiguousarray(indptr, dtype=np.int64), np.ascontiguousarray(indices, dtype=np.int32)


def gistar(values, neighbours, *, permutations: int = 999, seed: int | None = 0, transform: str = "B",
           fdr: float | None = None, method: str = "auto", alpha: float = 0.05, scheduler=None,
           progress: Callable[[float], None] | None = None) -> GiStarResult:
    """Getis-Ord Gi* of `values` (length n) over binary `neighbours` (CSR (indptr, indices), self optional).

    Returns z-scores (esda's G_Local(star=True) formula for transform "B" or "R"), p_norm, permutation p-values
    p_sim (method "exact": exact conditional-permutation limit for integer values; "mc": `permutations` seeded
    draws, chunked by analysis.parallel.plan and run here or on Dask via `scheduler`; "auto": exact when possible),
    two-sided p_value, optional Benjamini-Hochberg FDR (`fdr` level), `significant` and `category`.
    `progress(fraction)` is called as permutation chunks finish. See the module docstring for details."""
    values = np.asarray(values, dtype=float).ravel()
    n = values.size
    if n < 3:
        raise InputError(f"Gi* needs at least 3 values, got {n}")
    if not np.isfinite(values).all():
        raise InputError("values must be finite numbers")
    transform = str(transform).upper()
    if transform not in ("B", "R"):
        raise InputError(f"transform must be 'B' (binary) or 'R' (row-standardised), got {transform!r}")
    if method not in ("auto", "exact", "mc"):
        raise InputError(f"method must be 'auto', 'exact' or 'mc', got {method!r}")
    try:
        permutations = int(permutations)
    except (TypeError, ValueError):
        raise InputError(f"permutations must be a whole number, got {permutations!r}")
    if method != "exact" and permutations < 1:
        raise InputError(f"permutations must be at least 1 (999 is usual), got {permutations}")
    if permutations > 1_000_000:
        raise InputError(f"permutations must be at most 1,000,000, got {permutations}")
    if fdr is not None and not (0 < float(fdr) < 1):
        raise InputError(f"fdr must be a level between 0 and 1 (e.g. 0.05), got {fdr}")
    if not (0 < float(alpha) < 1):
        raise InputError(f"alpha must be between 0 and 1, got {alpha}")
    total = values.sum()
    if total == 0:
        raise InputError("the values sum to zero: Gi* (a share of the total) is undefined")
    mean = total / n
    s2 = (values ** 2).sum() / n - mean ** 2
    if not s2 > 0:
        raise InputError("all values are equal: Gi* z-scores are undefined")
    indptr, indices = _check_csr(neighbours, n)
    s_obs, k, bad = _neighbour_sums(indptr, indices, values)
    if bad.any():
        raise InputError(f"neighbours: cell {int(np.flatnonzero(bad)[0])} lists a neighbour twice")
    prepared = None
    if method in ("auto", "exact"):
        prepared = _exact_plan(values, k)
        if prepared is None or prepared[6] > EXACT_MAX_WORK or prepared[7] > 4e9:
            if method == "exact":
                why = "the values are not whole numbers" if prepared is None else \
                    f"the exact tables would need ~{prepared[6]:.2g} steps / {prepared[7] / 1e9:.1f} GB"
                raise InputError(f"exact permutation p-values need whole-number values of modest range: {why}; "
                                 f"use method='mc'")
            prepared = None
    # statistic and z, as esda.getisord.G_Local(star=True)
    card = k + 1.0
    if transform == "B":
        gi = (values + s_obs) / total
        w_sum = card
    else:
        gi = (values + s_obs) / card / total
        w_sum = np.ones(n)
    expected = w_sum / n
    variance = w_sum * (n - w_sum) / (n - 1) / n ** 2 * (s2 / mean ** 2)
    z = (gi - expected) / np.sqrt(variance)
    p_norm = _normal_sf(z)
    if prepared is not None:
        used, perms = "exact", 0
        p_hot, p_cold = _exact_pvalues(values, s_obs, k, prepared)
        if progress:
            progress(1.0)
    else:
        used, perms = "mc", permutations
        tol = 1e-9 * (np.abs(values).max() * card)
        chunks = plan(seed, permutations, MC_CHUNK)
        parts = run_chunks(_mc_chunk, (*_mc_prepare(values, s_obs, k), k, tol), chunks, scheduler=scheduler,
                           progress=progress)
        ge = np.zeros(n, dtype=np.int64)
        le = np.zeros(n, dtype=np.int64)
        for g, l in parts:
            ge += g
            le += l
        p_hot = (ge + 1.0) / (permutations + 1.0)
        p_cold = (le + 1.0) / (permutations + 1.0)
    p_sim = np.minimum(p_hot, p_cold)
    hot = p_hot < p_cold
    p_value = np.minimum(1.0, 2.0 * p_sim)
    q = benjamini_hochberg(p_value) if fdr is not None else None
    level_p = q if q is not None else p_value
    significant = level_p <= (float(fdr) if fdr is not None else float(alpha))
    level = np.where(level_p <= 0.01, 3, np.where(level_p <= 0.05, 2, np.where(level_p <= 0.10, 1, 0)))
    code = np.where(level == 0, 0, np.where(hot, level, level + 3)).astype(np.int8)
    return GiStarResult(values, gi, z, p_norm, p_sim, p_value, q, significant, code, hot, transform, used, perms,
                        seed, None if fdr is None else float(fdr), float(alpha))


def gistar_grid(x, y, *, cell, extent=None, kind: str = "queen", order=1, permutations: int = 999, seed: int | None = 0,
                fdr: float | None = None, transform: str = "B", method: str = "auto", alpha: float = 0.05,
                scheduler=None, progress: Callable[[float], None] | None = None) -> GiStarResult:
    """Gi* hot spots of points binned to counts on a grid of `cell` metres (see `grid_from_points`), with
    `grid_neighbours(kind, order)` plus self; the result carries the grid so `to_geojson(crs)` draws cells."""
    cell = _positive("cell", cell)
    if not isinstance(permutations, (int, np.integer)) or (permutations < 1 and method != "exact"):
        raise InputError(f"permutations must be at least 1 (999 is usual), got {permutations}")
    _offsets(kind, order)
    grid = grid_from_points(x, y, cell, extent)
    neighbours = grid_neighbours(grid.rows, grid.cols, kind, order, include_self=True)
    result = gistar(grid.counts.ravel(), neighbours, permutations=permutations, seed=seed, transform=transform,
                    fdr=fdr, method=method, alpha=alpha, scheduler=scheduler, progress=progress)
    result.grid = grid
    return result


# ------------------------------------------------------------------------------------------------ CLI

def cli_arguments(parser, name: str) -> None:
    parser.add_argument("--input", required=True, help="CSV of incidents: x,y (metres) or lon,lat (WGS84)")
    parser.add_argument("--output", required=True, help="result file: .json, .csv or .geojson")
    parser.add_argument("--cell", type=float, required=True, help="cell size in metres")
    parser.add_argument("--extent", type=float, nargs=4, metavar=("MINX", "MINY", "MAXX", "MAXY"),
                        help="grid extent in projected metres (default: the points' bounding box)")
    parser.add_argument("--scheduler", help="Dask scheduler address (default: run here)")
    if name == "kde":
        parser.add_argument("--bandwidth", help="metres, or a rule: arcgis (default) or scott")
        parser.add_argument("--kernel", default="quartic", choices=list(KERNELS))
    else:
        parser.add_argument("--neighbours", default="queen", choices=["queen", "rook", "distance"])
        parser.add_argument("--order", type=float, default=1, help="contiguity order, or distance in cells")
        parser.add_argument("--permutations", type=int, default=999)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--fdr", type=float, help="false discovery rate level (Benjamini-Hochberg), e.g. 0.05")
        parser.add_argument("--alpha", type=float, default=0.05)
        parser.add_argument("--transform", default="B", choices=["B", "R"])
        parser.add_argument("--method", default="auto", choices=["auto", "exact", "mc"])
        parser.add_argument("--all-cells", action="store_true", help="GeoJSON: every cell, not only hot/cold ones")


def cli_run(args, name: str) -> int:
    from analysis.io import read_points, write_result

    points = read_points(args.input, time_column=None)
    crs = points.crs if points.lon is not None else None
    result: KdeResult | GiStarResult
    if name == "kde":
        bandwidth = args.bandwidth
        if bandwidth is not None and bandwidth not in BANDWIDTH_RULES:
            try:
                bandwidth = float(bandwidth)
            except ValueError:
                raise InputError(f"--bandwidth must be metres or one of {', '.join(BANDWIDTH_RULES)}")
        result = kde(points.x, points.y, cell=args.cell, bandwidth=bandwidth, extent=args.extent,
                     kernel=args.kernel, scheduler=args.scheduler)
    else:
        order = int(args.order) if args.neighbours != "distance" and float(args.order).is_integer() else args.order
        result = gistar_grid(points.x, points.y, cell=args.cell, extent=args.extent, kind=args.neighbours,
                             order=order, permutations=args.permutations, seed=args.seed, fdr=args.fdr,
                             transform=args.transform, method=args.method, alpha=args.alpha,
                             scheduler=args.scheduler)
    result.crs = crs
    if name == "gistar" and getattr(args, "all_cells", False) and str(args.output).lower().endswith(".geojson"):
        import json
        from pathlib import Path

        from analysis.io import _jsonable

        assert isinstance(result, GiStarResult)
        Path(args.output).write_text(json.dumps(result.to_geojson(all_cells=True), default=_jsonable))
    else:
        write_result(result, args.output)
    return 0
