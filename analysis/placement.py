"""Camera coverage and placement: which incidents the working cameras see, and where k new cameras should go.

Coverage (`coverage_share`): the share of incidents inside the cameras' views. Views are shapely polygons in the
incidents' CRS (metres), or (x, y, bearing, fov, range) tuples turned into planar sectors by `sector_xy`
(bearing in degrees clockwise from north, field of view in degrees, range in metres; a fov of 360 or
`full_circle` is a disc, as for a PTZ camera). A point on a view's edge counts as seen.

Placement (`mclp`, `greedy_mclp`, `place_cameras`): the maximal covering location problem (MCLP, Church & ReVelle
1974, "The maximal covering location problem", Papers of the Regional Science Association 32: 101-118):

    maximise   sum_i w_i y_i
    subject to y_i <= sum_{j in N_i} x_j    for every demand point i (N_i: the sites that cover i)
               sum_j x_j <= k
               x_j in {0, 1},  0 <= y_i <= 1

Demand point i is covered by site j when their distance is at most the service radius (`coverage_matrix`, a sparse
matrix built with a k-d tree, never dense). Demand already covered by existing cameras is removed first (its
weight is counted as covered whatever the new sites). The exact method then shrinks the model before HiGHS sees it
(Huangfu & Hall 2018, "Parallelizing the dual revised simplex method", Math. Prog. Comp. 10: 119-142; highs.dev):

* demand rows covered by the same set of sites are merged, their weights summed (one y per distinct set);
* a set with a single site j needs no y at all: its weight goes straight into x_j's objective coefficient;
* y is continuous: with integral x the best y_i is min(1, sum x_j), integral already, so only the sites branch.

The sparse model is passed to HiGHS column-wise (CSC) through highspy's low-level `HighsLp`, with the greedy
solution as a warm start (`setSolution`) and a relative gap of 0, so "optimal" means proven optimal.

The greedy method is the lazy greedy of Minoux (1978, "Accelerated greedy algorithms for maximizing submodular set
functions") as popularised by CELF (Leskovec et al. 2007, "Cost-effective outbreak detection in networks", KDD):
marginal gains in a priority queue, re-evaluated only when they reach the top (coverage is submodular, so old
gains are upper bounds). Greedy is within 1 - 1/e of the optimum (Nemhauser, Wolsey & Fisher 1978); its reported
gap is measured against the best bound available: the proven optimum when the exact run is made, else the smaller
of the LP-relaxation bound (HiGHS) and the submodular "online" bound f(S) + sum of the k largest marginal gains
left (Leskovec et al. 2007).

Reference implementation compared in the tests and the benchmark: PySAL spopt `spopt.locate.MCLP` (Feng et al.
2022, "spopt: a python package for solving spatial optimization problems in PySAL", JOSS 7(74): 3330).
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis.io import InputError

SEGMENTS_PER_CIRCLE = 48


# --------------------------------------------------------------------------------------------------------- views


def sector_xy(x: float, y: float, bearing: float | None, fov: float | None, range_m: float, full_circle: bool = False):
    """A camera's view as a planar polygon in metres: apex at (x, y), edges at `bearing` +/- fov/2 (degrees clockwise
    from north, the compass convention of `centinela.cameras.coverage.sector`), an arc of radius `range_m` between
    them (approximated by SEGMENTS_PER_CIRCLE segments per full turn). `full_circle`, a fov of 360 (or more) or no
    bearing give the disc of radius `range_m` (a PTZ camera). No fov means 360."""
    from shapely.geometry import Polygon

    try:
        x, y, r = float(x), float(y), float(range_m)
    except (TypeError, ValueError) as exc:
        raise InputError("camera position and range must be numbers") from exc
    if not (math.isfinite(x) and math.isfinite(y)):
        raise InputError("camera position must be finite")
    if not (math.isfinite(r) and r > 0):
        raise InputError(f"camera range must be a positive number of metres, got {range_m}")
    fov = 360.0 if fov is None or (isinstance(fov, float) and math.isnan(fov)) else float(fov)
    if not 0 < fov <= 360:
        raise InputError(f"field of view must be above 0 and at most 360 degrees, got {fov}")
    if bearing is not None and isinstance(bearing, float) and math.isnan(bearing):
        bearing = None
    if full_circle or fov >= 360 or bearing is None:
        a = np.radians(np.arange(SEGMENTS_PER_CIRCLE) * 360.0 / SEGMENTS_PER_CIRCLE)
        return Polygon(np.column_stack([x + r * np.sin(a), y + r * np.cos(a)]))
    steps = max(2, int(round(fov / 360.0 * SEGMENTS_PER_CIRCLE)) + 1)
    a = np.radians(float(bearing) - fov / 2 + fov * np.arange(steps) / (steps - 1))
    arc = np.column_stack([x + r * np.sin(a), y + r * np.cos(a)])
    return Polygon(np.vstack([[x, y], arc, [x, y]]))


def _as_views(views) -> list:
    """Shapely polygons as they are; (x, y, bearing, fov, range) rows turned into sectors."""
    import shapely

    out = []
    for i, v in enumerate(views):
        if isinstance(v, shapely.Geometry):
            if v.is_empty:
                raise InputError(f"view {i} is an empty geometry")
            out.append(v)
            continue
        try:
            vals = list(v)
        except TypeError as exc:
            raise InputError(f"view {i}: give a shapely polygon or (x, y, bearing, fov, range)") from exc
        if len(vals) != 5:
            raise InputError(f"view {i}: give a shapely polygon or (x, y, bearing, fov, range), got {len(vals)} values")
        xx, yy, bearing, fov, rng_ = vals
        out.append(
            sector_xy(xx, yy, None if bearing is None else float(bearing), None if fov is None else float(fov), rng_)
        )
    return out


def _xy(x, y, what="points") -> tuple[np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise InputError(f"{what}: x and y have different lengths ({x.size} and {y.size})")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InputError(f"{what}: coordinates must be finite numbers")
    return x, y


@dataclass
class CoverageResult:
    """Which incidents fall inside at least one view, and how many inside each view."""

    covered: np.ndarray  # bool per incident
    share: float  # covered / total (0 when there are no incidents)
    count: int  # incidents covered
    total: int  # incidents given
    per_view: np.ndarray  # incidents inside each view (overlaps counted in every view)
    views: list = field(default_factory=list, repr=False)  # the view polygons (metres)
    crs: str | None = None  # CRS of the metres, for the map

    def to_dict(self) -> dict:
        return {
            "method": "coverage",
            "count": self.count,
            "total": self.total,
            "share": self.share,
            "per_view": self.per_view.tolist(),
            "crs": self.crs,
        }

    def to_rows(self) -> list[list]:
        rows: list[list] = [["view", "incidents"]]
        rows += [[i, int(c)] for i, c in enumerate(self.per_view)]
        rows.append(["any", self.count])
        return rows

    def to_geojson(self) -> dict:
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"view": i, "incidents": int(c)},
                    "geometry": geojson_geometry_lonlat(v, self.crs),
                }
                for i, (v, c) in enumerate(zip(self.views, self.per_view))
            ],
        }


def geojson_geometry_lonlat(geom, crs: str | None) -> dict:
    """A shapely geometry as a GeoJSON geometry in lon/lat (EPSG:4326), reprojected from `crs` when given."""
    import shapely
    from shapely.geometry import mapping

    if crs:
        from pyproj import Transformer

        tr = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        geom = shapely.transform(geom, lambda c: np.column_stack(tr.transform(c[:, 0], c[:, 1])))
    return mapping(geom)


def coverage_share(x, y, views: Sequence[Any], *, crs: str | None = None) -> CoverageResult:
    """The incidents at (x, y) (metres) inside at least one of `views` (shapely polygons in the same CRS, or
    (x, y, bearing, fov, range) rows, see `sector_xy`): a boolean per incident, the share and count covered, and the
    incidents inside each view. Points on an edge count as inside. Uses an STR-tree of the views (shapely)."""
    import shapely

    x, y = _xy(x, y, "incidents")
    polys = _as_views(views)
    covered = np.zeros(x.size, dtype=bool)
    per_view = np.zeros(len(polys), dtype=np.int64)
    if polys and x.size:
        tree = shapely.STRtree(polys)
        pts, which = tree.query(shapely.points(x, y), predicate="intersects")
        covered[pts] = True
        per_view = np.bincount(which, minlength=len(polys)).astype(np.int64)
    count = int(covered.sum())
    return CoverageResult(covered, count / x.size if x.size else 0.0, count, int(x.size), per_view, polys, crs)


# ------------------------------------------------------------------------------------------------------- matrix


def coverage_matrix(demand_x, demand_y, site_x, site_y, radius: float):
    """Sparse coverage matrix (scipy.sparse.csr_matrix, demand x site, bool): entry (i, j) is True when demand point
    i lies within `radius` (distance <= radius, Euclidean, metres) of candidate site j. Built from a k-d tree
    (scipy.spatial.cKDTree.query_ball_point), never as a dense matrix."""
    from scipy import sparse
    from scipy.spatial import cKDTree

    dx, dy = _xy(demand_x, demand_y, "demand")
    sx, sy = _xy(site_x, site_y, "sites")
    radius = _radius(radius)
    n, m = dx.size, sx.size
    if n == 0 or m == 0:
        return sparse.csr_matrix((n, m), dtype=bool)
    tree = cKDTree(np.column_stack([dx, dy]))
    hits = tree.query_ball_point(np.column_stack([sx, sy]), r=radius, return_sorted=False)
    lengths = np.fromiter((len(h) for h in hits), dtype=np.int64, count=m)
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = np.concatenate([np.asarray(h, dtype=np.int64) for h in hits]) if indptr[-1] else np.zeros(0, np.int64)
    csc = sparse.csc_matrix((np.ones(indices.size, dtype=bool), indices, indptr), shape=(n, m))
    out = csc.tocsr()
    out.sort_indices()
    return out


def coverage_from_costs(costs, radius: float):
    """Coverage matrix (csr, bool) from a demand x site cost matrix (dense array or scipy sparse; e.g. network
    distances): covered when cost <= radius, the convention of spopt's MCLP. Sparse input: only stored entries count."""
    from scipy import sparse

    radius = _radius(radius)
    if sparse.issparse(costs):
        c = sparse.csr_matrix(costs, copy=True)
        c.data = c.data <= radius
        c.eliminate_zeros()
        return c.astype(bool)
    c = np.asarray(costs, dtype=float)
    if c.ndim != 2:
        raise InputError("costs must be a 2-D demand x site matrix")
    return sparse.csr_matrix(c <= radius)


