"""Near-repeat / Knox benchmark: ours (analysis.knox) against the PySAL reference (pointpats.spacetime.Knox).

Data: `analysis.synthetic.events(n, seed=1)` over the same city-sized rectangle (45 km x 45 km, 3 years, 5,000
weak hot spots holding 10% of incidents, 15% near repeats), so that at 1,000,000 incidents each has on average
about 100 others within 300 m (Manhattan): the mean actually observed is recorded.
Tasks, on the same data:
- the classic 2x2 Knox test, delta = 100 m (Euclidean), tau = 7 days: pointpats `Knox(...)` (the class behind
  `knox`; its documented burkitt figures are 13 pairs / expected 10.1438161) against our `knox()`; the statistic and
  the expected count must agree exactly;
- our full near-repeat table (`near_repeat()`: same location + 3 bands of 100 m, Manhattan x 3 bands of 7 days).
Sizes: 10,000 incidents with 999 permutations and 100,000 with 99 (both sides; pointpats needs about 273 s and
12 GB at 100,000: `--skip-reference-100k` leaves it out), 1,000,000 with 999 (ours only; pointpats is recorded as
"MemoryError at 1,000,000 (issue statement)").
Targets: ours at least 50x faster than pointpats at 10,000 and 100,000 and under 1 GB peak memory; the full table
at 1,000,000 x 999 permutations in under 10 minutes.
Wall seconds are the figures compared; CPU seconds (all threads) are recorded too, since load from other work on
a shared machine inflates wall time. Each side runs in a fresh subprocess; numba's on-disk cache is warmed first and
each of our runs loads the cached kernels once before the timed calls (recorded as `kernel_load_seconds`), so
neither compiling nor importing is timed on either side. Peak memory is each process's peak RSS (getrusage).
Timings cover the analysis calls only, not generating the data.

    .venv/bin/python bench/knox_bench.py [--quick] [--skip-reference-100k]

Full run: about 10 minutes on the idle 2-core benchmark machine (pointpats at 100,000 about 5 minutes, ours at
1,000,000 about 2-3 minutes; 25 minutes when the machine was shared, with a load average of 10); `--quick` (2,000 and
10,000 incidents, few permutations) under a minute.
Writes bench/results/knox.json and prints a summary.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

DATA = dict(extent=(0.0, 0.0, 45_000.0, 45_000.0), days=1095.0, hotspots=5000, hotspot_share=0.1, hotspot_sd=500.0)
SEED = 1
DELTA, TAU = 100.0, 7.0
TABLE = dict(distance_band=100.0, distance_bands=3, time_band=7.0, time_bands=3, metric="manhattan")
TARGET_SPEEDUP = 50.0
TARGET_MEMORY_MB = 1024.0
TARGET_1M_SECONDS = 600.0


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _worker(spec: dict) -> dict:
    """Run one side on one size in this (fresh) process and report time, result and peak memory."""
    sys.path.insert(0, str(ROOT))
    import numpy as np

    from analysis.synthetic import events

    ev = events(spec["n"], seed=SEED, **DATA)
    out: dict = {"n": spec["n"], "permutations": spec["permutations"], "side": spec["side"]}
    if spec["side"] == "reference":
        import warnings

        warnings.filterwarnings("ignore")
        from pointpats.spacetime import Knox

        np.random.seed(0)
        s = np.column_stack([ev.x, ev.y])
        tt = ev.t.reshape(-1, 1).copy()
        start, cpu = time.perf_counter(), _cpu()
        k = Knox(s, tt, delta=DELTA, tau=TAU, permutations=spec["permutations"])
        out["seconds"] = time.perf_counter() - start
        out["cpu_seconds"] = _cpu() - cpu
        out.update(
            stat=int(k.statistic_), expected=float(k.expected[0, 0]), p_sim=float(k.p_sim), p_poisson=float(k.p_poisson)
        )
    else:
        from analysis.knox import knox, near_repeat

        # load the compiled kernels from numba's cache first (once per process, like importing pointpats; not
        # part of the analysis time, but recorded)
        w = events(300, seed=2)
        start = time.perf_counter()
        knox(w.x, w.y, w.t, delta=DELTA, tau=TAU, permutations=9)
        near_repeat(w.x, w.y, w.t, permutations=9, **TABLE)
        out["kernel_load_seconds"] = time.perf_counter() - start
        if spec.get("knox", True):
            start, cpu = time.perf_counter(), _cpu()
            k = knox(ev.x, ev.y, ev.t, delta=DELTA, tau=TAU, permutations=spec["permutations"], seed=0)
            out["knox_seconds"] = time.perf_counter() - start
            out["knox_cpu_seconds"] = _cpu() - cpu
            out.update(stat=k.stat, expected=k.expected, p_sim=k.p_value_sim, p_poisson=k.p_value_poisson)
        start, cpu = time.perf_counter(), _cpu()
        r = near_repeat(ev.x, ev.y, ev.t, permutations=spec["permutations"], seed=0, **TABLE)
        out["table_seconds"] = time.perf_counter() - start
        out["table_cpu_seconds"] = _cpu() - cpu
        out["close_pairs"] = r.close_pairs
        out["mean_neighbours_in_largest_band"] = 2 * r.close_pairs / r.n
        out["table_ratio"] = [[None if v != v else round(v, 4) for v in row] for row in r.ratio.tolist()]
        out["table_p_value"] = r.p_value.round(4).tolist()
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return out


def _run(spec: dict, timeout: float | None = None) -> dict:
    """One side in a subprocess; a crash (e.g. MemoryError, killed) is reported, not raised."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(ROOT),
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        tail = (proc.stderr or "").strip().splitlines()[-3:]
        return {**spec, "error": f"exit {proc.returncode}: " + " | ".join(tail), "wall_seconds": wall}
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    res["children_max_rss_mb"] = after / 1024.0 if after > before else None
    res["wall_seconds"] = wall
    return res


