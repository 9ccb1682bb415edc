"""How well a hot-spot map predicts where incidents happen next: hit rate, PAI and PEI over a later (test) period.

A hot-spot method scores the cells of a grid from training incidents (e.g. kernel density, counts per cell). The
top `area_share` of the study area's cells by score is taken as the predicted hot-spot area (or a boolean `mask`
gives it). With N test incidents, n of them in the hot-spot area, a the hot-spot area and A the study area:

* hit rate = n / N;
* PAI, Predictive Accuracy Index (Chainey, Tompson & Uhlig 2008, "The utility of hotspot mapping for predicting
  spatial patterns of crime", Security Journal 21: 4-28): (n / N) / (a / A);
* PEI, Predictive Efficiency Index (Hunt 2016, "Do crime hot spots move? Exploring the effects of the modifiable
  areal unit problem and modifiable temporal unit problem on crime hot spot stability", PhD thesis, American
  University; see also Kounadi et al. 2020, "A systematic review on spatial crime forecasting", Crime Science 9:7):
  PAI / PAI*, where PAI* is the largest PAI any selection of the same number of cells could reach on the test
  period (the cells with the most test incidents), i.e. PEI = n / n*. PEI = 1: no better hot-spot map of that size.

Conventions: the grid is scores[rows, cols], row 0 at `miny` (south), cell (r, c) covering
[minx + c*cell, minx + (c+1)*cell) x [miny + r*cell, miny + (r+1)*cell) (points on the grid's far edges fall in
the last row/column, as in analysis.hotspots). Cells whose score is NaN are outside the study area: they are not in
A and never selected. The number of cells selected is area_share x (cells in the study area), rounded half up,
at least 1. Ties in score are broken deterministically: higher score first, then the lower row-major cell index
(south-west first). Test incidents outside the grid (or in NaN cells) still count in N: missing them is a failure
of the map; `outside` reports how many there were.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis.io import InputError


@dataclass
class AccuracyResult:
    hit_rate: float  # n / N
    pai: float | None  # (n/N) / (a/A)
    pei: float | None  # PAI / PAI* = n / n*  (None when no test incident falls in the study area)
    cells: int  # cells in the hot-spot area
    area_km2: float  # a
    hits: int  # n
    total: int  # N (all test incidents, outside the grid included)
    max_hits: int  # n*: test incidents in the best possible selection of `cells` cells
    max_pai: float | None  # PAI*
    study_km2: float  # A
    outside: int  # test incidents outside the grid or the study area
    area_share: float | None  # as asked (None when a mask was given)
    selected: np.ndarray = field(repr=False, default_factory=lambda: np.zeros((0, 0), bool))  # bool[rows, cols]
    minx: float = 0.0
    miny: float = 0.0
    cell: float = 1.0
    crs: str | None = None
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        keys = (
            "hit_rate",
            "pai",
            "pei",
            "cells",
            "area_km2",
            "hits",
            "total",
            "max_hits",
            "max_pai",
            "study_km2",
            "outside",
            "area_share",
            "minx",
            "miny",
            "cell",
            "crs",
            "notes",
        )
        out = {k: getattr(self, k) for k in keys}
        out["method"] = "accuracy"
        out["grid"] = {"rows": int(self.selected.shape[0]), "cols": int(self.selected.shape[1])}
        return out

    def to_rows(self) -> list[list]:
        keys = (
            "hit_rate",
            "pai",
            "pei",
            "cells",
            "area_km2",
            "hits",
            "total",
            "max_hits",
            "max_pai",
            "study_km2",
            "outside",
            "area_share",
        )
        return [["measure", "value"]] + [[k, getattr(self, k)] for k in keys]

    def to_geojson(self) -> dict:
        rows, cols = np.nonzero(self.selected)
        x0 = self.minx + cols * self.cell
        y0 = self.miny + rows * self.cell
        xs = np.stack([x0, x0 + self.cell, x0 + self.cell, x0, x0], axis=1)
        ys = np.stack([y0, y0, y0 + self.cell, y0 + self.cell, y0], axis=1)
        if self.crs:
            from analysis.io import to_lonlat

            lon, lat = to_lonlat(xs.ravel(), ys.ravel(), self.crs)
            xs, ys = lon.reshape(xs.shape), lat.reshape(ys.shape)
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"row": int(r), "col": int(c)},
                    "geometry": {"type": "Polygon", "coordinates": [np.stack([xs[i], ys[i]], axis=1).tolist()]},
                }
                for i, (r, c) in enumerate(zip(rows, cols))
            ],
        }


def _finite(value, what) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{what} must be a number, got {value!r}") from exc
    if not math.isfinite(v):
        raise InputError(f"{what} must be finite")
    return v


def hotspot_accuracy(
    scores,
    test_x,
    test_y,
    *,
    minx: float,
    miny: float,
    cell: float,
    area_share: float = 0.05,
    mask=None,
    crs: str | None = None,
) -> AccuracyResult:
    """Hit rate, PAI (Chainey et al. 2008) and PEI (Hunt 2016) of a hot-spot map over test incidents (x, y metres).
    `scores`: 2-D grid (rows x cols, row 0 at miny) from the training period, NaN outside the study area; the
    top `area_share` (0 < share <= 1) of the study cells by score is the hot-spot area, or `mask` (bool, same shape)
    gives it (then `scores` may be None). See the module docstring for the conventions (ties, edges, N)."""
    minx, miny, cell = _finite(minx, "minx"), _finite(miny, "miny"), _finite(cell, "cell")
    if cell <= 0:
        raise InputError(f"cell must be a positive number of metres, got {cell}")
    if mask is None:
        share = _finite(area_share, "area_share")
        if not 0 < share <= 1:
            raise InputError(f"area_share must be above 0 and at most 1, got {area_share}")
        if scores is None:
            raise InputError("give scores (a 2-D grid) or a mask")
    else:
        share = None
    if scores is not None:
        s = np.asarray(scores, dtype=float)
        if s.ndim != 2 or s.size == 0:
            raise InputError("scores must be a non-empty 2-D grid (rows x cols)")
        if np.isinf(s).any():
            raise InputError("scores must be finite numbers (NaN marks cells outside the study area)")
        valid = ~np.isnan(s)
    if mask is not None:
        m = np.asarray(mask)
        if m.ndim != 2 or m.size == 0:
            raise InputError("mask must be a non-empty 2-D boolean grid")
        if scores is not None and m.shape != s.shape:
            raise InputError(f"mask has shape {m.shape}, scores {s.shape}")
        m = m.astype(bool)
        if scores is None:
            valid = np.ones(m.shape, dtype=bool)
        if not (m & valid).any():
            raise InputError("the mask selects no cell of the study area")
    if not valid.any():
        raise InputError("no cell of the grid is in the study area (all scores are NaN)")
    tx = np.asarray(test_x, dtype=float).ravel()
    ty = np.asarray(test_y, dtype=float).ravel()
    if tx.size != ty.size:
        raise InputError(f"test_x and test_y have different lengths ({tx.size} and {ty.size})")
    if tx.size == 0:
        raise InputError("there are no test incidents")
    if not (np.isfinite(tx).all() and np.isfinite(ty).all()):
        raise InputError("test coordinates must be finite")
    rows, cols = valid.shape
    n_valid = int(valid.sum())
    flat_valid = valid.ravel()
    if mask is None:
        assert share is not None  # checked above: a share is given when no mask is
        c = max(1, int(math.floor(share * n_valid + 0.5)))
        idx = np.flatnonzero(flat_valid)
        score = s.ravel()[idx]
        order = idx[np.lexsort((idx, -score))]  # higher score first, then lower cell index
        chosen = order[:c]
        selected = np.zeros(rows * cols, dtype=bool)
        selected[chosen] = True
    else:
        selected = (m & valid).ravel()
        c = int(selected.sum())
    notes: list[str] = []
    if mask is None and c < n_valid:
        threshold = s.ravel()[order[c - 1]]
        tied_out = int((s.ravel()[order[c:]] == threshold).sum())
        if tied_out:
            notes.append(f"{tied_out} cells tied with the last selected score were left out (lower index first)")
    # test incidents per cell
    col = np.floor((tx - minx) / cell).astype(np.int64)
    row = np.floor((ty - miny) / cell).astype(np.int64)
    col[tx == minx + cols * cell] = cols - 1  # far edges belong to the last column / row
    row[ty == miny + rows * cell] = rows - 1
    in_grid = (col >= 0) & (col < cols) & (row >= 0) & (row < rows)
    flat = row[in_grid] * cols + col[in_grid]
    counts = np.bincount(flat, minlength=rows * cols)
    counts[~flat_valid] = 0
    N = int(tx.size)
    inside = int(counts.sum())
    hits = int(counts[selected].sum())
    max_hits = int(np.sort(counts[flat_valid])[::-1][:c].sum())
    a, A = c * cell * cell, n_valid * cell * cell
    hit_rate = hits / N
    pai = hit_rate / (a / A)
    max_pai = (max_hits / N) / (a / A)
    pei = hits / max_hits if max_hits else None
    if max_hits == 0:
        notes.append("no test incident falls in the study area: PEI is undefined")
    if N - inside:
        notes.append(f"{N - inside} test incidents lie outside the grid or the study area (counted in N)")
    return AccuracyResult(
        hit_rate,
        pai,
        pei,
        c,
        a / 1e6,
        hits,
        N,
        max_hits,
        max_pai,
        A / 1e6,
        N - inside,
        share,
        selected.reshape(rows, cols),
        minx,
        miny,
        cell,
        crs,
        notes,
    )


# ------------------------------------------------------------------------------------------------------ CLI


def cli_arguments(parser) -> None:
    parser.add_argument("--train", required=True, help="training incidents CSV (x,y or lon,lat)")
    parser.add_argument("--test", required=True, help="test incidents CSV (a later period), same coordinates")
    parser.add_argument("--cell", type=float, required=True, help="grid cell size, metres")
    parser.add_argument("--method", choices=tuple(SCORERS), default="kde", help="how cells are scored")
    parser.add_argument("--bandwidth", type=float, default=None, help="KDE bandwidth in metres (default: a rule)")
    parser.add_argument("--area-share", type=float, default=0.05, help="share of the grid taken as hot spots")
    parser.add_argument("--crs", default=None, help="CRS of x/y inputs (e.g. EPSG:32717), for the GeoJSON map")
    parser.add_argument("--output", required=True, help="result file: .json, .csv or .geojson")
    # the input option every method shares is --input; accuracy reads --train and --test instead


def grid_extent(x, y, cell: float) -> tuple[float, float, float, float]:
    """A bounding box of the points snapped outwards to multiples of `cell` (whole cells, at least one)."""
    minx, miny = math.floor(float(np.min(x)) / cell) * cell, math.floor(float(np.min(y)) / cell) * cell
    maxx, maxy = math.ceil(float(np.max(x)) / cell) * cell, math.ceil(float(np.max(y)) / cell) * cell
    return minx, miny, max(maxx, minx + cell), max(maxy, miny + cell)


def _counts(x, y, extent, cell) -> np.ndarray:
    minx, miny, maxx, maxy = extent
    cols, rows = int(round((maxx - minx) / cell)), int(round((maxy - miny) / cell))
    c = np.clip(np.floor((x - minx) / cell).astype(np.int64), 0, cols - 1)
    r = np.clip(np.floor((y - miny) / cell).astype(np.int64), 0, rows - 1)
    return np.bincount(r * cols + c, minlength=rows * cols).reshape(rows, cols).astype(float)


def _count_scores(train, extent, args, notes: list[str]):
    """Cells scored by their count of training incidents: (scores, minx, miny)."""
    return _counts(train.x, train.y, extent, args.cell), extent[0], extent[1]


def _kde_scores(train, extent, args, notes: list[str]):
    """Cells scored by a KDE of the training incidents: (scores, minx, miny), or None (with a note saying why) where
    the KDE cannot serve, and the cells are then scored by counts."""
    kde: Callable[..., Any] | None
    try:
        from analysis.hotspots import kde
    except ImportError:
        kde = None
        notes.append("analysis.hotspots is not available: scored by counts per cell instead of KDE")
    if kde is None:
        return None
    res = kde(train.x, train.y, cell=args.cell, bandwidth=args.bandwidth, extent=extent)
    values = np.asarray(res.values, dtype=float)
    grid = getattr(res, "grid", None)
    minx, miny = extent[0], extent[1]
    if grid is not None:
        minx, miny = getattr(grid, "minx", minx), getattr(grid, "miny", miny)
    expected = _counts(train.x, train.y, extent, args.cell).shape
    if values.shape == expected:
        return values, minx, miny
    notes.append("the KDE grid did not match the expected grid: scored by counts per cell instead")
    return None


# --method -> how the cells are scored from the training incidents (see _kde_scores and _count_scores)
SCORERS: dict[str, Callable[..., Any]] = {"kde": _kde_scores, "counts": _count_scores}


def cli_run(args) -> int:
    from analysis.io import read_points, write_result

    if not (args.cell > 0):
        raise InputError(f"--cell must be a positive number of metres, got {args.cell}")
    if not 0 < args.area_share <= 1:
        raise InputError(f"--area-share must be above 0 and at most 1, got {args.area_share}")
    train = read_points(args.train, time_column=None, crs=args.crs)
    crs = train.crs or args.crs
    test = read_points(args.test, time_column=None, crs=crs)
    extent = grid_extent(np.concatenate([train.x, test.x]), np.concatenate([train.y, test.y]), args.cell)
    notes: list[str] = []
    scored = SCORERS[args.method](train, extent, args, notes)
    if scored is None:
        scored = _count_scores(train, extent, args, notes)
    scores, minx, miny = scored
    result = hotspot_accuracy(
        scores, test.x, test.y, minx=minx, miny=miny, cell=args.cell, area_share=args.area_share, crs=crs
    )
    result.notes = notes + result.notes
    write_result(result, args.output)
    return 0
