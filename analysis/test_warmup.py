"""`centinela-analysis warmup` (run by `make install`) goes through every compiled variant and leaves numba's
on-disk cache filled for the kernels of each module."""

import inspect
from pathlib import Path

import numba

from analysis import cli, knox
from analysis.hotspots import density, getisord, permutation, weights


def test_warmup_runs_every_variant_and_caches_the_kernels(capsys):
    assert cli.main(["warmup"]) == 0
    printed = capsys.readouterr().out
    for step in ("kde", "gistar exact", "gistar mc", "near-repeat serial", "near-repeat parallel"):
        assert step in printed
    assert knox.PARALLEL_PAIRS == 100_000  # the switch used to reach the parallel kernels is put back
    assert knox.MAX_STORED_PAIRS == 100_000_000  # and the one used to reach the streamed kernels
    assert "near-repeat streamed parallel" in printed
    # the kernels called from Python (helpers called only from other kernels are compiled into their callers)
    entry = {
        density: ["_kde_band"],
        weights: ["_grid_csr", "neighbour_sums"],
        permutation: ["_mc_counts", "_sum_distribution", "_exact_tails"],
        getisord: ["_normal_sf"],
        knox: [
            "_pairs_count",
            "_pairs_fill",
            "_time_pairs_below",
            "_lanes_stored_serial",
            "_lanes_streamed_serial",
            "_permute_serial",
        ],
    }
    for module, names in entry.items():
        for name in names:
            assert isinstance(getattr(module, name), numba.core.registry.CPUDispatcher), name
            source = Path(inspect.getmodule(getattr(module, name)).__file__)  # the module the kernel was moved to
            cache = source.parent / "__pycache__"
            stem = f"{source.stem}.{name}-"
            assert any(p.name.startswith(stem) and p.suffix == ".nbi" for p in cache.iterdir()), stem
