import json

import numpy as np
import pytest

from analysis.accuracy import grid_extent, hotspot_accuracy
from analysis.cli import main
from analysis.io import InputError
from analysis.synthetic import events, grid_counts


def test_hand_example():
    # 2 x 3 grid of 100 m cells, row 0 at the south
    scores = np.array([[5.0, 1.0, 0.0], [3.0, 9.0, 2.0]])
    # test points: two in cell (1,1), one in (0,0), three in (0,2), one outside the grid
    tx = np.array([150, 160, 50, 250, 260, 270, 999.0])
    ty = np.array([150, 160, 50, 50, 60, 70, 999.0])
    res = hotspot_accuracy(scores, tx, ty, minx=0, miny=0, cell=100, area_share=2 / 6)
    assert res.selected.tolist() == [[True, False, False], [False, True, False]]
    assert (res.cells, res.hits, res.total, res.outside) == (2, 3, 7, 1)
    assert res.hit_rate == pytest.approx(3 / 7)
    assert res.pai == pytest.approx((3 / 7) / (2 / 6))
    assert res.max_hits == 5  # cells (0,2) and (1,1)
    assert res.pei == pytest.approx(3 / 5) == pytest.approx(res.pai / res.max_pai)
    assert res.area_km2 == pytest.approx(0.02) and res.study_km2 == pytest.approx(0.06)
    assert any("outside" in n for n in res.notes)


def test_ties_are_broken_by_lower_cell_index_and_nan_is_outside_the_study_area():
    scores = np.array([[1.0, 1.0, 1.0, 1.0], [np.nan, 0.0, 0.0, 0.0]])
    res = hotspot_accuracy(scores, [0.5], [0.5], minx=0, miny=0, cell=1, area_share=2 / 7)
    assert res.selected.tolist() == [[True, True, False, False], [False] * 4]
    assert res.study_km2 == pytest.approx(7e-6) and any("tied" in n for n in res.notes)
    res = hotspot_accuracy(scores, [0.5, 0.5], [1.5, 0.5], minx=0, miny=0, cell=1, area_share=1.0)
    assert res.cells == 7 and res.hits == 1 and res.outside == 1  # the NaN cell holds the second point


def test_matches_brute_force_on_synthetic_periods():
    ev = events(20000, seed=3, extent=(0, 0, 5000, 5000), days=730)
    train, test = ev.t < 365, ev.t >= 365
    cell = 100.0
    for share in (0.01, 0.05, 0.2):
        counts, _ = grid_counts(
            type(ev)(ev.x[train], ev.y[train], ev.t[train], ev.kind[train]), cell, (0, 0, 5000, 5000)
        )
        scores = counts.astype(float) + np.random.default_rng(0).uniform(0, 0.01, counts.shape)  # no ties
        res = hotspot_accuracy(scores, ev.x[test], ev.y[test], minx=0, miny=0, cell=cell, area_share=share)
        k = int(np.floor(share * scores.size + 0.5))
        top = np.argsort(-scores.ravel())[:k]
        test_counts, _ = grid_counts(
            type(ev)(ev.x[test], ev.y[test], ev.t[test], ev.kind[test]), cell, (0, 0, 5000, 5000)
        )
        n = test_counts.ravel()[top].sum()
        N = test.sum()
        assert res.hits == n and res.total == N and res.cells == k
        assert res.pai == pytest.approx((n / N) / (k / scores.size))
        assert res.pei == pytest.approx(n / np.sort(test_counts.ravel())[::-1][:k].sum())
        assert 0 < res.pei <= 1 and res.pai > 1  # hot spots persist in the synthetic data
    mask = res.selected
    again = hotspot_accuracy(None, ev.x[test], ev.y[test], minx=0, miny=0, cell=cell, mask=mask)
    assert again.hits == res.hits and again.area_share is None


def test_bad_parameters():
    s = np.ones((3, 3))
    for share in (0, -0.1, 1.5, float("nan")):
        with pytest.raises(InputError):
            hotspot_accuracy(s, [1], [1], minx=0, miny=0, cell=1, area_share=share)
    with pytest.raises(InputError):
        hotspot_accuracy(s, [1], [1], minx=0, miny=0, cell=0)
    with pytest.raises(InputError):
        hotspot_accuracy(s, [], [], minx=0, miny=0, cell=1)
    with pytest.raises(InputError):
        hotspot_accuracy(np.ones(3), [1], [1], minx=0, miny=0, cell=1)
    with pytest.raises(InputError):
        hotspot_accuracy(s, [1], [1], minx=0, miny=0, cell=1, mask=np.zeros((3, 3), bool))
    with pytest.raises(InputError):
        hotspot_accuracy(np.full((2, 2), np.nan), [1], [1], minx=0, miny=0, cell=1)


def test_grid_extent_snaps_to_cells():
    assert grid_extent([120, 380], [-50, 10], 100) == (100, -100, 400, 100)
    assert grid_extent([200], [200], 100) == (200, 200, 300, 300)


@pytest.mark.parametrize("method", ["counts", "kde"])
def test_cli_accuracy(tmp_path, method):
    ev = events(6000, seed=5, extent=(0, 0, 4000, 4000), days=730)
    train, test = ev.t < 365, ev.t >= 365
    (tmp_path / "a.csv").write_text("x,y\n" + "".join(f"{a},{b}\n" for a, b in zip(ev.x[train], ev.y[train])))
    (tmp_path / "b.csv").write_text("x,y\n" + "".join(f"{a},{b}\n" for a, b in zip(ev.x[test], ev.y[test])))
    out = tmp_path / "r.json"
    argv = [
        "accuracy",
        "--train",
        str(tmp_path / "a.csv"),
        "--test",
        str(tmp_path / "b.csv"),
        "--cell",
        "200",
        "--method",
        method,
        "--area-share",
        "0.05",
        "--output",
        str(out),
    ]
    assert main(argv) == 0
    data = json.loads(out.read_text())
    assert data["pai"] > 1 and 0 < data["pei"] <= 1 and data["total"] == test.sum()
    if method == "counts":
        ext = grid_extent(ev.x, ev.y, 200)
        xs = np.floor((ev.x[train] - ext[0]) / 200).clip(0, 19).astype(int)
        ys = np.floor((ev.y[train] - ext[1]) / 200).clip(0, 19).astype(int)
        counts = np.bincount(ys * 20 + xs, minlength=400).reshape(20, 20).astype(float)
        direct = hotspot_accuracy(counts, ev.x[test], ev.y[test], minx=ext[0], miny=ext[1], cell=200)
        assert data["hits"] == direct.hits
    assert main(argv[:-1] + [str(tmp_path / "r.geojson"), "--crs", "EPSG:32717"]) == 0
    assert len(json.loads((tmp_path / "r.geojson").read_text())["features"]) == data["cells"]
    assert main(argv[:-1] + [str(tmp_path / "r.csv")]) == 0
    assert main(argv[:9] + ["--area-share", "2", "--output", str(out)]) == 2
