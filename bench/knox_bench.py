"""Near-repeat / Knox benchmark (issue 14, items 1 and 3): ours (analysis.knox) beside pointpats' fastest path.

Reference: `pointpats.spacetime.knox` (the function: one scipy KD-tree `query_pairs` for the pairs within delta,
then per permutation a numpy shuffle of the times and a vectorised compare of the pairs' time differences). It is
pointpats' fastest public path: the `Knox` class (`pointpats.spacetime._knox`) builds Python sets of neighbours and
loops over every point in Python for each permutation, many times slower. Seeded with `numpy.random.seed(0)`.

Data (written once to CSV, both sides read the same file; coordinates in whole centimetres, times in whole seconds):
- city: `analysis.synthetic.events(n, seed=1)` over a square of 45 km x sqrt(n / 1,000,000) a side, 3 years,
  5,000 x n / 1,000,000 weak hot spots (sd 500 m) holding 10% of incidents, 15% near repeats: the same density of
  incidents at every n (at 1,000,000: the 45 km x 45 km city of the earlier bench). Clustered: measured about 30
  close pairs per incident within 200 m (Euclidean; each pair counted once, so about 60 neighbours) at 10,000 and
  100,000, and about 50 pairs (100 neighbours) within 300 m Manhattan at 1,000,000; each run records its own.
- dense: `events(1,000,000, seed=1)` with the generator's defaults: a 10 km x 10 km area, one year, 20 strong hot
  spots (sd 250 m) holding half the incidents: billions of pairs within 300 m, far beyond what is stored in memory
  (analysis.knox.MAX_STORED_PAIRS), so they are enumerated again, block by block, in every pass.
Tasks:
- the 2x2 Knox test, delta = 200 m Euclidean, tau = 14 days, 999 permutations, on the city at 10,000 and 100,000
  incidents, both sides; the statistic must agree;
- the full near-repeat table (same location + 3 x 100 m Manhattan x 3 x 7 days), 999 permutations, on the city at
  1,000,000 incidents (ours);
- the same table on the dense 1,000,000 incidents, 99 permutations by default (`--dense-permutations`; 999 would
  take about ten times as long, on the order of an hour on this machine), to show bounded memory.
What is measured, each in a fresh subprocess (`os.wait4` gives that process's own CPU seconds and peak RSS):
- whole process: ours is the command line, `python -m analysis.cli knox --input CSV --output JSON ...` (the
  `centinela-analysis` entry point; run as a module so the code of this checkout runs), start-up, numba kernels
  loaded from the on-disk cache, reading the CSV and writing the result included; pointpats' is a script that
  imports pointpats, reads the same CSV with pandas and calls `knox` (there is no pointpats command line);
- compute: the analysis call alone, wall (`time.perf_counter`) and CPU (`time.process_time`: all threads) seconds,
  after reading the data and, for ours, after loading the compiled kernels once (not timed; recorded).
numba's cache is warmed once first (`python -m analysis.cli warmup`), as `make install` does. A ratio is printed
only where both sides ran; when pointpats fails or times out (`--reference-timeout`), that is recorded and no ratio
is printed. Nothing is extrapolated.
Targets (issue 14), printed met / NOT met (bench/run.py exits non-zero on a miss; this script too, except --quick):
- 100,000 incidents x 999 permutations (the 2x2 test on the city) under 15 s, whole process;
- the full near-repeat table at 1,000,000 incidents (city) x 999 permutations under 30 s, whole process;
- at least 100x pointpats in compute at 10,000 and 100,000;
- peak memory (RSS) of each 1,000,000-incident run under 2 GB.
The machine has 2 cores, often shared with other work: wall times then grow while CPU seconds hardly move; the
load average before each run is recorded.

    .venv/bin/python bench/knox_bench.py [--quick] [--dense-permutations 99] [--reference-timeout 1800]

`--quick`: 2,000 and 10,000 incidents (99 permutations), the table at 100,000, the dense area at 200,000 with 9
permutations (still above the stored limit): a smoke run of a minute or two; targets are not enforced.
Writes bench/results/knox.json (after each case, so figures survive a later failure) and prints a summary.

Measured 2026-12-04 on the shared 2-core machine, load average 8-13 from other work (wall times inflated; CPU
seconds less so), pointpats 2.5.5:
- 10,000 (29.6 close pairs per incident within 200 m): ours 15.1 s whole process (2.6 s CPU), 5.5 s compute
  (1.6 s CPU); pointpats 49.1 s whole (12.7 s CPU), 39.2 s compute (9.6 s CPU): 7.1x in compute (6.0x in CPU),
  statistics equal. NOT the 100x target.
- 100,000 (31.5 per incident): ours 10.6 s whole (4.7 s CPU; target under 15 s met), 9.1 s compute (3.4 s CPU);
  pointpats 344.9 s whole, 337.6 s compute (119.5 s CPU), peak 962 MB: 37.3x in compute (35.4x CPU). NOT 100x.
- near-repeat table, city, 1,000,000 (50.6 pairs per incident within 300 m): 123.3 s whole (43.9 s CPU), peak
  1,133 MB: NOT the 30 s target under this load (43.9 s of CPU would be about 22 s on two idle cores, at best).
- dense 1,000,000 in 10 x 10 km: 4,237,070,636 close pairs (4,237 per incident), streamed, 99 permutations:
  1,531 s whole (505 s CPU), peak 886 MB (under 2 GB: met). 999 permutations would be about 10 passes: hours here.
Under this load, our 2x2 test ran faster on one thread than on two (NUMBA_NUM_THREADS=1, measured alone, not side
by side with pointpats): at 10,000 0.23 s compute (0.15 s CPU) against 1.08 s (0.74 s CPU); at 100,000 2.7-2.9 s
(1.7 s CPU) against 5.6-6.8 s (3.1-3.2 s CPU): the threaded path's per-pass launches wait on descheduled threads.
2026-12-04 morning, quiet machine (load average 1): 10,000 ours 0.10 s compute (0.19 s CPU), pointpats 11.38 s: 118x;
100,000 ours 1.41 s compute (2.52 s CPU), pointpats 123.2 s: 87x (NOT 100x); the table at 1,000,000 25.2 s whole.
Then (branch knox): the permutations drawn by numba from numpy's PCG64 state, in parallel (they took 2.1 of the 3.0
CPU seconds at 100,000: numpy's draws in one thread, then the shuffle), four neighbours per sweep of the kernel, and
the passes on Python threads that take the next task when done (numba's static split waited on a descheduled
thread). Timed side by side in one process with the previous code, best of 3-5, load average 8-10 from other work:
knox() at 100,000 3.69 s wall / 3.10 s CPU before, 1.58 s / 1.31 s after; at 10,000 0.45 s / 0.35 s before, 0.13 s /
0.13 s after; the table at 1,000,000 (load 5): 71.8 s wall / 42.4 s CPU before, 72.1 s / 35.8 s after (there the
Fisher-Yates swaps over 4 MB of times and the copy into 400 MB of lanes, about 11 ns per element, and the kernel
share the time). Two threads against one, same load: they lose at 55,000 close pairs (0.067 s against 0.036 s)
and win at 144,000 (0.11 s against 0.13 s; analysis.knox.PARALLEL_PAIRS, now 100,000), at 10,000 incidents (296,000
pairs) 0.17 s against 0.22 s, at 100,000 2.22 s against 2.60 s. This script after them (--skip-dense
--skip-reference, load average 3.5-3.7): 10,000 0.14 s compute (0.14 s CPU); 100,000 0.91 s compute (1.05 s CPU),
2.37 s whole process; the table at 1,000,000 30.3 s whole (30.1 s CPU), peak 1,145 MB. pointpats was not run beside
them (its quiet times above would give 83x and 135x: not a ratio, the two sides under different load).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

SEED = 1
CITY_SIDE_1M = 45_000.0  # metres, at 1,000,000 incidents (scaled with sqrt(n): the same density at every n)
CITY = dict(days=1095.0, hotspot_share=0.1, hotspot_sd=500.0)
CITY_HOTSPOTS_1M = 5000
DENSE = dict(extent=(0.0, 0.0, 10_000.0, 10_000.0))  # with the generator's other defaults (see the docstring)
DELTA, TAU = 200.0, 14.0  # the 2x2 test, Euclidean (pointpats' metric)
TABLE = ["--distance-band", "100", "--distance-bands", "3", "--time-band", "7", "--time-bands", "3"]
TABLE_METRIC = "manhattan"
REFERENCE = "pointpats.spacetime.knox"
TARGET_100K_SECONDS = 15.0
TARGET_1M_SECONDS = 30.0
TARGET_SPEEDUP = 100.0
TARGET_MEMORY_MB = 2048.0


def city_spec(n: int) -> dict:
    side = CITY_SIDE_1M * math.sqrt(n / 1_000_000)
    return {
        "generator": "analysis.synthetic.events",
        "seed": SEED,
        "extent": [0.0, 0.0, round(side, 3), round(side, 3)],
        "hotspots": max(1, round(CITY_HOTSPOTS_1M * n / 1_000_000)),
        **CITY,
    }


def dense_spec() -> dict:
    return {"generator": "analysis.synthetic.events", "seed": SEED, **DENSE, "other": "generator defaults"}


def write_csv(n: int, kind: str, path: Path) -> None:
    """The incidents as CSV (x, y in metres to the centimetre; t in days to the second), read by both sides."""
    sys.path.insert(0, str(ROOT))
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from analysis.synthetic import events

    if kind == "city":
        spec = city_spec(n)
        ev = events(n, seed=SEED, extent=tuple(spec["extent"]), hotspots=spec["hotspots"], **CITY)
    else:
        ev = events(n, seed=SEED, **DENSE)
    table = pa.table(
        {
            "x": np.rint(ev.x * 100) / 100,
            "y": np.rint(ev.y * 100) / 100,
            "t": np.rint(ev.t * 86400) / 86400,
        }
    )
    pacsv.write_csv(table, str(path))


# --------------------------------------------------------------------------------------------- subprocess workers
def _ours_compute(spec: dict) -> dict:
    """Our 2x2 test, timed alone (after reading the CSV and loading the kernels), and the data's density."""
    sys.path.insert(0, str(ROOT))
    from analysis.io import read_points
    from analysis.knox import knox
    from analysis.synthetic import events

    pts = read_points(spec["csv"], require_time=True)
    w = events(300, seed=2)
    start = time.perf_counter()
    knox(w.x, w.y, w.t, delta=DELTA, tau=TAU, permutations=9)  # kernels loaded from numba's cache
    knox(w.x, w.y, w.t, delta=DELTA, tau=TAU, permutations=9)
    load = time.perf_counter() - start
    import analysis.knox as K

    saved = K.PARALLEL_PAIRS
    K.PARALLEL_PAIRS = 0  # the threaded variant too
    knox(w.x, w.y, w.t, delta=DELTA, tau=TAU, permutations=9)
    K.PARALLEL_PAIRS = saved
    start, cpu = time.perf_counter(), time.process_time()
    k = knox(pts.x, pts.y, pts.t, delta=DELTA, tau=TAU, permutations=spec["permutations"], seed=0)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "compute_seconds": seconds,
        "compute_cpu_seconds": cpu,
        "kernel_load_seconds": load,
        "stat": k.stat,
        "expected": k.expected,
        "p_value_sim": k.p_value_sim,
        "close_pairs": k.ns,  # pairs within delta, each counted once
        "close_pairs_per_incident": k.ns / k.n,
        "neighbours_per_incident": 2 * k.ns / k.n,
        "space_time_close_pairs_per_incident": k.stat / k.n,
    }


