"""Hot spots (analysis.hotspots) against the PySAL references (esda.G_Local, libpysal weights) and brute force."""

import json
import math
import warnings

import numpy as np
import pytest

from analysis import hotspots as hs
from analysis.cli import main
from analysis.io import InputError
from analysis.synthetic import events, grid_counts


def csr_of(w, n):
    """(indptr, indices) of a libpysal W, in id order 0..n-1."""
    indptr = [0]
    indices = []
    for i in range(n):
        nb = sorted(w.neighbors[i])
        indices += nb
        indptr.append(len(indices))
    return np.array(indptr), np.array(indices)


def same_lists(ours, theirs, include_self=False):
    indptr, indices = ours
    for i in range(indptr.size - 1):
        mine = set(indices[indptr[i] : indptr[i + 1]].tolist())
        want = set(theirs[i]) | ({i} if include_self else set())
        assert mine == want, i


def esda_glocal(y, w, transform, permutations=999, seed=1):
    from esda.getisord import G_Local

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return G_Local(
            np.asarray(y, float),
            w,
            transform=transform,
            star=True,
            permutations=permutations,
            seed=seed,
            n_jobs=1,
            keep_simulations=True,
        )


def planted(rows=30, cols=30, seed=4):
    rng = np.random.default_rng(seed)
    counts = rng.poisson(1.0, (rows, cols))
    counts[10:13, 15:18] += rng.poisson(6.0, (3, 3))
    return counts


# ------------------------------------------------------------------------------------------------ weights


@pytest.mark.parametrize("kind,order", [("queen", 1), ("rook", 1), ("queen", 2), ("rook", 2)])
def test_grid_neighbours_equal_libpysal(kind, order):
    from libpysal.weights import higher_order, lat2W

    rows, cols = 7, 9
    w = lat2W(rows, cols, rook=(kind == "rook"))
    if order > 1:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            w = higher_order(w, order, lower_order=True)
    ours = hs.grid_neighbours(rows, cols, kind, order, include_self=False)
    same_lists(ours, w.neighbors)
    same_lists(hs.grid_neighbours(rows, cols, kind, order), w.neighbors, include_self=True)


def test_distance_neighbours_equal_distance_band():
    from libpysal.weights import DistanceBand

    grid = hs.Grid(np.zeros((6, 8)), 0.0, 0.0, 100.0, 6, 8)
    cx, cy = grid.centres()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = DistanceBand(np.column_stack([cx, cy]), threshold=250.0, binary=True)
    same_lists(hs.grid_neighbours(6, 8, "distance", 2.5, include_self=False), w.neighbors)
    same_lists(hs.distance_neighbours(cx, cy, 250.0, include_self=False), w.neighbors)
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 1000, 150), rng.uniform(0, 1000, 150)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = DistanceBand(np.column_stack([x, y]), threshold=120.0, binary=True)
    same_lists(hs.distance_neighbours(x, y, 120.0), w.neighbors, include_self=True)


# ------------------------------------------------------------------------------------------------ Gi* z


@pytest.mark.parametrize("transform", ["B", "R"])
def test_z_scores_equal_esda_on_grid(transform):
    from libpysal.weights import lat2W

    counts = grid_counts(events(4000, seed=2, extent=(0, 0, 2500, 2000)), 100, (0, 0, 2500, 2000))[0]
    rows, cols = counts.shape
    ref = esda_glocal(counts.ravel(), lat2W(rows, cols, rook=False), transform, permutations=0)
    ours = hs.gistar(counts.ravel(), hs.grid_neighbours(rows, cols), transform=transform)
    np.testing.assert_allclose(ours.z, ref.Zs, rtol=0, atol=1e-9)
    np.testing.assert_allclose(ours.gi, ref.Gs, rtol=1e-12, atol=0)
    np.testing.assert_allclose(ours.p_norm, ref.p_norm, rtol=0, atol=1e-12)


