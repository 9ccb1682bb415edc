"""Near-repeat (Knox) analysis: are incidents that are close in space also close in time more often than chance?

Two entry points:

* `near_repeat()`: the table of Ratcliffe's Near Repeat Calculator (NRC): pairs of incidents counted over distance
  bands x time bands (plus a same-location row and the "beyond" row/column), observed over expected ratios and
  Monte Carlo p-values from permuting the times among the locations.
* `knox()`: the classic 2x2 Knox test (close in space at distance <= delta, close in time at |dt| <= tau), with the
  same conventions and figures as PySAL's `pointpats.spacetime.Knox` (statistic, expected, p_sim, p_poisson).

Exact band edges: coordinates are converted once to whole centimetres and times to whole seconds (int64, each
rounded to the nearest unit with `numpy.rint`, ties to even), and every distance and time difference is compared
with the band edges in integer arithmetic: Manhattan |dx| + |dy| in centimetres, Euclidean as dx^2 + dy^2 in square
centimetres against the squared edge (no square root). A pair exactly on an edge therefore always falls on the
documented side ([a, b) bands: in the band that starts at the edge; the 2x2 test's closed intervals: close), on
every machine. Edges must be whole centimetres / whole seconds (a band of 0.125 m or of 1e-6 days is refused with
an InputError, never silently rounded). int64 holds any squared distance within MAX_EXTENT_CM (20,000 km, which
covers any projected coordinates of a country); a wider spread of points is refused.

Default metric: Manhattan for the near-repeat table (the NRC's default), Euclidean for the 2x2 Knox test
(pointpats'); the library, the CLI and the observatory use these (DEFAULT_METRIC).

How it is computed (the same for both):

1. Pairs closer than the largest distance are enumerated with a cell list (a grid of cells as wide as that
   distance; points sorted by cell; each point looks only at its own and the next cells), never all n^2 pairs;
   the walk is written once (`_window`, `_walk`) for the count, the fill and the streamed passes.
   Up to MAX_STORED_PAIRS (1e8) they are kept in compressed form (CSR: for each point the later neighbours, int32
   index + int8 band, about 5 bytes per pair, each point's neighbours sorted by band). There is no cap: beyond
   that, only each point's count is kept and every pass enumerates the pairs again, block by block, so memory
   stays bounded (points, and the permuted times of one pass) whatever the number of pairs.
2. Time band totals T_j count *all* pairs by their time difference, exactly and cheaply, on the sorted times (two
   pointers). The beyond row is the rest of the n(n-1)/2 pairs.
3. Expected counts are the exact permutation expectation E[N_ij] = S_i * T_j / P with P = n(n-1)/2: under a
   random permutation of the times, each spatial pair receives a uniformly random pair of distinct times.
4. Monte Carlo: each permutation of the times among the locations is one *lane* of a matrix (points x lanes) of
   times in their exact unit (seconds from the earliest time divided by the greatest common divisor of the times
   and edges: whole days for dates; int32 when the span fits, 68 years of seconds, else int64). Permutation m of
   chunk c of `analysis.parallel.plan` is Fisher-Yates (from the last position down) with the draws m * n ..
   (m + 1) * n - 1 of `numpy.random.default_rng(chunk c's seed sequence).random()`: numba computes them itself
   from the PCG64 state (jumped ahead in Python, then stepped backwards, so the draws come last first as
   Fisher-Yates takes them, without an array of draws), each permutation on its own: any number of threads,
   any grouping, gives the same permutations. Consecutive chunks are grouped into one pass over the pairs (up to
   MAX_LANES lanes, LANES_BYTES of times). For a pair (i, j) of spatial band b the kernel compares rows i and j,
   lane by lane and without branches: acc[b, k, lane] += |t_i - t_j| < edge_k, which LLVM compiles to vector
   compare-and-count (16 int32 lanes per AVX-512 instruction, 8 with AVX2; int32 counters per block of pairs,
   summed in int64); four (or two) neighbours of i in one band share one sweep of the lanes (row i read once,
   the counters loaded and stored once for four pairs). Column c of a table is then acc[c] - acc[c - 1], the last
   column S_i - acc[K - 1], the beyond row T_j minus the close rows. The observed table is the same kernel on the
   unpermuted times, with one more edge above every difference (giving S_i).
   p = (1 + #{permuted >= observed}) / (1 + permutations), per cell. From PARALLEL_PAIRS close pairs on, the
   permutations (PERMUTE_LANES lanes per task) and the blocks of pairs of each pass run on Python threads (the
   kernels release the GIL), each thread taking the next task when done, so that a thread descheduled on a busy
   machine holds up nobody. The grouping changes no result: the same seed gives the same tables in-process, in
   any grouping, on any number of threads, and on Dask (`scheduler`: each group is a task; the workers receive
   the stored pairs, or the sorted points and enumerate the pairs themselves).

References: Knox (1964), "The detection of space-time interactions", Applied Statistics 13(1); Ratcliffe (2009),
Near Repeat Calculator v1.3 (Temple University); Johnson et al. (2007), "Space-time patterns of risk", J. Quant.
Criminol. 23; Steenbeek & Davies, R package NearRepeat (documents the NRC's off-by-one band labels);
Rey et al., PySAL pointpats `spacetime.Knox`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numba
import numpy as np
from llvmlite import ir as llvm_ir
from numba.core import types
from numba.extending import intrinsic, overload

from analysis.io import InputError

METRICS = ("manhattan", "euclidean")
DEFAULT_METRIC = {"near_repeat": "manhattan", "knox": "euclidean"}  # the NRC's default; pointpats' (Knox 2x2)
CM_PER_M = 100  # distance resolution: whole centimetres
SECONDS_PER_DAY = 86_400  # time resolution: whole seconds (times and bands are given in days)
MAX_EXTENT_CM = 2_000_000_000  # 20,000 km: dx^2 + dy^2 <= 2 * (2e9)^2 = 8e18 < 2^63 (int64), no overflow
MAX_ABS_DAYS = 1e12  # times (days since 1970) beyond this are refused: seconds must fit int64 with room
RESOLUTION = (
    "coordinates rounded to whole centimetres and times to whole seconds (nearest, ties to even) before any "
    "comparison; distances and time differences compared exactly in integers (Euclidean as squared centimetres)"
)
PARALLEL_PAIRS = 100_000  # fewer close pairs than this: one thread (measured: threads lose at 55k pairs, win at 144k)
MAX_DISTANCE_BANDS = 100
MAX_STORED_PAIRS = 100_000_000  # close pairs kept in memory (5 bytes each: 500 MB); more are enumerated again
MAX_LANES = 200  # permutations counted in one pass over the pairs (rows of 800 bytes at int32)
LANES_BYTES = 512 * 2**20  # memory for the permuted times of one pass (points x lanes)
BLOCK_PAIRS = 2**29  # at most about this many pairs per block of points (int32 counters: fewer than 2^31 each)
WALK_POINTS = 1024  # points per task of `_pairs_fill` (each with its own scratch for sorting by band)
PERMUTE_LANES = 24  # permutations per task of `_lane_times` (apart in memory: few cache lines shared by two threads)
BATCH = 8  # permutations shuffled one after another into a buffer before their copy into the lanes
CONVENTION = (
    "half-open: a pair is in a band [a, b) when a <= distance < b metres and a <= |time difference| < b "
    "days (a pair exactly on an edge is in the band that starts there); the same-location row is [0, {s:g}) "
    "metres; the last row and column ('>=') are everything from the largest edge on"
)
KNOX_CONVENTION = (
    "closed: close in space when distance <= delta metres, in time when |time difference| <= tau days (a pair "
    "exactly at delta or tau is close)"
)


# --------------------------------------------------------------------------------------------------------- kernels
@numba.njit(cache=True, nogil=True, inline="always")
def _window(keys, i, ny):
    """The two runs of the sorted points that can hold later neighbours of point i (cell k = keys[i]): the rest of
    its own cell and the next cell of its column (k, k + 1), then the three cells beside them in the next column
    (k + ny - 1 .. k + ny + 1). Their total length bounds the neighbours `_walk` writes."""
    k = keys[i]
    return i + 1, np.searchsorted(keys, k + 2), np.searchsorted(keys, k + ny - 1), np.searchsorted(keys, k + ny + 2)


@numba.njit(cache=True, nogil=True, inline="always")
def _walk(xs, ys, metric, edges, i, window, store, nbr, band, p):
    """The cell-list walk, written once for the count, the fill and the streamed passes: the later points j of the
    runs `window` of point i at distance < edges[-1] (Manhattan |dx| + |dy| or Euclidean dx^2 + dy^2, exact
    integers). With `store` (a constant at each call, so the count's loop, without it, stays a vectorised count),
    each is written to nbr[p] with its spatial band (the first edge the distance is below) to band[p], p counting on
    from the p given. Returns the p after the last one."""
    last = edges[-1]
    xi, yi = xs[i], ys[i]
    for r in range(2):
        lo = window[0] if r == 0 else window[2]
        hi = window[1] if r == 0 else window[3]
        for j in range(lo, hi):
            dx = xs[j] - xi
            dy = ys[j] - yi
            d = abs(dx) + abs(dy) if metric == 0 else dx * dx + dy * dy
            if d < last:
                if store:
                    b = 0
                    while d >= edges[b]:
                        b += 1
                    nbr[p] = j
                    band[p] = b
                p += 1
    return p


@numba.njit(cache=True, nogil=True, inline="always")
def _room(window, nbr, band):
    """Scratch arrays (neighbours, bands) with room for every point of `window`: the ones given, or larger."""
    need = window[1] - window[0] + window[3] - window[2]
    if need <= nbr.size:
        return nbr, band
    size = max(need, 2 * nbr.size)
    return np.empty(size, dtype=np.int32), np.empty(size, dtype=np.int8)


@numba.njit(cache=True, parallel=True)
def _pairs_count(xs, ys, keys, ny, metric, edges):
    """Per point i (sorted by cell key), the number of later points j with distance < edges[-1]."""
    n = xs.size
    cnt = np.zeros(n, dtype=np.int64)
    nbr = np.empty(0, dtype=np.int32)  # not written: store is False
    band = np.empty(0, dtype=np.int8)
    for i in numba.prange(n):
        cnt[i] = _walk(xs, ys, metric, edges, i, _window(keys, i, ny), False, nbr, band, 0)
    return cnt


@numba.njit(cache=True, parallel=True)
def _pairs_fill(xs, ys, keys, ny, metric, edges, indptr, nbr, band):
    """Fill the CSR pair list: neighbours nbr[indptr[i]:indptr[i+1]] of i and their spatial band (first edge the
    distance is below), each point's neighbours sorted by band (`_by_band`)."""
    n = xs.size
    for g in numba.prange((n + WALK_POINTS - 1) // WALK_POINTS):
        lo, hi = g * WALK_POINTS, min(n, (g + 1) * WALK_POINTS)
        room = 0
        for i in range(lo, hi):
            room = max(room, indptr[i + 1] - indptr[i])
        tn = np.empty(room, dtype=np.int32)
        tb = np.empty(room, dtype=np.int8)
        start = np.empty(edges.size + 1, dtype=np.int64)
        for i in range(lo, hi):
            _walk(xs, ys, metric, edges, i, _window(keys, i, ny), True, nbr, band, indptr[i])
            if edges.size > 1:
                _by_band(nbr, band, indptr[i], indptr[i + 1], edges.size, tn, tb, start)


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


def _narrow_diff(a, b):
    """a - b in the lanes' own integer type (numba widens int32 arithmetic to int64, which halves the lanes per
    vector instruction); exact: both are in [0, 2^31 - 2] for int32 lanes."""
    return a - b


@overload(_narrow_diff, inline="always")
def _narrow_diff_impl(a, b):
    if a == types.int32:
        return lambda a, b: np.int32(a - b)
    return lambda a, b: a - b


@numba.njit(cache=True, nogil=True, inline="always")
def _count_pair(tp, i, j, b, tcmp, acc):
    # branch-free over the permutation lanes: row i and row j of tp are contiguous, so LLVM turns this into
    # vector subtract, abs, compare and subtract-the-mask (16 int32 lanes per AVX-512 instruction, 8 with AVX2);
    # up to three edges share one difference (fewer loads and stores per compare)
    L = tp.shape[1]
    K = tcmp.size
    for k in range(0, K, 3):
        if K - k >= 3:
            e0, e1, e2 = tcmp[k], tcmp[k + 1], tcmp[k + 2]
            for q in range(L):
                d = abs(_narrow_diff(tp[i, q], tp[j, q]))
                acc[b, k, q] += np.int32(d < e0)
                acc[b, k + 1, q] += np.int32(d < e1)
                acc[b, k + 2, q] += np.int32(d < e2)
        elif K - k == 2:
            e0, e1 = tcmp[k], tcmp[k + 1]
            for q in range(L):
                d = abs(_narrow_diff(tp[i, q], tp[j, q]))
                acc[b, k, q] += np.int32(d < e0)
                acc[b, k + 1, q] += np.int32(d < e1)
        else:
            e0 = tcmp[k]
            for q in range(L):
                acc[b, k, q] += np.int32(abs(_narrow_diff(tp[i, q], tp[j, q])) < e0)


@numba.njit(cache=True, nogil=True, inline="always")
def _below(t, u, e):
    # 1 when |t - u| < e, in the lanes' type
    return np.int32(abs(_narrow_diff(t, u)) < e)


@numba.njit(cache=True, nogil=True, inline="always")
def _count_four(tp, i, j0, j1, j2, j3, b, tcmp, acc):
    # as `_count_pair` for four neighbours of i in one spatial band: row i read once and one load and store of
    # the counters for four pairs
    L = tp.shape[1]
    K = tcmp.size
    for k in range(0, K, 3):
        if K - k >= 3:
            e0, e1, e2 = tcmp[k], tcmp[k + 1], tcmp[k + 2]
            for q in range(L):
                t = tp[i, q]
                u0, u1, u2, u3 = tp[j0, q], tp[j1, q], tp[j2, q], tp[j3, q]
                acc[b, k, q] += _below(t, u0, e0) + _below(t, u1, e0) + _below(t, u2, e0) + _below(t, u3, e0)
                acc[b, k + 1, q] += _below(t, u0, e1) + _below(t, u1, e1) + _below(t, u2, e1) + _below(t, u3, e1)
                acc[b, k + 2, q] += _below(t, u0, e2) + _below(t, u1, e2) + _below(t, u2, e2) + _below(t, u3, e2)
        elif K - k == 2:
            e0, e1 = tcmp[k], tcmp[k + 1]
            for q in range(L):
                t = tp[i, q]
                u0, u1, u2, u3 = tp[j0, q], tp[j1, q], tp[j2, q], tp[j3, q]
                acc[b, k, q] += _below(t, u0, e0) + _below(t, u1, e0) + _below(t, u2, e0) + _below(t, u3, e0)
                acc[b, k + 1, q] += _below(t, u0, e1) + _below(t, u1, e1) + _below(t, u2, e1) + _below(t, u3, e1)
        else:
            e0 = tcmp[k]
            for q in range(L):
                t = tp[i, q]
                acc[b, k, q] += (
                    _below(t, tp[j0, q], e0) + _below(t, tp[j1, q], e0) + _below(t, tp[j2, q], e0)
                ) + _below(t, tp[j3, q], e0)


@numba.njit(cache=True, nogil=True, inline="always")
def _count_two(tp, i, j0, j1, b, tcmp, acc):
    # as `_count_four` for two neighbours of i in one spatial band
    L = tp.shape[1]
    K = tcmp.size
    for k in range(0, K, 3):
        if K - k >= 3:
            e0, e1, e2 = tcmp[k], tcmp[k + 1], tcmp[k + 2]
            for q in range(L):
                t = tp[i, q]
                u0, u1 = tp[j0, q], tp[j1, q]
                acc[b, k, q] += _below(t, u0, e0) + _below(t, u1, e0)
                acc[b, k + 1, q] += _below(t, u0, e1) + _below(t, u1, e1)
                acc[b, k + 2, q] += _below(t, u0, e2) + _below(t, u1, e2)
        elif K - k == 2:
            e0, e1 = tcmp[k], tcmp[k + 1]
            for q in range(L):
                t = tp[i, q]
                u0, u1 = tp[j0, q], tp[j1, q]
                acc[b, k, q] += _below(t, u0, e0) + _below(t, u1, e0)
                acc[b, k + 1, q] += _below(t, u0, e1) + _below(t, u1, e1)
        else:
            e0 = tcmp[k]
            for q in range(L):
                t = tp[i, q]
                acc[b, k, q] += _below(t, tp[j0, q], e0) + _below(t, tp[j1, q], e0)


@numba.njit(cache=True, nogil=True, inline="always")
def _count_runs(tp, i, nbr, band, s, e, tcmp, acc):
    """The pairs (i, nbr[p]) for s <= p < e, sorted by spatial band (`_by_band`): four (or two) at a time within a
    band."""
    p = s
    while p < e:
        b = band[p]
        if p + 3 < e and band[p + 3] == b:
            _count_four(tp, i, nbr[p], nbr[p + 1], nbr[p + 2], nbr[p + 3], b, tcmp, acc)
            p += 4
        elif p + 1 < e and band[p + 1] == b:
            _count_two(tp, i, nbr[p], nbr[p + 1], b, tcmp, acc)
            p += 2
        else:
            _count_pair(tp, i, nbr[p], b, tcmp, acc)
            p += 1


@numba.njit(cache=True, nogil=True, inline="always")
def _by_band(nbr, band, s, e, nb, tn, tb, start):
    """Sorts nbr[s:e] and band[s:e] by band (stable counting sort of bands 0..nb-1, through the scratch tn and tb
    with room for e - s, and start with room for nb + 1), so that `_count_runs` finds each band in one run."""
    start[: nb + 1] = 0
    for p in range(s, e):
        start[band[p] + 1] += 1
    for b in range(nb):
        start[b + 1] += start[b]
    for p in range(s, e):
        b = band[p]
        tn[start[b]] = nbr[p]
        tb[start[b]] = b
        start[b] += 1
    nbr[s:e] = tn[: e - s]
    band[s:e] = tb[: e - s]


@numba.njit(cache=True, nogil=True, inline="always")
def _stored_block(indptr, nbr, band, tp, tcmp, lo, hi, acc):
    for i in range(lo, hi):
        _count_runs(tp, i, nbr, band, indptr[i], indptr[i + 1], tcmp, acc)


@numba.njit(cache=True, nogil=True, inline="always")
def _streamed_block(xs, ys, keys, ny, metric, edges, tp, tcmp, lo, hi, acc):
    # the pairs of points lo..hi enumerated again (`_walk`, as for `_pairs_fill`) instead of read from memory
    nbr = np.empty(256, dtype=np.int32)
    band = np.empty(256, dtype=np.int8)
    tn = np.empty(256, dtype=np.int32)
    tb = np.empty(256, dtype=np.int8)
    start = np.empty(edges.size + 1, dtype=np.int64)
    for i in range(lo, hi):
        window = _window(keys, i, ny)
        nbr, band = _room(window, nbr, band)
        tn, tb = _room(window, tn, tb)
        m = _walk(xs, ys, metric, edges, i, window, True, nbr, band, 0)
        if edges.size > 1:
            _by_band(nbr, band, 0, m, edges.size, tn, tb, start)
        _count_runs(tp, i, nbr, band, 0, m, tcmp, acc)


@numba.njit(cache=True, nogil=True)
def _lanes_stored_serial(indptr, nbr, band, tp, tcmp, nsb, blocks):
    """Cumulative counts out[b, k, q]: stored pairs of spatial band b with |time difference| < tcmp[k] under the
    times of lane q (tp: points x lanes), over the blocks of points blocks[0]..blocks[-1] (int32 counters per
    block, each block holding fewer than 2^31 pairs; summed in int64). One thread, without the GIL: `_threads`
    runs one block per call on each of several threads."""
    out = np.zeros((nsb, tcmp.size, tp.shape[1]), dtype=np.int64)
    acc = np.zeros((nsb, tcmp.size, tp.shape[1]), dtype=np.int32)
    for g in range(blocks.size - 1):
        acc[:] = 0
        _stored_block(indptr, nbr, band, tp, tcmp, blocks[g], blocks[g + 1], acc)
        out += acc
    return out


@numba.njit(cache=True, nogil=True)
def _lanes_streamed_serial(xs, ys, keys, ny, metric, edges, tp, tcmp, nsb, blocks):
    """As `_lanes_stored_serial`, the pairs enumerated again block by block (nothing stored: bounded memory)."""
    out = np.zeros((nsb, tcmp.size, tp.shape[1]), dtype=np.int64)
    acc = np.zeros((nsb, tcmp.size, tp.shape[1]), dtype=np.int32)
    for g in range(blocks.size - 1):
        acc[:] = 0
        _streamed_block(xs, ys, keys, ny, metric, edges, tp, tcmp, blocks[g], blocks[g + 1], acc)
        out += acc
    return out


# numpy's PCG64 (the bit generator of numpy.random.default_rng): a 128-bit LCG, state <- state * MULT + inc, whose
# output is XSL-RR of the new state; Generator.random() takes one output x per draw: (x >> 11) * 2^-53
PCG_MULT = (2549297995355413924 << 64) + 4865540595714422341
PCG_MOD = 2**128
PCG_MULT_INV = pow(PCG_MULT, -1, PCG_MOD)  # the step backwards: state <- (state - inc) * PCG_MULT_INV
_INV_HI = np.uint64(PCG_MULT_INV >> 64)
_INV_LO = np.uint64(PCG_MULT_INV & (2**64 - 1))


@intrinsic
def _affine128(typingctx, hi, lo, mhi, mlo, ahi, alo):
    """(hi:lo) * (mhi:mlo) + (ahi:alo) modulo 2^128, as (hi, lo): LLVM's native 128-bit integers (numba has none)."""
    u64 = types.uint64
    sig = types.UniTuple(u64, 2)(u64, u64, u64, u64, u64, u64)

    def codegen(context, builder, signature, args):
        i128, i64 = llvm_ir.IntType(128), llvm_ir.IntType(64)
        shift = llvm_ir.Constant(i128, 64)

        def join(h, low):
            return builder.or_(builder.shl(builder.zext(h, i128), shift), builder.zext(low, i128))

        r = builder.add(builder.mul(join(args[0], args[1]), join(args[2], args[3])), join(args[4], args[5]))
        parts = [builder.trunc(builder.lshr(r, shift), i64), builder.trunc(r, i64)]
        return context.make_tuple(builder, signature.return_type, parts)

    return sig, codegen


@numba.njit(cache=True, nogil=True, inline="always")
def _pcg_double(hi, lo):
    """numpy's PCG64 draw from the state (hi:lo) just stepped to: XSL-RR output, then its top 53 bits / 2^53."""
    x = hi ^ lo
    rot = hi >> np.uint64(58)
    x = (x >> rot) | (x << ((np.uint64(64) - rot) & np.uint64(63)))
    return np.float64(x >> np.uint64(11)) * (1.0 / 9007199254740992.0)


@numba.njit(cache=True, nogil=True, inline="always")
def _fisher_yates(ts, states, q, col):
    """col = ts permuted as `numpy.random.default_rng(chunk).random(n)` and Fisher-Yates from the last position
    down would (u[i] in [0, 1) swaps position i with int(u[i] * (i + 1))): states[q] = (hi, lo) of the PCG64 state
    after the last of the permutation's n draws and (hi, lo) of -inc / MULT, so the draws come out last first,
    stepping the generator backwards, with no array of draws."""
    n = ts.size
    hi, lo, ahi, alo = states[q, 0], states[q, 1], states[q, 2], states[q, 3]
    col[:] = ts
    for i in range(n - 1, 0, -1):
        u = _pcg_double(hi, lo)
        hi, lo = _affine128(hi, lo, _INV_HI, _INV_LO, ahi, alo)
        j = int(u * (i + 1))
        if j > i:
            j = i
        col[i], col[j] = col[j], col[i]


@numba.njit(cache=True, nogil=True, inline="always")
def _permute_lanes(ts, states, tp, lo, hi):
    """tp[:, q] for lanes lo <= q < hi: BATCH permutations at a time in rows of a buffer (each in the cache while
    it is shuffled), then copied into the lanes."""
    buf = np.empty((BATCH, ts.size), dtype=ts.dtype)
    for start in range(lo, hi, BATCH):
        size = min(BATCH, hi - start)
        for r in range(size):
            _fisher_yates(ts, states, start + r, buf[r])
        for i in range(ts.size):
            for r in range(size):
                tp[i, start + r] = buf[r, i]


@numba.njit(cache=True, nogil=True)
def _permute_serial(ts, states, tp, lo, hi):
    """`_permute_lanes` on one thread, without the GIL (`_threads` runs lane ranges on several)."""
    _permute_lanes(ts, states, tp, lo, hi)


def _pcg_states(group, n: int) -> np.ndarray:
    """For every permutation of a group of chunks, in order: uint64 (hi, lo) of the PCG64 state after its n draws
    from its chunk's stream (`numpy.random.default_rng(seed sequence)`, permutation m of a chunk taking draws
    m * n .. (m + 1) * n - 1, as `random((permutations, n))` gives them) and (hi, lo) of -inc * MULT^-1 (the
    backward step). Jumps ahead in O(log n) (Brown, "Random number generation with arbitrary strides", 1994)."""
    rows = []
    for seedseq, m in group:
        st = np.random.PCG64(seedseq).state["state"]
        s, inc = int(st["state"]), int(st["inc"])
        mult, add = _jump(inc, n)
        back = (-inc * PCG_MULT_INV) % PCG_MOD
        for _ in range(m):
            s = (mult * s + add) % PCG_MOD
            rows.append((s >> 64, s & (2**64 - 1), back >> 64, back & (2**64 - 1)))
    return np.array(rows, dtype=np.uint64).reshape(-1, 4)


def _jump(inc: int, steps: int) -> tuple[int, int]:
    """(a, c) with state after `steps` steps = a * state + c (mod 2^128)."""
    a, c = 1, 0
    m, d = PCG_MULT, inc
    while steps:
        if steps & 1:
            a, c = (a * m) % PCG_MOD, (c * m + d) % PCG_MOD
        d = (d * (m + 1)) % PCG_MOD
        m = (m * m) % PCG_MOD
        steps >>= 1
    return a, c


def _threads(parallel: bool, func, tasks: list) -> list:
    """[func(*task) for task in tasks], on `numba.get_num_threads()` Python threads when `parallel` (the kernels
    release the GIL), each thread taking the next task when it is done with one: a thread the system leaves waiting
    on a busy machine holds up nobody, where a static split of the work (numba's parallel loops) waits for it."""
    threads = min(len(tasks), max(1, numba.get_num_threads())) if parallel else 1
    if threads <= 1:
        return [func(*task) for task in tasks]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(threads, thread_name_prefix="knox") as pool:
        return list(pool.map(lambda task: func(*task), tasks))


def _lane_times(parallel: bool, ts, group) -> tuple[np.ndarray, int]:
    """The times of every permutation of a group of chunks side by side: (points, lanes) in the dtype of ts, the
    lanes padded to a multiple of 8 with unpermuted times (their counts are dropped). Each permutation is fixed by
    its chunk's random stream and its place in the chunk (so any grouping of chunks, any number of threads, gives
    the same permutations): numpy's `default_rng(chunk).random((permutations, n))` draws, here computed by numba
    from the generator's state, PERMUTE_LANES lanes per task."""
    lanes = sum(m for _, m in group)
    padded = -(-lanes // BATCH) * BATCH
    tp = np.empty((ts.size, padded), dtype=ts.dtype)
    states = _pcg_states(group, ts.size)
    tasks = [(ts, states, tp, lo, min(lanes, lo + PERMUTE_LANES)) for lo in range(0, lanes, PERMUTE_LANES)]
    _threads(parallel, _permute_serial, tasks)
    tp[:, lanes:] = ts[:, None]
    return tp, lanes


def _group_stored(parallel, indptr, nbr, band, ts, tcmp, nsb, blocks, group):
    """Cumulative counts (lanes, nsb, edges) of the stored pairs for one group of permutation chunks."""
    tp, lanes = _lane_times(parallel, ts, group)
    out = _count_stored(parallel, indptr, nbr, band, tp, tcmp, nsb, blocks)
    return np.ascontiguousarray(out[:, :, :lanes].transpose(2, 0, 1))


def _group_streamed(parallel, xs, ys, keys, ny, metric, edges, ts, tcmp, nsb, blocks, group):
    """As `_group_stored`, enumerating the pairs again (nothing stored)."""
    tp, lanes = _lane_times(parallel, ts, group)
    out = _count_streamed(parallel, xs, ys, keys, ny, metric, edges, tp, tcmp, nsb, blocks)
    return np.ascontiguousarray(out[:, :, :lanes].transpose(2, 0, 1))


def _count_stored(parallel, indptr, nbr, band, tp, tcmp, nsb, blocks) -> np.ndarray:
    """Cumulative counts (nsb, edges, lanes) of the stored pairs under the lane times tp, a block per task."""
    if not parallel:
        return _lanes_stored_serial(indptr, nbr, band, tp, tcmp, nsb, blocks)
    tasks = [(indptr, nbr, band, tp, tcmp, nsb, blocks[g : g + 2]) for g in range(blocks.size - 1)]
    return np.sum(_threads(True, _lanes_stored_serial, tasks), axis=0)


def _count_streamed(parallel, xs, ys, keys, ny, metric, edges, tp, tcmp, nsb, blocks) -> np.ndarray:
    """As `_count_stored`, the pairs enumerated again."""
    if not parallel:
        return _lanes_streamed_serial(xs, ys, keys, ny, metric, edges, tp, tcmp, nsb, blocks)
    tasks = [(xs, ys, keys, ny, metric, edges, tp, tcmp, nsb, blocks[g : g + 2]) for g in range(blocks.size - 1)]
    return np.sum(_threads(True, _lanes_streamed_serial, tasks), axis=0)


# ------------------------------------------------------------------------------------------------------- machinery
@dataclass
class _Pairs:
    """The close pairs of points sorted by grid cell: stored (CSR) when they fit in MAX_STORED_PAIRS, otherwise
    only counted per point (nbr and band None) and enumerated again, block by block, in every pass."""

    order: np.ndarray  # sorted position -> input index
    xs: np.ndarray  # int64 centimetres, sorted
    ys: np.ndarray
    keys: np.ndarray  # int64 grid cell of each sorted point
    ny: int
    metric: int  # 0 Manhattan, 1 Euclidean
    edges: np.ndarray  # int64 distance edges in comparison space (centimetres, squared for Euclidean)
    indptr: np.ndarray  # int64 (n + 1): pairs of each point with later points
    nbr: np.ndarray | None  # int32 neighbour (sorted position), later in the order
    band: np.ndarray | None  # int8 spatial band of each stored pair
    blocks: np.ndarray  # point boundaries of blocks of about equal numbers of pairs

    @property
    def close(self) -> int:
        return int(self.indptr[-1])

    @property
    def stored(self) -> bool:
        return self.nbr is not None


def _enumerate_pairs(x, y, metric: str, edges_cmp: np.ndarray, cell: int) -> _Pairs:
    """All pairs with distance < edges_cmp[-1] (integers, in comparison space: centimetres, squared for Euclidean),
    over points sorted by grid cell. x, y: int64 centimetres from the minimum (>= 0); `cell` (cm) at least the
    largest distance enumerated, so that such a pair is in the same or a next cell. No cap on the number of pairs:
    beyond MAX_STORED_PAIRS they are not stored but enumerated again in each pass (memory stays bounded)."""
    cx = x // cell
    cy = y // cell + 1  # rows 1..ny-2: neighbours never wrap a column
    ny = int(cy.max()) + 2
    if (int(cx.max()) + 1) * ny >= 2**62:
        raise InputError(
            f"the incidents spread over too many cells of {cell / CM_PER_M:g} m: are the coordinates in metres?"
        )
    keys = cx * ny + cy
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    xs = np.ascontiguousarray(x[order])
    ys = np.ascontiguousarray(y[order])
    m = 0 if metric == "manhattan" else 1
    cnt = _pairs_count(xs, ys, keys, ny, m, edges_cmp)
    indptr = np.zeros(x.size + 1, dtype=np.int64)
    np.cumsum(cnt, out=indptr[1:])
    del cnt
    total = int(indptr[-1])
    # int32 counters per block: fewer than 2^31 pairs in each (a block ends after the point that reaches its share)
    parts = max(16 * max(1, numba.get_num_threads()), -(-total // BLOCK_PAIRS))
    blocks = _blocks(indptr, parts)
    nbr = band = None
    if total <= MAX_STORED_PAIRS:
        nbr = np.empty(total, dtype=np.int32)
        band = np.empty(total, dtype=np.int8)
        _pairs_fill(xs, ys, keys, ny, m, edges_cmp, indptr, nbr, band)
    return _Pairs(order, xs, ys, keys, ny, m, edges_cmp, indptr, nbr, band, blocks)


def _blocks(indptr: np.ndarray, parts: int) -> np.ndarray:
    """Point boundaries splitting the pairs into `parts` blocks of about equal size (load balance)."""
    targets = np.linspace(0, indptr[-1], parts + 1)
    b = np.searchsorted(indptr, targets, side="left").astype(np.int64)
    b[0], b[-1] = 0, indptr.size - 1
    return np.unique(b)


def _lane_units(ts: np.ndarray, tedges: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Times (int64 seconds) and time edges in the lanes' exact unit: seconds from the earliest time divided by
    their greatest common divisor with the edges (dates alone: whole days), as int32 when the span fits (half the
    memory and twice the lanes per vector instruction of int64), else int64. Edges above the span are lowered to
    span + 1 (every difference is below both: the same answer), so they fit the lanes' type."""
    t0 = ts - ts.min()
    g = int(np.gcd.reduce(np.concatenate([t0, tedges])))
    t0 //= g
    span = int(t0.max())
    e = np.minimum(tedges // g, span + 1)
    dtype = np.int32 if span <= 2**31 - 2 else np.int64
    return t0.astype(dtype), e.astype(dtype)


def _count_here(pairs: _Pairs, tp: np.ndarray, tcmp: np.ndarray, nsb: int, parallel: bool) -> np.ndarray:
    """Cumulative counts (nsb, edges, lanes) of the close pairs under the lane times tp, here."""
    if pairs.stored:
        return _count_stored(parallel, pairs.indptr, pairs.nbr, pairs.band, tp, tcmp, nsb, pairs.blocks)
    p = pairs
    return _count_streamed(parallel, p.xs, p.ys, p.keys, p.ny, p.metric, p.edges, tp, tcmp, nsb, p.blocks)


def _groups(chunks: list, points: int, itemsize: int) -> list[list]:
    """Consecutive permutation chunks grouped into one pass over the pairs each, as many lanes as fit MAX_LANES
    and LANES_BYTES (the permuted times, points x lanes). The grouping changes no result (each chunk keeps its
    random stream), only how often the pairs are read."""
    cap = max(1, min(MAX_LANES, LANES_BYTES // max(1, points * itemsize)))
    groups: list[list] = []
    lanes = 0
    for chunk in chunks:
        if groups and lanes + chunk[1] <= cap:
            groups[-1].append(chunk)
            lanes += chunk[1]
        else:
            groups.append([chunk])
            lanes = chunk[1]
    return groups


def _simulate(
    pairs: _Pairs,
    lane_ts: np.ndarray,
    tcmp: np.ndarray,
    nsb: int,
    permutations: int,
    seed: int | None,
    scheduler: Any,
    progress: Callable[[float], None] | None,
) -> np.ndarray:
    """Cumulative counts (permutations, nsb, edges) of the close pairs under permuted times."""
    from analysis.parallel import plan, run_chunks

    groups = _groups(plan(seed, permutations), lane_ts.size, lane_ts.itemsize)
    # threads pay only for larger pair lists; on Dask each worker already runs one task per core
    parallel = scheduler is None and pairs.close >= PARALLEL_PAIRS
    func: Callable[..., Any]
    if pairs.stored:
        func = _group_stored
        shared: tuple = (parallel, pairs.indptr, pairs.nbr, pairs.band, lane_ts, tcmp, int(nsb), pairs.blocks)
    else:
        func = _group_streamed
        shared = (parallel, pairs.xs, pairs.ys, pairs.keys, pairs.ny, pairs.metric, pairs.edges, lane_ts, tcmp)
        shared += (int(nsb), pairs.blocks)
    results = run_chunks(func, shared, groups, scheduler=scheduler, progress=progress)
    return np.concatenate(results, axis=0) if results else np.zeros((0, nsb, tcmp.size), np.int64)


def _tables(cum: np.ndarray, S_close: np.ndarray, T: np.ndarray) -> np.ndarray:
    """Full tables from cumulative counts (..., close rows, edges): column c holds the pairs below edge c and not
    below edge c - 1, the last column the rest of each row's total S_i; the beyond row is each column's total T_j
    minus the close rows."""
    shape = cum.shape[:-1] + (1,)
    full = np.concatenate([np.zeros(shape, np.int64), cum, np.broadcast_to(S_close[:, None], shape)], axis=-1)
    tab = np.diff(full, axis=-1)
    beyond = T - tab.sum(axis=-2)
    return np.concatenate([tab, beyond[..., None, :]], axis=-2)


def _observe(pairs: _Pairs, lane_ts: np.ndarray, tcmp: np.ndarray, nsb: int) -> tuple[np.ndarray, np.ndarray]:
    """Observed cumulative counts (nsb, edges) and each spatial band's total S (one more edge above every
    difference)."""
    edges = np.append(tcmp, np.asarray(lane_ts.max(), dtype=np.int64) + 1).astype(lane_ts.dtype)
    cum = _count_here(pairs, np.ascontiguousarray(lane_ts[:, None]), edges, nsb, pairs.close >= PARALLEL_PAIRS)[:, :, 0]
    return cum[:, :-1], cum[:, -1]


def _check_points(x, y, t) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if t is None:
        raise InputError("times are missing: near-repeat analysis needs a date or time for every incident")
    try:
        x = np.ascontiguousarray(np.asarray(x, dtype=np.float64).ravel())
        y = np.ascontiguousarray(np.asarray(y, dtype=np.float64).ravel())
        t = np.ascontiguousarray(np.asarray(t, dtype=np.float64).ravel())
    except (TypeError, ValueError) as exc:
        raise InputError(f"coordinates and times must be numbers ({exc})") from exc
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


def _integer_points(x, y, t) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked float coordinates (metres) and times (days) -> int64 whole centimetres from the smallest x and y
    (so >= 0) and int64 whole seconds, each rounded once to the nearest unit (numpy.rint: ties to even). Refuses
    a spread of points above MAX_EXTENT_CM (squared distances would overflow int64) and absurd times."""
    if max(float(np.abs(x).max()), float(np.abs(y).max())) > 1e16:
        raise InputError("coordinates above 1e16 m: are they in metres?")
    if float(np.abs(t).max()) > MAX_ABS_DAYS:
        raise InputError(f"times more than {MAX_ABS_DAYS:g} days from 1970: are they in days?")
    xi = np.rint(x * CM_PER_M).astype(np.int64)
    yi = np.rint(y * CM_PER_M).astype(np.int64)
    xi -= xi.min()
    yi -= yi.min()
    extent = max(int(xi.max()), int(yi.max()))
    if extent > MAX_EXTENT_CM:
        raise InputError(
            f"the incidents spread over {extent / 1e5:,.0f} km (at most {MAX_EXTENT_CM / 1e5:,.0f} km, so that "
            "squared distances in centimetres stay exact): are the coordinates in metres?"
        )
    ti = np.rint(t * SECONDS_PER_DAY).astype(np.int64)
    return xi, yi, ti


def whole_units(name: str, value: float, per: int, unit: str, given: str, limit: float) -> int:
    """A positive edge given in metres / days -> whole centimetres / seconds. It must be a whole number of the
    unit (decided exactly on the decimal value as written, e.g. 0.1 days = 8640 s, with a tolerance of 1e-6 unit
    for values computed in floating point, e.g. 7 / 24 days); otherwise an InputError, never a silent rounding."""
    from decimal import Decimal

    exact = Decimal(repr(float(value))) * per
    whole = int(exact.to_integral_value())
    if abs(exact - whole) > Decimal("1e-6") or whole < 1:
        raise InputError(
            f"{name} must be a whole number of {unit} ({value:g} {given} = {float(exact):g} {unit}): edges are "
            f"compared exactly at that resolution"
        )
    if whole > limit:
        raise InputError(f"{name} must be at most {limit / per:g} {given} (got {value:g})")
    return whole


def _positive(name: str, value) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{name} must be a number (got {value!r})") from exc
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
    observed: np.ndarray  # int64 pair counts
    expected: np.ndarray  # exact permutation expectation S_i T_j / P
    ratio: np.ndarray  # observed / expected (NaN where expected is 0)
    p_value: np.ndarray  # Monte Carlo (1 + #{permuted >= observed}) / (1 + permutations)
    simulated_mean: np.ndarray  # mean of the permuted tables (the NRC's "mean expected")
    n: int
    pairs: int  # all pairs, n (n - 1) / 2
    close_pairs: int  # pairs closer than the largest distance edge (enumerated)
    permutations: int
    seed: int | None
    metric: str
    distance_band: float = 0.0
    time_band: float = 0.0
    same_location: float = 1.0
    method: str = field(default="near_repeat")
    resolution: str = RESOLUTION

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "n": self.n,
            "pairs": self.pairs,
            "close_pairs": self.close_pairs,
            "metric": self.metric,
            "permutations": self.permutations,
            "seed": self.seed,
            "distance_band": self.distance_band,
            "time_band": self.time_band,
            "same_location": self.same_location,
            "convention": self.convention,
            "resolution": self.resolution,
            "distance_unit": "metres",
            "time_unit": "days",
            "distance_resolution": "cm",
            "time_resolution": "s",
            "distance_edges": [None if not math.isfinite(v) else v for v in self.distance_edges.tolist()],
            "time_edges": [None if not math.isfinite(v) else v for v in self.time_edges.tolist()],
            "row_labels": self.row_labels,
            "col_labels": self.col_labels,
            "observed": self.observed.tolist(),
            "expected": _clean(self.expected),
            "ratio": _clean(self.ratio),
            "p_value": _clean(self.p_value),
            "simulated_mean": _clean(self.simulated_mean),
        }

    def to_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [
            [
                "distance",
                "time",
                "distance_from_m",
                "distance_to_m",
                "time_from_days",
                "time_to_days",
                "observed",
                "expected",
                "ratio",
                "p_value",
                "simulated_mean",
            ]
        ]

        def f(v):
            v = float(v)
            return "" if not math.isfinite(v) else round(v, 6)

        for r, rl in enumerate(self.row_labels):
            for c, cl in enumerate(self.col_labels):
                rows.append(
                    [
                        rl,
                        cl,
                        f(self.distance_edges[r]),
                        f(self.distance_edges[r + 1]),
                        f(self.time_edges[c]),
                        f(self.time_edges[c + 1]),
                        int(self.observed[r, c]),
                        f(self.expected[r, c]),
                        f(self.ratio[r, c]),
                        f(self.p_value[r, c]),
                        f(self.simulated_mean[r, c]),
                    ]
                )
        return rows


def near_repeat(
    x,
    y,
    t,
    *,
    distance_band: float,
    distance_bands: int,
    time_band: float,
    time_bands: int,
    metric: str = "manhattan",
    permutations: int = 999,
    seed: int | None = 0,
    scheduler: Any = None,
    progress: Callable[[float], None] | None = None,
    same_location: float = 1.0,
) -> NearRepeatResult:
    """Near-repeat table as Ratcliffe's Near Repeat Calculator computes it, with exact expectations.

    x, y: coordinates in metres; t: times in days (floats; dates via `analysis.io.to_days`), compared at whole
    centimetres and whole seconds (see the module's "Exact band edges"); the band widths must be whole centimetres
    and whole seconds.
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
    # edges in whole centimetres and seconds (InputError when not whole), compared in integers
    band_cm = whole_units("distance_band", distance_band, CM_PER_M, "centimetres", "m", MAX_EXTENT_CM)
    same_cm = whole_units("same_location", same_location, CM_PER_M, "centimetres", "m", MAX_EXTENT_CM)
    band_s = whole_units("time_band", time_band, SECONDS_PER_DAY, "seconds", "days", MAX_ABS_DAYS * SECONDS_PER_DAY)
    if band_cm * distance_bands > MAX_EXTENT_CM:
        raise InputError(
            f"the distance bands must reach at most {MAX_EXTENT_CM / 1e5:,.0f} km (distance_band x distance_bands)"
        )
    if band_s * time_bands > 2 * MAX_ABS_DAYS * SECONDS_PER_DAY:
        raise InputError(f"the time bands must reach at most {2 * MAX_ABS_DAYS:g} days (time_band x time_bands)")
    xi, yi, ti = _integer_points(x, y, t)

    n = x.size
    P = n * (n - 1) // 2
    upper_cm = np.array([same_cm] + [band_cm * (k + 1) for k in range(distance_bands)], dtype=np.int64)
    upper = upper_cm / CM_PER_M  # metres, for the result
    reach = float(upper[-1])
    edges_cmp = upper_cm if metric == "manhattan" else upper_cm * upper_cm
    tedges = np.array([band_s * (k + 1) for k in range(time_bands)], dtype=np.int64)
    nsb = upper.size  # enumerated rows: same location + distance bands

    pairs = _enumerate_pairs(xi, yi, metric, edges_cmp, int(upper_cm[-1]))
    close = pairs.close
    below = _time_pairs_below(np.sort(ti), tedges)
    T = np.diff(np.concatenate([[0], below, [P]])).astype(np.int64)
    lane_ts, tcmp = _lane_units(ti[pairs.order], tedges)
    cum, S_close = _observe(pairs, lane_ts, tcmp, nsb)
    S = np.append(S_close, P - close)
    expected = np.outer(S.astype(np.float64), T.astype(np.float64)) / P  # float: S*T overflows int64 at 1M
    observed = _tables(cum, S_close, T)
    sims = _tables(_simulate(pairs, lane_ts, tcmp, nsb, permutations, seed, scheduler, progress), S_close, T)
    p_value = (1.0 + (sims >= observed[None]).sum(axis=0)) / (1.0 + permutations)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(expected > 0, observed / np.where(expected > 0, expected, 1.0), np.nan)

    dist_edges = np.concatenate([[0.0], upper, [np.inf]])
    tdays = tedges / SECONDS_PER_DAY
    time_edges = np.concatenate([[0.0], tdays, [np.inf]])
    row_labels = ["0"] + [f"{_num(a)}-{_num(b)}" for a, b in zip(upper[:-1], upper[1:])] + [f">={_num(reach)}"]
    col_labels = [f"{_num(a)}-{_num(b)}" for a, b in zip(time_edges[:-2], tdays)] + [f">={_num(tdays[-1])}"]
    return NearRepeatResult(
        distance_edges=dist_edges,
        time_edges=time_edges,
        row_labels=row_labels,
        col_labels=col_labels,
        convention=CONVENTION.format(s=same_location),
        observed=observed,
        expected=expected,
        ratio=ratio,
        p_value=p_value,
        simulated_mean=sims.mean(axis=0),
        n=n,
        pairs=P,
        close_pairs=close,
        permutations=permutations,
        seed=seed,
        metric=metric,
        distance_band=distance_band,
        time_band=time_band,
        same_location=same_location,
    )


# ------------------------------------------------------------------------------------------------------ Knox 2x2
@dataclass
class KnoxResult:
    """Classic Knox test. `observed`/`expected_table` are 2x2: [[close in space and time, close in space only],
    [close in time only, neither]] (the layout of pointpats' Knox)."""

    stat: int  # pairs close in space (<= delta) and in time (<= tau)
    expected: float  # exact permutation expectation NS * NT / P
    p_value_sim: float  # (1 + #{permuted >= stat}) / (1 + permutations)
    p_value_poisson: float  # 1 - PoissonCDF(stat; expected)
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
    convention: str = KNOX_CONVENTION
    resolution: str = RESOLUTION

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": "knox",
            "stat": self.stat,
            "expected": self.expected,
            "p_value_sim": self.p_value_sim,
            "p_value_poisson": self.p_value_poisson,
            "permutations": self.permutations,
            "observed": self.observed.tolist(),
            "expected_table": self.expected_table.tolist(),
            "ns": self.ns,
            "nt": self.nt,
            "pairs": self.pairs,
            "n": self.n,
            "delta": self.delta,
            "tau": self.tau,
            "metric": self.metric,
            "seed": self.seed,
            "convention": self.convention,
            "resolution": self.resolution,
            "distance_unit": "metres",
            "time_unit": "days",
            "distance_resolution": "cm",
            "time_resolution": "s",
        }

    def to_rows(self) -> list[list[Any]]:
        rows: list[list[Any]] = [["space", "time", "observed", "expected"]]
        for r, sl in enumerate((f"<={_num(self.delta)}", f">{_num(self.delta)}")):
            for c, tl in enumerate((f"<={_num(self.tau)}", f">{_num(self.tau)}")):
                rows.append([sl, tl, int(self.observed[r, c]), round(float(self.expected_table[r, c]), 6)])
        return rows


def knox(
    x,
    y,
    t,
    *,
    delta: float,
    tau: float,
    permutations: int = 999,
    seed: int | None = 0,
    metric: str = "euclidean",
    scheduler: Any = None,
    progress: Callable[[float], None] | None = None,
) -> KnoxResult:
    """Classic 2x2 Knox test for space-time interaction (Knox 1964), as PySAL's `pointpats.spacetime.Knox`.

    A pair is close in space when its distance is <= `delta` (metres; Euclidean by default, as pointpats, or
    Manhattan) and close in time when |dt| <= `tau` (days): closed intervals, pointpats' convention (its KD-tree
    queries include the radius). Compared exactly at whole centimetres and whole seconds (delta and tau must be
    whole centimetres / seconds), so a pair exactly at delta or tau is always close. `stat` is the number of
    pairs close in both; `expected` = NS * NT / P, the exact expectation under random permutation of times
    (P = n(n-1)/2); `p_value_poisson` = 1 - Poisson CDF(stat, expected) (pointpats' `p_poisson`); `p_value_sim` =
    (1 + #{permuted stat >= stat}) / (1 + permutations), pointpats' `p_sim`, with our own seeded permutations (same
    seed, same value, here or on Dask).
    """
    x, y, t = _check_points(x, y, t)
    delta = _positive("delta", delta)
    tau = _positive("tau", tau)
    permutations = _count("permutations", permutations, 1)
    metric = _metric(metric)
    seed = _seed(seed)
    delta_cm = whole_units("delta", delta, CM_PER_M, "centimetres", "m", MAX_EXTENT_CM)
    tau_s = whole_units("tau", tau, SECONDS_PER_DAY, "seconds", "days", MAX_ABS_DAYS * SECONDS_PER_DAY)
    xi, yi, ti = _integer_points(x, y, t)
    n = x.size
    P = n * (n - 1) // 2
    # closed intervals as half-open ones, in integers: d <= e  <=>  d < e + 1 (Euclidean: d^2 <= e^2 < e^2 + 1)
    e = delta_cm if metric == "manhattan" else delta_cm * delta_cm
    edges_cmp = np.array([e + 1], dtype=np.int64)
    tedges = np.array([tau_s + 1], dtype=np.int64)
    pairs = _enumerate_pairs(xi, yi, metric, edges_cmp, delta_cm)
    NS = pairs.close
    NT = int(_time_pairs_below(np.sort(ti), tedges)[0])
    lane_ts, tcmp = _lane_units(ti[pairs.order], tedges)
    cum, _ = _observe(pairs, lane_ts, tcmp, 1)
    stat = int(cum[0, 0])
    sims = _simulate(pairs, lane_ts, tcmp, 1, permutations, seed, scheduler, progress)[:, 0, 0]
    p_sim = (1.0 + float((sims >= stat).sum())) / (1.0 + permutations)
    E = NS * NT / P
    from scipy.special import pdtr

    p_poisson = float(1.0 - pdtr(stat, E))
    observed = np.array([[stat, NS - stat], [NT - stat, P - NS - NT + stat]], dtype=np.float64)
    exp_table = np.array([[E, NS - E], [NT - E, 0.0]])
    exp_table[1, 1] = P - exp_table.sum()
    return KnoxResult(
        stat=stat,
        expected=float(E),
        p_value_sim=p_sim,
        p_value_poisson=p_poisson,
        permutations=permutations,
        observed=observed,
        expected_table=exp_table,
        ns=NS,
        nt=NT,
        pairs=P,
        n=n,
        delta=delta,
        tau=tau,
        metric=metric,
        seed=seed,
    )


# ------------------------------------------------------------------------------------------------------------ CLI
def cli_arguments(parser) -> None:
    """Options of `centinela-analysis knox`."""
    parser.add_argument("--input", required=True, help="CSV with x,y (metres) or lon,lat and a date/time column")
    parser.add_argument("--output", required=True, help="result file: .json or .csv")
    parser.add_argument(
        "--distance-band", type=float, default=100.0, help="width of each distance band, metres (whole centimetres)"
    )
    parser.add_argument("--distance-bands", type=int, default=3, help="number of distance bands")
    parser.add_argument("--time-band", type=float, default=7.0, help="width of each time band, days (whole seconds)")
    parser.add_argument("--time-bands", type=int, default=3, help="number of time bands")
    parser.add_argument(
        "--same-location",
        type=float,
        default=1.0,
        help="pairs closer than this (metres) form the same-location row (default 1)",
    )
    parser.add_argument(
        "--metric",
        choices=METRICS,
        default=None,
        help=f"distance (default: {DEFAULT_METRIC['near_repeat']} for the table, as the Near Repeat Calculator; "
        f"{DEFAULT_METRIC['knox']} for the 2x2 test with --delta, as pointpats). Coordinates are compared to the "
        "centimetre and times to the second, exactly",
    )
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--time-column", default=None, help="name of the date/time column (default t, date or time)")
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address (default: run here)")
    parser.add_argument(
        "--delta",
        type=float,
        default=None,
        help="classic 2x2 Knox test instead of the table: close in space when distance <= DELTA m (whole cm)",
    )
    parser.add_argument(
        "--tau", type=float, default=None, help="with --delta: close in time when |dt| <= TAU days (whole seconds)"
    )


def cli_run(args) -> int:
    """Run `centinela-analysis knox` and write the result."""
    from analysis.io import read_points, write_result

    if (args.delta is None) != (args.tau is None):
        raise InputError("--delta and --tau go together (classic 2x2 Knox test)")
    if not str(args.output).lower().endswith((".json", ".csv")):
        raise InputError("--output must end in .json or .csv")
    pts = read_points(args.input, time_column=args.time_column, require_time=True)
    result: KnoxResult | NearRepeatResult
    if args.delta is not None:
        result = knox(
            pts.x,
            pts.y,
            pts.t,
            delta=args.delta,
            tau=args.tau,
            permutations=args.permutations,
            seed=args.seed,
            metric=args.metric or DEFAULT_METRIC["knox"],
            scheduler=args.scheduler,
        )
    else:
        result = near_repeat(
            pts.x,
            pts.y,
            pts.t,
            distance_band=args.distance_band,
            distance_bands=args.distance_bands,
            time_band=args.time_band,
            time_bands=args.time_bands,
            metric=args.metric or DEFAULT_METRIC["near_repeat"],
            permutations=args.permutations,
            seed=args.seed,
            scheduler=args.scheduler,
            same_location=args.same_location,
        )
    write_result(result, args.output)
    return 0
