"""Near-repeat (Knox) analysis: are incidents that are close in space also close in time more often than chance?

Two entry points:

* `near_repeat()`: the table of Ratcliffe's Near Repeat Calculator (NRC): pairs of incidents counted over distance
  bands x time bands (plus a same-location row and the "beyond" row/column), observed over expected ratios and
  Monte Carlo p-values from permuting the times among the locations.
* `knox()`: the classic 2x2 Knox test (close in space at distance <= delta, close in time at |dt| <= tau), with the
  same conventions and figures as PySAL's `pointpats.spacetime.Knox` (statistic, expected, p_sim, p_poisson).

How it is computed (the same for both):

1. Pairs closer than the largest distance are enumerated once with a cell list (a grid of cells as wide as that
   distance; points sorted by cell; each point looks only at its own and the next cells), never all n^2 pairs. They
   are kept in compressed form (CSR: for each point the later neighbours, int32 index + int8 band), about 5 bytes
   per pair.
2. Spatial band totals S_i come from those pairs; the "beyond" row is the rest of the n(n-1)/2 pairs. Time band
   totals T_j count *all* pairs by their time difference, exactly and cheaply, on the sorted times (two pointers).
3. Expected counts are the exact permutation expectation E[N_ij] = S_i * T_j / P with P = n(n-1)/2: under a
   random permutation of the times, each spatial pair receives a uniformly random pair of distinct times.
4. Each Monte Carlo permutation maps the times through a permutation (`numpy.random.default_rng`, one stream per
   chunk of `analysis.parallel.plan`) and bins the time differences of the stored pairs (a numba kernel, parallel
   over blocks of pairs). The beyond row of a permuted table is T_j minus the enumerated rows (T_j is the same for
   every permutation). p = (1 + #{permuted >= observed}) / (1 + permutations), per cell.

References: Knox (1964), "The detection of space-time interactions", Applied Statistics 13(1); Ratcliffe (2009),
Near Repeat Calculator v1.3 (Temple University); Johnson et al. (2007), "Space-time patterns of risk", J. Quant.
Criminol. 23; Steenbeek & Davies, R package NearRepeat (documents the NRC's off-by-one band labels);
Rey et al., PySAL pointpats `spacetime.Knox`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numba
import numpy as np

from analysis.io import InputError

METRICS = ("manhattan", "euclidean")
PARALLEL_PAIRS = 200_000  # fewer stored pairs than this: one thread (launching threads costs more)
MAX_DISTANCE_BANDS = 100
MAX_PAIRS = 1_500_000_000  # close pairs kept (5 bytes each: 7.5 GB)  # bands are stored as int8 (with the same-location row)
CONVENTION = ("half-open: a pair is in a band [a, b) when a <= distance < b metres and a <= |time difference| < b "
              "days; the same-location row is [0, {s:g}) metres; the last row and column ('>=') are everything "
              "from the largest edge on")


# --------------------------------------------------------------------------------------------------------- kernels
@numba.njit(cache=True, parallel=True)
def _pairs_count(xs, ys, keys, ny, metric, edges):
    """Per point i (sorted by cell key), the number of later points j with distance < edges[-1]."""
    n = xs.size
    last = edges[-1]
    cnt = np.zeros(n, dtype=np.int64)
    for i in numba.prange(n):
        k = keys[i]
        xi, yi = xs[i], ys[i]
        c = 0
        for r in range(2):
            if r == 0:
                lo = i + 1
                hi = np.searchsorted(keys, k + 2)
            else:
                lo = np.searchsorted(keys, k + ny - 1)
                hi = np.searchsorted(keys, k + ny + 2)
            for j in range(lo, hi):
                dx = xs[j] - xi
                dy = ys[j] - yi
                d = abs(dx) + abs(dy) if metric == 0 else dx * dx + dy * dy
                if d < last:
                    c += 1
        cnt[i] = c
    return cnt


@numba.njit(cache=True, parallel=True)
def _pairs_fill(xs, ys, keys, ny, metric, edges, indptr, nbr, band):
    """Fill the CSR pair list: neighbours nbr[indptr[i]:indptr[i+1]] of i and their spatial band (first edge the
    distance is below)."""
    n = xs.size
    last = edges[-1]
    for i in numba.prange(n):
        k = keys[i]
        xi, yi = xs[i], ys[i]
        p = indptr[i]
        for r in range(2):
            if r == 0:
                lo = i + 1
                hi = np.searchsorted(keys, k + 2)
            else:
                lo = np.searchsorted(keys, k + ny - 1)
                hi = np.searchsorted(keys, k + ny + 2)
            for j in range(lo, hi):
                dx = xs[j] - xi
                dy = ys[j] - yi
                d = abs(dx) + abs(dy) if metric == 0 else dx * dx + dy * dy
                if d < last:
                    b = 0
                    while d >= edges[b]:
                        b += 1
                    nbr[p] = j
                    band[p] = b
                    p += 1


@numba.njit(cache=True)
def _time_pairs_below(ts, edges):
    """For each edge e: the number of pairs i < j of the sorted times with ts[j] - ts[i] < e (two pointers)."""
    n = ts.size
    out = np.zeros(edges.size, dtype=np.int64)
    for m in range(edges.size):
        e = edges[m]
        j = 0
        total = 0
        for i in range(n):
            if j < i + 1:
                j = i + 1
            while j < n and ts[j] - ts[i] < e:
                j += 1
            total += j - i - 1
        out[m] = total
    return out


@numba.njit(cache=True, nogil=True, inline="always")
def _bin_block(indptr, nbr, band, tp, tedges, inv, lo, hi, h):
    # tp is (points, m): m permutations of the times side by side, so that one pass over the stored pairs (and
    # one cache line per neighbour) serves m permutations. Pairs at or beyond the last time edge (most pairs, on
    # long series) are not counted: the caller gets them as the band total minus the other columns.
    K = tedges.size
    m = tp.shape[1]
    tlast = tedges[K - 1]
    for i in range(lo, hi):
        for k in range(indptr[i], indptr[i + 1]):
            j = nbr[k]
            for q in range(m):
                dt = abs(tp[i, q] - tp[j, q])
                if dt >= tlast:
                    continue
                g = dt * inv
                c = K - 1 if g >= K - 1 else int(g)
                while c > 0 and dt < tedges[c - 1]:
                    c -= 1
                while dt >= tedges[c]:
                    c += 1
                h[q, band[k], c] += 1


@numba.njit(cache=True, parallel=True)
def _table_parallel(indptr, nbr, band, tp, tedges, inv, nsb, blocks):
    """Counts of the stored pairs by (permutation, spatial band, time band) for the times tp (points x
    permutations), in parallel over blocks of points. The last column (time difference >= the last edge) is left
    at 0 (see `_full_table`)."""
    nblk = blocks.size - 1
    m = tp.shape[1]
    out = np.zeros((nblk, m, nsb, tedges.size + 1), dtype=np.int64)
    for b in numba.prange(nblk):
        h = np.zeros((m, nsb, tedges.size + 1), dtype=np.int64)
        _bin_block(indptr, nbr, band, tp, tedges, inv, blocks[b], blocks[b + 1], h)
        out[b] = h
    return out.sum(axis=0)


@numba.njit(cache=True, nogil=True)
def _table_serial(indptr, nbr, band, tp, tedges, inv, nsb, blocks):
    """As `_table_parallel`, on one thread (small inputs, and Dask workers, which run one task per core)."""
    out = np.zeros((tp.shape[1], nsb, tedges.size + 1), dtype=np.int64)
    _bin_block(indptr, nbr, band, tp, tedges, inv, 0, tp.shape[0], out)
    return out


def _shuffle_body(ts, u, out, q):
    n = ts.size
    col = ts.copy()
    for i in range(n - 1, 0, -1):
        j = int(u[q, i] * (i + 1))
        if j > i:
            j = i
        col[i], col[j] = col[j], col[i]
    for i in range(n):
        out[i, q] = col[i]


_shuffle_one = numba.njit(cache=True, nogil=True, inline="always")(_shuffle_body)


@numba.njit(cache=True, parallel=True)
def _shuffle_parallel(ts, u, out):
    """out[:, q] = ts permuted by Fisher-Yates with the uniform draws u[q] (u[q, i] in [0, 1) picks the swap for
    position i), for every q, in parallel."""
    for q in numba.prange(u.shape[0]):
        _shuffle_one(ts, u, out, q)


@numba.njit(cache=True, nogil=True)
def _shuffle_serial(ts, u, out):
    """As `_shuffle_parallel`, on one thread."""
    for q in range(u.shape[0]):
        _shuffle_one(ts, u, out, q)


BATCH = 8  # permutations per pass over the pairs (8 float64 times of a point = one cache line)


def _perm_tables(kernel, shuffle, indptr, nbr, band, ts, tedges, inv, nsb, blocks, chunk):
    # the random draws come from numpy (reproducible, one stream per chunk); numba only applies them
    seedseq, m = chunk
    rng = np.random.default_rng(seedseq)
    out = np.empty((m, nsb, tedges.size + 1), dtype=np.int64)
    for start in range(0, m, BATCH):
        size = min(BATCH, m - start)
        tp = np.empty((ts.size, size))
        shuffle(ts, rng.random((size, ts.size)), tp)
        out[start:start + size] = kernel(indptr, nbr, band, tp, tedges, inv, nsb, blocks)
    return out


def _chunk_parallel(indptr, nbr, band, ts, tedges, inv, nsb, blocks, chunk):
    return _perm_tables(_table_parallel, _shuffle_parallel, indptr, nbr, band, ts, tedges, inv, nsb, blocks, chunk)


def _chunk_serial(indptr, nbr, band, ts, tedges, inv, nsb, blocks, chunk):
    return _perm_tables(_table_serial, _shuffle_serial, indptr, nbr, band, ts, tedges, inv, nsb, blocks, chunk)


# ------------------------------------------------------------------------------------------------------- machinery
@dataclass
class _Pairs:
    order: np.ndarray     # sorted position -> input index
    ts: np.ndarray        # times in sorted order
    indptr: np.ndarray    # int64 (n + 1)
    nbr: np.ndarray       # int32 neighbour (sorted position), later in the order
    band: np.ndarray      # int8 spatial band of each stored pair


def _enumerate_pairs(x, y, t, metric: str, edges_cmp: np.ndarray, reach: float) -> _Pairs:
    """All pairs with distance < edges_cmp[-1] (in comparison space: squared for Euclidean), as CSR over points
    sorted by grid cell (cells of side `reach`, the largest distance, slightly padded against rounding)."""
    cell = reach * (1 + 1e-9) + 1e-12
    minx, miny = float(x.min()), float(y.min())
    cx = np.floor((x - minx) / cell).astype(np.int64)
    cy = np.floor((y - miny) / cell).astype(np.int64) + 1      # rows 1..ny-2: neighbours never wrap a column
    ny = int(cy.max()) + 2
    if (int(cx.max()) + 1) * ny >= 2**62:
        raise InputError(f"the incidents spread over too many cells of {reach:g} m: are the coordinates in metres?")
    keys = cx * ny + cy
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    xs = np.ascontiguousarray(x[order])
    ys = np.ascontiguousarray(y[order])
    ts = np.ascontiguousarray(t[order])
    m = 0 if metric == "manhattan" else 1
    cnt = _pairs_count(xs, ys, keys, ny, m, edges_cmp)
    indptr = np.zeros(x.size + 1, dtype=np.int64)
    np.cumsum(cnt, out=indptr[1:])
    del cnt
    total = int(indptr[-1])
    if total > MAX_PAIRS:
        raise InputError(f"{total:,} pairs of incidents lie within {reach:g} m of each other (at most {MAX_PAIRS:,} "
                         "fit in memory): use fewer or narrower distance bands, or fewer incidents")
    nbr = np.empty(total, dtype=np.int32)
    band = np.empty(total, dtype=np.int8)
    _pairs_fill(xs, ys, keys, ny, m, edges_cmp, indptr, nbr, band)
    return _Pairs(order, ts, indptr, nbr, band)


def _blocks(indptr: np.ndarray, parts: int) -> np.ndarray:
    """Point boundaries splitting the stored pairs into `parts` blocks of about equal size (load balance)."""
    targets = np.linspace(0, indptr[-1], parts + 1)
    b = np.searchsorted(indptr, targets, side="left").astype(np.int64)
    b[0], b[-1] = 0, indptr.size - 1
    return np.unique(b)


def _simulate(pairs: _Pairs, tedges: np.ndarray, inv: float, nsb: int, permutations: int, seed: int | None,
              scheduler: Any, progress: Callable[[float], None] | None) -> np.ndarray:
    """(permutations, nsb, time columns) tables of the stored pairs under permuted times."""
    from analysis.parallel import plan, run_chunks

    chunks = plan(seed, permutations)
    blocks = _blocks(pairs.indptr, 16 * max(1, numba.get_num_threads()))
    # threads pay only for larger pair lists; on Dask each worker already runs one task per core
    func = _chunk_parallel if scheduler is None and pairs.indptr[-1] >= PARALLEL_PAIRS else _chunk_serial
    shared = (pairs.indptr, pairs.nbr, pairs.band, pairs.ts, tedges, float(inv), int(nsb), blocks)
    results = run_chunks(func, shared, chunks, scheduler=scheduler, progress=progress)
    return np.concatenate(results, axis=0) if results else np.zeros((0, nsb, tedges.size + 1), np.int64)


def _table_here(pairs: _Pairs):
    """The counting kernel for this process: threads pay only for larger pair lists."""
    return _table_parallel if pairs.indptr[-1] >= PARALLEL_PAIRS else _table_serial


def _full_table(tab: np.ndarray, S_close: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Complete kernel tables (..., rows of close pairs, columns): the last column is each row's total S_i minus
    the other columns; the beyond row is each column's total T_j minus the close rows."""
    tab = tab.copy()
    tab[..., -1] = S_close - tab[..., :-1].sum(axis=-1)
    beyond = T - tab.sum(axis=-2)
    return np.concatenate([tab, beyond[..., None, :]], axis=-2)


