import subprocess
import sys

import numpy as np
import pytest
import shapely

from analysis.spatial import AreaIndex


def grid():
    # four unit squares sharing borders
    return [shapely.box(x, y, x + 1, y + 1) for x in (0, 1) for y in (0, 1)]


def test_points_go_to_the_square_that_holds_them():
    index = AreaIndex(grid())
    x = np.array([0.5, 0.5, 1.5, 1.5, 5.0])
    y = np.array([0.5, 1.5, 0.5, 1.5, 5.0])
    assert index.locate_many(x, y).index.tolist() == [0, 1, 2, 3, -1]


def test_shared_border_goes_to_the_first_listed_area():
    index = AreaIndex(grid())
    assert index.locate(1.0, 0.5) == 0
    assert AreaIndex(list(reversed(grid()))).locate(1.0, 0.5) == 1


def test_matches_brute_force_on_random_polygons():
    rng = np.random.default_rng(3)
    polys = [shapely.Point(rng.uniform(0, 10), rng.uniform(0, 10)).buffer(rng.uniform(0.3, 1.5)) for _ in range(40)]
    index = AreaIndex(polys)
    x, y = rng.uniform(0, 10, 20000), rng.uniform(0, 10, 20000)
    got = index.locate_many(x, y).index
    expected = np.full(x.size, -1)
    for i, poly in enumerate(polys):
        hit = shapely.intersects_xy(poly, x, y) & (expected == -1)
        expected[hit] = i
    assert np.array_equal(got, expected)


def test_rejects_bad_input():
    with pytest.raises(ValueError):
        AreaIndex([shapely.Polygon()])
    with pytest.raises(ValueError):
        AreaIndex(grid()).locate_many(np.zeros(3), np.zeros(2))
    assert AreaIndex(grid()).locate_many(np.array([]), np.array([])).index.size == 0


def test_cli_locates_points_from_files(tmp_path):
    areas = tmp_path / "areas.geojson"
    areas.write_text(
        '{"type":"FeatureCollection","features":['
        '{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}},'
        '{"type":"Feature","properties":{"name":"B"},"geometry":{"type":"Polygon","coordinates":[[[1,0],[2,0],[2,1],[1,1],[1,0]]]}}]}'
    )
    points = tmp_path / "p.csv"
    points.write_text("lon,lat\n0.5,0.5\n1.5,0.5\n9,9\n")
    out = subprocess.run(
        [sys.executable, "-m", "analysis", "locate", str(areas), str(points)], capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    assert [line.split(",")[-1] for line in out.stdout.strip().splitlines()[1:]] == ["A", "B", ""]
