"""The Monte Carlo Gi* kernel (analysis.hotspots.permutation._mc_counts): exact in distribution, own value excluded
exactly.

The kernel draws, per cell and permutation, the composition of a uniform k-subset of the other cells (how many picks
fall on each frequent value, "level") from exact multivariate hypergeometric tables, then only the picks among the
remaining values. These tests check the tables against brute-force enumeration, and the kernel's counts against the
exact conditional-permutation law (full enumeration on small inputs, `method="exact"` on count grids): each count
#{S >= s} is Binomial(P, p_hot) and #{S <= s} Binomial(P, p_cold), checked cell by cell (no cell far out) and
jointly (chi-square of the standardised counts, Kolmogorov-Smirnov of their randomised binomial PIT values).
"""

from __future__ import annotations

import itertools
import math

import numba
import numpy as np
import pytest
from scipy import stats

from analysis import hotspots as hs


def kernel_counts(values, neighbours, perms, seed=3):
    """(ge, le) summed over the fixed chunks of `perms` permutations, as gistar(method='mc') does it."""
    values = np.asarray(values, dtype=float)
    indptr, indices = hs.checked_csr(neighbours, values.size)
    s_obs, k, _ = hs.neighbour_sums(indptr, indices, values)
    tol = 1e-9 * np.abs(values).max() * (k + 1.0)
    prepared = hs.monte_carlo_prepare(values, s_obs, k)
    ge = np.zeros(values.size, dtype=np.int64)
    le = np.zeros(values.size, dtype=np.int64)
    for chunk in hs.plan(seed, perms, hs.MC_CHUNK):
        above, below = hs.monte_carlo_chunk(*prepared, k, tol, chunk)
        ge += above
        le += below
    return ge, le, s_obs, k, prepared


def enumerated_tails(values, neighbours):
    """Exact p_hot = P(S >= s), p_cold = P(S <= s) by enumerating every k-subset of the other cells."""
    indptr, indices = neighbours
    n = values.size
    hot, cold = np.ones(n), np.ones(n)
    for i in range(n):
        nb = [j for j in indices[indptr[i] : indptr[i + 1]] if j != i]
        if not nb:
            continue
        s = values[nb].sum()
        others = np.delete(values, i)
        sums = np.array([sum(c) for c in itertools.combinations(others, len(nb))])
        hot[i] = np.mean(sums >= s - 1e-9)
        cold[i] = np.mean(sums <= s + 1e-9)
    return hot, cold


def assert_binomial(counts, p, perms, rng):
    """counts[i] ~ Binomial(perms, p[i]) independently: no cell beyond 5.5 sd, chi-square and PIT-KS not rejected."""
    inner = (p > 0) & (p < 1)
    assert np.all(counts[p >= 1] == perms)
    c, q = counts[inner], p[inner]
    z = (c - perms * q) / np.sqrt(perms * q * (1 - q))
    assert np.abs(z).max() < 5.5, (np.abs(z).max(), int(np.argmax(np.abs(z))))
    chi2 = float((z**2).sum())
    assert stats.chi2.sf(chi2, z.size) > 1e-4 and stats.chi2.cdf(chi2, z.size) > 1e-4, (chi2, z.size)
    lower = stats.binom.cdf(c - 1, perms, q)
    upper = stats.binom.cdf(c, perms, q)
    pit = lower + rng.uniform(size=c.size) * (upper - lower)  # exactly uniform when the law is right
    assert stats.kstest(pit, "uniform").pvalue > 1e-4


def small_case(seed, n=13, degree=4):
    rng = np.random.default_rng(seed)
    values = rng.choice([0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3, 7, 12], size=n).astype(float)
    values[0] = 30.0  # a large own value: excluding it exactly matters
    x, y = rng.uniform(0, 100, n), rng.uniform(0, 100, n)
    indptr, indices = hs.distance_neighbours(x, y, 1e9, include_self=False)  # everyone: then keep `degree`
    keep_ptr, keep_idx = [0], []
    for i in range(n):
        row = indices[indptr[i] : indptr[i + 1]]
        pick = rng.choice(row, size=min(degree - (i % 2), row.size), replace=False)
        keep_idx.extend(sorted(pick.tolist()))
        keep_ptr.append(len(keep_idx))
    values[keep_idx[: keep_ptr[1]]] = 5.0  # cell 0's neighbours: a sum the own value alone would exceed
    return values, (np.array(keep_ptr, dtype=np.int64), np.array(keep_idx, dtype=np.int32))