def _check_points(x, y, t) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if t is None:
        raise InputError("times are missing: near-repeat analysis needs a date or time for every incident")
    try:
        x = np.ascontiguousarray(np.asarray(x, dtype=np.float64).ravel())
        y = np.ascontiguousarray(np.asarray(y, dtype=np.float64).ravel())
        t = np.ascontiguousarray(np.asarray(t, dtype=np.float64).ravel())
    except (TypeError, ValueError) as exc:
        raise InputError(f"coordinates and times must be numbers ({exc})")
    if not (x.size == y.size == t.size):
        raise InputError(f"x, y and t must have the same length (got {x.size}, {y.size}, {t.size})")
    if x.size < 2:
        raise InputError(f"at least 2 incidents are needed to form pairs (got {x.size})")
    if x.size >= 2**31 - 1:
        raise InputError("too many incidents (at most 2,147,483,646)")
    if not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InputError("coordinates must be finite numbers (found NaN or infinity)")
    if not np.isfinite(t).all():
        raise InputError("times are missing (NaN) or not finite for some incidents")
    return x, y, t


def _positive(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{name} must be a number (got {value!r})")
    if not (math.isfinite(v) and v > 0):
        raise InputError(f"{name} must be a positive number (got {value!r})")
    return v


def _count(name: str, value, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low or (high and value > high):
        bound = f"between {low} and {high}" if high else f"at least {low}"
        raise InputError(f"{name} must be a whole number {bound} (got {value!r})")
    return int(value)


def _metric(metric) -> str:
    m = str(metric).lower()
    if m not in METRICS:
        raise InputError(f"metric must be 'manhattan' or 'euclidean' (got {metric!r})")
    return m


def _seed(seed) -> int | None:
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise InputError(f"seed must be a whole number >= 0 (got {seed!r})")
    return int(seed)


def _clean(a: np.ndarray) -> list:
    """Array -> nested lists with NaN as None (JSON has no NaN)."""
    return [[None if isinstance(v, float) and not math.isfinite(v) else v for v in row] for row in a.tolist()]


def _num(v: float) -> str:
    return f"{v:g}"


# --------------------------------------------------------------------------------------------------- near repeat
@dataclass
class NearRepeatResult:
    """The near-repeat table. Rows: same location, `distance_bands` bands, beyond; columns: `time_bands` bands,
    beyond. Row r covers distances [distance_edges[r], distance_edges[r+1]) metres, column c time differences
    [time_edges[c], time_edges[c+1]) days (the last edges are infinity)."""

    distance_edges: np.ndarray
    time_edges: np.ndarray
    row_labels: list[str]
    col_labels: list[str]
    convention: str
    observed: np.ndarray        # int64 pair counts
    expected: np.ndarray        # exact permutation expectation S_i T_j / P
    ratio: np.ndarray           # observed / expected (NaN where expected is 0)
    p_value: np.ndarray         # Monte Carlo (1 + #{permuted >= observed}) / (1 + permutations)
    simulated_mean: np.ndarray  # mean of the permuted tables (the NRC's "mean expected")
    n: int
    pairs: int                  # all pairs, n (n - 1) / 2
    close_pairs: int            # pairs closer than the largest distance edge (enumerated)
    permutations: int
    seed: int | None
    metric: str
    distance_band: float = 0.0
    time_band: float = 0.0
    same_location: float = 1.0
    method: str = field(default="near_repeat")

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method, "n": self.n, "pairs": self.pairs, "close_pairs": self.close_pairs,
            "metric": self.metric, "permutations": self.permutations, "seed": self.seed,
            "distance_band": self.distance_band, "time_band": self.time_band, "same_location": self.same_location,
            "convention": self.convention, "distance_unit": "metres", "time_unit": "days",
            "distance_edges": [None if not math.isfinite(v) else v for v in self.distance_edges.tolist()],
            "time_edges": [None if not math.isfinite(v) else v for v in self.time_edges.tolist()],
            "row_labels": self.row_labels, "col_labels": self.col_labels,
            "observed": self.observed.tolist(), "expected": _clean(self.expected), "ratio": _clean(self.ratio),
            "p_value": _clean(self.p_value), "simulated_mean": _clean(self.simulated_mean),
        }

    def to_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["distance", "time", "distance_from_m", "distance_to_m", "time_from_days",
                                  "time_to_days", "observed", "expected", "ratio", "p_value", "simulated_mean"]]

        def f(v):
            v = float(v)
            return "" if not math.isfinite(v) else round(v, 6)

        for r, rl in enumerate(self.row_labels):
            for c, cl in enumerate(self.col_labels):
                rows.append([rl, cl, f(self.distance_edges[r]), f(self.distance_edges[r + 1]), f(self.time_edges[c]),
                             f(self.time_edges[c + 1]), int(self.observed[r, c]), f(self.expected[r, c]),
                             f(self.ratio[r, c]), f(self.p_value[r, c]), f(self.simulated_mean[r, c])])
        return rows


