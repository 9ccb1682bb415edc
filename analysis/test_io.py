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


@pytest.mark.parametrize("text, message", [
    ("a,b\n1,2\n", "needs columns"),
    ("lon,lat\n-3.99,-95.20\n", "swapped"),
    ("x,y\n1,abc\n", "not a number"),
    ("x,y\n", "no rows"),
])
def test_bad_input_says_what(tmp_path, text, message):
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
