"""Where the heavy loops run: in this process, or on a Dask cluster when a scheduler is given.

Every permutation test in the engine splits its work into *fixed* chunks, each with its own random stream spawned
from the caller's seed (`chunk_seeds`). The chunking depends only on the amount of work, never on the number of
workers, so the same seed gives the same result in-process and on any Dask cluster (tests check it on a
`dask.distributed.LocalCluster`).

    results = run_chunks(kernel, shared=(x, y, t), chunks=[(seed_seq, 50), ...], scheduler=None)

`scheduler` is None (run here), a scheduler address such as "tcp://10.0.0.5:8786", or a `distributed.Client`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

DEFAULT_CHUNK = 50  # permutations per chunk: small enough to spread, large enough to amortise scheduling


def chunk_sizes(total: int, chunk: int = DEFAULT_CHUNK) -> list[int]:
    """`total` units of work split into fixed chunks of `chunk` (the last one smaller)."""
    if total <= 0:
        return []
    sizes = [chunk] * (total // chunk)
    if total % chunk:
        sizes.append(total % chunk)
    return sizes


def chunk_seeds(seed: int | None, n_chunks: int) -> list[np.random.SeedSequence]:
    """One independent random stream per chunk, all derived from `seed` (reproducible for a given seed)."""
    return np.random.SeedSequence(seed).spawn(n_chunks)


def plan(seed: int | None, total: int, chunk: int = DEFAULT_CHUNK) -> list[tuple[np.random.SeedSequence, int]]:
    """The fixed work plan for `total` permutations: [(seed sequence, permutations in this chunk), ...]."""
    sizes = chunk_sizes(total, chunk)
    return list(zip(chunk_seeds(seed, len(sizes)), sizes))


def _client(scheduler: Any):
    from distributed import Client

    if isinstance(scheduler, Client):
        return scheduler, False
    return Client(scheduler), True


def run_chunks(
    func: Callable[..., Any],
    shared: Sequence[Any],
    chunks: Sequence[Any],
    *,
    scheduler: Any = None,
    progress: Callable[[float], None] | None = None,
) -> list[Any]:
    """`[func(*shared, chunk) for chunk in chunks]`, here or on Dask, in chunk order. `shared` (the big arrays) is
    sent to the cluster once. `progress(fraction)` is called as chunks finish."""
    total = len(chunks)
    results: list[Any]
    if scheduler is None:
        results = []
        for i, chunk in enumerate(chunks):
            results.append(func(*shared, chunk))
            if progress:
                progress((i + 1) / total)
        return results
    from distributed import as_completed

    client, owned = _client(scheduler)
    try:
        # hash=False: every call gets keys of its own. With content-hashed keys, a second client scattering the
        # same arrays shares the first one's keys, and the first client's late release cancels the second's work
        # ("lost dependencies").
        remote = [client.scatter(item, broadcast=True, hash=False) for item in shared]
        futures = [client.submit(func, *remote, chunk, pure=False) for chunk in chunks]
        index = {f.key: i for i, f in enumerate(futures)}
        results = [None] * total
        for done, future in enumerate(as_completed(futures), start=1):
            results[index[future.key]] = future.result()
            if progress:
                progress(done / total)
        return results
    finally:
        if owned:
            client.close()
