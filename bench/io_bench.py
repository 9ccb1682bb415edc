"""File I/O benchmark (issue 14 item 5): reading a 1,000,000-row incident CSV, writing a Gi* result for maps, and
`centinela-analysis gistar` end to end on that CSV, in a fresh process (Python start-up included).

Data: 1,000,000 incidents, lon/lat (6 decimals) around Loja's centre (a mixture of 40 Gaussian clusters, 60 %, and a
uniform background over ~10 x 10 km, 40 %; seed 3) with an ISO 8601 date-time column: 41 MB. Gi* on a 25 m grid
(about 160,000 cells), queen contiguity, 999 permutations per class of cells ("mc-class").

* read: `analysis.io.read_points` (pyarrow's multithreaded CSV reader with column types, then lon/lat projected to
  UTM by pyproj), against the reference it replaced: the csv module row by row (`_read_points_rows`). Best of 2.
* write: the Gi* result of every cell as GeoParquet (`.parquet`), and the default forms: GeoJSON (hot and cold
  cells), JSON (every array) and CSV (every cell). Best of 2.
* end to end: `python -m analysis gistar --input 1M.csv --cell 25 --method mc-class --output out.parquet` in a
  subprocess: wall time, and CPU seconds of the child (resource.getrusage(RUSAGE_CHILDREN)). Best of 2.

Targets: read < 1 s; GeoParquet write < 0.5 s; end to end < 3 s. Results: bench/results/io.json. The machine is
shared: the load average is recorded, and CPU seconds beside wall seconds show how much of the wall time was waiting.

    .venv/bin/python bench/io_bench.py [--quick]

Measured 2026-12-03 21:37 UTC on the shared 2-core machine (load average 3.4 -> 3.9), 1,000,000 rows, 41 MB:
read 0.74 s (0.51 CPU s; the csv module row by row 12.5 s, both measured: 16.8x): met. Writing 166,439 cells:
GeoParquet 0.20 s / 2.5 MB: met; GeoJSON (hot and cold cells) 2.28 s / 31.8 MB; JSON 1.03 s; CSV 4.54 s. End to end
(whole process, Python start-up included) 5.08 s wall, 3.24 CPU s, peak 1,063 MB: NOT met (10.7 s before this
change; the remaining time is start-up and imports, the UTM projection of 1,000,000 points and the Gi* itself).

Start-up cut (2026-12-04): a gistar run no longer imports pandas (pyarrow imports it on the first to_numpy or
pyarrow.array: numbers and date-times are now taken from pyarrow's buffers, GeoParquet columns built from numpy
buffers), reads no time column (KDE and Gi* are spatial), and imports numba's implementation registry (with
scipy.linalg, which numba loads for BLAS: about half a second) in a thread while pyarrow reads the CSV and pyproj
projects it (analysis.startup.prepare_in_background). Same output file (every column and the metadata equal).
Paired runs, old and new code alternated four times on the same 1M-row file, machine at load average 11 (other
sessions' test suites): CPU seconds (user + sys) 2.13 -> 1.77 on average, wall 6.76 -> 5.60 s. What is left
(profiled): Python, numpy and numba imports ~0.5 s, numba's registry and scipy.linalg ~0.5 s (overlapped now),
pyarrow's read 0.3-0.5 s, pyproj's projection of 1M points ~0.25 s, Gi* with the five cached kernels' loads ~0.4 s,
the GeoParquet write ~0.2 s. This bench after the change, 2026-12-04 02:03 UTC, load average 10.9 -> 10.2 on the 2
cores (other sessions' suites and benches): read 0.69 s (0.27 CPU s; csv module 18.3 s): met; GeoParquet 0.51 s
(0.19 CPU s): NOT met by 10 ms (0.20 s at load 3.4); end to end 5.29 s wall, 1.93 CPU s: NOT met. At such loads
each wall figure is two to three times its CPU figure; the 3 s bound needs a machine that is not shared.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"


def make_csv(path: Path, n: int, seed: int = 3) -> None:
    rng = np.random.default_rng(seed)
    centre = np.array([-79.2045, -3.9931])
    clusters = centre + rng.uniform(-0.04, 0.04, (40, 2))
    m = int(0.6 * n)
    pick = rng.integers(0, 40, m)
    pts = np.concatenate(
        [clusters[pick] + rng.normal(0, 0.002, (m, 2)), centre + rng.uniform(-0.045, 0.045, (n - m, 2))]
    )
    stamps = np.datetime64("2022-01-01T00:00:00") + rng.integers(0, 3 * 365 * 86400, n).astype("timedelta64[s]")
    body = np.char.add(
        np.char.add(np.char.add(np.char.mod("%.6f,", pts[:, 0]), np.char.mod("%.6f,", pts[:, 1])), stamps.astype(str)),
        "\n",
    )
    with open(path, "w") as handle:
        handle.write("lon,lat,date\n")
        handle.write("".join(body.tolist()))


def best(fn, repeat=2):
    times, cpus, out = [], [], None
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    i = int(np.argmin(times))
    return times[i], cpus[i], out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="100,000 rows (a smoke run)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from analysis.hotspots import gistar_grid
    from analysis.io import _read_points_rows, read_points, write_result

    n = 100_000 if args.quick else 1_000_000
    report: dict = {
        "benchmark": "io",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "rows": n,
        "cpus": os.cpu_count(),
        "load_avg_at_start": os.getloadavg(),
    }
    with tempfile.TemporaryDirectory(prefix="io-bench-") as tmp:
        src = Path(tmp) / "incidents.csv"
        make_csv(src, n)
        report["csv_mb"] = src.stat().st_size / 1e6
        report["columns"] = ["lon", "lat", "date"]
        read_points(src)  # imports (pyarrow, pyproj) outside the clock
        wall, cpu, pts = best(lambda: read_points(src))
        report["read"] = {"seconds": wall, "cpu_s": cpu, "columns": "lon, lat, date"}
        ref_wall, ref_cpu, _ = best(lambda: _read_points_rows(src), repeat=1)
        report["read_reference"] = {"what": "csv module row by row", "seconds": ref_wall, "cpu_s": ref_cpu}
        res = gistar_grid(pts.x, pts.y, cell=25.0, method="mc-class")
        res.crs = pts.crs
        report["cells"] = res.n
        report["write"] = {}
        for fmt in ("parquet", "geojson", "json", "csv"):
            out = Path(tmp) / f"out.{fmt}"
            wall, cpu, _ = best(lambda out=out: write_result(res, out), repeat=1 if fmt == "csv" else 2)
            report["write"][fmt] = {"seconds": wall, "cpu_s": cpu, "mb": out.stat().st_size / 1e6}
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        cmd = [sys.executable, "-m", "analysis", "gistar", "--input", str(src), "--cell", "25", "--method"]
        cmd += ["mc-class", "--output", str(Path(tmp) / "cli.parquet")]
        runs = []
        for _ in range(2):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, env=env, check=True, capture_output=True)
            wall = time.perf_counter() - t0
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            runs.append({"seconds": wall, "cpu_s": cpu, "peak_rss_mb": after.ru_maxrss / 1024})
        report["end_to_end"] = min(runs, key=lambda r: r["seconds"])
        report["end_to_end"]["command"] = "python -m analysis gistar --cell 25 --method mc-class --output x.parquet"
    report["load_avg_at_end"] = os.getloadavg()
    report["targets"] = [
        {
            "name": f"read a {n:,}-row CSV",
            "figure": round(report["read"]["seconds"], 3),
            "cpu_s": round(report["read"]["cpu_s"], 3),
            "bound": "< 1 s",
            "met": report["read"]["seconds"] < 1.0,
        },
        {
            "name": f"write GeoParquet of {report['cells']:,} cells",
            "figure": round(report["write"]["parquet"]["seconds"], 3),
            "cpu_s": round(report["write"]["parquet"]["cpu_s"], 3),
            "bound": "< 0.5 s",
            "met": report["write"]["parquet"]["seconds"] < 0.5,
        },
        {
            "name": f"centinela-analysis gistar end to end on {n:,} rows (whole process)",
            "figure": round(report["end_to_end"]["seconds"], 2),
            "cpu_s": round(report["end_to_end"]["cpu_s"], 2),
            "bound": "< 3 s",
            "met": report["end_to_end"]["seconds"] < 3.0,
        },
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "io_quick.json" if args.quick else "io.json"
    (RESULTS / name).write_text(json.dumps(report, indent=2))
    r, rr = report["read"], report["read_reference"]
    print(
        f"read {n:,} rows, columns {', '.join(report['columns'])} ({report['csv_mb']:.0f} MB): "
        f"{r['seconds']:.2f} s ({r['cpu_s']:.2f} CPU s); "
        f"csv module {rr['seconds']:.1f} s: {rr['seconds'] / r['seconds']:.1f}x (both measured)"
    )
    for fmt, w in report["write"].items():
        print(f"write {fmt}: {w['seconds']:.2f} s ({w['cpu_s']:.2f} CPU s), {w['mb']:.1f} MB")
    e = report["end_to_end"]
    print(
        f"end to end: {e['seconds']:.2f} s wall, {e['cpu_s']:.2f} CPU s, peak {e['peak_rss_mb']:.0f} MB; "
        f"load average {report['load_avg_at_start'][0]:.1f} -> {report['load_avg_at_end'][0]:.1f}"
    )
    for t in report["targets"]:
        print(
            f"target {t['name']}: {'met' if t['met'] else 'NOT met'} ({t['figure']} s wall, {t['cpu_s']} CPU s; "
            f"bound {t['bound']})"
        )
    return 0 if args.quick or all(t["met"] for t in report["targets"]) else 2


if __name__ == "__main__":
    raise SystemExit(main())