def near_repeat(x, y, t, *, distance_band: float, distance_bands: int, time_band: float, time_bands: int,
                metric: str = "manhattan", permutations: int = 999, seed: int | None = 0, scheduler: Any = None,
                progress: Callable[[float], None] | None = None, same_location: float = 1.0) -> NearRepeatResult:
    """Near-repeat table as Ratcliffe's Near Repeat Calculator computes it, with exact expectations.

    x, y: coordinates in metres; t: times in days (floats; dates via `analysis.io.to_days`).
    Rows: same location [0, same_location) metres, then `distance_bands` bands of `distance_band` metres
    ([same_location, b), [b, 2b), ...) and the rest (>= distance_bands * b); columns: `time_bands` bands of
    `time_band` days ([0, tb), [tb, 2tb), ...) and the rest. All bands are half-open [a, b) (the NRC labels
    "1 to 100" / "0 to 7" mean [1, 100) m / [0, 7) days; this reproduces its counts). Distance is Manhattan
    (|dx| + |dy|, the NRC default) or Euclidean.

    Each unordered pair of incidents counts once. `expected` is the exact mean over all permutations of the
    times among the locations, S_i * T_j / P; `p_value` is the Monte Carlo p-value (1 + #{permuted table cell >=
    observed}) / (1 + permutations) with `permutations` random permutations drawn from `seed` (chunked through
    `analysis.parallel`, so the same seed gives the same table here and on a Dask `scheduler`). `progress(f)` is
    called with the fraction done as permutation chunks finish. Only pairs closer than the largest distance are
    enumerated (cell list), and the permutation step costs O(those pairs) each.
    """
    x, y, t = _check_points(x, y, t)
    distance_band = _positive("distance_band", distance_band)
    time_band = _positive("time_band", time_band)
    distance_bands = _count("distance_bands", distance_bands, 1, MAX_DISTANCE_BANDS)
    time_bands = _count("time_bands", time_bands, 1, 100_000)
    permutations = _count("permutations", permutations, 1)
    metric = _metric(metric)
    seed = _seed(seed)
    same_location = _positive("same_location", same_location)
    if same_location >= distance_band:
        raise InputError(f"same_location ({same_location:g} m) must be below distance_band ({distance_band:g} m)")
    if progress is not None and not callable(progress):
        raise InputError("progress must be a function of the fraction done")

    n = x.size
    P = n * (n - 1) // 2
    upper = np.array([same_location] + [distance_band * (k + 1) for k in range(distance_bands)], dtype=np.float64)
    reach = float(upper[-1])
    edges_cmp = upper if metric == "manhattan" else upper * upper
    tedges = np.array([time_band * (k + 1) for k in range(time_bands)], dtype=np.float64)
    nsb = upper.size          # enumerated rows: same location + distance bands

    pairs = _enumerate_pairs(x, y, t, metric, edges_cmp, reach)
    close = int(pairs.indptr[-1])
    S = np.bincount(pairs.band, minlength=nsb).astype(np.int64)
    S = np.append(S, P - close)
    below = _time_pairs_below(np.sort(t), tedges)
    T = np.diff(np.concatenate([[0], below, [P]])).astype(np.int64)
    expected = np.outer(S.astype(np.float64), T.astype(np.float64)) / P   # float: S*T overflows int64 at 1M

    inv = 1.0 / time_band
    blocks = _blocks(pairs.indptr, 16 * max(1, numba.get_num_threads()))
    observed = _full_table(_table_here(pairs)(pairs.indptr, pairs.nbr, pairs.band, pairs.ts[:, None], tedges, inv,
                                              nsb, blocks)[0], S[:-1], T)
    sims = _full_table(_simulate(pairs, tedges, inv, nsb, permutations, seed, scheduler, progress), S[:-1], T)
    p_value = (1.0 + (sims >= observed[None]).sum(axis=0)) / (1.0 + permutations)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / np.where(expected > 0, expected, 1.0), np.nan)

    dist_edges = np.concatenate([[0.0], upper, [np.inf]])
    time_edges = np.concatenate([[0.0], tedges, [np.inf]])
    row_labels = ["0"] + [f"{_num(a)}-{_num(b)}" for a, b in zip(upper[:-1], upper[1:])] + [f">={_num(reach)}"]
    col_labels = [f"{_num(a)}-{_num(b)}" for a, b in zip(time_edges[:-2], tedges)] + [f">={_num(tedges[-1])}"]
    return NearRepeatResult(
        distance_edges=dist_edges, time_edges=time_edges, row_labels=row_labels, col_labels=col_labels,
        convention=CONVENTION.format(s=same_location), observed=observed, expected=expected, ratio=ratio,
        p_value=p_value, simulated_mean=sims.mean(axis=0), n=n, pairs=P, close_pairs=close,
        permutations=permutations, seed=seed, metric=metric, distance_band=distance_band, time_band=time_band,
        same_location=same_location)


