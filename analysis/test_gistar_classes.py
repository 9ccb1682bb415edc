"""Gi* permutation p-values drawn once per class of cells (method "mc-class") and the tie conventions ("both",
ours, and "esda"): against the exact conditional-permutation tails, full enumeration and esda.G_Local."""

from itertools import combinations

import numpy as np
import pytest

from analysis import hotspots as hs
from analysis.io import InputError
from analysis.test_hotspots import esda_glocal, planted


def test_class_draws_match_the_exact_tails():
    counts = planted(seed=9)
    nb = hs.grid_neighbours(*counts.shape)
    exact = hs.gistar(counts.ravel(), nb, method="exact")
    perms = 999
    mc = hs.gistar(counts.ravel(), nb, method="mc-class", permutations=perms, seed=5)
    assert mc.method == "mc-class" and mc.permutations == perms and mc.ties == "both"
    # each cell's count is Binomial(P, p) around the exact tail: within 5 standard errors (+ the 1/(P+1) offset)
    sd = np.sqrt(exact.p_sim * (1 - exact.p_sim) / perms)
    assert np.all(np.abs(mc.p_sim - exact.p_sim) <= 5 * sd + 2.0 / (perms + 1))
    assert np.abs(mc.p_sim - exact.p_sim).mean() < 0.02
    # cells of one class (same own value and neighbour count) share their reference distribution
    again = hs.gistar(counts.ravel(), nb, method="mc-class", permutations=perms, seed=5)
    assert np.array_equal(again.p_sim, mc.p_sim)
    other = hs.gistar(counts.ravel(), nb, method="mc-class", permutations=perms, seed=6)
    assert not np.array_equal(other.p_sim, mc.p_sim)


def test_class_draws_exclude_the_cell_itself():
    """One large value among zeros: its neighbours can never draw it when it is the cell itself."""
    values = np.zeros(25)
    values[12] = 100.0
    nb = hs.grid_neighbours(5, 5)
    res = hs.gistar(values, nb, method="mc-class", permutations=199, seed=1)
    # cell 12: the 8 draws come from the 24 zeros, the sum is always 0 = observed: p_hot = 1 under ties "both"
    assert res.p_sim[12] == 1.0
    exact = hs.gistar(values, nb, method="exact")
    assert exact.p_sim[12] == 1.0


def test_many_distinct_values_fall_back_to_per_cell_draws():
    rng = np.random.default_rng(2)
    values = rng.normal(size=400) + 5
    res = hs.gistar(values, hs.grid_neighbours(20, 20), method="mc-class", permutations=99)
    assert res.method == "mc"


def test_esda_ties_with_the_exact_method_equal_full_enumeration():
    rng = np.random.default_rng(3)
    values = rng.poisson(1.0, 16)
    values[5] = 7
    nb = hs.grid_neighbours(4, 4, "rook", 1)
    res = hs.gistar(values, nb, method="exact", ties="esda")
    assert res.ties == "esda"
    s_obs, k, _ = hs.neighbour_sums(*nb, values.astype(float))
    for i in range(16):
        sums = np.array([sum(c) for c in combinations(np.delete(values, i).tolist(), int(k[i]))])
        ge = (sums >= s_obs[i]).mean()
        low = (1 - ge) < ge
        assert res.p_sim[i] == pytest.approx(1 - ge if low else ge, abs=1e-12)
        assert res.hot[i] == (not low)


def test_esda_ties_agree_with_esda_in_distribution():
    """esda counts a tied simulated sum as "larger" only: a cell of zeros among zeros gets a small p. With
    ties="esda" our p-values are distributed as esda's; with ties="both" (ours) they are larger."""
    from libpysal.weights import lat2W

    counts = planted()
    rows, cols = counts.shape
    ref = esda_glocal(counts.ravel(), lat2W(rows, cols, rook=False), "B", permutations=999)
    nb = hs.grid_neighbours(rows, cols)
    exact = hs.gistar(counts.ravel(), nb, method="exact", ties="esda")
    classes = hs.gistar(counts.ravel(), nb, method="mc-class", ties="esda", seed=3)
    both = hs.gistar(counts.ravel(), nb, method="exact")
    for ours in (exact, classes):
        assert abs(ours.p_sim.mean() - ref.p_sim.mean()) < 0.02
        levels = [0.05, 0.25, 0.5]
        assert np.abs(np.quantile(ours.p_sim, levels) - np.quantile(ref.p_sim, levels)).max() < 0.03
    assert both.p_sim.mean() - ref.p_sim.mean() > 0.04
    # esda's own simulations, counted with exact ties, are binomial draws around our exact esda-convention p
    gs = ref.Gs[:, None]
    ge = (ref.rGs >= gs * (1 - 1e-12)).sum(1)
    larger = np.minimum(ge, 999 - ge)
    assert np.abs((larger + 1) / 1000 - exact.p_sim).mean() < 0.015


def test_bad_tie_convention_is_refused():
    with pytest.raises(InputError, match="ties must be"):
        hs.gistar(planted().ravel(), hs.grid_neighbours(30, 30), ties="nearest")
    with pytest.raises(InputError, match="mc-class"):
        hs.gistar(planted().ravel(), hs.grid_neighbours(30, 30), method="classes")


def test_cli_writes_geoparquet_with_the_chosen_method_and_ties(tmp_path):
    import json

    import pyarrow.parquet as pq

    from analysis.cli import main

    rng = np.random.default_rng(4)
    pts = np.concatenate([rng.normal(0, 30, (300, 2)), rng.uniform(-300, 300, (300, 2))])
    src = tmp_path / "in.csv"
    src.write_text("x,y\n" + "".join(f"{a:.2f},{b:.2f}\n" for a, b in pts))
    out = tmp_path / "cells.out"
    args = ["gistar", "--input", str(src), "--cell", "50", "--method", "mc-class", "--ties", "esda"]
    assert main(args + ["--out-format", "parquet", "--output", str(out)]) == 0
    table = pq.read_table(out)
    meta = json.loads(table.schema.metadata[b"centinela"])
    assert meta["p_method"] == "mc-class" and meta["ties"] == "esda" and meta["n"] == table.num_rows
    assert json.loads(table.schema.metadata[b"geo"])["columns"]["geometry"]["crs"] is None  # metres, CRS unstated


@pytest.mark.parametrize("all_cells, fdr", [(False, None), (True, 0.05)])
def test_fast_geojson_writer_writes_what_to_geojson_says(tmp_path, all_cells, fdr):
    import json

    rng = np.random.default_rng(8)
    x, y = rng.normal(690_500, 150, 2000), rng.normal(9_555_000, 150, 2000)
    res = hs.gistar_grid(x, y, cell=40, method="mc-class", permutations=99, fdr=fdr)
    res.crs = "EPSG:32717"
    res.write_geojson(tmp_path / "g.geojson", all_cells=all_cells)
    want = json.loads(json.dumps(res.to_geojson(all_cells=all_cells), default=lambda v: v.item()))
    assert json.loads((tmp_path / "g.geojson").read_text()) == want
    assert len(want["features"]) == (res.n if all_cells else int((res.code > 0).sum())) > 0