def _radius(radius) -> float:
    try:
        r = float(radius)
    except (TypeError, ValueError) as exc:
        raise InputError(f"radius must be a number of metres, got {radius!r}") from exc
    if not (math.isfinite(r) and r > 0):
        raise InputError(f"radius must be a positive number of metres, got {radius}")
    return r


# -------------------------------------------------------------------------------------------------------- model


@dataclass
class _Reduced:
    """The MCLP after removing demand already covered and merging identical rows."""

    groups: Any  # csr (G x m, bool): distinct covering sets of the demand still open
    weight: np.ndarray  # weight of each group
    base: float  # weight already covered by existing cameras
    total: float  # all weight
    demand_rows: int  # demand points that can still be gained (positive weight, some site covers them)


def _check(coverage, weights, k, existing_covered):
    from scipy import sparse

    if not sparse.issparse(coverage):
        arr = np.asarray(coverage)
        if arr.ndim != 2:
            raise InputError("coverage must be a 2-D demand x site matrix (scipy.sparse or array)")
        coverage = sparse.csr_matrix(arr != 0)
    cov = sparse.csr_matrix(coverage)
    if cov.dtype != bool:
        cov = sparse.csr_matrix(cov != 0)
    n, m = cov.shape
    if m == 0:
        raise InputError("there are no candidate sites")
    if weights is None:
        w = np.ones(n)
    else:
        w = np.asarray(weights, dtype=float).ravel()
        if w.size != n:
            raise InputError(f"weights has {w.size} values for {n} demand points")
        if not np.isfinite(w).all() or (w < 0).any():
            raise InputError("weights must be finite and not negative")
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) and not (isinstance(k, float) and k.is_integer()):
        raise InputError(f"the number of sites k must be a whole number, got {k!r}")
    k = int(k)
    if k <= 0:
        raise InputError(f"the number of sites k must be at least 1, got {k}")
    if k > m:
        raise InputError(f"cannot choose {k} sites among {m} candidates")
    if existing_covered is None:
        ex = np.zeros(n, dtype=bool)
    else:
        ex = np.asarray(existing_covered, dtype=bool).ravel()
        if ex.size != n:
            raise InputError(f"existing_covered has {ex.size} values for {n} demand points")
    return cov, w, k, ex