# ------------------------------------------------------------------------------------------------------ Knox 2x2
@dataclass
class KnoxResult:
    """Classic Knox test. `observed`/`expected_table` are 2x2: [[close in space and time, close in space only],
    [close in time only, neither]] (the layout of pointpats' Knox)."""

    stat: int                   # pairs close in space (<= delta) and in time (<= tau)
    expected: float             # exact permutation expectation NS * NT / P
    p_value_sim: float          # (1 + #{permuted >= stat}) / (1 + permutations)
    p_value_poisson: float      # 1 - PoissonCDF(stat; expected)
    permutations: int
    observed: np.ndarray
    expected_table: np.ndarray
    ns: int
    nt: int
    pairs: int
    n: int
    delta: float
    tau: float
    metric: str
    seed: int | None
    convention: str = "closed: close in space when distance <= delta metres, in time when |dt| <= tau days"

    def to_dict(self) -> dict[str, Any]:
        return {"method": "knox", "stat": self.stat, "expected": self.expected, "p_value_sim": self.p_value_sim,
                "p_value_poisson": self.p_value_poisson, "permutations": self.permutations,
                "observed": self.observed.tolist(), "expected_table": self.expected_table.tolist(),
                "ns": self.ns, "nt": self.nt, "pairs": self.pairs, "n": self.n, "delta": self.delta,
                "tau": self.tau, "metric": self.metric, "seed": self.seed, "convention": self.convention}

    def to_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["space", "time", "observed", "expected"]]
        for r, sl in enumerate((f"<={_num(self.delta)}", f">{_num(self.delta)}")):
            for c, tl in enumerate((f"<={_num(self.tau)}", f">{_num(self.tau)}")):
                rows.append([sl, tl, int(self.observed[r, c]), round(float(self.expected_table[r, c]), 6)])
        return rows