@pytest.mark.parametrize("transform", ["B", "R"])
def test_z_scores_equal_esda_on_points_with_distance_band(transform):
    from libpysal.weights import DistanceBand

    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 2000, 300), rng.uniform(0, 2000, 300)
    values = rng.gamma(2.0, 3.0, 300)  # rates, not counts
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = DistanceBand(np.column_stack([x, y]), threshold=250.0, binary=True)
    ref = esda_glocal(values, w, transform, permutations=0)
    ours = hs.gistar(values, hs.distance_neighbours(x, y, 250.0), transform=transform, permutations=99)
    np.testing.assert_allclose(ours.z, ref.Zs, rtol=0, atol=1e-9)


# ------------------------------------------------------------------------------------------------ Gi* p


def binomial_check(counts, p, perms, lo=0.75, hi=1.35):
    """counts ~ Binomial(perms, p) cell by cell: the mean squared standardised error is ~1, no cell is wild.
    (esda shares its random index sets across cells, so its cells' errors are correlated: wider bounds.)"""
    p = np.clip(p, 0, 1)
    inner = (p > 0) & (p < 1)
    assert np.all(counts[p >= 1 - 1e-12] == perms)
    zz = (counts[inner] - perms * p[inner]) / np.sqrt(perms * p[inner] * (1 - p[inner]))
    assert lo < float(np.mean(zz**2)) < hi, float(np.mean(zz**2))
    assert np.abs(zz).max() < 6.0


def test_exact_p_values_equal_full_enumeration():
    """Every possible neighbour set, counted: the exact tails are the enumeration's to rounding."""
    from itertools import combinations

    rng = np.random.default_rng(3)
    values = rng.poisson(1.5, 16)
    values[5] = 9
    nb = hs.grid_neighbours(4, 4, "rook", 1)
    res = hs.gistar(values, nb, method="exact")
    s_obs, k, _ = hs.neighbour_sums(*nb, values.astype(float))
    for i in range(16):
        others = np.delete(values, i)
        sums = np.array([sum(c) for c in combinations(others.tolist(), int(k[i]))])
        p_hot, p_cold = (sums >= s_obs[i]).mean(), (sums <= s_obs[i]).mean()
        assert res.p_sim[i] == pytest.approx(min(p_hot, p_cold), abs=1e-12)
        assert res.hot[i] == (p_hot < p_cold)
    # row-standardised weights: the same permutation p-values (the statistic is monotone in the neighbour sum)
    np.testing.assert_array_equal(hs.gistar(values, nb, transform="R").p_sim, res.p_sim)


def test_exact_p_values_match_esda_simulations():
    """esda's own simulated G* (B weights: exact integer comparisons) are binomial draws of our exact tails."""
    from libpysal.weights import lat2W

    counts = planted()
    rows, cols = counts.shape
    perms = 999
    ref = esda_glocal(counts.ravel(), lat2W(rows, cols, rook=False), "B", permutations=perms)
    ours = hs.gistar(counts.ravel(), hs.grid_neighbours(rows, cols), method="exact")
    assert ours.method == "exact"
    # esda compares simulated and observed G* in floating point after a fastmath division (x * (1/sum) against
    # x / sum), so an exactly tied neighbour sum lands on either side by rounding; count ties as ties here
    gs = ref.Gs[:, None]
    ge = (ref.rGs >= gs * (1 - 1e-12)).sum(1)
    le = (ref.rGs <= gs * (1 + 1e-12)).sum(1)
    # each tail where it is the reported one: #{sim >= obs} ~ Bin(P, p_hot), #{sim <= obs} ~ Bin(P, p_cold)
    binomial_check(ge[ours.hot], ours.p_sim[ours.hot], perms, 0.3, 3.0)
    binomial_check(le[~ours.hot], ours.p_sim[~ours.hot], perms, 0.3, 3.0)
    # the planted block: both flag it hot at 1% (one-sided p_sim, esda's "directed" convention)
    block = np.zeros((rows, cols), bool)
    block[11, 16] = True
    core = np.flatnonzero(block.ravel())
    assert np.all(ref.p_sim[core] <= 0.01) and np.all(ours.p_sim[core] <= 0.01) and np.all(ours.z[core] > 0)
    hot_esda = (ref.p_sim <= 0.01) & (ref.Zs > 0)
    hot_ours = (ours.p_sim <= 0.01) & ours.hot
    assert (hot_esda ^ hot_ours).sum() <= max(3, 0.25 * hot_ours.sum())