def _reference(spec: dict) -> dict:
    """pointpats' knox function on the same CSV: this whole process is its whole-process time."""
    import warnings

    import numpy as np
    import pandas as pd
    from pointpats.spacetime import knox

    warnings.filterwarnings("ignore")  # its DeprecationWarning
    df = pd.read_csv(spec["csv"], float_precision="round_trip")
    s = df[["x", "y"]].to_numpy(dtype=float)
    t = df[["t"]].to_numpy(dtype=float).copy()
    np.random.seed(0)
    start, cpu = time.perf_counter(), time.process_time()
    r = knox(s, t, delta=DELTA, tau=TAU, permutations=spec["permutations"])
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    return {
        "compute_seconds": seconds,
        "compute_cpu_seconds": cpu,
        "stat": int(r["stat"]),
        "pvalue": float(np.ravel(r["pvalue"])[0]),
    }


def _child(args: list[str], timeout: float | None = None) -> dict:
    """Run a process to its end and report its own wall and CPU seconds and peak RSS (os.wait4 on its pid), its
    last stdout line parsed as JSON when it is one, and an error when it failed or ran out of time."""
    load = os.getloadavg()[0]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(args, stdout=out, stderr=err, cwd=str(ROOT))
        status = usage = None
        deadline = None if timeout is None else start + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if deadline is not None and time.perf_counter() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                status = None
                break
            time.sleep(0.05)
        proc.returncode = 0  # reaped here: keep Popen from waiting again
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    res: dict = {
        "wall_seconds": round(wall, 3),
        "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024.0, 1),
        "load_average_before": round(load, 2),
    }
    if status is None:
        res["error"] = f"did not finish within {timeout:.0f} s (killed)"
    elif os.waitstatus_to_exitcode(status) != 0:
        tail = stderr.strip().splitlines()[-3:]
        res["error"] = f"exit {os.waitstatus_to_exitcode(status)}: " + " | ".join(tail)
    else:
        lines = stdout.strip().splitlines()
        if lines and lines[-1].startswith("{"):
            res.update(json.loads(lines[-1]))
    return res


