import csv
import itertools
import json
import math
import os
import warnings
from pathlib import Path

import numpy as np
import pytest

from analysis import knox as knox_module
from analysis.io import InputError, to_days
from analysis.knox import knox, near_repeat
from analysis.synthetic import events


def _reference_dir() -> Path:
    """The shared reference data (never copied into the project): $CENTINELA_REFERENCE_DIR, else ../shared/reference
    beside the checkout, else this workplace's /work/shared/reference (a CI clone may live elsewhere)."""
    candidates = [
        os.environ.get("CENTINELA_REFERENCE_DIR", ""),
        Path(__file__).resolve().parents[2] / "shared" / "reference",
        "/work/shared/reference",
    ]
    for candidate in candidates:
        if candidate and Path(candidate, "near-repeat").is_dir():
            return Path(candidate)
    return Path(candidates[1])


NRC = _reference_dir() / "near-repeat"
BANDS = dict(distance_band=50.0, distance_bands=4, time_band=5.0, time_bands=3)


def brute_table(x, y, t, result):
    """Every pair, binned by the result's half-open edges at the stated resolution: coordinates rounded to whole
    centimetres and times to whole seconds, distances compared in integers (Euclidean squared)."""
    xi, yi = np.rint(np.asarray(x) * 100).astype(np.int64), np.rint(np.asarray(y) * 100).astype(np.int64)
    ti = np.rint(np.asarray(t) * 86400).astype(np.int64)
    i, j = np.triu_indices(xi.size, 1)
    dx, dy = xi[i] - xi[j], yi[i] - yi[j]
    d = np.abs(dx) + np.abs(dy) if result.metric == "manhattan" else dx * dx + dy * dy
    dt = np.abs(ti[i] - ti[j])
    dedges = np.rint(result.distance_edges[1:-1] * 100).astype(np.int64)
    if result.metric == "euclidean":
        dedges = dedges * dedges
    tedges = np.rint(result.time_edges[1:-1] * 86400).astype(np.int64)
    r = np.searchsorted(dedges, d, side="right")
    c = np.searchsorted(tedges, dt, side="right")
    table = np.zeros(result.observed.shape, dtype=np.int64)
    np.add.at(table, (r, c), 1)
    return table


@pytest.fixture(scope="module")
def small():
    ev = events(600, seed=3, extent=(0, 0, 2000, 2000), days=120)
    return ev.x, ev.y, np.floor(ev.t)  # whole days: many ties on the band edges


@pytest.mark.parametrize("metric", ["manhattan", "euclidean"])
def test_table_matches_brute_force_and_exact_expectation(small, metric):
    x, y, t = small
    r = near_repeat(x, y, t, **BANDS, metric=metric, permutations=19)
    brute = brute_table(x, y, t, r)
    assert np.array_equal(r.observed, brute)
    assert r.pairs == x.size * (x.size - 1) // 2 == brute.sum()
    S, T = brute.sum(axis=1), brute.sum(axis=0)
    assert np.allclose(r.expected, np.outer(S, T) / r.pairs, rtol=1e-12)
    assert r.close_pairs == brute[:-1].sum()
    assert r.observed.shape == (1 + 4 + 1, 3 + 1)
    assert r.row_labels == ["0", "1-50", "50-100", "100-150", "150-200", ">=200"]
    assert r.col_labels == ["0-5", "5-10", "10-15", ">=15"]
    assert "half-open" in r.convention


def test_expected_is_the_mean_over_all_permutations():
    rng = np.random.default_rng(5)
    x, y = rng.uniform(0, 300, 6), rng.uniform(0, 300, 6)
    t = np.array([0.0, 1.0, 3.0, 7.0, 8.0, 20.0])
    r = near_repeat(x, y, t, distance_band=100, distance_bands=2, time_band=4, time_bands=2, permutations=9)
    tables = [brute_table(x, y, t[list(p)], r) for p in itertools.permutations(range(6))]
    assert np.allclose(r.expected, np.mean(tables, axis=0), rtol=1e-12)


