import itertools
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
from scipy import sparse
from scipy.spatial.distance import cdist

from analysis.cli import main
from analysis.io import InputError, to_lonlat
from analysis.placement import (
    coverage_from_costs,
    coverage_matrix,
    coverage_share,
    greedy_mclp,
    mclp,
    place_cameras,
    sector_xy,
)
from analysis.synthetic import events

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PuLP 4.0 notices from spopt

SPOPT_DATA = Path(__file__).resolve().parent.parent / ".venv/lib/python3.11/site-packages/spopt/tests/test_locate/data"


def spopt_objective(cost, weights, radius, p, predefined=None):
    pulp = pytest.importorskip("pulp")
    from spopt.locate import MCLP

    model = MCLP.from_cost_matrix(cost, weights, radius, p, predefined_facilities_arr=predefined)
    model.solve(pulp.PULP_CBC_CMD(msg=False))
    return float(pulp.value(model.problem.objective)), model


# ------------------------------------------------------------------------------------------------ views


def test_sector_points_the_compass_way():
    view = sector_xy(0, 0, bearing=0, fov=90, range_m=100)  # looking north
    assert view.contains(shapely.Point(0, 50)) and not view.contains(shapely.Point(0, -50))
    assert not view.contains(shapely.Point(60, 10))  # outside the 90 degree wedge
    east = sector_xy(0, 0, bearing=90, fov=60, range_m=100)
    assert east.contains(shapely.Point(80, 0)) and not east.contains(shapely.Point(0, 80))
    disc = sector_xy(5, 5, bearing=None, fov=None, range_m=10)
    assert disc.area == pytest.approx(np.pi * 100, rel=0.01)
    assert sector_xy(0, 0, 45, 360, 10).area == pytest.approx(disc.area)
    assert sector_xy(0, 0, 0, 90, 10, full_circle=True).area == pytest.approx(disc.area)
    assert view.area == pytest.approx(np.pi * 100**2 / 4, rel=0.01)


def test_coverage_share_matches_brute_force():
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 1000, 5000), rng.uniform(0, 1000, 5000)
    views = [(200, 200, 30, 60, 150), (700, 600, None, None, 100), shapely.box(400, 0, 500, 1000)]
    res = coverage_share(x, y, views)
    polys = [sector_xy(200, 200, 30, 60, 150), sector_xy(700, 600, None, None, 100), shapely.box(400, 0, 500, 1000)]
    inside = np.array([shapely.intersects_xy(p, x, y) for p in polys])
    assert np.array_equal(res.covered, inside.any(axis=0))
    assert res.per_view.tolist() == inside.sum(axis=1).tolist()
    assert res.count == inside.any(axis=0).sum() and res.share == pytest.approx(res.count / 5000)
    assert res.to_rows()[0] == ["view", "incidents"] and len(res.to_geojson()["features"]) == 3


def test_coverage_rejects_bad_views():
    with pytest.raises(InputError):
        coverage_share([0], [0], [(0, 0, 0, 90)])
    with pytest.raises(InputError):
        coverage_share([0], [0], [(0, 0, 0, 90, -5)])
    with pytest.raises(InputError):
        coverage_share([0], [0], [(0, 0, 0, 400, 50)])
    with pytest.raises(InputError):
        coverage_share([0, 1], [0], [(0, 0, 0, 90, 50)])


# ----------------------------------------------------------------------------------------------- matrix


def test_coverage_matrix_is_sparse_and_exact():
    rng = np.random.default_rng(2)
    d = rng.uniform(0, 1000, (800, 2))
    s = rng.uniform(0, 1000, (60, 2))
    cov = coverage_matrix(d[:, 0], d[:, 1], s[:, 0], s[:, 1], 120)
    assert sparse.isspmatrix_csr(cov) and cov.shape == (800, 60) and cov.dtype == bool
    assert np.array_equal(cov.toarray(), cdist(d, s) <= 120)
    assert np.array_equal(coverage_from_costs(cdist(d, s), 120).toarray(), cov.toarray())


