"""The permutation engine behind Gi*'s p-values, for the sums of k_i values drawn without replacement from the
other N - 1 cells: Monte Carlo (`_mc_counts` with its splitmix64 stream `_mix64` and bounded draws `_pick_rest`,
the composition tables `_mc_tables`/`_compositions`, `monte_carlo_prepare`, `monte_carlo_chunk` per chunk of `MC_CHUNK`
permutations; tuned by the `MC_*` constants) and exact (`_sum_distribution`, the deconvolved tails
`_exact_tails`, `exact_plan` and `exact_pvalues`, limited by `EXACT_MAX_WORK`)."""

from __future__ import annotations

import math

import numba
import numpy as np

EXACT_MAX_WORK = 4e9  # inner-loop steps accepted for the exact permutation tables
MC_CHUNK = 125  # permutations per chunk (analysis.parallel.plan): 8 chunks for 999


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
    values of count grids (most cells hold 0, many 1). `monte_carlo_prepare` splits the values into L "levels", the most
    frequent values (v_0 = base, v_1, ... ; L = 0 when no value repeats enough to pay), and the "rest": the B cells
    of any other value, listed in `d` as v - base (cell i at position pos[i] there, -1 when i is on a level;
    the table row of cell i, row_of[i], is set by k_i and i's group: its level, or the rest). A uniform k-subset of
    the n - 1 others is drawn in two exact steps:

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
    bits = 0  # guide.shape[1] == 2**bits buckets, indexed by u's top bits
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
            reject = (two32 - sb) % sb  # Lemire: low words below 2**32 mod b are rejected
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


MC_LEVELS = 5  # at most this many of the most frequent values become levels (see _mc_counts)
MC_LEVEL_SHARE = (0.10, 0.005)  # share of cells the first value / each further one must hold to become a level
MC_TABLE_MAX = 50_000  # most composition outcomes tabulated (over all rows); fewer levels beyond
MC_GUIDE_BITS = 12  # guide buckets per table row: 2**12 (2 when there are no levels: one outcome)


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
    if (
        ngroups > 1
        and ngroups * sum(math.comb(int(kv) + ngroups - 1, ngroups - 1) for kv in ks.tolist()) > MC_TABLE_MAX
    ):
        return None  # (an upper bound on the number of compositions, before listing them)
    rows: list[list | None] = []
    for kv in ks.tolist():
        for own in range(ngroups):
            caps = [s - (1 if g == own else 0) for g, s in enumerate(sizes)]
            if caps[own] < 0:
                rows.append(None)  # no cell of this group: the row is never used
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
        guide[r] = np.searchsorted(thr[r, : last[r]], starts, side="right")
    return thr, guide, last, osum, orest


def monte_carlo_prepare(values: np.ndarray, s_obs: np.ndarray, k: np.ndarray):
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


def monte_carlo_chunk(d, pos, row_of, thr, guide, last, osum, orest, s_rel, k, tol, chunk):
    """(above, below) counts per cell over one chunk (seed sequence, permutations) of `analysis.parallel.plan`."""
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
                for t in range(1, j + 1):  # binomial C(c, j)
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


def exact_plan(values: np.ndarray, k: np.ndarray):
    """Integer-shifted values and the exact tables' size and work, or None when the values are not integers."""
    if not np.all(np.isfinite(values)) or not np.array_equal(values, np.round(values)):
        return None
    vmin = values.min()
    shifted = (values - vmin).astype(np.int64)
    kmax = int(k.max()) if k.size else 0
    top = np.sort(np.partition(shifted, max(0, shifted.size - kmax))[shifted.size - kmax :]) if kmax else shifted[:0]
    smax = int(top.sum())
    hist = np.bincount(shifted) if shifted.max() < 50_000_000 else None
    if hist is None:
        return None
    vals = np.flatnonzero(hist)
    work = vals.size * (kmax + 1) * (smax + 1) * (min(kmax, 8) + 2.0)
    memory = 3.0 * (kmax + 1) * (smax + 1) * 8 * (numba.get_num_threads() + 2)
    return shifted, vmin, vals, hist[vals], kmax, smax, work, memory


def exact_pvalues(values, s_obs, k, prepared):
    """Exact (p_hot, p_cold) per cell from the tables `exact_plan` sized (`prepared`)."""
    shifted, vmin, vals, mult, kmax, smax, _, _ = prepared
    n = values.size
    f = _sum_distribution(vals.astype(np.int64), mult.astype(np.int64), n, kmax, smax)
    s_int = np.rint(s_obs - k * vmin).astype(np.int64)
    order = np.argsort(shifted, kind="stable")
    sv = shifted[order]
    group_vals, group_start = np.unique(sv, return_index=True)
    group_start = np.append(group_start, n).astype(np.int64)
    return _exact_tails(f, float(n), group_vals.astype(np.int64), group_start, order, s_int, k, kmax)


# ------------------------------------------------------------------------------------------------ per class

CLASS_MAX_DRAWS = 2e8  # most stored simulated sums (classes x permutations) for method "mc-class"


@numba.njit(cache=True, parallel=True)
def _class_sums(values, rep, kcls, nperm, key0, key1):
    """Sorted simulated neighbour sums per class: row c holds `nperm` sums of kcls[c] values drawn without
    replacement from the n - 1 cells other than rep[c] (a cell of the class's own value), each draw uniform
    (`_pick_rest`); one splitmix64 stream per class, keyed by (key0, key1) and the class index."""
    n = values.size
    ncls = rep.size
    out = np.empty((ncls, nperm))
    golden = np.uint64(0x9E3779B97F4A7C15)
    two32 = np.uint64(4294967296)
    kmax = 0
    for c in range(ncls):
        kmax = max(kmax, kcls[c])
    b = n - 1
    need_scratch = kmax > 16 or 4 * kmax > b
    sb = np.uint64(max(b, 1))
    reject = (two32 - sb) % sb
    for c in numba.prange(ncls):
        picked = np.empty(max(kmax, 1), dtype=np.int64)
        scratch = np.arange(n) if need_scratch else np.empty(0, dtype=np.int64)
        state = key0 ^ _mix64(key1 + np.uint64(c) * golden)
        row = out[c]
        for p in range(nperm):
            acc, state = _pick_rest(values, picked, scratch, kcls[c], b, rep[c], sb, reject, state)
            row[p] = acc
        row.sort()
    return out


@numba.njit(cache=True, parallel=True)
def _class_counts(sums, cls, s_obs, tol):
    """For every cell: how many of its class's simulated sums are >= / <= its observed sum (within tol[i])."""
    n = cls.size
    nperm = sums.shape[1]
    ge = np.empty(n, dtype=np.int64)
    le = np.empty(n, dtype=np.int64)
    for i in numba.prange(n):
        row = sums[cls[i]]
        ge[i] = nperm - np.searchsorted(row, s_obs[i] - tol[i], side="left")
        le[i] = np.searchsorted(row, s_obs[i] + tol[i], side="right")
    return ge, le


def class_plan(values: np.ndarray, k: np.ndarray, permutations: int):
    """Cells grouped by (own value, k): (cls per cell, representative cell per class, k per class), or None when
    there are so many classes that sharing draws saves nothing."""
    uniq_v, vid = np.unique(values, return_inverse=True)
    key = vid.ravel().astype(np.int64) * (int(k.max()) + 1) + k
    keys, first, cls = np.unique(key, return_index=True, return_inverse=True)
    if keys.size * permutations > CLASS_MAX_DRAWS or keys.size > max(64, values.size // 4):
        return None
    return cls.ravel().astype(np.int64), first.astype(np.int64), k[first].astype(np.int64)


def class_pvalue_counts(values, s_obs, k, permutations, seed, tol, plan_):
    """(above, below) counts per cell from `permutations` simulated sums per class of `class_plan` (`plan_`)."""
    cls, rep, kcls = plan_
    key = np.random.SeedSequence(seed).generate_state(2, dtype=np.uint64)
    sums = _class_sums(values, rep, kcls, int(permutations), key[0], key[1])
    return _class_counts(sums, cls, s_obs, tol)