def test_same_seed_same_result_other_seed_other_p_values(small):
    x, y, t = small
    a = near_repeat(x, y, t, **BANDS, permutations=99, seed=7)
    b = near_repeat(x, y, t, **BANDS, permutations=99, seed=7)
    c = near_repeat(x, y, t, **BANDS, permutations=99, seed=8)
    assert np.array_equal(a.p_value, b.p_value) and np.array_equal(a.simulated_mean, b.simulated_mean)
    assert not np.array_equal(a.simulated_mean, c.simulated_mean)
    assert ((a.p_value > 0) & (a.p_value <= 1)).all()
    # Monte Carlo mean close to the exact expectation
    assert np.allclose(a.simulated_mean, a.expected, rtol=0.2, atol=2)


def test_near_repeats_are_found():
    ev = events(3000, seed=1, extent=(0, 0, 5000, 5000), days=365, repeat_share=0.3, repeat_distance=100, repeat_days=5)
    r = near_repeat(ev.x, ev.y, ev.t, distance_band=100, distance_bands=3, time_band=7, time_bands=3, permutations=99)
    assert r.ratio[1, 0] > 2 and r.p_value[1, 0] == 0.01


def test_progress_is_reported(small, monkeypatch):
    x, y, t = small
    seen = []
    near_repeat(x, y, t, **BANDS, permutations=120, progress=seen.append)
    assert seen == [1.0]  # the three chunks of 50 in one pass over the pairs (200 lanes)
    seen = []
    monkeypatch.setattr(knox_module, "MAX_LANES", 50)  # one chunk per pass: a report after each
    near_repeat(x, y, t, **BANDS, permutations=120, progress=seen.append)
    assert seen == pytest.approx([1 / 3, 2 / 3, 1.0])


def test_result_serialises(small):
    x, y, t = small
    r = near_repeat(x, y, t, **BANDS, permutations=9)
    d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert d["observed"] == r.observed.tolist() and d["distance_edges"][-1] is None
    assert d["convention"] == r.convention and d["pairs"] == r.pairs
    rows = r.to_rows()
    assert rows[0][:3] == ["distance", "time", "distance_from_m"] and len(rows) == 1 + r.observed.size
    assert sum(row[6] for row in rows[1:]) == r.pairs


# ---------------------------------------------------------------------------------------------- NRC reference runs
def nrc_data(name):
    if not NRC.is_dir():
        pytest.skip(f"Near Repeat Calculator reference runs not found at {NRC}")
    with open(NRC / f"{name}.csv", newline="") as handle:
        rows = [r for r in csv.reader(handle) if r]
    x = np.array([float(r[0]) for r in rows])
    y = np.array([float(r[1]) for r in rows])
    return x, y, to_days([r[2] for r in rows])


def nrc_output(name):
    """The NRC's observed table and, per cell, its simulated values (from the verbose output)."""
    path = next(NRC.glob(f"{name}_NRverbose_*.csv"))
    lines = path.read_text(encoding="latin-1").splitlines()
    start = lines.index("Observed frequencies distribution") + 3
    observed = np.array(
        [[int(v) if v.strip() else 0 for v in line.split(",")[2:6]] for line in lines[start : start + 5]]
    )
    sims = {}
    for k, line in enumerate(lines):
        if line.startswith("Row ") and " Column " in line:
            r, c = int(line.split()[1]), int(line.split()[3])
            values = []
            m = k + 1
            while not lines[m].startswith("Observed"):
                values += [int(v) for v in lines[m].split(",")[1:] if v.strip()]
                m += 1
            sims[r - 1, c - 1] = np.array(values)
    return observed, sims


def check_expected_against_nrc(result, sims, slack=0.0):
    """Our exact expectation against the NRC's Monte Carlo mean, within 4 standard errors; `slack` pairs more
    where the two disagree on a pair's band (then a row total, hence its expectations, differ by up to one)."""
    for (r, c), values in sims.items():
        se = values.std(ddof=1) / math.sqrt(values.size) if values.size > 1 else 0.0
        assert abs(values.mean() - result.expected[r, c]) <= 4 * se + 0.5 + slack, (r, c)


