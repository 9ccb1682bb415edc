"""Getis-Ord Gi*: `gistar` over any neighbour lists and `gistar_grid` over points binned to a grid, their
`GiStarResult`, the significance `CATEGORIES`, the normal tail `_normal_sf` and `benjamini_hochberg` (FDR)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numba
import numpy as np

from analysis.hotspots.grid import Grid, cell_polygon_features, grid_from_points, positive_metres
from analysis.hotspots.permutation import (
    EXACT_MAX_WORK,
    MC_CHUNK,
    class_plan,
    class_pvalue_counts,
    exact_plan,
    exact_pvalues,
    monte_carlo_chunk,
    monte_carlo_prepare,
)
from analysis.hotspots.weights import checked_csr, grid_neighbours, neighbour_offsets, neighbour_sums
from analysis.io import InputError
from analysis.parallel import plan, run_chunks

METHODS = ("auto", "exact", "mc", "mc-class")
TIES = ("both", "esda")
CATEGORIES = np.array(["not significant", "hot 90%", "hot 95%", "hot 99%", "cold 90%", "cold 95%", "cold 99%"])


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
    gi: np.ndarray  # G*_i statistic (esda's Gs)
    z: np.ndarray  # analytic z (esda's Zs)
    p_norm: np.ndarray  # one-sided normal p of |z| (esda's p_norm)
    p_sim: np.ndarray  # one-sided permutation p in the observed direction (esda's "directed" p_sim)
    p_value: np.ndarray  # two-sided, min(1, 2 p_sim): used for significance and categories
    q: np.ndarray | None  # Benjamini-Hochberg adjusted p_value when fdr was given
    significant: np.ndarray  # bool
    code: np.ndarray  # int8 index into CATEGORIES
    hot: np.ndarray  # bool: observed sum in the upper tail
    transform: str
    method: str  # "exact", "mc" or "mc-class"
    permutations: int  # 0 for exact
    seed: int | None
    fdr: float | None
    alpha: float
    grid: Grid | None = None
    crs: str | None = None
    ties: str = "both"  # tie convention of p_sim: "both" (ours) or "esda"

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
        out = self._meta()
        out.update(
            {
                "values": self.values,
                "gi": self.gi,
                "z": self.z,
                "p_norm": self.p_norm,
                "p_sim": self.p_sim,
                "p_value": self.p_value,
                "q": self.q,
                "category": self.category.tolist(),
            }
        )
        return out

    def _meta(self) -> dict:
        """Everything but the per-cell arrays."""
        out = {
            "method": "gistar",
            "p_method": self.method,
            "ties": self.ties,
            "transform": self.transform,
            "n": self.n,
            "permutations": self.permutations,
            "seed": self.seed,
            "fdr": self.fdr,
            "alpha": self.alpha,
            "crs": self.crs,
            "categories": self.summary(),
            "significant": int(self.significant.sum()),
        }
        if self.grid is not None:
            out["grid"] = self.grid.to_dict()
        return out

    def to_rows(self) -> list[list]:
        head = ["cell", "row", "col", "x", "y"] if self.grid is not None else ["id"]
        rows: list[list] = [head + ["value", "gi", "z", "p_norm", "p_sim", "p_value", "q", "significant", "category"]]
        if self.grid is not None:
            cx, cy = self.grid.centres()
        cats = self.category
        for i in range(self.n):
            lead: list = (
                [i, i // self.grid.cols, i % self.grid.cols, float(cx[i]), float(cy[i])]
                if self.grid is not None
                else [i]
            )
            rows.append(
                lead
                + [
                    float(self.values[i]),
                    float(self.gi[i]),
                    float(self.z[i]),
                    float(self.p_norm[i]),
                    float(self.p_sim[i]),
                    float(self.p_value[i]),
                    "" if self.q is None else float(self.q[i]),
                    bool(self.significant[i]),
                    str(cats[i]),
                ]
            )
        return rows

    def to_columns(self):
        """Every cell as a row for GeoParquet (analysis.io.write_geoparquet): (columns, WKB cell polygons in the
        grid's projected CRS, crs, bbox, geometry types, metadata)."""
        from analysis.io import wkb_boxes

        if self.grid is None:
            raise InputError("this Gi* result has no grid: write .json or .csv")
        g = self.grid
        idx = np.arange(self.n)
        r, c = np.divmod(idx, g.cols)
        cols = {"cell": idx, "row": r, "col": c, "value": self.values, "gi": self.gi, "z": self.z}
        cols.update({"p_norm": self.p_norm, "p_sim": self.p_sim, "p_value": self.p_value})
        if self.q is not None:
            cols["q"] = self.q
        cols.update({"significant": self.significant, "category": self.category})
        x0, y0 = g.minx + c * g.cell, g.miny + r * g.cell
        meta = self._meta()
        return cols, wkb_boxes(x0, y0, x0 + g.cell, y0 + g.cell), self.crs, g.extent, ("Polygon",), meta

    def write_geojson(self, path, crs: str | None = None, all_cells: bool = False) -> None:
        """`to_geojson` written straight to a file, the same JSON text for the features without building a dict per
        cell: one %-format over all the cells' values (floats as repr, as the json module writes them)."""
        import json

        if self.grid is None:
            raise InputError("this Gi* result has no grid: write .json or .csv")
        crs = crs or self.crs
        index = np.arange(self.n) if all_cells else np.flatnonzero(self.code > 0)
        g = self.grid
        r, c = np.divmod(index, g.cols)
        x0, y0 = g.minx + c * g.cell, g.miny + r * g.cell
        x1, y1 = x0 + g.cell, y0 + g.cell
        xs = np.stack([x0, x1, x1, x0, x0], axis=1)
        ys = np.stack([y0, y0, y1, y1, y0], axis=1)
        if crs:
            from analysis.io import to_lonlat

            lon, lat = to_lonlat(xs.ravel(), ys.ravel(), crs)
            xs, ys = lon.reshape(xs.shape), lat.reshape(ys.shape)
        cols = [index, self.values[index], self.z[index], self.p_sim[index], self.p_value[index]]
        cols.append(np.full(index.size, "null", dtype=object) if self.q is None else self.q[index])
        cols.append(np.where(self.significant[index], "true", "false"))
        cols.append(np.array([json.dumps(str(v)) for v in CATEGORIES])[self.code[index]])
        table = np.empty((index.size, 8 + 10), dtype=object)
        for j, col in enumerate(cols):
            table[:, j] = col.tolist() if isinstance(col, np.ndarray) else col
        table[:, 8::2] = xs.tolist()
        table[:, 9::2] = ys.tolist()
        one = (
            '{"type": "Feature", "properties": {"cell": %d, "value": %r, "z": %r, "p_sim": %r, "p_value": %r, '
            '"q": %s, "significant": %s, "category": %s}, "geometry": {"type": "Polygon", "coordinates": '
            "[[" + ", ".join(["[%r, %r]"] * 5) + "]]}}"
        )
        features = ", ".join([one] * index.size) % tuple(table.ravel().tolist()) if index.size else ""
        meta = json.dumps(self._meta(), ensure_ascii=False)
        with open(path, "w", encoding="utf-8") as handle:
            handle.write('{"type": "FeatureCollection", "features": [')
            handle.write(features)
            handle.write('], "properties": ' + meta + "}")

    def to_geojson(self, crs: str | None = None, all_cells: bool = False) -> dict:
        """Grid cells as polygons (lon/lat when `crs`, or the result's crs, is given): the cells in a hot or cold
        category (all cells with `all_cells`)."""
        if self.grid is None:
            raise InputError("this Gi* result has no grid: write .json or .csv")
        crs = crs or self.crs
        index = np.arange(self.n) if all_cells else np.flatnonzero(self.code > 0)
        rings = self.grid.polygons(index, crs)
        cats = self.category
        props = [
            {
                "cell": int(i),
                "value": float(self.values[i]),
                "z": float(self.z[i]),
                "p_sim": float(self.p_sim[i]),
                "p_value": float(self.p_value[i]),
                "q": None if self.q is None else float(self.q[i]),
                "significant": bool(self.significant[i]),
                "category": str(cats[i]),
            }
            for i in index
        ]
        meta = self._meta()
        return {
            "type": "FeatureCollection",
            "features": cell_polygon_features(self.grid, rings, props),
            "properties": meta,
        }


# ------------------------------------------------------------------------------------------------ Gi*


def gistar(
    values,
    neighbours,
    *,
    permutations: int = 999,
    seed: int | None = 0,
    transform: str = "B",
    fdr: float | None = None,
    method: str = "auto",
    alpha: float = 0.05,
    scheduler=None,
    progress: Callable[[float], None] | None = None,
    ties: str = "both",
) -> GiStarResult:
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
    if method not in METHODS:
        raise InputError(f"method must be 'auto', 'exact', 'mc' or 'mc-class', got {method!r}")
    if ties not in TIES:
        raise InputError(f"ties must be 'both' or 'esda', got {ties!r}")
    try:
        permutations = int(permutations)
    except (TypeError, ValueError) as exc:
        raise InputError(f"permutations must be a whole number, got {permutations!r}") from exc
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
    s2 = (values**2).sum() / n - mean**2
    if not s2 > 0:
        raise InputError("all values are equal: Gi* z-scores are undefined")
    indptr, indices = checked_csr(neighbours, n)
    s_obs, k, bad = neighbour_sums(indptr, indices, values)
    if bad.any():
        raise InputError(f"neighbours: cell {int(np.flatnonzero(bad)[0])} lists a neighbour twice")
    prepared = None
    if method in ("auto", "exact"):
        prepared = exact_plan(values, k)
        if prepared is None or prepared[6] > EXACT_MAX_WORK or prepared[7] > 4e9:
            if method == "exact":
                why = (
                    "the values are not whole numbers"
                    if prepared is None
                    else f"the exact tables would need ~{prepared[6]:.2g} steps / {prepared[7] / 1e9:.1f} GB"
                )
                raise InputError(
                    f"exact permutation p-values need whole-number values of modest range: {why}; use method='mc'"
                )
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
    variance = w_sum * (n - w_sum) / (n - 1) / n**2 * (s2 / mean**2)
    z = (gi - expected) / np.sqrt(variance)
    p_norm = _normal_sf(z)
    classes = class_plan(values, k, permutations) if method == "mc-class" else None
    ge = le = None
    if prepared is not None:
        used, perms = "exact", 0
        p_hot, p_cold = exact_pvalues(values, s_obs, k, prepared)
        if progress:
            progress(1.0)
    elif classes is not None:
        used, perms = "mc-class", permutations
        tol = 1e-9 * (np.abs(values).max() * card)
        ge, le = class_pvalue_counts(values, s_obs, k, permutations, seed, tol, classes)
        if progress:
            progress(1.0)
    else:
        used, perms = "mc", permutations
        tol = 1e-9 * (np.abs(values).max() * card)
        chunks = plan(seed, permutations, MC_CHUNK)
        parts = run_chunks(
            monte_carlo_chunk,
            (*monte_carlo_prepare(values, s_obs, k), k, tol),
            chunks,
            scheduler=scheduler,
            progress=progress,
        )
        ge = np.zeros(n, dtype=np.int64)
        le = np.zeros(n, dtype=np.int64)
        for above, below in parts:
            ge += above
            le += below
    if ties == "esda":
        # esda's "directed" count: larger = #{sim >= obs}; where more sims lie above than below, the cell is low
        # and larger becomes #{sim < obs} = P - #{sim >= obs}: a tie counts as "larger" only
        tail = p_hot if ge is None else ge / float(permutations)
        low = (1.0 - tail) < tail
        larger = np.where(low, 1.0 - tail, tail)
        p_sim = larger if ge is None else (np.rint(larger * permutations) + 1.0) / (permutations + 1.0)
        hot = ~low
    else:
        if ge is not None and le is not None:
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
    return GiStarResult(
        values,
        gi,
        z,
        p_norm,
        p_sim,
        p_value,
        q,
        significant,
        code,
        hot,
        transform,
        used,
        perms,
        seed,
        None if fdr is None else float(fdr),
        float(alpha),
        ties=ties,
    )


def gistar_grid(
    x,
    y,
    *,
    cell,
    extent=None,
    kind: str = "queen",
    order=1,
    permutations: int = 999,
    seed: int | None = 0,
    fdr: float | None = None,
    transform: str = "B",
    method: str = "auto",
    alpha: float = 0.05,
    scheduler=None,
    progress: Callable[[float], None] | None = None,
    ties: str = "both",
) -> GiStarResult:
    """Gi* hot spots of points binned to counts on a grid of `cell` metres (see `grid_from_points`), with
    `grid_neighbours(kind, order)` plus self; the result carries the grid so `to_geojson(crs)` draws cells."""
    cell = positive_metres("cell", cell)
    if not isinstance(permutations, (int, np.integer)) or (permutations < 1 and method != "exact"):
        raise InputError(f"permutations must be at least 1 (999 is usual), got {permutations}")
    neighbour_offsets(kind, order)
    grid = grid_from_points(x, y, cell, extent)
    neighbours = grid_neighbours(grid.rows, grid.cols, kind, order, include_self=True)
    result = gistar(
        grid.counts.ravel(),
        neighbours,
        permutations=permutations,
        seed=seed,
        transform=transform,
        fdr=fdr,
        method=method,
        alpha=alpha,
        scheduler=scheduler,
        progress=progress,
        ties=ties,
    )
    result.grid = grid
    return result
