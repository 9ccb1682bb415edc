"""The permutation kernel (issue 14, item 3): every permuted table equals an independent count of the same
permutation; pairs stored or enumerated again (no cap), any grouping of permutations into passes, int32 or int64
time lanes, in process or on a Dask cluster of two processes: the same answer."""

import numpy as np
import pytest

from analysis import knox as knox_module
from analysis.knox import knox, near_repeat
from analysis.parallel import plan
from analysis.synthetic import events

BANDS = dict(distance_band=50.0, distance_bands=3, time_band=5.0, time_bands=3, same_location=1.0)


@pytest.fixture(scope="module")
def points():
    ev = events(400, seed=11, extent=(0, 0, 1500, 1500), days=90)
    return ev.x, ev.y, np.floor(ev.t * 4) / 4  # quarter days: ties on the 5-day edges


def _permuted_times(ts_sorted, seed, permutations):
    """The engine's permutations rebuilt by hand: per chunk of analysis.parallel.plan, uniform draws from its own
    stream, Fisher-Yates from the last position down."""
    out = []
    for seedseq, m in plan(seed, permutations):
        u = np.random.default_rng(seedseq).random((m, ts_sorted.size))
        for q in range(m):
            col = list(ts_sorted)
            for i in range(len(col) - 1, 0, -1):
                j = min(int(u[q, i] * (i + 1)), i)
                col[i], col[j] = col[j], col[i]
            out.append(col)
    return out


def _table(xs, ys, ts, metric, dedges, tedges):
    """Every pair binned by half-open edges, in Python integers (Euclidean squared)."""
    n = len(xs)
    table = np.zeros((len(dedges) + 1, len(tedges) + 1), dtype=np.int64)
    i, j = np.triu_indices(n, 1)
    dx, dy = xs[i] - xs[j], ys[i] - ys[j]
    d = np.abs(dx) + np.abs(dy) if metric == "manhattan" else dx * dx + dy * dy
    dt = np.abs(np.asarray(ts, dtype=np.int64)[i] - np.asarray(ts, dtype=np.int64)[j])
    r = np.searchsorted(np.asarray(dedges), d, side="right")
    c = np.searchsorted(np.asarray(tedges), dt, side="right")
    np.add.at(table, (r, c), 1)
    return table


@pytest.mark.parametrize("metric", ["manhattan", "euclidean"])
@pytest.mark.parametrize("stored", [True, False])
def test_every_permuted_table_equals_an_independent_count(points, metric, stored, monkeypatch):
    x, y, t = points
    if not stored:
        monkeypatch.setattr(knox_module, "MAX_STORED_PAIRS", 0)  # pairs enumerated again in every pass
    monkeypatch.setattr(knox_module, "PARALLEL_PAIRS", 0)  # the threaded kernels
    perms = 60
    r = near_repeat(x, y, t, **BANDS, metric=metric, permutations=perms, seed=5)
    xi, yi, ti = knox_module._integer_points(*knox_module._check_points(x, y, t))
    upper = np.array([100, 5000, 10000, 15000], dtype=np.int64)
    pairs = knox_module._enumerate_pairs(xi, yi, metric, upper if metric == "manhattan" else upper * upper, 15000)
    assert pairs.stored == stored
    xs, ys, ts = xi[pairs.order], yi[pairs.order], ti[pairs.order]
    dedges = upper if metric == "manhattan" else upper * upper
    tedges = [5 * 86400, 10 * 86400, 15 * 86400]
    tables = [_table(xs, ys, perm, metric, dedges, tedges) for perm in _permuted_times(ts, 5, perms)]
    observed = _table(xs, ys, ts, metric, dedges, tedges)
    assert np.array_equal(r.observed, observed)
    sims = np.array(tables)
    assert np.array_equal(r.simulated_mean, sims.mean(axis=0))
    assert np.array_equal(r.p_value, (1.0 + (sims >= observed[None]).sum(axis=0)) / (1.0 + perms))


def test_stored_streamed_and_any_grouping_agree(points, monkeypatch):
    x, y, t = points
    base = near_repeat(x, y, t, **BANDS, permutations=130, seed=2)
    k0 = knox(x, y, t, delta=40, tau=2, permutations=130, seed=2)
    for stored_cap, lanes in ((0, 200), (10**9, 50), (0, 8)):
        monkeypatch.setattr(knox_module, "MAX_STORED_PAIRS", stored_cap)
        monkeypatch.setattr(knox_module, "MAX_LANES", lanes)
        r = near_repeat(x, y, t, **BANDS, permutations=130, seed=2)
        assert np.array_equal(r.observed, base.observed) and np.array_equal(r.p_value, base.p_value)
        assert np.array_equal(r.simulated_mean, base.simulated_mean)
        k = knox(x, y, t, delta=40, tau=2, permutations=130, seed=2)
        assert (k.stat, k.ns, k.nt, k.p_value_sim) == (k0.stat, k0.ns, k0.nt, k0.p_value_sim)