def test_reproduces_nrc_chicago_burglary_exactly():
    x, y, t = nrc_data("chicago_be_month1")
    observed, sims = nrc_output("chicago_be_month1")
    r = near_repeat(
        x, y, t, distance_band=100, distance_bands=3, time_band=7, time_bands=3, metric="manhattan", permutations=99
    )
    assert r.pairs == 469_965
    assert np.array_equal(r.observed, observed)
    check_expected_against_nrc(r, sims)
    assert r.p_value[0, 0] == r.p_value[1, 0] == r.p_value[2, 0] == 0.01  # the NRC: 0.05 with its 20 iterations


def test_reproduces_nrc_chicago_arson_within_one_pair():
    x, y, t = nrc_data("chicago_arson")
    observed, sims = nrc_output("chicago_arson")
    r = near_repeat(
        x, y, t, distance_band=200, distance_bands=3, time_band=1, time_bands=3, metric="manhattan", permutations=99
    )
    assert np.abs(r.observed - observed).max() <= 1
    assert (r.observed != observed).sum() <= 4
    check_expected_against_nrc(r, sims, slack=1.0)


# ------------------------------------------------------------------------------------------------ classic Knox
def reference_knox(x, y, t, delta, tau, permutations=99):
    pytest.importorskip("pointpats")
    from pointpats.spacetime import Knox

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return Knox(
            np.column_stack([x, y]),
            np.asarray(t, float).reshape(-1, 1),
            delta=delta,
            tau=tau,
            permutations=permutations,
        )


def test_knox_matches_pointpats_on_burkitt():
    libpysal = pytest.importorskip("libpysal")
    from pointpats import SpaceTimeEvents

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ev = SpaceTimeEvents(libpysal.examples.get_path("burkitt.shp"), "T")
    x, y, t = ev.space[:, 0], ev.space[:, 1], ev.t[:, 0]
    ours = knox(x, y, t, delta=20, tau=5, permutations=999)
    np.random.seed(12345)
    ref = reference_knox(x, y, t, 20, 5, permutations=999)
    assert ours.stat == ref.statistic_ == 13
    assert ours.expected == pytest.approx(10.1438161, abs=1e-7)
    assert np.allclose(ours.observed, ref.observed) and np.allclose(ours.expected_table, ref.expected)
    assert ours.p_value_poisson == pytest.approx(ref.p_poisson, rel=1e-12)
    assert abs(ours.p_value_sim - ref.p_sim) < 0.06  # both Monte Carlo with 999 permutations (p about 0.2)


@pytest.mark.parametrize("seed", [0, 1])
def test_knox_matches_pointpats_on_synthetic_data(seed):
    ev = events(1500, seed=seed, extent=(0, 0, 3000, 3000), days=200)
    x, y, t = np.round(ev.x), np.round(ev.y), np.floor(ev.t)  # integers: pairs exactly on delta and tau
    ours = knox(x, y, t, delta=50, tau=3, permutations=99)
    ref = reference_knox(x, y, t, 50, 3)
    assert ours.stat == ref.statistic_
    assert ours.expected == pytest.approx(ref.expected[0, 0], rel=1e-12)
    assert np.allclose(ours.observed, ref.observed)
    assert ours.p_value_poisson == pytest.approx(ref.p_poisson, rel=1e-9, abs=1e-12)
    d = json.loads(json.dumps(ours.to_dict()))
    assert d["stat"] == ours.stat and ours.to_rows()[1][2] == ours.stat


# ------------------------------------------------------------------------------------------------- bad inputs
@pytest.mark.parametrize(
    "change, message",
    [
        (dict(distance_band=0), "distance_band"),
        (dict(distance_band=-5), "distance_band"),
        (dict(distance_band=float("nan")), "distance_band"),
        (dict(time_band=0), "time_band"),
        (dict(distance_bands=0), "distance_bands"),
        (dict(time_bands=0), "time_bands"),
        (dict(time_bands=2.5), "time_bands"),
        (dict(permutations=0), "permutations"),
        (dict(metric="chebyshev"), "metric"),
        (dict(seed=-1), "seed"),
        (dict(same_location=60), "same_location"),
    ],
)
def test_bad_parameters_raise_input_error(small, change, message):
    x, y, t = small
    with pytest.raises(InputError, match=message):
        near_repeat(x, y, t, **{**BANDS, **change})