def _reduce(cov, w, ex) -> _Reduced:
    """Drop demand already covered, of zero weight or that no site covers; merge rows with the same site set."""
    from scipy import sparse

    total = float(w.sum())
    base = float(w[ex].sum())
    cov.sort_indices()
    lengths = np.diff(cov.indptr)
    keep = np.flatnonzero(~ex & (w > 0) & (lengths > 0))
    sub = cov[keep]
    sub.sort_indices()
    ws = w[keep]
    nk = keep.size
    m = cov.shape[1]
    if nk == 0:
        return _Reduced(sparse.csr_matrix((0, m), dtype=bool), np.zeros(0), base, total, 0)
    # a 128-bit fingerprint of each row's site set (sums of random 64-bit keys, wrapping), then verified exactly
    rng = np.random.default_rng(20240611)
    keys = rng.integers(0, 2**63, size=(2, m), dtype=np.int64).astype(np.uint64)
    rows = np.repeat(np.arange(nk), np.diff(sub.indptr))
    h1 = np.zeros(nk, dtype=np.uint64)
    h2 = np.zeros(nk, dtype=np.uint64)
    with np.errstate(over="ignore"):
        np.add.at(h1, rows, keys[0, sub.indices])
        np.add.at(h2, rows, keys[1, sub.indices])
    lens = np.diff(sub.indptr).astype(np.uint64)
    fp = np.empty(nk, dtype=[("n", np.uint64), ("a", np.uint64), ("b", np.uint64)])
    fp["n"], fp["a"], fp["b"] = lens, h1, h2
    _, first, inverse = np.unique(fp, return_index=True, return_inverse=True)
    inverse = inverse.ravel()
    rep = first[inverse]  # each row's representative row
    # exact check: every row must equal its representative (same length is implied by the fingerprint)
    starts, ends = sub.indptr[:-1], sub.indptr[1:]
    pos = np.arange(sub.indices.size) - np.repeat(starts, ends - starts)
    if not np.array_equal(sub.indices, sub.indices[np.repeat(starts[rep], ends - starts) + pos]):
        # fingerprint collision (astronomically unlikely): fall back to exact grouping by bytes
        seen: dict[bytes, int] = {}
        inverse = np.array([seen.setdefault(sub.indices[a:b].tobytes(), len(seen)) for a, b in zip(starts, ends)])
        first = np.unique(inverse, return_index=True)[1]
    gw = np.bincount(inverse, weights=ws, minlength=first.size)
    groups = sub[first]
    return _Reduced(groups, gw, base, total, nk)


