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


def test_columns_come_from_pyarrow_buffers_as_its_own_to_numpy_gives_them(tmp_path):
    """read_columns takes numbers and date-times from pyarrow's buffers (no pandas import): the same arrays as
    pyarrow's to_numpy, nulls included, over several blocks."""
    import pyarrow as pa
    from pyarrow import csv as pacsv

    from analysis.io import _numpy, read_columns

    rng = np.random.default_rng(4)
    n = 30_000
    lines = ["x,k,d,s"]
    for i in range(n):
        empty = rng.random() < 0.05
        x = "" if empty else repr(float(rng.normal()))
        k = "" if i % 7 == 0 else str(int(rng.integers(-5, 5)))
        d = "" if i % 11 == 0 else f"2021-0{1 + i % 9}-1{i % 10}T0{i % 10}:15:00"
        lines.append(f"{x},{k},{d},s{i % 3}")
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines) + "\n")
    ours = read_columns(path, {"x": pa.float64()})
    table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=1 << 16))  # many chunks
    assert table.column("x").num_chunks > 1
    for name in ("x", "k", "d", "s"):
        theirs = table.column(name).to_numpy()
        np.testing.assert_array_equal(ours[name], theirs, err_msg=name)
        np.testing.assert_array_equal(_numpy(table.column(name)), theirs, err_msg=name)
        np.testing.assert_array_equal(_numpy(table.column(name).slice(5, 20_000)), theirs[5:20_005], err_msg=name)
    assert ours["k"].dtype == np.float64 and ours["d"].dtype == np.dtype("datetime64[s]")


def test_geoparquet_columns_are_the_arrays_pyarrow_array_builds():
    import pyarrow as pa

    from analysis.io import _arrow

    for values in (
        np.arange(5.0),
        np.arange(-2, 3),
        np.arange(3, dtype=np.int32),
        np.array([True, False, True] * 5),
        np.empty(0),
    ):
        assert _arrow(values).equals(pa.array(values)), values
    labels = np.array(["hot 90%", "not significant", "hot 90%", "cold 99%"], dtype=object)
    ours, theirs = _arrow(labels), pa.array(labels.astype(str)).dictionary_encode()
    assert ours.type == theirs.type and ours.to_pylist() == theirs.to_pylist()
    ours.validate(full=True)


def test_methods_without_time_read_no_time_column(tmp_path, columnar):
    path = tmp_path / "p.csv"
    path.write_text("lon,lat,date\n-79.2045,-3.9931,not a date\n-79.2100,-3.9900,2020-03-15\n")
    with pytest.raises(InputError, match="not a date"):
        read_points(path)
    pts = read_points(path, time=False)
    assert pts.t is None and len(pts) == 2


def test_the_registry_thread_readies_numba_without_loading_a_kernel():
    from analysis.startup import prepare_in_background

    thread = prepare_in_background()
    thread.join(120)
    assert not thread.is_alive()
    import sys

    assert "numba.np.arraymath" in sys.modules  # imported by the registry refresh