def test_bad_points_raise_input_error(small):
    x, y, t = small
    with pytest.raises(InputError, match="at least 2"):
        near_repeat(x[:1], y[:1], t[:1], **BANDS)
    bad = x.copy()
    bad[3] = np.nan
    with pytest.raises(InputError, match="finite"):
        near_repeat(bad, y, t, **BANDS)
    with pytest.raises(InputError, match="times are missing"):
        near_repeat(x, y, None, **BANDS)
    tt = t.copy()
    tt[0] = np.nan
    with pytest.raises(InputError, match="times are missing"):
        near_repeat(x, y, tt, **BANDS)
    with pytest.raises(InputError, match="same length"):
        near_repeat(x, y[:-1], t, **BANDS)
    with pytest.raises(InputError, match="delta"):
        knox(x, y, t, delta=0, tau=1)
    with pytest.raises(InputError, match="tau"):
        knox(x, y, t, delta=10, tau=-1)
    with pytest.raises(InputError, match="permutations"):
        knox(x, y, t, delta=10, tau=1, permutations=0)


# ------------------------------------------------------------------------------------------------------- Dask
def test_dask_gives_the_same_table_as_in_process(small, monkeypatch):
    from distributed import Client, LocalCluster

    x, y, t = small
    monkeypatch.setattr(knox_module, "PARALLEL_PAIRS", 0)  # in-process: the threaded kernel; Dask: the serial one
    here = near_repeat(x, y, t, **BANDS, permutations=120, seed=3)
    here_knox = knox(x, y, t, delta=80, tau=4, permutations=120, seed=3)
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
    ):
        there = near_repeat(x, y, t, **BANDS, permutations=120, seed=3, scheduler=client)
        there_knox = knox(x, y, t, delta=80, tau=4, permutations=120, seed=3, scheduler=client)
    assert np.array_equal(here.observed, there.observed)
    assert np.array_equal(here.p_value, there.p_value)
    assert np.array_equal(here.simulated_mean, there.simulated_mean)
    assert here_knox.p_value_sim == there_knox.p_value_sim and here_knox.stat == there_knox.stat


# --------------------------------------------------------------------------------------------------------- CLI
def test_cli_end_to_end(tmp_path, small):
    from analysis.cli import main

    x, y, t = small
    path = tmp_path / "incidents.csv"
    with open(path, "w", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["x", "y", "date"])
        for xi, yi, ti in zip(x, y, t):
            w.writerow([repr(float(xi)), repr(float(yi)), str(np.datetime64("2024-01-01") + int(ti))])
    out = tmp_path / "result.json"
    args = [
        "knox",
        "--input",
        str(path),
        "--distance-band",
        "50",
        "--distance-bands",
        "4",
        "--time-band",
        "5",
        "--time-bands",
        "3",
        "--metric",
        "manhattan",
        "--permutations",
        "49",
        "--seed",
        "0",
    ]
    assert main(args + ["--output", str(out)]) == 0
    got = json.loads(out.read_text())
    expected = near_repeat(x, y, t, **BANDS, permutations=49, seed=0)
    assert got["observed"] == expected.observed.tolist() and got["p_value"] == expected.p_value.tolist()
    assert main(args + ["--output", str(tmp_path / "result.csv")]) == 0
    rows = list(csv.reader(open(tmp_path / "result.csv")))
    assert rows[0][0] == "distance" and len(rows) == 1 + expected.observed.size
    assert (
        main(
            [
                "knox",
                "--input",
                str(path),
                "--delta",
                "50",
                "--tau",
                "3",
                "--metric",
                "euclidean",
                "--permutations",
                "19",
                "--output",
                str(tmp_path / "k.json"),
            ]
        )
        == 0
    )
    assert json.loads((tmp_path / "k.json").read_text())["stat"] == knox(x, y, t, delta=50, tau=3, permutations=19).stat
    assert main(args[:-2] + ["--permutations", "0", "--output", str(out)]) == 2
    no_time = tmp_path / "no_time.csv"
    no_time.write_text("x,y\n0,0\n1,1\n")
    assert main(["knox", "--input", str(no_time), "--output", str(out)]) == 2