def _greedy(groups, gw: np.ndarray, k: int) -> tuple[list[int], float, float]:
    """Lazy (CELF) greedy on the reduced model: (sites in selection order, weight gained, online upper bound)."""
    csc = groups.tocsc()
    m = csc.shape[1]
    indptr, indices = csc.indptr, csc.indices
    open_ = np.ones(gw.size, dtype=bool)
    gains = np.asarray(csc.T @ gw).ravel() if gw.size else np.zeros(m)
    heap = [(-float(g), j, 0) for j, g in enumerate(gains) if g > 0]
    heapq.heapify(heap)
    chosen: list[int] = []
    gained = 0.0
    it = 0
    while heap and len(chosen) < k:
        neg, j, stamp = heapq.heappop(heap)
        if stamp == it:
            rows = indices[indptr[j] : indptr[j + 1]]
            chosen.append(j)
            gained += -neg
            open_[rows] = False
            it += 1
            continue
        rows = indices[indptr[j] : indptr[j + 1]]
        g = float(gw[rows][open_[rows]].sum())
        if g > 0:
            heapq.heappush(heap, (-g, j, it))
    # online bound (Leskovec et al. 2007): f(OPT) <= f(S) + sum of the k largest marginal gains w.r.t. S
    if gw.size:
        left = np.asarray(csc.T @ (gw * open_)).ravel()
        left[chosen] = 0.0
        top = np.sort(left)[::-1][:k].sum()
    else:
        top = 0.0
    return chosen, gained, gained + float(top)


_BANNER_SILENCED = False


def _new_highs():
    """A highspy.Highs with its console output off (the one-time start-up banner included)."""
    global _BANNER_SILENCED
    import highspy

    if _BANNER_SILENCED:
        h = highspy.Highs()
    else:
        import os
        import sys

        try:
            sys.stdout.flush()
            fd = os.dup(1)
        except (OSError, ValueError, AttributeError):
            fd = None
        try:
            if fd is not None:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.close(devnull)
            h = highspy.Highs()
        finally:
            if fd is not None:
                os.dup2(fd, 1)
                os.close(fd)
        _BANNER_SILENCED = True
    h.setOptionValue("output_flag", False)
    return h


