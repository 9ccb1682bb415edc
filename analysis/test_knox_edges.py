"""Exact band edges (issue 14, item 2): pairs built exactly on every distance and time edge, and one centimetre /
one second either side, for both metrics and both tests, against an independent exact count in plain Python
integers (itertools over the pairs). The coordinates are city-sized (UTM-like, hundreds of kilometres) and built
with "0.1 + 0.2"-style decimal sums, so float arithmetic puts some edge pairs on the wrong side; the engine, which
compares whole centimetres and whole seconds in integers, must not."""

import csv
import inspect
import itertools
import json
import math

import numpy as np
import pytest

from analysis import knox as knox_module
from analysis.io import InputError
from analysis.knox import DEFAULT_METRIC, knox, near_repeat

DAY = 86_400
SAME_CM, BAND_CM, BANDS = 100, 10_000, 3  # same location [0, 1 m), then 100 m bands: edges 1, 100, 200, 300 m
TBAND_S, TBANDS = 7 * DAY, 3  # 7-day bands: edges 7, 14, 21 days
DIST_EDGES = [SAME_CM] + [BAND_CM * (k + 1) for k in range(BANDS)]
TIME_EDGES = [TBAND_S * (k + 1) for k in range(TBANDS)]
DELTA_CM, TAU_S = 5_000, 3 * DAY  # the 2x2 test: delta = 50 m, tau = 3 days (closed)


def _triangles(e):
    """Right triangles with whole-centimetre legs and hypotenuse e, legs not whole metres (so that float
    differences of the coordinates are inexact): (28, 96) for 1 m, (3520, 9360) and (5376, 8432) for 100 m..."""
    legs = [(a, math.isqrt(e * e - a * a)) for a in range(1, e)]
    return [(a, b) for a, b in legs if a < b and a * a + b * b == e * e and a % 100 and b % 100][:2]