def test_composition_tables_equal_enumeration():
    values, nb = small_case(1)
    indptr, indices = hs.checked_csr(nb, values.size)
    s_obs, k, _ = hs.neighbour_sums(indptr, indices, values)
    d, pos, row_of, thr, guide, last, osum, orest, s_rel = hs.monte_carlo_prepare(values, s_obs, k)
    assert osum.shape[1] > 1 and d.size < values.size  # levels were formed
    base = float(np.bincount(values.astype(int)).argmax())
    listed = set(np.flatnonzero(pos >= 0).tolist())
    for i in range(values.size):
        row = row_of[i]
        edges = [0] + [int(t) for t in thr[row, : last[row]]] + [1 << 64]
        table = {}
        for o in range(last[row] + 1):
            key = (float(osum[row, o]), int(orest[row, o]))
            table[key] = table.get(key, 0.0) + (edges[o + 1] - edges[o]) / 2.0**64
        brute = {}
        others = [j for j in range(values.size) if j != i]
        subsets = list(itertools.combinations(others, int(k[i])))
        for sub in subsets:
            key = (float(sum(values[j] - base for j in sub if j not in listed)), sum(1 for j in sub if j in listed))
            brute[key] = brute.get(key, 0.0) + 1.0 / len(subsets)
        assert set(table) >= {key for key, p in brute.items() if p > 0}
        for key, p in table.items():
            assert abs(p - brute.get(key, 0.0)) < 1e-15, (i, key, p, brute.get(key))
        np.testing.assert_allclose(s_rel[i], s_obs[i] - k[i] * base)


def test_guide_table_matches_linear_search():
    values, nb = small_case(2)
    indptr, indices = hs.checked_csr(nb, values.size)
    s_obs, k, _ = hs.neighbour_sums(indptr, indices, values)
    _, _, row_of, thr, guide, last, _, _, _ = hs.monte_carlo_prepare(values, s_obs, k)
    rng = np.random.default_rng(0)
    u = rng.integers(0, 2**63, size=4000, dtype=np.uint64) * np.uint64(2) + rng.integers(0, 2, 4000, dtype=np.uint64)
    u = np.concatenate([u, thr[row_of].ravel(), thr[row_of].ravel() - np.uint64(1)])
    for row in np.unique(row_of):
        t = thr[row, : last[row]]
        want = np.searchsorted(t, u, side="right")  # first o with u < thr[o]
        bits = guide.shape[1].bit_length() - 1
        got = guide[row, (u >> np.uint64(64 - bits)).astype(np.int64)].astype(np.int64)
        for idx in range(u.size):  # the kernel's walk from the guide
            while got[idx] < last[row] and u[idx] >= thr[row, got[idx]]:
                got[idx] += 1
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kernel_matches_enumerated_law_with_own_value_excluded(seed):
    values, nb = small_case(seed)
    perms = 4000
    ge, le, _, _, _ = kernel_counts(values, nb, perms, seed=seed)
    hot, cold = enumerated_tails(values, nb)
    rng = np.random.default_rng(seed)
    assert_binomial(ge, hot, perms, rng)
    assert_binomial(le, cold, perms, rng)
    # the shared-reference shortcut (own value left in the pool) gives a different law for cell 0 (value 30, not
    # among its own neighbours): check the test would see it
    i = 0
    nbi = [j for j in nb[1][nb[0][i] : nb[0][i + 1]] if j != i]
    s = values[nbi].sum()
    excl = np.mean([sum(c) >= s - 1e-9 for c in itertools.combinations(np.delete(values, i), len(nbi))])
    incl = np.mean([sum(c) >= s - 1e-9 for c in itertools.combinations(values, len(nbi))])
    assert abs(excl - hot[i]) < 1e-12 and incl > excl + 0.01
    assert abs(ge[i] / perms - excl) < abs(ge[i] / perms - incl)