def _highs_model(groups, gw: np.ndarray, k: int, integral: bool):
    """HighsLp of the reduced MCLP, columns [x_0..x_{m-1}, y_g for multi-site groups], CSC."""
    import highspy
    from scipy import sparse

    m = groups.shape[1]
    lengths = np.diff(groups.indptr)
    single = lengths == 1
    site_cost = np.bincount(groups.indices[groups.indptr[:-1][single]], weights=gw[single], minlength=m)
    multi = groups[~single]
    mw = gw[~single]
    g = multi.shape[0]
    # rows 0..g-1: y_g - sum_{j in N_g} x_j <= 0 ; row g: sum_j x_j <= k
    top = sparse.hstack([-multi.astype(np.float64), sparse.identity(g, format="csr")], format="csr")
    card = sparse.csr_matrix(np.concatenate([np.ones(m), np.zeros(g)])[None, :])
    a = sparse.vstack([top, card], format="csc")
    a.sort_indices()
    lp = highspy.HighsLp()
    lp.num_col_ = m + g
    lp.num_row_ = g + 1
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.col_cost_ = np.concatenate([site_cost, mw]).astype(np.float64)
    lp.col_lower_ = np.zeros(m + g)
    lp.col_upper_ = np.ones(m + g)
    lp.row_lower_ = np.full(g + 1, -highspy.kHighsInf)
    lp.row_upper_ = np.concatenate([np.zeros(g), [float(k)]])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_ = a.indptr.astype(np.int32)
    lp.a_matrix_.index_ = a.indices.astype(np.int32)
    lp.a_matrix_.value_ = a.data.astype(np.float64)
    if integral:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * m + [highspy.HighsVarType.kContinuous] * g
    return lp, multi


def _lp_bound(groups, gw, k) -> float:
    """Optimum of the LP relaxation of the reduced model (an upper bound on the gain of k sites)."""
    import highspy

    if gw.size == 0:
        return 0.0
    lp, _ = _highs_model(groups, gw, k, integral=False)
    h = _new_highs()
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return math.inf
    return float(h.getInfo().objective_function_value)


# ------------------------------------------------------------------------------------------------------- result


@dataclass
class PlacementResult:
    """The chosen sites and how much demand they cover (weights: incidents unless weighted)."""

    sites: list[int]  # indices of the chosen candidate sites (ascending for exact, pick order for greedy)
    covered_weight: float  # demand weight covered by existing cameras and the chosen sites
    share: float  # covered_weight / total_weight
    optimal: bool  # proven optimal (exact method, solved to a zero gap)
    bound: float  # upper bound on covered_weight for any k sites
    gap: float  # (bound - covered_weight) / bound, 0 when proven optimal
    method: str  # "exact" or "greedy"
    seconds: float
    k: int
    total_weight: float
    existing_weight: float = 0.0  # weight covered by the existing cameras alone
    greedy_sites: list[int] | None = None
    greedy_weight: float | None = None
    greedy_gap: float | None = None  # (best bound or optimum - greedy) / (same), see the module docstring
    status: str = ""
    model: dict = field(default_factory=dict)  # sizes: demand rows, distinct rows, columns, rows, nonzeros
    site_gain: list[float] = field(default_factory=list)  # weight each chosen site covers that nothing else does
    site_x: np.ndarray | None = field(default=None, repr=False)  # candidate coordinates (metres), when known
    site_y: np.ndarray | None = field(default=None, repr=False)
    radius: float | None = None
    crs: str | None = None

    def to_dict(self) -> dict:
        out = {
            k: getattr(self, k)
            for k in (
                "method",
                "k",
                "sites",
                "covered_weight",
                "share",
                "total_weight",
                "existing_weight",
                "optimal",
                "bound",
                "gap",
                "greedy_sites",
                "greedy_weight",
                "greedy_gap",
                "status",
                "seconds",
                "radius",
                "crs",
                "model",
                "site_gain",
            )
        }
        out["sites"] = [int(s) for s in self.sites]
        if self.greedy_sites is not None:
            out["greedy_sites"] = [int(s) for s in self.greedy_sites]
        sx, sy = self.site_x, self.site_y
        if sx is not None and sy is not None:
            out["site_coordinates"] = [[float(sx[s]), float(sy[s])] for s in self.sites]
        return out

    def _lonlat(self):
        if self.site_x is None:
            return None, None
        sx = np.asarray(self.site_x)[self.sites]
        sy = np.asarray(self.site_y)[self.sites]
        if self.crs:
            from analysis.io import to_lonlat

            return to_lonlat(sx, sy, self.crs)
        return sx, sy

    def to_rows(self) -> list[list]:
        lon, lat = self._lonlat()
        header = (
            ["rank", "site", "x", "y"] + (["lon", "lat"] if self.crs and lon is not None else []) + ["exclusive_weight"]
        )
        rows: list[list] = [header]
        sx, sy = self.site_x, self.site_y
        for r, s in enumerate(self.sites):
            row: list = [r + 1, int(s)]
            row += [float(sx[s]), float(sy[s])] if sx is not None and sy is not None else ["", ""]
            if self.crs and lon is not None:
                row += [float(lon[r]), float(lat[r])]
            row.append(self.site_gain[r] if r < len(self.site_gain) else "")
            rows.append(row)
        return rows

    def to_geojson(self) -> dict:
        if self.site_x is None:
            raise InputError("the result has no site coordinates: use place_cameras, or write .json or .csv")
        lon, lat = self._lonlat()
        return {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [float(lon[r]), float(lat[r])]},
                    "properties": {
                        "rank": r + 1,
                        "site": int(s),
                        "radius_m": self.radius,
                        "exclusive_weight": self.site_gain[r] if r < len(self.site_gain) else None,
                    },
                }
                for r, s in enumerate(self.sites)
            ],
        }