def _worker_args(role: str, spec: dict) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--worker", role, json.dumps(spec)]


def _cli_args(csv: Path, out: Path, permutations: int, extra: list[str]) -> list[str]:
    return (
        [sys.executable, "-m", "analysis.cli", "knox", "--input", str(csv), "--output", str(out)]
        + extra
        + [
            "--permutations",
            str(permutations),
            "--seed",
            "0",
        ]
    )


def _r(v, digits=3):
    return None if v is None else round(v, digits)


# ----------------------------------------------------------------------------------------------------------- main
def knox_case(n: int, permutations: int, work: Path, reference: bool, timeout: float) -> dict:
    csv = work / f"city_{n}.csv"
    write_csv(n, "city", csv)
    case: dict = {"task": "knox 2x2", "data": "city", "data_spec": city_spec(n), "n": n, "permutations": permutations}
    print(f"knox 2x2, city, n={n:,}, {permutations} permutations: ours (command line) ...", flush=True)
    extra = ["--delta", f"{DELTA:g}", "--tau", f"{TAU:g}"]
    out = work / f"ours_{n}.json"
    whole = _child(_cli_args(csv, out, permutations, extra))
    if "error" not in whole:
        whole["stat"] = json.loads(out.read_text())["stat"]
    print("  ours (compute) ...", flush=True)
    compute = _child(_worker_args("ours", {"csv": str(csv), "permutations": permutations}))
    case["ours"] = {"whole_process": whole, "compute": compute}
    if "close_pairs" in compute:
        case["density"] = {
            "close_pairs_within_200m_per_incident": round(compute["close_pairs_per_incident"], 2),
            "neighbours_within_200m_per_incident": round(compute["neighbours_per_incident"], 2),
            "close_pairs": compute["close_pairs"],
            "space_time_close_pairs_per_incident": round(compute["space_time_close_pairs_per_incident"], 3),
            "definition": "pairs at Euclidean distance <= 200 m (each pair once) / incidents; space-time: also "
            "|dt| <= 14 days",
        }
    if reference:
        print(f"  {REFERENCE} ...", flush=True)
        ref = _child(_worker_args("reference", {"csv": str(csv), "permutations": permutations}), timeout=timeout)
        case["reference"] = {"path": REFERENCE, "whole_process": ref}
        if "error" not in ref and "compute_seconds" in compute and "error" not in whole:
            case["agree"] = ref["stat"] == compute["stat"] == whole["stat"]
            case["ratios"] = {
                "compute": _r(ref["compute_seconds"] / compute["compute_seconds"], 2),
                "compute_cpu": _r(ref["compute_cpu_seconds"] / compute["compute_cpu_seconds"], 2),
                "whole_process": _r(ref["wall_seconds"] / whole["wall_seconds"], 2),
                "whole_process_cpu": _r(ref["cpu_seconds"] / whole["cpu_seconds"], 2),
            }
    else:
        case["reference"] = {"path": REFERENCE, "not_run": "left out (--skip-reference)"}
    return case