# ------------------------------------------------------------------------------------------------- MCLP


def test_san_francisco_instance_matches_spopt():
    """spopt's own real-world test instance (bundled with spopt's tests): 205 census tracts, 16 candidate stores,
    network distances, service radius 5,000 m, 4 facilities, population weights."""
    pd = pytest.importorskip("pandas")
    net = pd.read_csv(SPOPT_DATA / "SF_network_distance_candidateStore_16_censusTract_205_new.csv")
    cost = net.pivot_table(values="distance", index="DestinationName", columns="name").to_numpy()
    demand = pd.read_csv(SPOPT_DATA / "SF_demand_205_centroid_uniform_weight.csv").sort_values(by=["NAME"])
    weights = demand["POP2000"].to_numpy()
    expected, _ = spopt_objective(cost, weights, 5000.0, 4)
    ours = mclp(coverage_from_costs(cost, 5000.0), weights, 4)
    assert ours.optimal and ours.covered_weight == pytest.approx(expected) == 875247.0
    assert ours.model["distinct_rows"] < 205  # identical rows were merged
    greedy = greedy_mclp(coverage_from_costs(cost, 5000.0), weights, 4)
    assert greedy.covered_weight <= expected and greedy.bound >= expected - 1e-6
    assert ours.greedy_weight == greedy.covered_weight
    assert ours.greedy_gap == pytest.approx((expected - greedy.covered_weight) / expected)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_generated_instances_match_spopt(seed):
    rng = np.random.default_rng(seed)
    ev = events(400, seed=seed, extent=(0, 0, 3000, 3000), hotspots=6)
    sites = rng.uniform(0, 3000, (40, 2))
    weights = rng.integers(1, 10, 400)
    cost = cdist(np.column_stack([ev.x, ev.y]), sites)
    expected, _ = spopt_objective(cost, weights, 350.0, 5)
    cov = coverage_matrix(ev.x, ev.y, sites[:, 0], sites[:, 1], 350.0)
    ours = mclp(cov, weights, 5)
    assert ours.optimal and ours.gap == 0
    assert ours.covered_weight == pytest.approx(expected)
    assert len(ours.sites) <= 5
    # existing cameras: spopt's predefined facilities (counted in p) against ours' already-covered demand
    pre = np.zeros(40, dtype=int)
    pre[[3, 17]] = 1
    expected_pre, _ = spopt_objective(cost, weights, 350.0, 7, predefined=pre)
    existing = np.asarray(cov[:, [3, 17]].sum(axis=1)).ravel() > 0
    with_existing = mclp(cov, weights, 5, existing_covered=existing)
    assert with_existing.covered_weight == pytest.approx(expected_pre)
    assert with_existing.existing_weight == pytest.approx(weights[existing].sum())


def test_exact_equals_exhaustive_search_and_greedy_is_plain_greedy():
    rng = np.random.default_rng(5)
    for _trial in range(4):
        cov = sparse.csr_matrix(rng.uniform(size=(120, 12)) < 0.15)
        w = rng.integers(0, 6, 120).astype(float)
        best = max(
            w[np.asarray(cov[:, list(c)].sum(axis=1)).ravel() > 0].sum() for c in itertools.combinations(range(12), 3)
        )
        ours = mclp(cov, w, 3)
        assert ours.optimal and ours.covered_weight == best
        # lazy greedy picks what a plain greedy picks (largest gain, lowest index on ties)
        dense = cov.toarray()
        open_ = np.ones(120, dtype=bool)
        picks = []
        for _ in range(3):
            gains = (dense & open_[:, None]).T.astype(float) @ w
            if gains.max() <= 0:
                break
            j = int(np.argmax(gains))
            picks.append(j)
            open_ &= ~dense[:, j]
        greedy = greedy_mclp(cov, w, 3)
        assert greedy.sites == picks and greedy.covered_weight <= best <= greedy.bound + 1e-9