def _covered(cov, w, ex, sites) -> tuple[float, list[float]]:
    """Weight covered by existing + sites, and the weight each site covers alone (not by existing or another)."""
    if not len(sites):
        return float(w[ex].sum()), []
    csc = cov[:, list(sites)].tocsc()
    hits = np.bincount(csc.indices, minlength=cov.shape[0])
    cov_any = ex | (hits > 0)
    only = (~ex) & (hits == 1)
    excl = []
    for c in range(len(sites)):
        rows = csc.indices[csc.indptr[c] : csc.indptr[c + 1]]
        excl.append(float(w[rows][only[rows]].sum()))
    return float(w[cov_any].sum()), excl


def greedy_mclp(coverage, weights, k: int, existing_covered=None) -> PlacementResult:
    """Lazy greedy (CELF) for the MCLP: up to k sites picked one at a time by largest marginal covered weight
    (ties: lowest site index). `coverage`: demand x site sparse matrix (see `coverage_matrix`); `weights`: demand
    weights (None: 1 each); `existing_covered`: demand already covered by existing cameras. The gap is against
    min(LP-relaxation bound, online submodular bound). See the module docstring."""
    return mclp(coverage, weights, k, existing_covered=existing_covered, method="greedy")


def mclp(
    coverage,
    weights,
    k: int,
    *,
    existing_covered=None,
    method: str = "exact",
    time_limit: float | None = None,
    warm_start: bool = True,
) -> PlacementResult:
    """Best k sites for the maximal covering location problem (see the module docstring for the model, the
    reductions and references). `coverage`: demand x site matrix (scipy.sparse, or array; nonzero = covered);
    `weights`: demand weights (None: 1 each); `existing_covered`: bool per demand point already covered by cameras
    in place. method="exact": HiGHS branch and bound to a proven optimum (within `time_limit` seconds if given; then
    `optimal` is False and `bound`/`gap` say how far it may be), with the greedy solution as a warm start and its gap
    reported; method="greedy": the lazy greedy alone, gap against the LP relaxation / online bound."""
    start = time.perf_counter()
    if method not in ("exact", "greedy"):
        raise InputError(f"method must be 'exact' or 'greedy', got {method!r}")
    if time_limit is not None and not (float(time_limit) > 0):
        raise InputError(f"time_limit must be a positive number of seconds, got {time_limit}")
    cov, w, k, ex = _check(coverage, weights, k, existing_covered)
    red = _reduce(cov, w, ex)
    m = cov.shape[1]
    g_sites, g_gain, online = _greedy(red.groups, red.weight, k)
    greedy_weight = red.base + g_gain
    model = {
        "demand_points": int(cov.shape[0]),
        "open_demand": red.demand_rows,
        "distinct_rows": int(red.weight.size),
        "sites": int(m),
        "coverage_nonzeros": int(cov.nnz),
    }
    if method == "greedy":
        lp = _lp_bound(red.groups, red.weight, k)
        bound = red.base + min(lp, online)
        gap = (bound - greedy_weight) / bound if bound > 0 else 0.0
        covered, excl = _covered(cov, w, ex, g_sites)
        return PlacementResult(
            sites=[int(s) for s in g_sites],
            covered_weight=covered,
            share=covered / red.total if red.total else 0.0,
            optimal=gap <= 1e-9,
            bound=bound,
            gap=max(gap, 0.0),
            method="greedy",
            seconds=time.perf_counter() - start,
            k=k,
            total_weight=red.total,
            existing_weight=red.base,
            greedy_sites=[int(s) for s in g_sites],
            greedy_weight=greedy_weight,
            greedy_gap=max(gap, 0.0),
            status="greedy",
            model=model,
            site_gain=excl,
        )
    import highspy

    if red.weight.size == 0 or g_gain >= online - 1e-9 * max(1.0, online):
        # nothing left to gain, or greedy already meets an upper bound: it is optimal
        sites, status, optimal, gain_bound = sorted(g_sites), "optimal (greedy meets the upper bound)", True, g_gain
    else:
        lp, multi = _highs_model(red.groups, red.weight, k, integral=True)
        model.update(columns=int(lp.num_col_), rows=int(lp.num_row_), nonzeros=int(len(lp.a_matrix_.index_)))
        h = _new_highs()
        h.setOptionValue("mip_rel_gap", 0.0)
        h.setOptionValue("mip_abs_gap", 1e-6)
        if time_limit is not None:
            h.setOptionValue("time_limit", float(time_limit))
        h.passModel(lp)
        if warm_start and g_sites:
            sol = highspy.HighsSolution()
            x = np.zeros(m)
            x[g_sites] = 1.0
            y = np.minimum(1.0, np.asarray(multi @ x).ravel()) if multi.shape[0] else np.zeros(0)
            sol.col_value = list(np.concatenate([x, y]))
            sol.value_valid = True
            h.setSolution(sol)
        h.run()
        st = h.getModelStatus()
        status = h.modelStatusToString(st)
        optimal = st == highspy.HighsModelStatus.kOptimal
        info = h.getInfo()
        values = np.asarray(h.getSolution().col_value)
        if values.size >= m and info.primal_solution_status >= 1:
            sites = sorted(int(j) for j in np.flatnonzero(values[:m] > 0.5))
        else:
            sites = sorted(g_sites)
        dual = float(info.mip_dual_bound) if not optimal else None
        gain_bound = online if dual is None or not math.isfinite(dual) else dual
    covered, excl = _covered(cov, w, ex, sites)
    if covered < greedy_weight - 1e-9 * max(1.0, greedy_weight):  # never report worse than the warm start
        sites = sorted(g_sites)
        covered, excl = _covered(cov, w, ex, sites)
    if optimal:
        bound = covered
    else:
        bound = max(covered, red.base + min(gain_bound, online))
    gap = (bound - covered) / bound if bound > 0 else 0.0
    ref = bound
    greedy_gap = (ref - greedy_weight) / ref if ref > 0 else 0.0
    return PlacementResult(
        sites=sites,
        covered_weight=covered,
        share=covered / red.total if red.total else 0.0,
        optimal=bool(optimal),
        bound=bound,
        gap=max(gap, 0.0),
        method="exact",
        seconds=time.perf_counter() - start,
        k=k,
        total_weight=red.total,
        existing_weight=red.base,
        greedy_sites=[int(s) for s in g_sites],
        greedy_weight=greedy_weight,
        greedy_gap=max(greedy_gap, 0.0),
        status=status,
        model=model,
        site_gain=excl,
    )


