"""`centinela-analysis`: the analysis engine from the command line, without Django.

    centinela-analysis locate AREAS_FILE POINTS.csv [--name-field name]   # prints lon,lat,area for each point
"""
from __future__ import annotations

import argparse
import csv
import sys

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="centinela-analysis", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    locate = sub.add_parser("locate", help="which area holds each point")
    locate.add_argument("areas", help="GeoJSON, GeoPackage or zipped Shapefile of areas (WGS84)")
    locate.add_argument("points", help="CSV with lon and lat columns")
    locate.add_argument("--name-field", default="name")
    locate.set_defaults(func=_locate)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