def test_monte_carlo_matches_exact_and_is_reproducible():
    counts = planted(seed=9)
    nb = hs.grid_neighbours(*counts.shape)
    exact = hs.gistar(counts.ravel(), nb, method="exact")
    perms = 400
    mc = hs.gistar(counts.ravel(), nb, method="mc", permutations=perms, seed=11)
    assert mc.method == "mc" and mc.permutations == perms
    m = np.rint(mc.p_sim * (perms + 1) - 1).astype(int)
    binomial_check(m[exact.hot & mc.hot], exact.p_sim[exact.hot & mc.hot], perms)
    again = hs.gistar(counts.ravel(), nb, method="mc", permutations=perms, seed=11)
    assert np.array_equal(again.p_sim, mc.p_sim)
    other = hs.gistar(counts.ravel(), nb, method="mc", permutations=perms, seed=12)
    assert not np.array_equal(other.p_sim, mc.p_sim)
    np.testing.assert_array_equal(mc.z, exact.z)


def test_monte_carlo_agrees_with_esda_on_continuous_values():
    """No ties: esda's directed p_sim and ours estimate the same probability; their gap is binomial noise."""
    from libpysal.weights import DistanceBand

    rng = np.random.default_rng(8)
    x, y = rng.uniform(0, 2000, 400), rng.uniform(0, 2000, 400)
    values = rng.gamma(2.0, 1.0, 400) + 3.0 * np.exp(-((x - 700) ** 2 + (y - 900) ** 2) / 2e5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        w = DistanceBand(np.column_stack([x, y]), threshold=200.0, binary=True)
    perms = 999
    ref = esda_glocal(values, w, "B", permutations=perms, seed=3)
    ours = hs.gistar(values, hs.distance_neighbours(x, y, 200.0), permutations=perms, seed=3)
    assert ours.method == "mc"
    keep = np.array([len(w.neighbors[i]) > 0 for i in range(400)])
    a, b = ours.p_sim[keep], ref.p_sim[keep]
    p = np.clip((a + b) / 2, 1 / perms, 0.5)
    zz = (a - b) / np.sqrt(2 * p * (1 - p) / perms)
    assert float(np.mean(zz**2)) < 1.6 and np.abs(zz).max() < 6
    assert np.all(ours.p_sim[~keep] == 1.0)  # islands: nothing to permute, never significant


def test_ties_are_counted_on_both_sides():
    counts = np.zeros((20, 20), int)
    counts[5, 5] = 7
    counts[15, 12] = 3
    counts[2, 17] = 1
    res = hs.gistar(counts.ravel(), hs.grid_neighbours(20, 20), method="exact")
    far = 18 * 20 + 2  # all-zero neighbourhood among mostly zeros: no cold spot
    assert res.p_sim[far] > 0.5 and res.code[far] == 0
    assert res.category[5 * 20 + 6].startswith("hot")


def test_fdr_and_categories():
    counts = planted(seed=1)
    nb = hs.grid_neighbours(*counts.shape)
    plain = hs.gistar(counts.ravel(), nb)
    fdr = hs.gistar(counts.ravel(), nb, fdr=0.05)
    assert fdr.q is not None and np.all(fdr.q >= fdr.p_value - 1e-15)
    assert fdr.significant.sum() <= plain.significant.sum()
    p = np.sort(fdr.p_value)
    k = np.flatnonzero(p <= 0.05 * np.arange(1, p.size + 1) / p.size)
    assert fdr.significant.sum() == (k.max() + 1 if k.size else 0)  # BH step-up by hand
    assert set(np.unique(plain.category)) <= set(hs.CATEGORIES)
    hot99 = plain.category == "hot 99%"
    assert np.all(plain.p_value[hot99] <= 0.01) and np.all(plain.z[hot99] > 0)


def test_gistar_on_dask_equals_in_process():
    from distributed import Client, LocalCluster

    counts = planted(20, 20, seed=2)
    nb = hs.grid_neighbours(20, 20)
    here = hs.gistar(counts.ravel(), nb, method="mc", permutations=120, seed=5)
    seen = []
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        there = hs.gistar(
            counts.ravel(), nb, method="mc", permutations=120, seed=5, scheduler=client, progress=seen.append
        )
        density_here = hs.kde(*points_for_kde(), cell=50, bandwidth=200)
        density_there = hs.kde(*points_for_kde(), cell=50, bandwidth=200, scheduler=client)
    assert np.array_equal(here.p_sim, there.p_sim)
    assert seen and seen[-1] == 1.0
    np.testing.assert_array_equal(density_here.values, density_there.values)


def test_bad_parameters_raise_input_error():
    nb = hs.grid_neighbours(5, 5)
    v = np.arange(25)
    with pytest.raises(InputError, match="permutations"):
        hs.gistar(v, nb, permutations=0, method="mc")
    with pytest.raises(InputError, match="transform"):
        hs.gistar(v, nb, transform="X")
    with pytest.raises(InputError, match="fdr"):
        hs.gistar(v, nb, fdr=1.5)
    with pytest.raises(InputError, match="whole-number"):
        hs.gistar(v + 0.5, nb, method="exact")
    with pytest.raises(InputError, match="equal"):
        hs.gistar(np.ones(25), nb)
    with pytest.raises(InputError, match="indptr"):
        hs.gistar(v[:20], nb)
    with pytest.raises(InputError, match="empty"):
        hs.gistar_grid([], [], cell=100)
    with pytest.raises(InputError, match="cell"):
        hs.gistar_grid([0, 1], [0, 1], cell=0)
    with pytest.raises(InputError, match="permutations"):
        hs.gistar_grid([0, 1], [0, 1], cell=1, permutations=0)
    with pytest.raises(InputError, match="memory"):
        hs.grid_from_points([0, 1e6], [0, 1e6], cell=1)
    with pytest.raises(InputError, match="order"):
        hs.grid_neighbours(5, 5, "queen", 0)
    with pytest.raises(InputError, match="bandwidth"):
        hs.kde([0, 1], [0, 1], cell=1, bandwidth=-5)
    with pytest.raises(InputError, match="cell"):
        hs.kde([0, 1], [0, 1], cell=-1, bandwidth=5)
    with pytest.raises(InputError, match="kernel"):
        hs.kde([0, 1], [0, 1], cell=1, bandwidth=5, kernel="box")
    with pytest.raises(InputError, match="bandwidth"):
        hs.kde([3, 3], [4, 4], cell=1)  # no spread: no default bandwidth
    with pytest.raises(InputError, match="kernel evaluations"):
        hs.kde(np.zeros(10_000) + np.arange(10_000), np.zeros(10_000), cell=1, bandwidth=5000)


# ------------------------------------------------------------------------------------------------ KDE


def points_for_kde():
    ev = events(600, seed=3, extent=(0, 0, 2000, 1500), hotspots=3)
    return ev.x, ev.y


@pytest.mark.parametrize("kernel", list(hs.KERNELS))
def test_kde_equals_brute_force(kernel):
    x, y = points_for_kde()
    res = hs.kde(x, y, cell=50, bandwidth=180, kernel=kernel)
    cx, cy = res.grid.centres()
    d = np.hypot(cx[:, None] - x[None, :], cy[:, None] - y[None, :]) / 180
    shape = {
        "quartic": lambda u: 3 / math.pi * (1 - u**2) ** 2 * (u <= 1),
        "epanechnikov": lambda u: 2 / math.pi * (1 - u**2) * (u <= 1),
        "triangular": lambda u: 3 / math.pi * (1 - u) * (u <= 1),
        "uniform": lambda u: 1 / math.pi * (u <= 1),
        "gaussian": lambda u: np.exp(-(u**2) / 2) / (2 * math.pi) * (u <= 4),
    }[kernel]
    want = (shape(d).sum(1) / 180**2 * 1e6).reshape(res.values.shape)
    np.testing.assert_allclose(res.values, want, rtol=1e-9, atol=1e-9)
    assert res.grid.counts.sum() == x.size


def test_kde_mass_bandwidth_rule_and_geojson():
    rng = np.random.default_rng(1)
    x, y = rng.normal(5000, 300, 2000), rng.normal(5000, 300, 2000)
    res = hs.kde(x, y, cell=25, extent=(3000, 3000, 7000, 7000))
    # incidents per km2 integrate back to the number of incidents
    assert abs(res.values.sum() * 25 * 25 / 1e6 - 2000) < 2000 * 0.01
    dx, dy = x - x.mean(), y - y.mean()
    sd = math.sqrt((dx**2).mean() + (dy**2).mean())
    dm = np.median(np.hypot(dx, dy))
    assert res.bandwidth == pytest.approx(0.9 * min(sd, math.sqrt(1 / math.log(2)) * dm) * 2000**-0.2)
    assert res.bandwidth_rule == "arcgis" and res.kernel == "quartic"
    assert hs.kde(x, y, cell=25, bandwidth="scott").bandwidth_rule == "scott"
    gj = res.to_geojson()
    assert len(gj["features"]) == int((res.values > 0).sum())
    assert res.to_rows()[0][-1] == "density_per_km2"


# ------------------------------------------------------------------------------------------------ CLI


def write_lonlat(path, n=400, seed=6):
    ev = events(n, seed=seed, extent=(0, 0, 3000, 3000), hotspots=4)
    lon = -79.22 + ev.x / 111_000
    lat = -4.02 + ev.y / 110_500
    path.write_text("lon,lat\n" + "".join(f"{a:.7f},{b:.7f}\n" for a, b in zip(lon, lat)))


def test_cli_kde_and_gistar(tmp_path):
    src = tmp_path / "incidents.csv"
    write_lonlat(src)
    out = tmp_path / "kde.geojson"
    assert main(["kde", "--input", str(src), "--cell", "100", "--bandwidth", "300", "--output", str(out)]) == 0
    gj = json.loads(out.read_text())
    ring = np.array(gj["features"][0]["geometry"]["coordinates"][0])
    assert -80 < ring[:, 0].min() < -79 and -5 < ring[:, 1].min() < -3.5
    assert gj["properties"]["bandwidth_m"] == 300
    for suffix in ("geojson", "csv", "json"):
        out = tmp_path / f"gi.{suffix}"
        code = main(
            [
                "gistar",
                "--input",
                str(src),
                "--cell",
                "100",
                "--neighbours",
                "queen",
                "--order",
                "1",
                "--permutations",
                "99",
                "--seed",
                "0",
                "--fdr",
                "0.05",
                "--output",
                str(out),
            ]
        )
        assert code == 0 and out.stat().st_size > 0
    data = json.loads((tmp_path / "gi.json").read_text())
    assert data["method"] == "gistar" and data["fdr"] == 0.05 and len(data["z"]) == data["n"]
    gj = json.loads((tmp_path / "gi.geojson").read_text())
    assert all(f["properties"]["category"] != "not significant" for f in gj["features"])
    assert (tmp_path / "gi.csv").read_text().startswith("cell,row,col,x,y,value,gi,z")
    assert main(["gistar", "--input", str(src), "--cell", "0", "--output", str(tmp_path / "x.json")]) == 2
    assert (
        main(["kde", "--input", str(src), "--cell", "100", "--bandwidth", "-1", "--output", str(tmp_path / "x.json")])
        == 2
    )