def place_cameras(
    demand_x,
    demand_y,
    site_x,
    site_y,
    *,
    radius: float,
    k: int,
    weights=None,
    existing_x=None,
    existing_y=None,
    method: str = "exact",
    crs: str | None = None,
    time_limit: float | None = None,
) -> PlacementResult:
    """Best k new camera sites among candidates (x, y in metres) to cover the demand points (incidents), each
    camera covering the disc of `radius` metres around it; cameras already at (existing_x, existing_y) cover their
    discs first. Builds `coverage_matrix` and calls `mclp`; the result keeps the site coordinates (and `crs`, for
    the GeoJSON map in lon/lat)."""
    radius = _radius(radius)
    dx, dy = _xy(demand_x, demand_y, "demand")
    sx, sy = _xy(site_x, site_y, "candidate sites")
    if sx.size == 0:
        raise InputError("there are no candidate sites")
    try:
        kk = int(k)
    except (TypeError, ValueError) as exc:
        raise InputError(f"the number of sites k must be a whole number, got {k!r}") from exc
    if kk <= 0:
        raise InputError(f"the number of sites k must be at least 1, got {k}")
    if kk > sx.size:
        raise InputError(f"cannot choose {kk} sites among {sx.size} candidates")
    if dx.size == 0:
        raise InputError("there are no demand points (incidents)")
    existing = None
    if existing_x is not None or existing_y is not None:
        ex_x, ex_y = _xy(
            existing_x if existing_x is not None else [],
            existing_y if existing_y is not None else [],
            "existing cameras",
        )
        if ex_x.size:
            existing = np.asarray(coverage_matrix(dx, dy, ex_x, ex_y, radius).sum(axis=1)).ravel() > 0
    cov = coverage_matrix(dx, dy, sx, sy, radius)
    result = mclp(cov, weights, kk, existing_covered=existing, method=method, time_limit=time_limit)
    result.site_x, result.site_y, result.radius, result.crs = sx, sy, radius, crs
    return result


