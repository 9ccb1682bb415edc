"""`centinela-analysis`: the analysis engine from the command line, without Django.

    centinela-analysis locate AREAS_FILE POINTS.csv [--name-field name]   # prints lon,lat,area for each point
    centinela-analysis METHOD --input incidents.csv [options] --output result.json|csv|geojson
    centinela-analysis warmup                                             # compile kernels into numba's cache

Each method is one entry of `METHODS`, which names the module holding its two functions, `arguments(parser)` (adds
the method's options) and `run(args) -> int`; only the chosen method's module is imported, so start-up stays short
(compiled kernels are cached on disk by numba).
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass

import numpy as np


def _locate(args: argparse.Namespace) -> int:
    import pyogrio
    import shapely

    from analysis.spatial import AreaIndex

    meta, _, geometry, fields = pyogrio.raw.read(args.areas, return_fids=False)
    names = fields[list(meta["fields"]).index(args.name_field)]
    index = AreaIndex(shapely.from_wkb(geometry))
    with open(args.points, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    x = np.array([float(r["lon"]) for r in rows])
    y = np.array([float(r["lat"]) for r in rows])
    found = index.locate_many(x, y).index
    writer = csv.writer(sys.stdout)
    writer.writerow(["lon", "lat", "area"])
    for xi, yi, i in zip(x, y, found):
        writer.writerow([xi, yi, names[i] if i >= 0 else ""])
    return 0


def _warmup(args: argparse.Namespace) -> int:
    from analysis.warmup import warm

    steps = warm()
    print("numba kernels cached: " + ", ".join(f"{name} {sec:.1f} s" for name, sec in steps.items()))
    return 0


@dataclass(frozen=True)
class CliMethod:
    """A method of the command line: the module that holds its functions (imported only when the method runs), the
    names of its `arguments(parser)` and `run(args) -> int` there, and its one-line help."""

    module: str
    arguments: str
    run: str
    help: str


# method name -> its entry; adding a method to the command line is one line here and its two functions
METHODS = {
    "kde": CliMethod("analysis.hotspots", "kde_arguments", "kde_run", "kernel density surface on a grid"),
    "gistar": CliMethod(
        "analysis.hotspots", "gistar_arguments", "gistar_run", "Getis-Ord Gi* hot spots with permutation p-values"
    ),
    "knox": CliMethod(
        "analysis.knox", "cli_arguments", "cli_run", "near-repeat (Knox) table over distance x time bands"
    ),
    "coverage": CliMethod(
        "analysis.placement", "coverage_arguments", "coverage_run", "share of incidents inside camera views"
    ),
    "mclp": CliMethod(
        "analysis.placement", "mclp_arguments", "mclp_run", "best sites for k new cameras (maximal covering)"
    ),
    "impact": CliMethod(
        "analysis.impact",
        "cli_arguments",
        "cli_run",
        "difference in differences and displacement (WDQ) of an intervention",
    ),
    "accuracy": CliMethod(
        "analysis.accuracy", "cli_arguments", "cli_run", "hit rate, PAI and PEI of a hotspot map over a later period"
    ),
}


def main(argv: list[str] | None = None) -> int:
    import importlib

    from analysis.io import InputError

    parser = argparse.ArgumentParser(
        prog="centinela-analysis", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    sub = parser.add_subparsers(dest="command", required=True)
    argv = sys.argv[1:] if argv is None else list(argv)
    chosen = next((a for a in argv if not a.startswith("-")), None)
    for name, entry in METHODS.items():
        method = sub.add_parser(name, help=entry.help)
        if name == chosen:
            mod = importlib.import_module(entry.module)
            getattr(mod, entry.arguments)(method)
            method.set_defaults(func=getattr(mod, entry.run))
    warmup = sub.add_parser("warmup", help="compile the numba kernels into the on-disk cache (make install runs it)")
    warmup.set_defaults(func=_warmup)
    locate = sub.add_parser("locate", help="which area holds each point")
    locate.add_argument("areas", help="GeoJSON, GeoPackage or zipped Shapefile of areas (WGS84)")
    locate.add_argument("points", help="CSV with lon and lat columns")
    locate.add_argument("--name-field", default="name")
    locate.set_defaults(func=_locate)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except InputError as exc:
        print(f"centinela-analysis {args.command}: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
