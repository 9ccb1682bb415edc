"""Compile every numba kernel of the engine once, into numba's on-disk cache (`cache=True`, beside the modules), so
that later processes (the CLI, the job worker, Dask workers sharing the install) load machine code instead of
compiling: a CLI run then pays about a second of start-up, not the 10-60 s of a first compilation.

`make install` runs it after installing; `centinela-analysis warmup` runs it by hand (after an upgrade of numba or
of the engine, numba notices the change and recompiles once more).
"""

from __future__ import annotations

import time

import numpy as np


def warm() -> dict[str, float]:
    """Run each method on a tiny seeded input, through every compiled variant (serial and parallel, exact and Monte
    Carlo). Returns seconds per step."""
    from analysis import hotspots, knox
    from analysis.synthetic import events

    ev = events(300, seed=1, extent=(0.0, 0.0, 2_000.0, 2_000.0))
    x, y, t = ev.x, ev.y, ev.t
    steps: dict[str, float] = {}

    def step(name, fn):
        start = time.perf_counter()
        fn()
        steps[name] = round(time.perf_counter() - start, 3)

    step("kde", lambda: hotspots.kde(x, y, cell=100.0))
    step("gistar exact", lambda: hotspots.gistar_grid(x, y, cell=100.0, method="exact"))
    step("gistar mc", lambda: hotspots.gistar_grid(x, y, cell=100.0, method="mc", permutations=99))
    step(
        "gistar distance",
        lambda: hotspots.gistar(
            np.arange(x.size) % 5 * 1.0, hotspots.distance_neighbours(x, y, 150.0), method="mc", permutations=9
        ),
    )
    serial_limit, stored_limit = knox.PARALLEL_PAIRS, knox.MAX_STORED_PAIRS
    try:
        for variant, limit, stored in (
            ("serial", serial_limit, stored_limit),
            ("parallel", 0, stored_limit),
            ("streamed serial", serial_limit, 0),  # pairs enumerated again in each pass (above MAX_STORED_PAIRS)
            ("streamed parallel", 0, 0),
        ):
            knox.PARALLEL_PAIRS, knox.MAX_STORED_PAIRS = limit, stored
            step(
                f"near-repeat {variant}",
                lambda: knox.near_repeat(
                    x, y, t, distance_band=100.0, distance_bands=3, time_band=7.0, time_bands=3, permutations=19
                ),
            )
            step(f"knox {variant}", lambda: knox.knox(x, y, t, delta=200.0, tau=14.0, permutations=19))
    finally:
        knox.PARALLEL_PAIRS, knox.MAX_STORED_PAIRS = serial_limit, stored_limit
    return steps