@pytest.mark.parametrize("levels", [0, 1, 3, 5])
def test_kernel_matches_exact_method_on_a_count_grid(levels, monkeypatch):
    monkeypatch.setattr(hs.permutation, "MC_LEVELS", levels)
    rng = np.random.default_rng(20 + levels)
    rows, cols = 30, 30
    counts = rng.poisson(0.4, (rows, cols))
    counts[10:14, 12:16] += rng.poisson(3.0, (4, 4))
    values = counts.ravel().astype(float)
    nb = hs.grid_neighbours(rows, cols)
    perms = 1500
    ge, le, s_obs, k, prepared = kernel_counts(values, nb, perms, seed=levels)
    groups, rest = divmod(prepared[4].shape[0], np.unique(k).size)  # one table row per (k, group)
    assert rest == 0 and 1 <= groups <= levels + 1 and (groups == 1) == (levels == 0)
    prep = hs.exact_plan(values, k)
    p_hot, p_cold = hs.exact_pvalues(values, s_obs, k, prep)
    assert_binomial(ge, p_hot, perms, rng)
    assert_binomial(le, p_cold, perms, rng)


def test_continuous_values_use_the_plain_draw_and_match_enumeration():
    rng = np.random.default_rng(5)
    values = rng.gamma(2.0, 1.0, 12)
    values[3] = 25.0
    x, y = rng.uniform(0, 100, 12), rng.uniform(0, 100, 12)
    nb = hs.distance_neighbours(x, y, 45.0, include_self=True)
    perms = 4000
    ge, le, _, _, prepared = kernel_counts(values, nb, perms, seed=9)
    assert prepared[0].size == values.size and prepared[6].shape[1] == 1  # no levels: one outcome, m = k
    hot, cold = enumerated_tails(values, nb)
    assert_binomial(ge, hot, perms, rng)
    assert_binomial(le, cold, perms, rng)


def test_same_result_whatever_the_thread_count_and_seed_changes_it():
    counts = np.random.default_rng(4).poisson(0.5, (40, 40)).ravel()
    nb = hs.grid_neighbours(40, 40)
    before = numba.get_num_threads()
    try:
        numba.set_num_threads(1)
        one = hs.gistar(counts, nb, method="mc", permutations=199, seed=8)
        numba.set_num_threads(before)
        many = hs.gistar(counts, nb, method="mc", permutations=199, seed=8)
    finally:
        numba.set_num_threads(before)
    np.testing.assert_array_equal(one.p_sim, many.p_sim)
    other = hs.gistar(counts, nb, method="mc", permutations=199, seed=9)
    assert not np.array_equal(other.p_sim, one.p_sim)


def test_mean_of_many_mc_p_values_matches_exact_p():
    """A few cells: the average of independent Monte Carlo p_hot estimates equals the exact p within MC error."""
    rng = np.random.default_rng(12)
    counts = rng.poisson(0.5, (25, 25))
    counts[5:8, 5:8] += 2
    values = counts.ravel().astype(float)
    nb = hs.grid_neighbours(25, 25)
    indptr, indices = hs.checked_csr(nb, values.size)
    s_obs, k, _ = hs.neighbour_sums(indptr, indices, values)
    p_hot, _ = hs.exact_pvalues(values, s_obs, k, hs.exact_plan(values, k))
    cells = [int(np.argmin(np.abs(p_hot - target))) for target in (0.002, 0.02, 0.2, 0.6)]
    perms, runs = 199, 40
    total = np.zeros(values.size)
    for run in range(runs):
        ge, _, _, _, _ = kernel_counts(values, nb, perms, seed=1000 + run)
        total += ge
    for i in cells:
        p = p_hot[i]
        mean = total[i] / (perms * runs)
        assert abs(mean - p) <= 5 * math.sqrt(p * (1 - p) / (perms * runs)) + 1e-12, (i, mean, p)


def test_own_value_among_the_rare_values_is_excluded():
    """A small count grid whose rare values (the "rest", drawn one by one) are large: a cell holding one of them
    must never draw itself. The kernel's counts follow the exact method's law, which excludes it exactly."""
    rng = np.random.default_rng(31)
    values = np.array([0] * 44 + [1] * 4 + [2] * 2 + [3, 4] + list(range(20, 80, 5)), dtype=float)
    rng.shuffle(values)
    nb = hs.grid_neighbours(8, 8)
    perms = 6000
    ge, le, s_obs, k, prepared = kernel_counts(values, nb, perms, seed=4)
    rare = prepared[1] >= 0
    assert rare.sum() == 12  # the twelve large values are drawn one by one
    p_hot, p_cold = hs.exact_pvalues(values, s_obs, k, hs.exact_plan(values, k))
    assert_binomial(ge, p_hot, perms, rng)
    assert_binomial(le, p_cold, perms, rng)