def knox(x, y, t, *, delta: float, tau: float, permutations: int = 999, seed: int | None = 0,
         metric: str = "euclidean", scheduler: Any = None,
         progress: Callable[[float], None] | None = None) -> KnoxResult:
    """Classic 2x2 Knox test for space-time interaction (Knox 1964), as PySAL's `pointpats.spacetime.Knox`.

    A pair is close in space when its distance is <= `delta` (metres; Euclidean by default, as pointpats, or
    Manhattan) and close in time when |dt| <= `tau` (days): closed intervals, pointpats' convention (its KD-tree
    queries include the radius). `stat` is the number of pairs close in both; `expected` = NS * NT / P, the exact
    expectation under random permutation of times (P = n(n-1)/2); `p_value_poisson` = 1 - Poisson CDF(stat,
    expected) (pointpats' `p_poisson`); `p_value_sim` = (1 + #{permuted stat >= stat}) / (1 + permutations),
    pointpats' `p_sim`, with our own seeded permutations (same seed, same value, here or on Dask).
    """
    x, y, t = _check_points(x, y, t)
    delta = _positive("delta", delta)
    tau = _positive("tau", tau)
    permutations = _count("permutations", permutations, 1)
    metric = _metric(metric)
    seed = _seed(seed)
    n = x.size
    P = n * (n - 1) // 2
    # closed intervals as half-open ones: d <= e  <=>  d < nextafter(e, inf)
    e = delta if metric == "manhattan" else delta * delta
    edges_cmp = np.array([np.nextafter(e, np.inf)])
    tedges = np.array([np.nextafter(tau, np.inf)])
    pairs = _enumerate_pairs(x, y, t, metric, edges_cmp, delta)
    NS = int(pairs.indptr[-1])
    NT = int(_time_pairs_below(np.sort(t), tedges)[0])
    inv = 1.0 / tau
    blocks = _blocks(pairs.indptr, 16 * max(1, numba.get_num_threads()))
    stat = int(_table_here(pairs)(pairs.indptr, pairs.nbr, pairs.band, pairs.ts[:, None], tedges, inv, 1,
                                  blocks)[0, 0, 0])
    sims = _simulate(pairs, tedges, inv, 1, permutations, seed, scheduler, progress)[:, 0, 0]
    p_sim = (1.0 + float((sims >= stat).sum())) / (1.0 + permutations)
    E = NS * NT / P
    from scipy.special import pdtr

    p_poisson = float(1.0 - pdtr(stat, E))
    observed = np.array([[stat, NS - stat], [NT - stat, P - NS - NT + stat]], dtype=np.float64)
    exp_table = np.array([[E, NS - E], [NT - E, 0.0]])
    exp_table[1, 1] = P - exp_table.sum()
    return KnoxResult(stat=stat, expected=float(E), p_value_sim=p_sim, p_value_poisson=p_poisson,
                      permutations=permutations, observed=observed, expected_table=exp_table, ns=NS, nt=NT, pairs=P,
                      n=n, delta=delta, tau=tau, metric=metric, seed=seed)