def _warm() -> None:
    """Compile (or load) our numba kernels once, so the timed runs measure the work, not the compiler."""
    subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
            "from analysis.synthetic import events\n"
            "from analysis.knox import knox, near_repeat\n"
            "e = events(3000, seed=2)\n"
            "knox(e.x, e.y, e.t, delta=100, tau=7, permutations=9)\n"
            "near_repeat(e.x, e.y, e.t, distance_band=100, distance_bands=3, time_band=7, time_bands=3,"
            " permutations=9)\n"
            "e = events(300000, seed=2, extent=(0, 0, 20000, 20000))\n"
            "near_repeat(e.x, e.y, e.t, distance_band=100, distance_bands=3, time_band=7, time_bands=3,"
            " permutations=9)\n",
        ],
        check=True,
        cwd=str(ROOT),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes, a smoke check")
    parser.add_argument("--skip-reference-100k", action="store_true", help="do not run pointpats at 100,000")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--output", default=str(RESULTS / "knox.json"))
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(_worker(json.loads(args.worker))))
        return 0

    if args.quick:
        sizes = [(2_000, 99, True), (10_000, 19, True), (50_000, 99, False)]
    else:
        sizes = [(10_000, 999, True), (100_000, 99, not args.skip_reference_100k), (1_000_000, 999, False)]
    print("warming numba's cache ...", flush=True)
    _warm()
    cases = []
    for n, perms, with_reference in sizes:
        print(f"n={n:,} permutations={perms}: ours ...", flush=True)
        ours = _run({"side": "ours", "n": n, "permutations": perms, "knox": n < 1_000_000})
        case: dict = {"n": n, "permutations": perms, "ours": ours}
        if with_reference:
            print(f"n={n:,} permutations={perms}: pointpats ...", flush=True)
            case["reference"] = _run({"side": "reference", "n": n, "permutations": perms})
        elif n >= 1_000_000:
            case["reference"] = {"error": "MemoryError at 1,000,000 (issue statement)", "not_run": True}
        else:
            case["reference"] = {"not_run": True}
        ref = case["reference"]
        if "seconds" in ref and "knox_seconds" in ours:
            case["knox_agrees"] = ref["stat"] == ours["stat"] and abs(ref["expected"] - ours["expected"]) <= 1e-9 * max(
                1.0, ref["expected"]
            )
            case["speedup_knox"] = ref["seconds"] / ours["knox_seconds"]
            case["speedup_full_table"] = ref["seconds"] / ours["table_seconds"]
            case["target_speedup"] = TARGET_SPEEDUP
            case["speedup_met"] = case["speedup_knox"] >= TARGET_SPEEDUP
        if "peak_rss_mb" in ours:
            case["target_memory_mb"] = TARGET_MEMORY_MB
            case["memory_met"] = ours["peak_rss_mb"] < TARGET_MEMORY_MB
        if n >= 1_000_000 and "table_seconds" in ours:
            case["target_seconds"] = TARGET_1M_SECONDS
            case["time_met"] = ours["table_seconds"] < TARGET_1M_SECONDS
        cases.append(case)

    report = {
        "benchmark": "knox",
        "quick": args.quick,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "data": {"generator": "analysis.synthetic.events", "seed": SEED, **DATA},
        "knox_2x2": {
            "delta_m": DELTA,
            "tau_days": TAU,
            "metric": "euclidean",
            "convention": "closed (<=), as pointpats",
        },
        "table": {**TABLE, "convention": "half-open [a, b), same location [0, 1) m"},
        "reference": "pointpats.spacetime.Knox (PySAL)",
        "cases": cases,
    }
    targets = []  # verdicts for bench/run.py's summary
    for c in cases:
        if "speedup_met" in c:
            targets.append(
                {
                    "name": f"knox: >= {TARGET_SPEEDUP}x faster than pointpats, {c['n']:,} incidents, "
                    f"{c['permutations']} permutations",
                    "figure": round(c["speedup_knox"], 1),
                    "bound": f">= {TARGET_SPEEDUP}x",
                    "met": bool(c["speedup_met"]),
                }
            )
        if "memory_met" in c and c["n"] < 1_000_000:
            targets.append(
                {
                    "name": f"knox: peak memory at {c['n']:,} incidents",
                    "figure": c["ours"]["peak_rss_mb"],
                    "bound": f"< {TARGET_MEMORY_MB} MB",
                    "met": bool(c["memory_met"]),
                }
            )
        if "time_met" in c:
            targets.append(
                {
                    "name": f"near-repeat table, {c['n']:,} incidents, {c['permutations']} permutations",
                    "figure": c["ours"]["table_seconds"],
                    "bound": f"< {TARGET_1M_SECONDS} s",
                    "met": bool(c["time_met"]),
                }
            )
        if "error" in c["ours"]:
            targets.append(
                {
                    "name": f"knox: ours at {c['n']:,} incidents",
                    "figure": c["ours"]["error"],
                    "bound": "runs",
                    "met": False,
                }
            )
    report["targets"] = targets
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    for c in cases:
        o, r = c["ours"], c["reference"]
        line = f"n={c['n']:>9,} perms={c['permutations']:>4}: "
        if "error" in o:
            line += f"ours FAILED ({o['error']})"
        else:
            if "knox_seconds" in o:
                line += f"ours knox {o['knox_seconds']:.2f} s, "
            line += (
                f"table {o['table_seconds']:.2f} s, peak {o['peak_rss_mb']:.0f} MB, "
                f"{o['mean_neighbours_in_largest_band']:.1f} neighbours"
            )
        if "seconds" in r:
            line += (
                f" | pointpats {r['seconds']:.2f} s, peak {r['peak_rss_mb']:.0f} MB | speed-up knox "
                f"{c['speedup_knox']:.0f}x, table {c['speedup_full_table']:.0f}x, agree={c['knox_agrees']}"
            )
        elif "error" in r:
            line += f" | pointpats: {r['error']}"
        print(line)
    print(f"written {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