def test_place_cameras_with_existing_and_outputs():
    ev = events(3000, seed=4, extent=(0, 0, 4000, 4000), hotspots=8)
    g = np.arange(100, 4000, 200.0)
    sx, sy = [a.ravel() for a in np.meshgrid(g, g)]
    res = place_cameras(
        ev.x, ev.y, sx, sy, radius=250, k=4, existing_x=[1000, 3000], existing_y=[1000, 3000], crs="EPSG:32717"
    )
    cov = coverage_matrix(ev.x, ev.y, sx, sy, 250)
    existing = np.asarray(coverage_matrix(ev.x, ev.y, [1000, 3000], [1000, 3000], 250).sum(axis=1)).ravel() > 0
    direct = mclp(cov, None, 4, existing_covered=existing)
    assert res.covered_weight == direct.covered_weight and res.optimal
    assert res.existing_weight == existing.sum() and res.share == pytest.approx(res.covered_weight / 3000)
    assert res.covered_weight >= res.greedy_weight
    geo = res.to_geojson()
    lon, lat = geo["features"][0]["geometry"]["coordinates"]
    elon, elat = to_lonlat(sx[res.sites[0]], sy[res.sites[0]], "EPSG:32717")
    assert (lon, lat) == pytest.approx((float(elon), float(elat)))
    rows = res.to_rows()
    assert rows[0][:2] == ["rank", "site"] and len(rows) == len(res.sites) + 1
    json.dumps(res.to_dict())


def test_time_limit_reports_bound():
    ev = events(4000, seed=8, extent=(0, 0, 5000, 5000))
    rng = np.random.default_rng(8)
    sx, sy = rng.uniform(0, 5000, 300), rng.uniform(0, 5000, 300)
    res = place_cameras(ev.x, ev.y, sx, sy, radius=300, k=6, time_limit=30)
    assert res.bound >= res.covered_weight and 0 <= res.gap < 1
    assert res.greedy_gap >= 0 and res.greedy_weight <= res.covered_weight


def test_bad_parameters_raise_before_work():
    cov = sparse.csr_matrix(np.eye(4, dtype=bool))
    for kwargs in (dict(k=0), dict(k=5), dict(k=-1), dict(k=2.5)):
        with pytest.raises(InputError):
            mclp(cov, None, **kwargs)
    with pytest.raises(InputError):
        mclp(cov, [1, 2, 3], 1)
    with pytest.raises(InputError):
        mclp(cov, [1, -2, 3, 4], 1)
    with pytest.raises(InputError):
        mclp(cov, None, 1, method="magic")
    with pytest.raises(InputError):
        mclp(cov, None, 1, existing_covered=[True])
    with pytest.raises(InputError):
        coverage_matrix([0], [0], [1], [1], 0)
    with pytest.raises(InputError):
        place_cameras([0, 1], [0, 1], [0], [0], radius=-5, k=1)
    with pytest.raises(InputError):
        place_cameras([0, 1], [0, 1], [0, 1], [0, 1], radius=5, k=3)


def test_nothing_to_gain_is_handled():
    cov = sparse.csr_matrix((5, 3), dtype=bool)
    res = mclp(cov, None, 2)
    assert res.covered_weight == 0 and res.optimal and res.share == 0
    res = mclp(sparse.csr_matrix(np.ones((3, 3), dtype=bool)), None, 1, existing_covered=[True, True, True])
    assert res.covered_weight == 3 and res.existing_weight == 3


# -------------------------------------------------------------------------------------------------- CLI


