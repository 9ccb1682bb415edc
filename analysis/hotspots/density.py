"""Kernel density (KDE) on a grid: `KdeResult`, the default bandwidth rules (`bandwidth_rule`, `BANDWIDTH_RULES`),
the numba kernel `_kde_band` over row bands (kernels numbered by `KERNELS`, the gaussian cut at `GAUSS_CUT`
bandwidths), and `kde`, which runs the bands through `analysis.parallel.run_chunks` (limit `KDE_MAX_WORK`)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numba
import numpy as np

from analysis.hotspots.grid import Grid, cell_polygon_features, checked_xy, grid_from_points, positive_metres
from analysis.io import InputError
from analysis.parallel import run_chunks

KDE_MAX_WORK = 5e9  # kernel evaluations accepted (points x cells per kernel)
KERNELS = {"quartic": 0, "epanechnikov": 1, "triangular": 2, "uniform": 3, "gaussian": 4}
GAUSS_CUT = 4.0
BANDWIDTH_RULES = ("arcgis", "scott")


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
        return {
            "method": "kde",
            "kernel": self.kernel,
            "bandwidth_m": self.bandwidth,
            "bandwidth_rule": self.bandwidth_rule,
            "units": "incidents per km2",
            "n": self.n,
            "grid": self.grid.to_dict(),
            "crs": self.crs,
            "max_density": float(self.values.max()),
            "values": self.values,
        }

    def to_rows(self) -> list[list]:
        cx, cy = self.grid.centres()
        rows: list[list] = [["cell", "row", "col", "x", "y", "count", "density_per_km2"]]
        v, counts = self.values.ravel(), self.grid.counts.ravel()
        for i in np.flatnonzero(v > 0):
            rows.append(
                [
                    int(i),
                    int(i // self.grid.cols),
                    int(i % self.grid.cols),
                    float(cx[i]),
                    float(cy[i]),
                    int(counts[i]),
                    float(v[i]),
                ]
            )
        return rows

    def to_geojson(self, crs: str | None = None) -> dict:
        """Cells with a non-zero density as polygons (lon/lat when `crs`, or the result's crs, is given)."""
        crs = crs or self.crs
        v, counts = self.values.ravel(), self.grid.counts.ravel()
        index = np.flatnonzero(v > 0)
        rings = self.grid.polygons(index, crs)
        props = [{"cell": int(i), "count": int(counts[i]), "density": float(v[i])} for i in index]
        return {
            "type": "FeatureCollection",
            "features": cell_polygon_features(self.grid, rings, props),
            "properties": {k: val for k, val in self.to_dict().items() if k != "values"},
        }


def bandwidth_rule(x, y, rule: str = "arcgis") -> float:
    """Default KDE bandwidth (metres) of points by `rule`: "arcgis" (ArcGIS Pro Kernel Density default: spatial
    Silverman rule, 0.9 min(SD, sqrt(1/ln 2) Dm) n^-0.2) or "scott" (sqrt((sx^2 + sy^2) / 2) n^(-1/6))."""
    x, y = checked_xy(x, y)
    n = x.size
    dx, dy = x - x.mean(), y - y.mean()
    if rule == "arcgis":
        sd = math.sqrt(float((dx**2).mean() + (dy**2).mean()))
        dm = float(np.median(np.hypot(dx, dy)))
        h = 0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * n**-0.2
    elif rule == "scott":
        h = math.sqrt((x.var() + y.var()) / 2) * n ** (-1 / 6)
    else:
        raise InputError(f"unknown bandwidth rule '{rule}': use one of {', '.join(BANDWIDTH_RULES)} or metres")
    if not (h > 0 and math.isfinite(h)):
        raise InputError(
            "cannot derive a bandwidth: the points do not spread (too few or all at one place); "
            "give an explicit bandwidth in metres"
        )
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


def kde(
    x,
    y,
    *,
    cell,
    bandwidth=None,
    extent=None,
    kernel: str = "quartic",
    scheduler=None,
    progress: Callable[[float], None] | None = None,
) -> KdeResult:
    """Kernel density of points on a grid of `cell` metres, in incidents per km^2 at each cell centre.

    bandwidth: metres, or a rule name ("arcgis", the default when None, or "scott"; see `bandwidth_rule`).
    kernel: "quartic" (default, as CrimeStat/ArcGIS), "epanechnikov", "triangular", "uniform" or "gaussian" (h is
    the standard deviation, cut at 4h). Every point counts, also points outside a given `extent` whose kernel
    reaches into it. The grid is split into fixed row bands run with `run_chunks` (here or on Dask via
    `scheduler`); `progress(fraction)` is called as bands finish."""
    x, y = checked_xy(x, y)
    cell = positive_metres("cell", cell)
    if kernel not in KERNELS:
        raise InputError(f"unknown kernel '{kernel}': use one of {', '.join(KERNELS)}")
    if bandwidth is None or isinstance(bandwidth, str):
        rule = bandwidth or "arcgis"
        if rule not in BANDWIDTH_RULES:
            raise InputError(f"unknown bandwidth rule '{rule}': use one of {', '.join(BANDWIDTH_RULES)} or metres")
        grid = grid_from_points(x, y, cell, extent)
        h = bandwidth_rule(x, y, rule)
    else:
        h = positive_metres("bandwidth", bandwidth)
        rule = "given"
        grid = grid_from_points(x, y, cell, extent)
    support = h * (GAUSS_CUT if kernel == "gaussian" else 1.0)
    work = x.size * math.pi * (support / cell + 1) ** 2
    if work > KDE_MAX_WORK:
        raise InputError(
            f"a {support:g} m kernel on {cell:g} m cells over {x.size:,} points needs ~{work:.2g} kernel "
            f"evaluations (limit {KDE_MAX_WORK:.0e}): use a larger cell or a smaller bandwidth"
        )
    order = np.argsort(y, kind="stable")
    xs, ys = np.ascontiguousarray(x[order]), np.ascontiguousarray(y[order])
    params = (grid.minx, grid.miny, cell, grid.cols, h, support, KERNELS[kernel])
    band = max(8, -(-grid.rows // 32))
    bands = [(r0, min(grid.rows, r0 + band)) for r0 in range(0, grid.rows, band)]
    parts = run_chunks(_kde_tile, (xs, ys, params), bands, scheduler=scheduler, progress=progress)
    values = np.concatenate(parts, axis=0) * 1e6
    return KdeResult(values, h, rule, kernel, grid, int(x.size))