# ------------------------------------------------------------------------------------------------------------ CLI
def cli_arguments(parser, name: str) -> None:
    """Options of `centinela-analysis knox`."""
    parser.add_argument("--input", required=True, help="CSV with x,y (metres) or lon,lat and a date/time column")
    parser.add_argument("--output", required=True, help="result file: .json or .csv")
    parser.add_argument("--distance-band", type=float, default=100.0, help="width of each distance band, metres")
    parser.add_argument("--distance-bands", type=int, default=3, help="number of distance bands")
    parser.add_argument("--time-band", type=float, default=7.0, help="width of each time band, days")
    parser.add_argument("--time-bands", type=int, default=3, help="number of time bands")
    parser.add_argument("--same-location", type=float, default=1.0,
                        help="pairs closer than this (metres) form the same-location row (default 1)")
    parser.add_argument("--metric", choices=METRICS, default="manhattan")
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-column", default=None, help="name of the date/time column (default t, date or time)")
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address (default: run here)")
    parser.add_argument("--delta", type=float, default=None,
                        help="classic 2x2 Knox test instead of the table: close in space when distance <= DELTA m")
    parser.add_argument("--tau", type=float, default=None, help="with --delta: close in time when |dt| <= TAU days")


def cli_run(args, name: str) -> int:
    """Run `centinela-analysis knox` and write the result."""
    from analysis.io import read_points, write_result

    if (args.delta is None) != (args.tau is None):
        raise InputError("--delta and --tau go together (classic 2x2 Knox test)")
    if not str(args.output).lower().endswith((".json", ".csv")):
        raise InputError("--output must end in .json or .csv")
    pts = read_points(args.input, time_column=args.time_column, require_time=True)
    result: KnoxResult | NearRepeatResult
    if args.delta is not None:
        result = knox(pts.x, pts.y, pts.t, delta=args.delta, tau=args.tau, permutations=args.permutations,
                      seed=args.seed, metric=args.metric, scheduler=args.scheduler)
    else:
        result = near_repeat(pts.x, pts.y, pts.t, distance_band=args.distance_band,
                             distance_bands=args.distance_bands, time_band=args.time_band,
                             time_bands=args.time_bands, metric=args.metric, permutations=args.permutations,
                             seed=args.seed, scheduler=args.scheduler, same_location=args.same_location)
    write_result(result, args.output)
    return 0
