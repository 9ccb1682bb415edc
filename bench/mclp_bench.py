"""Camera placement benchmark: our MCLP (analysis.placement) against PySAL spopt's `MCLP`, same seeded data.

Instance: demand = `analysis.synthetic.events(100_000, seed=11)` in a 10 x 10 km square (hot spots, background and
near repeats, weight 1 each); candidates = 2,000 sites uniform at random in the square (seed 12); a camera covers
the demand within R = 300 m; k = 20 new sites. With R = 300 m the best 20 sites cover about a third of the demand
and the greedy solution is a few per cent from the optimum (the problem is not trivial).

* OURS: sparse coverage matrix (k-d tree) + `mclp(..., method="exact")` (HiGHS on the reduced sparse model, greedy
  warm start) to a proven optimum; also the lazy greedy alone and its gap.
* spopt: dense distance matrix (scipy cdist), `MCLP.from_cost_matrix` (model build, PuLP) and `solve` with PuLP's
  HiGHS interface (CBC when HiGHS is missing), timed separately.

spopt's build loops in Python over every demand x site pair (12 us per pair on an idle machine here, 50 us on a
busy one): at 100,000 x 2,000 it would take 40 minutes to 3 hours and some 5 GB (PuLP keeps one term per pair). So by
default spopt runs side by side with ours on the same candidates and radius with demand subsets (the first
2,000 and 4,000 points of a seeded shuffle of the same 100,000), objectives are compared there, and spopt's
full-size time and peak memory are extrapolated linearly in demand x sites from those runs (a conservative choice:
the solve grows faster than linearly). A ratio is printed only where both sides ran on the same instance (the subset
sizes, or the full size with --spopt-full); the speed target is judged on the largest such run; the full-size
spopt estimate is printed as "extrapolated (not a ratio)" and never divided into our time. `--spopt-full` runs
spopt on the full instance too (allow an hour; it may run out of memory). Each side runs in its own subprocess,
whose peak resident memory (ru_maxrss) is reported.

    .venv/bin/python bench/mclp_bench.py [--quick] [--spopt-full]

The full run takes 4 to 15 minutes on 2 cores (15 measured with the machine shared, load ~10; spopt's two subset
runs are most of it); `--quick` (20,000 demand, 500 sites, spopt subsets of 500 and 1,000) 30 to 90 s. Wall and
CPU times (all threads of each process) are both reported, with the load average. Figures go to
bench/results/mclp.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
TARGET_RATIO = 20.0
EXTENT = (0.0, 0.0, 10_000.0, 10_000.0)


def instance(demand: int, sites: int, subset: int | None, seed: int = 11):
    """The seeded instance: demand points (x, y), candidate sites (x, y). `subset`: the first `subset` points of a
    seeded shuffle of the `demand` points."""
    sys.path.insert(0, str(ROOT))
    from analysis.synthetic import events

    ev = events(demand, seed=seed, extent=EXTENT)
    dx, dy = ev.x, ev.y
    if subset is not None and subset < demand:
        pick = np.random.default_rng(seed + 100).permutation(demand)[:subset]
        dx, dy = dx[pick], dy[pick]
    rng = np.random.default_rng(seed + 1)
    sx, sy = rng.uniform(EXTENT[0], EXTENT[2], sites), rng.uniform(EXTENT[1], EXTENT[3], sites)
    return dx, dy, sx, sy


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker_ours(demand, sites, subset, radius, k) -> dict:
    import highspy  # noqa: F401  (imports done before timing, as for spopt's side)
    import scipy.sparse  # noqa: F401
    import scipy.spatial  # noqa: F401

    from analysis.placement import _new_highs, coverage_matrix, mclp

    _new_highs()  # the one-time banner silenced outside the timing
    dx, dy, sx, sy = instance(demand, sites, subset)
    base = peak_mb()
    c0 = time.process_time()
    t0 = time.perf_counter()
    cov = coverage_matrix(dx, dy, sx, sy, radius)
    t1 = time.perf_counter()
    exact = mclp(cov, None, k)
    t2 = time.perf_counter()
    cpu = time.process_time() - c0
    greedy = mclp(cov, None, k, method="greedy")
    t3 = time.perf_counter()
    return {
        "side": "ours",
        "demand": int(dx.size),
        "sites": int(sx.size),
        "matrix_s": t1 - t0,
        "solve_s": t2 - t1,
        "total_s": t2 - t0,
        "cpu_s": cpu,
        "objective": exact.covered_weight,
        "optimal": exact.optimal,
        "status": exact.status,
        "share": exact.share,
        "model": exact.model,
        "greedy_in_exact": exact.greedy_weight,
        "greedy_gap_vs_optimum": exact.greedy_gap,
        "greedy_method_s": t3 - t2,
        "greedy_method_bound": greedy.bound,
        "greedy_method_gap_vs_bound": greedy.gap,
        "sites_chosen": exact.sites,
        "baseline_mb": base,
        "peak_mb": peak_mb(),
    }


def worker_spopt(demand, sites, subset, radius, k) -> dict:
    import warnings

    warnings.simplefilter("ignore")
    import pulp
    from scipy.spatial.distance import cdist
    from spopt.locate import MCLP

    dx, dy, sx, sy = instance(demand, sites, subset)
    solver_name = "HiGHS" if "HiGHS" in pulp.listSolvers(onlyAvailable=True) else "PULP_CBC_CMD"
    solver = pulp.HiGHS(msg=False) if solver_name == "HiGHS" else pulp.PULP_CBC_CMD(msg=False)
    base = peak_mb()
    c0 = time.process_time()
    t0 = time.perf_counter()
    cost = cdist(np.column_stack([dx, dy]), np.column_stack([sx, sy]))
    t1 = time.perf_counter()
    model = MCLP.from_cost_matrix(cost, np.ones(dx.size), radius, k)
    t2 = time.perf_counter()
    model.solve(solver)
    t3 = time.perf_counter()
    cpu = time.process_time() - c0
    return {
        "side": "spopt",
        "demand": int(dx.size),
        "sites": int(sx.size),
        "solver": solver_name,
        "matrix_s": t1 - t0,
        "build_s": t2 - t1,
        "solve_s": t3 - t2,
        "total_s": t3 - t0,
        "cpu_s": cpu,
        "objective": float(pulp.value(model.problem.objective)),
        "status": pulp.LpStatus[model.problem.status],
        "baseline_mb": base,
        "peak_mb": peak_mb(),
    }


def run_worker(side, demand, sites, subset, radius, k, timeout=None) -> dict:
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        side,
        "--demand",
        str(demand),
        "--sites",
        str(sites),
        "--radius",
        str(radius),
        "--k",
        str(k),
    ] + (["--subset", str(subset)] if subset else [])
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"side": side, "error": f"timed out after {timeout} s"}
    if out.returncode != 0:
        return {"side": side, "error": (out.stderr or out.stdout)[-2000:]}
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench(quick: bool = False, spopt_full: bool = False, radius: float = 300.0, k: int = 20) -> dict:
    demand, sites = (20_000, 500) if quick else (100_000, 2_000)
    subsets = (500, 1_000) if quick else (2_000, 4_000)
    started = time.perf_counter()
    pairs = []
    for n in subsets:
        ours = run_worker("ours", demand, sites, n, radius, k)
        ref = run_worker("spopt", demand, sites, n, radius, k)
        entry = {"demand": n, "sites": sites, "ours": ours, "spopt": ref}
        if "error" not in ours and "error" not in ref:
            entry["objective_equal"] = abs(ours["objective"] - ref["objective"]) <= 1e-6 * max(1.0, ref["objective"])
            entry["ratio_total"] = ref["total_s"] / ours["total_s"]
            entry["ratio_cpu"] = ref["cpu_s"] / ours["cpu_s"]
        pairs.append(entry)
        print(
            f"  {n:>7,} x {sites:,}: ours {ours.get('total_s', float('nan')):.3f} s, spopt "
            f"{ref.get('total_s', float('nan')):.1f} s (build {ref.get('build_s', float('nan')):.1f} s), "
            f"objectives {ours.get('objective')} / {ref.get('objective')}",
            flush=True,
        )
    full = run_worker("ours", demand, sites, None, radius, k)
    print(
        f"  {demand:>7,} x {sites:,}: ours {full.get('total_s', float('nan')):.2f} s, objective "
        f"{full.get('objective')}, optimal {full.get('optimal')}",
        flush=True,
    )
    # spopt at full size: linear in demand x sites from the subset runs (least squares through the measured points)
    ok = [p for p in pairs if "error" not in p["spopt"]]
    estimate = None
    if ok:
        cells = np.array([p["demand"] * p["sites"] for p in ok], dtype=float)
        per = {
            key: np.array([p["spopt"][key] for p in ok])
            for key in ("matrix_s", "build_s", "solve_s", "total_s", "cpu_s")
        }
        scale = demand * sites
        estimate = {key: float(np.sum(v * cells) / np.sum(cells * cells) * scale) for key, v in per.items()}
        mem = np.array([p["spopt"]["peak_mb"] - p["spopt"]["baseline_mb"] for p in ok])
        base = float(np.mean([p["spopt"]["baseline_mb"] for p in ok]))
        estimate["peak_mb"] = base + float(np.sum(mem * cells) / np.sum(cells * cells) * scale)
        estimate["basis"] = (
            f"least-squares line through the origin in demand x sites over the {len(ok)} subset runs "
            f"({', '.join(str(p['demand']) for p in ok)} demand x {sites} sites)"
        )
    spopt_measured = None
    if spopt_full:
        spopt_measured = run_worker("spopt", demand, sites, None, radius, k, timeout=4 * 3600)
    # ratios only where both sides ran on the same instance: the full size when spopt was run there, else the
    # largest subset both finished
    measured_full = spopt_measured is not None and "error" not in spopt_measured and "error" not in full
    both = [p for p in pairs if "ratio_total" in p]
    if measured_full:
        ratio = spopt_measured["total_s"] / full["total_s"]
        ratio_cpu = spopt_measured["cpu_s"] / full["cpu_s"]
        ratio_at = {"demand": demand, "sites": sites, "optimal": full.get("optimal")}
    elif both:
        ratio, ratio_cpu = both[-1]["ratio_total"], both[-1]["ratio_cpu"]
        ratio_at = {"demand": both[-1]["demand"], "sites": sites, "optimal": both[-1]["ours"].get("optimal")}
    else:
        ratio = ratio_cpu = ratio_at = None
    equal_subsets = all(p.get("objective_equal") for p in pairs)
    equal_full = None
    if spopt_measured and "error" not in spopt_measured and "error" not in full:
        equal_full = abs(spopt_measured["objective"] - full["objective"]) <= 1e-6 * max(1.0, full["objective"])
    return {
        "benchmark": "mclp",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform(), "cpus": _cpus()},
        "quick": quick,
        "instance": {
            "demand": demand,
            "sites": sites,
            "k": k,
            "radius_m": radius,
            "extent_m": EXTENT,
            "demand_generator": "analysis.synthetic.events(n, seed=11) (weights 1)",
            "sites_generator": "uniform random, numpy default_rng(12)",
        },
        "same_instance_runs": pairs,
        "ours_full": full,
        "spopt_full_measured": spopt_measured,
        "spopt_full_estimated": estimate,
        "ratio": ratio,
        "ratio_cpu": ratio_cpu,
        "ratio_at": ratio_at,
        "load_average": _load(),
        "ratio_basis": "both measured on the same instance",
        "spopt_full_label": None if measured_full else "extrapolated (not a ratio)",
        "targets": {
            "speed": {
                "target": f"ours at least {TARGET_RATIO:g}x faster than spopt (wall, whole solve) for {k} sites "
                f"among {sites:,} candidates, proven optimum, at the largest size both ran"
                + (f" ({ratio_at['demand']:,} demand points)" if ratio_at else ""),
                "ratio": ratio,
                "ratio_cpu": ratio_cpu,
                "met": bool(ratio and ratio >= TARGET_RATIO and ratio_at and ratio_at.get("optimal")),
            },
            "objective_equal": {
                "target": "same covered weight as spopt",
                "subsets": equal_subsets,
                "full": equal_full,
                "met": bool(equal_subsets and equal_full is not False),
            },
        },
        "seconds": time.perf_counter() - started,
    }


def _load():
    import os

    try:
        return list(os.getloadavg())
    except OSError:
        return None


def _cpus():
    import os

    return os.cpu_count()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small instance (about 30 s)")
    parser.add_argument("--spopt-full", action="store_true", help="also run spopt on the full instance (very long)")
    parser.add_argument("--radius", type=float, default=300.0)
    parser.add_argument("--k", type=int, default=20)
    parser.add_argument("--output", default=str(RESULTS / "mclp.json"))
    parser.add_argument("--worker", choices=("ours", "spopt"), help=argparse.SUPPRESS)
    parser.add_argument("--demand", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--sites", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--subset", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        sys.path.insert(0, str(ROOT))
        func = worker_ours if args.worker == "ours" else worker_spopt
        print(json.dumps(func(args.demand, args.sites, args.subset, args.radius, args.k), default=_jsonable))
        return 0
    print(f"MCLP benchmark ({'quick' if args.quick else 'full'}), radius {args.radius:g} m, k = {args.k}")
    result = bench(quick=args.quick, spopt_full=args.spopt_full, radius=args.radius, k=args.k)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, default=_jsonable))
    full, est = result["ours_full"], result["spopt_full_estimated"] or {}
    spec = result["instance"]
    print(
        f"ours, {spec['demand']:,} demand x {spec['sites']:,} sites: {full.get('total_s', float('nan')):.2f} s "
        f"(matrix {full.get('matrix_s', float('nan')):.2f} s, solve {full.get('solve_s', float('nan')):.2f} s), "
        f"optimal {full.get('optimal')}, covered {full.get('objective')} ({100 * full.get('share', 0):.1f} %), "
        f"greedy gap {100 * full.get('greedy_gap_vs_optimum', 0):.2f} %, peak {full.get('peak_mb', 0):.0f} MB"
    )
    if est and result["spopt_full_label"]:
        print(
            f"spopt at {spec['demand']:,} x {spec['sites']:,}: {est.get('total_s', float('nan')):.0f} s "
            f"(build {est.get('build_s', float('nan')):.0f} s), peak ~{est.get('peak_mb', 0):.0f} MB: extrapolated "
            f"(not a ratio), {est.get('basis')}"
        )
    speed, equal = result["targets"]["speed"], result["targets"]["objective_equal"]
    at = result["ratio_at"] or {}
    print(
        f"ratio at {at.get('demand', 0):,} demand x {spec['sites']:,} sites (both ran): "
        f"{speed['ratio'] or float('nan'):.0f}x wall, {speed['ratio_cpu'] or float('nan'):.0f}x CPU (target "
        f"{TARGET_RATIO:g}x): {'met' if speed['met'] else 'NOT met'}; "
        f"objectives equal: {'yes' if equal['met'] else 'NO'}; written to {out}"
    )
    return 0


def _jsonable(value):
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    raise TypeError(type(value).__name__)


if __name__ == "__main__":
    raise SystemExit(main())
