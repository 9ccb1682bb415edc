"""Reading points and writing results for the CLI."""

import json
from dataclasses import dataclass

import numpy as np
import pytest

from analysis.io import InputError, read_points, to_days, to_lonlat, utm_crs, write_result


def test_lonlat_input_is_projected_to_loja_utm_and_back(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("lon,lat,date\n-79.2045,-3.9931,2020-03-14\n-79.2100,-3.9900,2020-03-15T21:30\n")
    pts = read_points(path)
    assert pts.crs == "EPSG:32717" == utm_crs(pts.lon, pts.lat)
    assert 690_000 < pts.x[0] < 700_000 and 9_550_000 < pts.y[0] < 9_560_000
    lon, lat = to_lonlat(pts.x, pts.y, pts.crs)
    assert np.allclose(lon, pts.lon) and np.allclose(lat, pts.lat)
    assert pts.t[1] - pts.t[0] == pytest.approx(1 + 21.5 / 24)


def test_metres_input_is_kept(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("x,y,t\n10,20,1.5\n30,40,2\n")
    pts = read_points(path)
    assert pts.crs is None and list(pts.x) == [10, 30] and list(pts.t) == [1.5, 2.0]


@pytest.mark.parametrize(
    "text, message",
    [
        ("a,b\n1,2\n", "needs columns"),
        ("lon,lat\n-3.99,-95.20\n", "swapped"),
        ("x,y\n1,abc\n", "not a number"),
        ("x,y\n", "no rows"),
    ],
)
@pytest.mark.parametrize("threshold", [0, 10**9])
def test_bad_input_says_what(tmp_path, text, message, threshold, monkeypatch):
    monkeypatch.setattr("analysis.io.COLUMNAR_MIN_BYTES", threshold)
    path = tmp_path / "p.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=message):
        read_points(path)


def test_missing_time_when_required(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("x,y\n1,2\n")
    with pytest.raises(InputError, match="time column"):
        read_points(path, require_time=True)
    with pytest.raises(InputError, match="not a date"):
        to_days(["2020-13-45"])


def test_results_are_written_by_suffix(tmp_path):
    @dataclass
    class R:
        value: float

        def to_dict(self):
            return {"value": np.float64(self.value), "cells": np.arange(2)}

        def to_rows(self):
            return [["value"], [self.value]]

    write_result(R(1.5), tmp_path / "r.json")
    assert json.loads((tmp_path / "r.json").read_text()) == {"value": 1.5, "cells": [0, 1]}
    write_result(R(1.5), tmp_path / "r.csv")
    assert (tmp_path / "r.csv").read_text().splitlines() == ["value", "1.5"]
    with pytest.raises(InputError, match="no map form"):
        write_result(R(1.5), tmp_path / "r.geojson")
    with pytest.raises(InputError, match="unknown output format"):
        write_result(R(1.5), tmp_path / "r.xml")


@pytest.fixture
def columnar(monkeypatch):
    """Every file through the columnar reader, however small."""
    monkeypatch.setattr("analysis.io.COLUMNAR_MIN_BYTES", 0)


def test_columnar_reader_matches_the_row_reader(tmp_path, columnar):
    from analysis.io import _read_points_rows, read_columns

    rng = np.random.default_rng(5)
    path = tmp_path / "p.csv"
    lon, lat = -79.2 + rng.normal(0, 0.01, 500), -3.99 + rng.normal(0, 0.01, 500)
    stamps = np.datetime64("2022-01-01T00:00:00") + rng.integers(0, 10**8, 500).astype("timedelta64[s]")
    rows = "".join(f"{a!r},{b!r},{t}\n" for a, b, t in zip(lon.tolist(), lat.tolist(), stamps))
    path.write_text("\ufeffLon, Lat ,date\n" + rows)
    fast, slow = read_points(path), _read_points_rows(path)
    assert fast.crs == slow.crs == "EPSG:32717"
    np.testing.assert_array_equal(fast.lon, slow.lon)
    np.testing.assert_allclose(fast.x, slow.x, rtol=0, atol=1e-6)
    np.testing.assert_allclose(fast.t, slow.t, rtol=0, atol=1e-9)
    cols = read_columns(path, columns=["date"])
    assert list(cols) == ["date"] and cols["date"].dtype.kind == "M"


def test_columnar_reader_falls_back_for_messages_and_mixed_dates(tmp_path, columnar):
    path = tmp_path / "p.csv"
    path.write_text("x,y,t\n1,2,2020-03-14\n3,,2020-03-15T21:30\n")
    with pytest.raises(InputError, match="not a number"):
        read_points(path)
    path.write_text("x,y,t\n1,2,2020-03-14\n3,4,2020-03-15T21:30Z\n")
    assert read_points(path).t[1] - read_points(path).t[0] == pytest.approx(1 + 21.5 / 24)


def test_geoparquet_of_gistar_cells(tmp_path, columnar):
    import pyarrow.parquet as pq
    import shapely

    from analysis.hotspots import gistar_grid

    rng = np.random.default_rng(2)
    x, y = rng.normal(500, 120, 3000) + 690_000, rng.normal(500, 120, 3000) + 9_550_000
    res = gistar_grid(x, y, cell=50, method="mc-class", permutations=99)
    res.crs = "EPSG:32717"
    write_result(res, tmp_path / "g.parquet")
    table = pq.read_table(tmp_path / "g.parquet")
    geo = json.loads(table.schema.metadata[b"geo"])
    assert geo["version"] == "1.1.0" and geo["primary_column"] == "geometry"
    col = geo["columns"]["geometry"]
    assert col["encoding"] == "WKB" and col["geometry_types"] == ["Polygon"]
    assert col["crs"]["id"] == {"authority": "EPSG", "code": 32717}
    assert table.num_rows == res.n
    cells = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    want = shapely.polygons(np.array(res.grid.polygons()))
    assert shapely.equals(cells, want).all() and shapely.is_ccw(shapely.get_exterior_ring(cells)).all()
    np.testing.assert_array_equal(table.column("p_sim").to_numpy(), res.p_sim)
    assert table.column("category").to_pylist() == res.category.tolist()
    # the same by --out-format, whatever the extension; JSON keeps its keys one a line
    write_result(res, tmp_path / "g.bin", "parquet")
    assert pq.read_table(tmp_path / "g.bin").num_rows == res.n
    write_result(res, tmp_path / "g.json")
    data = json.loads((tmp_path / "g.json").read_text())
    assert data["p_sim"] == res.p_sim.tolist() and data["ties"] == "both"
