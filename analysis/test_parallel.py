"""Chunked permutation work gives the same answer in-process and on a Dask cluster, for the same seed."""

import numpy as np
import pytest

from analysis.parallel import chunk_sizes, plan, run_chunks


def _count_above(values, threshold, chunk):
    seed, n = chunk
    rng = np.random.default_rng(seed)
    return np.array([(rng.permutation(values)[:5].sum() >= threshold) for _ in range(n)]).sum()


def test_chunks_cover_the_work_exactly():
    assert chunk_sizes(0) == []
    assert chunk_sizes(120, 50) == [50, 50, 20]
    assert sum(n for _, n in plan(1, 999)) == 999


def test_same_seed_same_plan_other_seed_other_draws():
    values = np.arange(100.0)
    a = run_chunks(_count_above, (values, 300.0), plan(7, 200))
    b = run_chunks(_count_above, (values, 300.0), plan(7, 200))
    c = run_chunks(_count_above, (values, 300.0), plan(8, 200))
    assert a == b
    assert a != c


def test_progress_reaches_one():
    seen = []
    run_chunks(_count_above, (np.arange(10.0), 5.0), plan(1, 120, 50), progress=seen.append)
    assert seen == pytest.approx([1 / 3, 2 / 3, 1.0])


def test_dask_cluster_gives_the_in_process_result():
    distributed = pytest.importorskip("distributed")
    values = np.arange(200.0)
    here = run_chunks(_count_above, (values, 600.0), plan(3, 300))
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        distributed.Client(cluster) as client,
    ):
        there = run_chunks(_count_above, (values, 600.0), plan(3, 300), scheduler=client)
        by_address = run_chunks(_count_above, (values, 600.0), plan(3, 300), scheduler=cluster.scheduler_address)
    assert [int(v) for v in here] == [int(v) for v in there] == [int(v) for v in by_address]