def table_case(n: int, kind: str, permutations: int, work: Path) -> dict:
    csv = work / f"{kind}_{n}.csv"
    write_csv(n, kind, csv)
    spec = city_spec(n) if kind == "city" else dense_spec()
    case: dict = {"task": "near-repeat table", "data": kind, "data_spec": spec, "n": n, "permutations": permutations}
    print(f"near-repeat table, {kind}, n={n:,}, {permutations} permutations: ours (command line) ...", flush=True)
    out = work / f"table_{kind}_{n}.json"
    whole = _child(_cli_args(csv, out, permutations, TABLE + ["--metric", TABLE_METRIC]))
    if "error" not in whole:
        r = json.loads(out.read_text())
        from analysis.knox import MAX_STORED_PAIRS

        whole["close_pairs"] = r["close_pairs"]
        whole["pairs_streamed"] = r["close_pairs"] > MAX_STORED_PAIRS
        whole["ratio"] = r["ratio"]
        case["density"] = {
            "close_pairs_within_300m_per_incident": round(r["close_pairs"] / n, 2),
            "neighbours_within_300m_per_incident": round(2 * r["close_pairs"] / n, 2),
            "close_pairs": r["close_pairs"],
            "definition": "pairs at Manhattan distance < 300 m (each pair once) / incidents",
            "stored_pairs_limit": MAX_STORED_PAIRS,
        }
    case["ours"] = {"whole_process": whole}
    case["reference"] = {"not_run": "pointpats has no near-repeat table (only the 2x2 test)"}
    return case


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke check")
    parser.add_argument("--skip-reference", action="store_true", help="do not run pointpats")
    parser.add_argument("--skip-dense", action="store_true", help="leave out the dense 1,000,000 run")
    parser.add_argument("--dense-permutations", type=int, default=None, help="permutations of the dense run (99)")
    parser.add_argument("--reference-timeout", type=float, default=1800.0, help="seconds pointpats may take")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--output", default=str(RESULTS / "knox.json"))
    args = parser.parse_args(argv)
    if args.worker:
        role, spec = args.worker[0], json.loads(args.worker[1])
        print(json.dumps(_ours_compute(spec) if role == "ours" else _reference(spec)))
        return 0

    sys.path.insert(0, str(ROOT))
    if args.quick:
        knox_sizes, knox_perms, table_n, dense_n, dense_perms = [2_000, 10_000], 99, 100_000, 200_000, 9
    else:
        knox_sizes, knox_perms, table_n, dense_n, dense_perms = [10_000, 100_000], 999, 1_000_000, 1_000_000, 99
    if args.dense_permutations:
        dense_perms = args.dense_permutations
    print("warming numba's cache (python -m analysis.cli warmup) ...", flush=True)
    subprocess.run([sys.executable, "-m", "analysis.cli", "warmup"], check=True, cwd=str(ROOT), capture_output=True)
    cases: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="knox-bench-") as tmp:
        work = Path(tmp)
        for n in knox_sizes:
            cases.append(knox_case(n, knox_perms, work, not args.skip_reference, args.reference_timeout))
            _write_report(args, cases, knox_sizes, complete=False)  # the figures so far, should a later run fail
        cases.append(table_case(table_n, "city", 999, work))
        _write_report(args, cases, knox_sizes, complete=False)
        if not args.skip_dense:
            cases.append(table_case(dense_n, "dense", dense_perms, work))
    report = _write_report(args, cases, knox_sizes, complete=True)
    _print(report)
    print(f"written {args.output}")
    missed = [t for t in report["targets"] if not t["met"]]
    return 1 if missed and not args.quick else 0