# ---------------------------------------------------------------------------------------------------------- CLI


def _arguments(parser) -> None:
    """The options both placement methods take."""
    parser.add_argument("--input", required=True, help="incidents CSV (x,y metres or lon,lat)")
    parser.add_argument("--output", required=True, help="result file: .json, .csv or .geojson")
    parser.add_argument("--crs", default=None, help="CRS of x/y inputs (e.g. EPSG:32717), for lon/lat maps")


def coverage_arguments(parser) -> None:
    _arguments(parser)
    parser.add_argument(
        "--cameras",
        required=True,
        help="cameras CSV: lon,lat or x,y, and bearing, fov, range (metres) columns; "
        "an empty bearing or a fov of 360 is a full circle",
    )


def mclp_arguments(parser) -> None:
    _arguments(parser)
    parser.add_argument("--candidates", required=True, help="candidate sites CSV (x,y or lon,lat)")
    parser.add_argument("--radius", type=float, required=True, help="service radius of a camera, metres")
    parser.add_argument("--sites", type=int, required=True, help="number of new cameras k")
    parser.add_argument("--existing", default=None, help="existing cameras CSV (x,y or lon,lat)")
    parser.add_argument("--method", choices=("exact", "greedy"), default="exact")
    parser.add_argument("--time-limit", type=float, default=None, help="seconds for the exact solver")


def _read_columns(path) -> dict[str, list[str]]:
    import csv

    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        rows = [{(k or "").strip().lower(): (v or "").strip() for k, v in row.items()} for row in reader]
    return {key: [r.get(key, "") for r in rows] for key in (rows[0].keys() if rows else [])}


def _number(values: list[str], what: str, path, default=None) -> np.ndarray:
    out = np.empty(len(values))
    for i, v in enumerate(values):
        if v == "":
            if default is None and what == "range":
                raise InputError(f"{path}: row {i + 1}: missing {what}")
            out[i] = np.nan if default is None else default
            continue
        try:
            out[i] = float(v)
        except ValueError as exc:
            raise InputError(f"{path}: row {i + 1}: {what} '{v}' is not a number") from exc
    return out


def _read_sites(path, crs):
    """Sites/cameras from a CSV in the incidents' CRS (lon/lat projected to it; x/y taken as metres in it)."""
    from analysis.io import read_points

    pts = read_points(path, time_column=None, crs=crs)
    if pts.lon is not None and crs is None:
        raise InputError(f"{path} is in lon/lat but the incidents are in x/y: give --crs (the incidents' CRS)")
    return pts


def _incidents(args):
    """The incidents of the command line and their CRS (the one the cameras or sites are read in)."""
    from analysis.io import read_points

    pts = read_points(args.input, time_column=None, crs=args.crs)
    return pts, pts.crs or args.crs


def coverage_run(args) -> int:
    from analysis.io import write_result

    pts, crs = _incidents(args)
    cams = _read_sites(args.cameras, crs)
    cols = _read_columns(args.cameras)
    n = len(cams)
    for needed in ("range",):
        if needed not in cols:
            raise InputError(f"{args.cameras}: needs a '{needed}' column (metres)")
    rng_ = _number(cols["range"], "range", args.cameras)
    bearing = _number(cols.get("bearing", [""] * n), "bearing", args.cameras)
    fov = _number(cols.get("fov", [""] * n), "fov", args.cameras)
    views = [
        sector_xy(
            cams.x[i],
            cams.y[i],
            None if np.isnan(bearing[i]) else bearing[i],
            None if np.isnan(fov[i]) else fov[i],
            rng_[i],
        )
        for i in range(n)
    ]
    write_result(coverage_share(pts.x, pts.y, views, crs=crs), args.output)
    return 0


def mclp_run(args) -> int:
    from analysis.io import write_result

    pts, crs = _incidents(args)
    cands = _read_sites(args.candidates, crs)
    ex_x = ex_y = None
    if args.existing:
        ex = _read_sites(args.existing, crs)
        ex_x, ex_y = ex.x, ex.y
    result = place_cameras(
        pts.x,
        pts.y,
        cands.x,
        cands.y,
        radius=args.radius,
        k=args.sites,
        existing_x=ex_x,
        existing_y=ex_y,
        method=args.method,
        crs=crs,
        time_limit=args.time_limit,
    )
    write_result(result, args.output)
    return 0
