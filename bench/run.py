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
from datetime import datetime, timezone
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
        centres = [(p["centre"][1], p["centre"][0]) for p in sorted(data["parishes"], key=lambda p: p["code"]) if p["kind"] == kind]
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
OTHERS = ["cameras_bench", "incidents_bench", "knox_bench", "gistar_bench", "mclp_bench"]


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run of every benchmark")
    parser.add_argument("--only", help="comma-separated benchmark names (locate, cameras, incidents, knox, gistar, mclp)")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    if only is None or "locate" in only:
        run_locate()
    for name in OTHERS:
        short = name.removesuffix("_bench")
        if only is not None and short not in only:
            continue
        print(f"--- {short} ---", flush=True)
        try:
            module = __import__(name)
            quick = ["--devices", "500", "--steady-seconds", "10"] if short == "cameras" else ["--quick"]
            module.main(quick if args.quick else [])
        except SystemExit as exc:
            if exc.code not in (0, None):
                print(f"{short} bench exited with {exc.code}")
        except Exception as exc:  # noqa: BLE001
            print(f"{short} bench failed: {type(exc).__name__}: {exc}")


def run_locate():
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "processor": platform.machine(), "numpy": np.__version__, "shapely": shapely.__version__},
        "locate": bench_locate(),
    }
    (RESULTS / "locate.json").write_text(json.dumps(result, indent=2))
    loc = result["locate"]
    print(
        f"locate: {loc['ours_points_per_second']:,} points/s (target 100,000); reference "
        f"{loc['reference_points_per_second']:,} points/s; speed-up x{loc['speedup_vs_reference']}; "
        f"agreement {loc['agreement_with_reference']:.4f}"
    )
    print(f"written to {RESULTS / 'locate.json'}")


if __name__ == "__main__":
    main()