def _write_report(args, cases: list[dict], knox_sizes: list[int], complete: bool) -> dict:
    import numpy as np
    import pointpats

    report: dict = {
        "benchmark": "knox",
        "complete": complete,
        "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "quick": args.quick,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "numpy": np.__version__,
            "pointpats": pointpats.__version__,
            "note": "2 cores shared with other work: wall times measured under load (load_average_before)",
        },
        "reference": {
            "path": f"{REFERENCE} (pointpats {pointpats.__version__})",
            "why": "pointpats' fastest public path: KD-tree query_pairs once, numpy shuffle and vectorised compare "
            "per permutation (the Knox class loops over points in Python per permutation)",
            "whole_process": "python script: import pointpats, pandas.read_csv of the same CSV, knox(...)",
        },
        "ours": {
            "whole_process": "python -m analysis.cli knox (the centinela-analysis command): start-up, kernels from "
            "numba's cache, reading the CSV, analysis, writing the JSON",
            "compute": "the knox() call alone, after reading the CSV and loading the kernels",
        },
        "knox_2x2": {"delta_m": DELTA, "tau_days": TAU, "metric": "euclidean", "convention": "closed (<=)"},
        "table": {
            "distance_band_m": 100,
            "distance_bands": 3,
            "same_location_m": 1,
            "time_band_days": 7,
            "time_bands": 3,
            "metric": TABLE_METRIC,
            "convention": "half-open [a, b)",
        },
        "data": {
            "city": "analysis.synthetic.events(n, seed=1): square of 45 km x sqrt(n / 1e6) a side, 3 years, "
            "5000 x n / 1e6 hot spots (sd 500 m) with 10% of incidents, 15% near repeats (same density at every n)",
            "dense": "analysis.synthetic.events(n, seed=1): 10 km x 10 km, 1 year, 20 hot spots (sd 250 m) with half "
            "the incidents, 15% near repeats",
            "rounding": "x, y to the centimetre and t to the second, written to CSV; both sides read the same file",
        },
        "cases": cases,
    }
    targets = []
    for c in cases:
        whole = c["ours"]["whole_process"]
        if c["task"] == "knox 2x2" and c["n"] == knox_sizes[-1]:
            targets.append(
                {
                    "name": f"knox 2x2, {c['n']:,} incidents x {c['permutations']} permutations, whole process",
                    "figure": whole.get("wall_seconds") if "error" not in whole else whole["error"],
                    "bound": f"< {TARGET_100K_SECONDS:g} s",
                    "met": "error" not in whole and whole["wall_seconds"] < TARGET_100K_SECONDS,
                }
            )
        if c["task"] == "knox 2x2":
            ratios = c.get("ratios")
            ref = c["reference"].get("whole_process", {})
            targets.append(
                {
                    "name": f">= {TARGET_SPEEDUP:g}x {REFERENCE} in compute, {c['n']:,} incidents",
                    "figure": ratios["compute"] if ratios else f"no ratio: {ref.get('error', 'reference not run')}",
                    "bound": f">= {TARGET_SPEEDUP:g}x",
                    "met": bool(ratios) and ratios["compute"] >= TARGET_SPEEDUP and c.get("agree", False),
                }
            )
        if c["task"] == "near-repeat table" and c["data"] == "city":
            targets.append(
                {
                    "name": f"near-repeat table, city, {c['n']:,} incidents x {c['permutations']} permutations, "
                    "whole process",
                    "figure": whole.get("wall_seconds") if "error" not in whole else whole["error"],
                    "bound": f"< {TARGET_1M_SECONDS:g} s",
                    "met": "error" not in whole and whole["wall_seconds"] < TARGET_1M_SECONDS,
                }
            )
        if c["task"] == "near-repeat table":
            targets.append(
                {
                    "name": f"peak memory, near-repeat table, {c['data']}, {c['n']:,} incidents"
                    + (f" ({whole['close_pairs']:,} close pairs)" if "close_pairs" in whole else ""),
                    "figure": whole.get("peak_rss_mb") if "error" not in whole else whole["error"],
                    "bound": f"< {TARGET_MEMORY_MB:g} MB",
                    "met": "error" not in whole and whole["peak_rss_mb"] < TARGET_MEMORY_MB,
                }
            )
    report["targets"] = targets
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    return report


