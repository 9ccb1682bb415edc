"""`make bench`: speed figures, written to bench/results/. Ratios against the reference approach run side by side.

locate: bulk point-in-parish over Loja's 19 parish areas (as the demo draws them). Ours (analysis.AreaIndex:
STRtree candidates + one vectorised intersects_xy per prepared area) against shapely's own
`STRtree.query(points, predicate="intersects")`, the reference way to do it with the same library.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.spatial import AreaIndex  # noqa: E402
from centinela.territory.geometry import voronoi_cells  # noqa: E402  (Django-free module)

RESULTS = ROOT / "bench" / "results"


def loja_parishes():
    data = json.loads((ROOT / "gazetteers" / "loja" / "gazetteer.json").read_text())
    outline = shapely.Polygon(data["canton"]["outline"])
    urban = shapely.Polygon(data["canton"]["urban_outline"]).intersection(outline)
    cells = []
    for kind, within in (("urban", urban), ("rural", outline.difference(urban))):
        centres = [
            (p["centre"][1], p["centre"][0])
            for p in sorted(data["parishes"], key=lambda p: p["code"])
            if p["kind"] == kind
        ]
        cells += voronoi_cells(centres, within)
    # densify so the polygons have realistic vertex counts (official boundaries have thousands of vertices)
    return [shapely.segmentize(c, 0.0005) for c in cells], outline


def best_of(fn, repeat=5):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def bench_locate(n=1_000_000, seed=42):
    areas, outline = loja_parishes()
    minx, miny, maxx, maxy = outline.bounds
    rng = np.random.default_rng(seed)
    x, y = rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)
    index = AreaIndex(areas)
    ours_s, ours = best_of(lambda: index.locate_many(x, y).index)

    tree = shapely.STRtree(areas)

    def reference():
        points = shapely.points(x, y)
        pi, ai = tree.query(points, predicate="intersects")
        out = np.full(n, -1)
        out[pi[::-1]] = ai[::-1]  # first-listed area wins, as in ours
        return out

    ref_s, ref = best_of(reference, repeat=3)
    agree = float(np.mean(ours == ref))
    return {
        "points": n,
        "areas": len(areas),
        "vertices": int(sum(shapely.get_num_coordinates(a) for a in areas)),
        "ours_seconds": round(ours_s, 4),
        "ours_points_per_second": round(n / ours_s),
        "reference": "shapely.STRtree.query(points, predicate='intersects')",
        "reference_seconds": round(ref_s, 4),
        "reference_points_per_second": round(n / ref_s),
        "speedup_vs_reference": round(ref_s / ours_s, 2),
        "agreement_with_reference": agree,
        "target_points_per_second": 100_000,
    }


# The other benchmarks, each a script of its own writing bench/results/<name>.json (run one alone with
# `.venv/bin/python bench/<name>_bench.py [--quick]`). A failure in one must not lose the others' figures.
OTHERS = [
    "cameras_bench",
    "incidents_bench",
    "import_load_bench",
    "knox_bench",
    "knox_kernel_bench",  # issue 14 item 3: the permutation kernel against the previous one (>= 5x)
    "gistar_bench",
    "mclp_bench",
    "exports_bench",
    "web_load",
]
OTHERS.append("io_bench")  # issue 14 item 5: CSV read, GeoParquet write, gistar end to end on 1,000,000 rows
# Further scenarios of a benchmark above: name -> (module, arguments), each writing its own result file.
SCENARIOS = {"participation": ("web_load", ["--scenario", "participation"])}


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every benchmark")
    parser.add_argument(
        "--only",
        help="comma-separated benchmark names (locate, cameras, incidents, import_load, knox, knox_kernel, gistar, "
        "mclp, exports, web_load, participation, io)",
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    started = time.time()
    failed = []
    if only is None or "locate" in only:
        run_locate()
    parts = [(name.removesuffix("_bench"), name, []) for name in OTHERS]
    parts += [(short, module, extra) for short, (module, extra) in SCENARIOS.items()]
    for short, name, extra in parts:
        if only is not None and short not in only:
            continue
        print(f"--- {short} ---", flush=True)
        try:
            module = __import__(name)
            module.main(extra + (["--quick"] if args.quick else []))
        except SystemExit as exc:
            if exc.code not in (0, None):
                print(f"{short} bench exited with {exc.code}")
                failed.append(short)
        except Exception as exc:  # noqa: BLE001
            print(f"{short} bench failed: {type(exc).__name__}: {exc}")
            failed.append(short)
    return summary(started, failed, quick=args.quick)


def _target_rows(data) -> list[dict]:
    """The target verdicts a part's JSON carries: "targets" at the top or one level down, either a list of
    {"name" (or "line"), "figure", "bound", "met"} or a dict of name -> {"target", "met", ...}."""
    found = []
    holders = [data] + [v for v in data.values() if isinstance(v, dict)] if isinstance(data, dict) else []
    for holder in holders:
        targets = holder.get("targets")
        if isinstance(targets, list):
            for t in targets:
                if isinstance(t, dict) and "met" in t:
                    name = t.get("name") or "?"
                    if t.get("method"):
                        name = f"{name} [{t['method']}]"
                    found.append(
                        {
                            "name": name,
                            "figure": t.get("figure"),
                            "bound": t.get("bound"),
                            "met": bool(t["met"]),
                            "line": None if t.get("name") else t.get("line"),
                        }
                    )
        elif isinstance(targets, dict):
            for key, t in targets.items():
                if isinstance(t, dict) and "met" in t:
                    figure = next((t[f] for f in ("figure", "ratio", "value", "value_mb") if f in t), None)
                    found.append(
                        {
                            "name": t.get("target", key),
                            "figure": figure,
                            "bound": t.get("bound"),
                            "met": bool(t["met"]),
                            "line": None,
                        }
                    )
    return found


def summary(started: float, failed: list[str], quick: bool = False) -> int:
    """Print every target verdict found in the result files written by this run; non-zero when one is NOT met (or a
    part failed), except for --quick smoke runs, whose small sizes are not what the targets are about."""
    print("--- targets ---")
    missed = 0
    for path in sorted(RESULTS.glob("*.json")):
        if path.stat().st_mtime < started - 1:
            continue  # not written by this run
        try:
            rows = _target_rows(json.loads(path.read_text()))
        except (OSError, ValueError):
            continue
        for t in rows:
            missed += not t["met"]
            if t["line"]:  # a ready-made verdict line ("target ...: met (...)")
                print(f"{path.stem}: {t['line']}")
                continue
            figure = (
                ""
                if t["figure"] is None
                else f"{t['figure']:.4g}"
                if isinstance(t["figure"], float)
                else str(t["figure"])
            )
            bound = f", bound {t['bound']}" if t["bound"] is not None else ""
            print(f"{path.stem}: target {t['name']}: {'met' if t['met'] else 'NOT met'} ({figure}{bound})")
    for name in failed:
        print(f"{name}: the benchmark failed: its targets were not measured")
    if quick:
        print("(--quick: a smoke run; targets are not enforced)")
        return 0
    if missed or failed:
        print(f"{missed} target(s) NOT met, {len(failed)} benchmark(s) failed")
        return 1
    return 0


def run_locate():
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "processor": platform.machine(),
            "numpy": np.__version__,
            "shapely": shapely.__version__,
        },
        "locate": bench_locate(),
    }
    loc = result["locate"]
    result["targets"] = [
        {
            "name": "point in parish, 1,000,000 points",
            "figure": loc["ours_points_per_second"],
            "bound": ">= 100,000 points/s",
            "met": loc["ours_points_per_second"] >= 100_000,
        }
    ]
    (RESULTS / "locate.json").write_text(json.dumps(result, indent=2))
    print(
        f"locate: {loc['ours_points_per_second']:,} points/s (target 100,000); reference "
        f"{loc['reference_points_per_second']:,} points/s; speed-up x{loc['speedup_vs_reference']}; "
        f"agreement {loc['agreement_with_reference']:.4f}"
    )
    print(f"written to {RESULTS / 'locate.json'}")


if __name__ == "__main__":
    raise SystemExit(main())