def _offsets():
    """Offsets (dx, dy) in centimetres whose distance is exactly an edge, or an edge +- 1 cm, for each metric:
    Manhattan offsets split e + s over both axes (at two places); both metrics: e + s along one axis; Euclidean:
    right triangles with hypotenuse e (exactly e, and one leg 1 cm longer or shorter: just above, just below)."""
    out = []
    for e in DIST_EDGES + [DELTA_CM]:
        for s in (-1, 0, 1):
            for a in ((e + s) // 3, (e + s) // 7 + 11):
                out.append((a, e + s - a))  # Manhattan e + s
            out.append((e + s, 0))  # both metrics e + s
            for a, b in _triangles(e):
                out.append((a, b + s))  # Euclidean e (s = 0), just above or below
    return out


def _time_offsets():
    out = [0]
    for e in TIME_EDGES + [TAU_S]:
        out += [e - 1, e, e + 1]
    return out


def _decimal_metres(cm: int) -> float:
    """cm / 100 as a float built by decimal sums (0.1 + 0.2 style): within a few ulps of the decimal value,
    rarely the nearest float."""
    whole, frac = divmod(cm, 100)
    return float(whole) + 0.1 * (frac // 10) + 0.01 * (frac % 10)


@pytest.fixture(scope="module")
def edge_points():
    """About 400 incidents: 5 clusters 5 km apart, each an anchor and partners at every edge offset (both signs,
    rotating over the time offsets), with times on, or a second off, every time edge."""
    offsets, toffsets = _offsets(), _time_offsets()
    pts = []  # ground truth: (x cm, y cm, t s)
    for k in range(5):
        x0, y0 = 35_919_230 + 500_037 * k, 57_051_089 + 1_013 * k  # UTM-like centimetres
        t0 = 16_800 * DAY + 3_600 * k  # days since 1970, with an hour of the day
        sx, sy = (1, -1) if k % 2 else (-1, 1)
        pts.append((x0, y0, t0))
        for m, (dx, dy) in enumerate(offsets):
            dt = toffsets[(m + 3 * k) % len(toffsets)] * (1 if m % 3 else -1)
            ox, oy = (dx, dy) if (m + k) % 2 else (dy, dx)
            pts.append((x0 + sx * ox, y0 + sy * oy, t0 + dt))
    x = np.array([_decimal_metres(p[0]) for p in pts])
    y = np.array([_decimal_metres(p[1]) for p in pts])
    t = np.array([p[2] for p in pts], dtype=np.float64) / DAY  # float days, as the engine takes them
    return pts, x, y, t


def _distance(a, b, metric):
    dx, dy = a[0] - b[0], a[1] - b[1]
    return abs(dx) + abs(dy) if metric == "manhattan" else dx * dx + dy * dy  # Euclidean: squared


def exact_table(pts, metric):
    """The near-repeat table by hand: row = number of distance edges <= d, column = number of time edges <= dt
    (half-open [a, b) bands), in Python integers."""
    sq = metric == "euclidean"
    edges = [e * e if sq else e for e in DIST_EDGES]
    table = [[0] * (len(TIME_EDGES) + 1) for _ in range(len(DIST_EDGES) + 1)]
    for a, b in itertools.combinations(pts, 2):
        d, dt = _distance(a, b, metric), abs(a[2] - b[2])
        table[sum(d >= e for e in edges)][sum(dt >= e for e in TIME_EDGES)] += 1
    return table


def exact_knox(pts, metric):
    """The 2x2 Knox table by hand: close when distance <= delta and |dt| <= tau (closed), Python integers."""
    delta = DELTA_CM * DELTA_CM if metric == "euclidean" else DELTA_CM
    table = [[0, 0], [0, 0]]
    for a, b in itertools.combinations(pts, 2):
        space = _distance(a, b, metric) <= delta
        time = abs(a[2] - b[2]) <= TAU_S
        table[0 if space else 1][0 if time else 1] += 1
    return table


@pytest.mark.parametrize("metric", ["manhattan", "euclidean"])
def test_every_edge_is_built_and_floats_get_some_wrong(edge_points, metric):
    """The data really exercise every edge (and 1 cm / 1 s either side), and float arithmetic on the same float
    inputs misplaces some of these pairs: the test has teeth."""
    pts, x, y, t = edge_points
    sq = metric == "euclidean"
    dists, dts = set(), set()
    for a, b in itertools.combinations(pts, 2):
        dists.add(_distance(a, b, metric))
        dts.add(abs(a[2] - b[2]))
    for e in DIST_EDGES + [DELTA_CM]:
        for s in (-1, 0, 1):
            assert ((e + s) ** 2 if sq else e + s) in dists, (e, s)
    for e in TIME_EDGES + [TAU_S]:
        assert {e - 1, e, e + 1} <= dts, e
    # float64 on the float inputs (today's comparison): some pairs exactly on an edge land on the other side
    i, j = np.triu_indices(x.size, 1)
    dx, dy = x[i] - x[j], y[i] - y[j]
    d = np.abs(dx) + np.abs(dy) if not sq else dx * dx + dy * dy
    true = np.array([_distance(pts[a], pts[b], metric) for a, b in zip(i, j)])
    wrong = 0
    for e in DIST_EDGES:
        edge_m = e / 100 if not sq else (e / 100) ** 2
        wrong += int(((d < edge_m) != (true < (e * e if sq else e))).sum())
    assert wrong > 0  # the table's half-open edges
    delta_m = DELTA_CM / 100 if not sq else (DELTA_CM / 100) ** 2
    assert ((d <= delta_m) != (true <= (DELTA_CM**2 if sq else DELTA_CM))).sum() > 0  # the 2x2 test's closed edge


@pytest.mark.parametrize("metric", ["manhattan", "euclidean"])
def test_near_repeat_table_equals_the_exact_count(edge_points, metric):
    pts, x, y, t = edge_points
    r = near_repeat(
        x,
        y,
        t,
        distance_band=BAND_CM / 100,
        distance_bands=BANDS,
        time_band=TBAND_S / DAY,
        time_bands=TBANDS,
        same_location=SAME_CM / 100,
        metric=metric,
        permutations=9,
    )
    assert r.observed.tolist() == exact_table(pts, metric)
    assert r.pairs == len(pts) * (len(pts) - 1) // 2
    # on the threaded kernels too
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(knox_module, "PARALLEL_PAIRS", 0)
        r2 = near_repeat(
            x, y, t, distance_band=100, distance_bands=BANDS, time_band=7, time_bands=TBANDS, metric=metric,
            permutations=9,
        )  # fmt: skip
    assert r2.observed.tolist() == r.observed.tolist()


@pytest.mark.parametrize("metric", ["manhattan", "euclidean"])
def test_knox_2x2_equals_the_exact_count(edge_points, metric):
    pts, x, y, t = edge_points
    k = knox(x, y, t, delta=DELTA_CM / 100, tau=TAU_S / DAY, metric=metric, permutations=9)
    exact = exact_knox(pts, metric)
    assert k.observed.astype(np.int64).tolist() == exact
    assert k.stat == exact[0][0] and k.ns == exact[0][0] + exact[0][1] and k.nt == exact[0][0] + exact[1][0]


def test_a_pair_on_an_edge_is_on_the_documented_side():
    # 0.1 + 0.2 != 0.3 in floats; 100.3 - 0.3 is 100.00000000000001 or so: still exactly 100 m at cm resolution
    x = np.array([0.1 + 0.2, 100.3, 0.3, 0.3])
    y = np.array([0.0, 0.0, 100.0, 0.3 + 0.7 - 0.7])
    t = np.array([0.0, 7.0, 0.1 + 0.2, 7.3 - 0.3])
    r = near_repeat(
        x, y, t, distance_band=100, distance_bands=1, time_band=7, time_bands=1, metric="euclidean", permutations=1
    )
    # as decimals: P0 (0.3, 0, day 0), P1 (100.3, 0, day 7), P2 (0.3, 100, day 0.3), P3 (0.3, 0.3, day 7).
    # (0,1) 100 m, 7 d: [>=100, >=7]; (0,2) 100 m, 0.3 d: [>=100, 0-7]; (0,3) 0.3 m, 7 d: [0, >=7];
    # (1,2) 141 m, 6.7 d: [>=100, 0-7]; (1,3) 100.0004 m, 0 d: [>=100, 0-7]; (2,3) 99.7 m, 6.7 d: [1-100, 0-7]
    assert r.observed.tolist() == [[0, 1], [1, 0], [3, 1]]
    k = knox(x, y, t, delta=100, tau=7, metric="euclidean", permutations=1)
    # closed: within 100 m and 7 days are (0,1), (0,2), (0,3) and (2,3); every pair is within 7 days
    assert k.stat == 4 and k.ns == 4 and k.nt == 6


# --------------------------------------------------------------------------------------- units, rounding, guards
def test_edges_must_be_whole_centimetres_and_seconds():
    x, y, t = np.array([0.0, 1.0, 2.0]), np.array([0.0, 0.0, 0.0]), np.array([0.0, 1.0, 2.0])
    args = dict(distance_band=100, distance_bands=1, time_band=7, time_bands=1, permutations=1)
    with pytest.raises(InputError, match="whole number of centimetres"):
        near_repeat(x, y, t, **{**args, "distance_band": 100.125})
    with pytest.raises(InputError, match="whole number of seconds"):
        near_repeat(x, y, t, **{**args, "time_band": 1e-6})
    with pytest.raises(InputError, match="same_location must be a whole number of centimetres"):
        near_repeat(x, y, t, **{**args, "same_location": 0.005})
    with pytest.raises(InputError, match="delta must be a whole number of centimetres"):
        knox(x, y, t, delta=0.001, tau=1)
    with pytest.raises(InputError, match="tau must be a whole number of seconds"):
        knox(x, y, t, delta=1, tau=1.5e-5)
    # decimal values as written are exact: 0.01 m, 0.1 days (8640 s), 7 / 24 days (25200 s, computed in floats)
    near_repeat(x, y, t, **{**args, "distance_band": 0.02, "same_location": 0.01, "time_band": 0.1})
    r = near_repeat(x, y, t, **{**args, "time_band": 7 / 24})
    assert r.time_edges[1] * 86400 == pytest.approx(25200)


def test_coordinates_round_to_the_nearest_centimetre_and_times_to_the_second():
    # 0.994 m -> 99 cm (same location below 1 m); 0.996 m -> 100 cm (on the 1 m edge: the next row)
    x = np.array([0.0, 0.994, 0.0, 0.996])
    y = np.array([0.0, 0.0, 500.0, 500.0])
    # 0.4 s apart -> same second; 7 days minus 0.4 s -> exactly 7 days
    t = np.array([0.0, 0.4 / 86400, 10.0, 17.0 - 0.4 / 86400])
    r = near_repeat(x, y, t, distance_band=100, distance_bands=1, time_band=7, time_bands=1, permutations=1)
    assert r.observed[0].tolist() == [1, 0] and r.observed[1].tolist() == [0, 1]


def test_spread_above_20000_km_is_refused_and_the_largest_allowed_does_not_overflow():
    t = np.zeros(4)
    far = 2.0e7  # metres: 2e9 cm, the largest spread allowed
    x, y = np.array([0.0, far, 0.0, far]), np.array([0.0, far, far, 0.0])
    r = near_repeat(
        x,
        y,
        t,
        distance_band=far / 4,
        distance_bands=4,
        time_band=1,
        time_bands=1,
        metric="euclidean",
        permutations=1,
        same_location=1,
    )
    # every pair is at >= 2e7 m (the last edge): the beyond row, none overflowing into a close band
    assert r.observed[-1, 0] == 6 and r.close_pairs == 0
    with pytest.raises(InputError, match="spread over"):
        near_repeat(x * 1.001, y, t, distance_band=100, distance_bands=1, time_band=1, time_bands=1)
    with pytest.raises(InputError, match="distance bands must reach at most"):
        near_repeat(x, y, t, distance_band=far, distance_bands=2, time_band=1, time_bands=1)


# ------------------------------------------------------------------------------- one default metric, stated
def test_library_defaults_are_the_documented_ones():
    assert DEFAULT_METRIC == {"near_repeat": "manhattan", "knox": "euclidean"}
    assert inspect.signature(near_repeat).parameters["metric"].default == DEFAULT_METRIC["near_repeat"]
    assert inspect.signature(knox).parameters["metric"].default == DEFAULT_METRIC["knox"]


def test_results_state_metric_resolution_and_convention(edge_points):
    pts, x, y, t = edge_points
    r = near_repeat(x, y, t, distance_band=100, distance_bands=3, time_band=7, time_bands=3, permutations=1)
    d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert d["metric"] == "manhattan"
    assert d["distance_resolution"] == "cm" and d["time_resolution"] == "s"
    assert "half-open" in d["convention"] and "exactly on an edge" in d["convention"]
    assert "whole centimetres" in d["resolution"] and "whole seconds" in d["resolution"]
    k = knox(x, y, t, delta=50, tau=3, permutations=1).to_dict()
    assert k["metric"] == "euclidean" and k["distance_resolution"] == "cm" and k["time_resolution"] == "s"
    assert k["convention"].startswith("closed") and "whole centimetres" in k["resolution"]


def test_cli_default_metric_per_test(tmp_path, edge_points):
    from analysis.cli import main

    pts, x, y, t = edge_points
    path = tmp_path / "incidents.csv"
    with open(path, "w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["x", "y", "t"])
        for xi, yi, ti in zip(x, y, t):
            w.writerow([repr(float(xi)), repr(float(yi)), repr(float(ti))])
    table, test = tmp_path / "table.json", tmp_path / "knox.json"
    base = ["knox", "--input", str(path), "--permutations", "9"]
    assert main(base + ["--output", str(table)]) == 0
    assert main(base + ["--delta", "50", "--tau", "3", "--output", str(test)]) == 0
    got_table, got_test = json.loads(table.read_text()), json.loads(test.read_text())
    assert got_table["metric"] == DEFAULT_METRIC["near_repeat"] == "manhattan"
    assert got_test["metric"] == DEFAULT_METRIC["knox"] == "euclidean"
    # and the CLI's exact counts are the library's (through the CSV's decimal text)
    assert got_test["observed"] == exact_knox(pts, "euclidean")
    assert got_table["resolution"] and got_test["convention"].startswith("closed")