def _print(report: dict) -> None:
    def side(label: str, w: dict, c: dict | None = None) -> str:
        if "error" in w:
            return f"{label}: FAILED ({w['error']})"
        s = f"{label}: whole process {w['wall_seconds']:.2f} s wall / {w['cpu_seconds']:.2f} s CPU"
        if c and "compute_seconds" in c:
            s += f", compute {c['compute_seconds']:.2f} s wall / {c['compute_cpu_seconds']:.2f} s CPU"
        return s + f", peak {w['peak_rss_mb']:.0f} MB (load {w['load_average_before']:.1f})"

    print(f"reference: {report['reference']['path']}")
    for c in report["cases"]:
        d = c.get("density", {})
        head = f"{c['task']}, {c['data']}, n={c['n']:,}, {c['permutations']} permutations"
        if "close_pairs_within_200m_per_incident" in d:
            head += f"; {d['close_pairs_within_200m_per_incident']:.1f} close pairs per incident within 200 m"
        if "close_pairs_within_300m_per_incident" in d:
            head += (
                f"; {d['close_pairs']:,} close pairs, {d['close_pairs_within_300m_per_incident']:.1f} per incident "
                f"within 300 m Manhattan"
                + (
                    " (streamed: enumerated again in each pass)"
                    if c["ours"]["whole_process"].get("pairs_streamed")
                    else ""
                )
            )
        print(head)
        o = c["ours"]
        print("  " + side("ours", o["whole_process"], o.get("compute")))
        ref = c["reference"]
        if "whole_process" in ref:
            print("  " + side("pointpats", ref["whole_process"], ref["whole_process"]))
            if "ratios" in c:
                r = c["ratios"]
                print(
                    f"  ratio (pointpats / ours): compute {r['compute']:.1f}x wall, {r['compute_cpu']:.1f}x CPU; "
                    f"whole process {r['whole_process']:.1f}x wall, {r['whole_process_cpu']:.1f}x CPU; "
                    f"statistics agree: {c['agree']}"
                )
            else:
                print("  no ratio: pointpats did not run to the end")
        elif "not_run" in ref:
            print(f"  reference: {ref['not_run']}")
    for t in report["targets"]:
        fig = t["figure"]
        fig = f"{fig:.4g}" if isinstance(fig, float) else str(fig)
        print(f"target {t['name']}: {'met' if t['met'] else 'NOT met'} ({fig}, bound {t['bound']})")


if __name__ == "__main__":
    raise SystemExit(main())