def test_time_lanes_whole_days_seconds_and_int64():
    ts = np.array([0, 86400 * 3, 86400 * 10], dtype=np.int64) + 86400 * 20000
    lanes, edges = knox_module._lane_units(ts, np.array([7 * 86400, 400 * 86400], dtype=np.int64))
    assert lanes.dtype == np.int32 and lanes.tolist() == [0, 3, 10] and edges.tolist() == [7, 11]  # days; span + 1
    # 100 years at whole seconds: more than int32 holds, int64 lanes, the same exact answer
    rng = np.random.default_rng(4)
    x, y = rng.uniform(0, 300, 150), rng.uniform(0, 300, 150)
    t = rng.integers(0, 100 * 365 * 86400, 150) / 86400 + rng.choice([0, 1 / 86400], 150)
    lanes, _ = knox_module._lane_units(np.rint(t * 86400).astype(np.int64), np.array([86400], dtype=np.int64))
    assert lanes.dtype == np.int64
    r = near_repeat(x, y, t, distance_band=100, distance_bands=2, time_band=1 + 1 / 86400, time_bands=2, permutations=9)
    xi, yi, ti = knox_module._integer_points(*knox_module._check_points(x, y, t))
    dedges = [100, 10000, 20000]
    assert np.array_equal(r.observed, _table(xi, yi, ti, "manhattan", dedges, [86401, 2 * 86401]))


def test_dask_cluster_of_two_processes_gives_the_in_process_answer(points, monkeypatch):
    from distributed import Client, LocalCluster

    x, y, t = points
    monkeypatch.setattr(knox_module, "MAX_STORED_PAIRS", 0)  # the workers enumerate the pairs themselves
    here = near_repeat(x, y, t, **BANDS, permutations=120, seed=9)
    here_knox = knox(x, y, t, delta=60, tau=3, permutations=120, seed=9)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        there = near_repeat(x, y, t, **BANDS, permutations=120, seed=9, scheduler=client)
        there_knox = knox(x, y, t, delta=60, tau=3, permutations=120, seed=9, scheduler=cluster.scheduler_address)
    assert np.array_equal(here.observed, there.observed) and np.array_equal(here.p_value, there.p_value)
    assert here_knox.p_value_sim == there_knox.p_value_sim and here_knox.stat == there_knox.stat


@pytest.mark.parametrize("parallel", [True, False])
def test_no_pair_cap_pairs_streamed_in_small_blocks_give_the_in_memory_table(points, parallel, monkeypatch):
    """No cap on the number of close pairs: when they exceed the stored limit many times, none are kept and each pass
    enumerates them again in blocks of points, each holding a small share of them (here about 20 pairs: bounded
    memory whatever the total); the tables are those of the all-in-memory path."""
    x, y, t = points
    monkeypatch.setattr(knox_module, "PARALLEL_PAIRS", 0 if parallel else 10**12)
    in_memory = near_repeat(x, y, t, **BANDS, permutations=70, seed=4)
    in_memory_knox = knox(x, y, t, delta=60, tau=3, permutations=70, seed=4)
    close = in_memory.close_pairs
    assert close > 1_000
    monkeypatch.setattr(knox_module, "MAX_STORED_PAIRS", close // 50)  # the pairs exceed it 50 times
    monkeypatch.setattr(knox_module, "BLOCK_PAIRS", 20)
    xi, yi, _ = knox_module._integer_points(*knox_module._check_points(x, y, t))
    pairs = knox_module._enumerate_pairs(xi, yi, "manhattan", np.array([100, 5000, 10000, 15000]), 15000)
    assert pairs.close == close and not pairs.stored and pairs.nbr is None and pairs.band is None
    per_block = np.diff(pairs.indptr[pairs.blocks])
    assert per_block.sum() == close and per_block.size >= close // 40 and per_block.max() < close // 20
    streamed = near_repeat(x, y, t, **BANDS, permutations=70, seed=4)
    assert np.array_equal(streamed.observed, in_memory.observed)
    assert np.array_equal(streamed.p_value, in_memory.p_value)
    assert np.array_equal(streamed.simulated_mean, in_memory.simulated_mean)
    k = knox(x, y, t, delta=60, tau=3, permutations=70, seed=4)
    assert (k.stat, k.ns, k.nt, k.p_value_sim) == (
        in_memory_knox.stat,
        in_memory_knox.ns,
        in_memory_knox.nt,
        in_memory_knox.p_value_sim,
    )


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
def test_lane_times_are_numpys_draws_on_any_number_of_threads_and_in_any_grouping(dtype, monkeypatch):
    """The permutations are computed by numba from numpy's PCG64 state (jumped ahead, then stepped backwards): lane
    by lane they equal Fisher-Yates with `default_rng(chunk).random((permutations, n))`, whether the chunks of the
    plan are in one group or several and the lanes drawn on one thread or several, tasks of any size."""
    ts = (np.arange(1013, dtype=np.int64) * 7919 % 100_003).astype(dtype)
    chunks = plan(21, 137)  # 50 + 50 + 37
    expected = np.array(_permuted_times(ts, 21, 137), dtype=dtype).T
    for parallel, per_task in ((False, 24), (True, 24), (True, 8)):
        monkeypatch.setattr(knox_module, "PERMUTE_LANES", per_task)
        whole, lanes = knox_module._lane_times(parallel, ts, chunks)
        assert lanes == 137 and whole.dtype == dtype and whole.shape == (1013, 144)
        assert np.array_equal(whole[:, :137], expected) and np.array_equal(whole[:, 137:], np.repeat(ts[:, None], 7, 1))
        parts = [knox_module._lane_times(parallel, ts, [chunk])[0][:, : chunk[1]] for chunk in chunks]
        assert np.array_equal(np.concatenate(parts, axis=1), expected)