def test_cli_coverage_and_mclp(tmp_path):
    ev = events(1500, seed=3, extent=(0, 0, 2000, 2000), hotspots=5)
    incidents = tmp_path / "incidents.csv"
    incidents.write_text("x,y\n" + "".join(f"{a},{b}\n" for a, b in zip(ev.x, ev.y)))
    cameras = tmp_path / "cameras.csv"
    cameras.write_text("x,y,bearing,fov,range\n500,500,0,90,200\n1500,1500,,,150\n")
    out = tmp_path / "cov.json"
    assert main(["coverage", "--input", str(incidents), "--cameras", str(cameras), "--output", str(out)]) == 0
    data = json.loads(out.read_text())
    expected = coverage_share(ev.x, ev.y, [(500, 500, 0, 90, 200), (1500, 1500, None, None, 150)])
    assert data["count"] == expected.count and data["per_view"] == expected.per_view.tolist()

    g = np.arange(50, 2000, 100.0)
    sites = tmp_path / "sites.csv"
    sites.write_text("x,y\n" + "".join(f"{a},{b}\n" for a in g for b in g))
    existing = tmp_path / "existing.csv"
    existing.write_text("x,y\n1000,1000\n")
    for suffix in ("json", "csv", "geojson"):
        out = tmp_path / f"mclp.{suffix}"
        argv = [
            "mclp",
            "--input",
            str(incidents),
            "--candidates",
            str(sites),
            "--radius",
            "150",
            "--sites",
            "3",
            "--existing",
            str(existing),
            "--crs",
            "EPSG:32717",
            "--output",
            str(out),
        ]
        assert main(argv) == 0, suffix
    data = json.loads((tmp_path / "mclp.json").read_text())
    sx, sy = [a.ravel() for a in np.meshgrid(g, g, indexing="ij")]
    direct = place_cameras(ev.x, ev.y, sx, sy, radius=150, k=3, existing_x=[1000], existing_y=[1000])
    assert data["covered_weight"] == direct.covered_weight and data["optimal"]
    assert len(json.loads((tmp_path / "mclp.geojson").read_text())["features"]) == 3
    assert (tmp_path / "mclp.csv").read_text().startswith("rank,site,x,y,lon,lat")
    assert (
        main(
            [
                "mclp",
                "--input",
                str(incidents),
                "--candidates",
                str(sites),
                "--radius",
                "0",
                "--sites",
                "3",
                "--output",
                str(tmp_path / "bad.json"),
            ]
        )
        == 2
    )


def test_cli_coverage_in_lonlat(tmp_path):
    ev = events(2000, seed=6, extent=(0, 0, 2000, 2000), hotspots=4)
    x0, y0 = 697000.0, 9555000.0  # Loja, UTM 17S
    lon, lat = to_lonlat(ev.x + x0, ev.y + y0, "EPSG:32717")
    clon, clat = to_lonlat([x0 + 800, x0 + 1500], [y0 + 900, y0 + 400], "EPSG:32717")
    (tmp_path / "i.csv").write_text("lon,lat\n" + "".join(f"{a:.8f},{b:.8f}\n" for a, b in zip(lon, lat)))
    (tmp_path / "c.csv").write_text(
        f"lon,lat,bearing,fov,range\n{clon[0]:.8f},{clat[0]:.8f},45,120,250\n{clon[1]:.8f},{clat[1]:.8f},,,180\n"
    )
    out = tmp_path / "c.json"
    assert (
        main(
            ["coverage", "--input", str(tmp_path / "i.csv"), "--cameras", str(tmp_path / "c.csv"), "--output", str(out)]
        )
        == 0
    )
    data = json.loads(out.read_text())
    # UTM zone 17S, chosen from the points' centre; bearings are grid bearings (a fraction of a degree off north)
    direct = coverage_share(
        ev.x + x0, ev.y + y0, [(x0 + 800, y0 + 900, 45, 120, 250), (x0 + 1500, y0 + 400, None, None, 180)]
    )
    assert data["crs"] == "EPSG:32717"
    assert abs(data["count"] - direct.count) <= 2 and data["count"] > 50
    assert (
        main(
            [
                "coverage",
                "--input",
                str(tmp_path / "i.csv"),
                "--cameras",
                str(tmp_path / "c.csv"),
                "--output",
                str(tmp_path / "c.geojson"),
            ]
        )
        == 0
    )
    ring = json.loads((tmp_path / "c.geojson").read_text())["features"][0]["geometry"]["coordinates"][0]
    assert abs(ring[0][0] - clon[0]) < 1e-6 and abs(ring[0][1] - clat[0]) < 1e-6
