"""Command line of the hot-spot methods (`centinela-analysis kde|gistar`, see analysis/cli.py): each method has its
own pair, `kde_arguments`/`kde_run` and `gistar_arguments`/`gistar_run`, on the options and the writing they share
(`_grid_arguments`, `_read`, `_write`)."""

from __future__ import annotations

from analysis.hotspots.density import BANDWIDTH_RULES, KERNELS, kde
from analysis.hotspots.getisord import GiStarResult, gistar_grid
from analysis.io import InputError

# ------------------------------------------------------------------------------------------------ CLI


def _grid_arguments(parser) -> None:
    """The options both hot-spot methods take: input, output and the grid."""
    parser.add_argument("--input", required=True, help="CSV of incidents: x,y (metres) or lon,lat (WGS84)")
    parser.add_argument("--output", required=True, help="result file: .json, .csv, .geojson or .parquet")
    parser.add_argument(
        "--out-format",
        choices=["json", "csv", "geojson", "parquet"],
        help="output format (default: by the --output file's extension); parquet is GeoParquet 1.1, every cell",
    )
    parser.add_argument("--cell", type=float, required=True, help="cell size in metres")
    parser.add_argument(
        "--extent",
        type=float,
        nargs=4,
        metavar=("MINX", "MINY", "MAXX", "MAXY"),
        help="grid extent in projected metres (default: the points' bounding box)",
    )
    parser.add_argument("--scheduler", help="Dask scheduler address (default: run here)")


def kde_arguments(parser) -> None:
    _grid_arguments(parser)
    parser.add_argument("--bandwidth", help="metres, or a rule: arcgis (default) or scott")
    parser.add_argument("--kernel", default="quartic", choices=list(KERNELS))


def gistar_arguments(parser) -> None:
    _grid_arguments(parser)
    parser.add_argument("--neighbours", default="queen", choices=["queen", "rook", "distance"])
    parser.add_argument("--order", type=float, default=1, help="contiguity order, or distance in cells")
    parser.add_argument("--permutations", type=int, default=999)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--fdr", type=float, help="false discovery rate level (Benjamini-Hochberg), e.g. 0.05")
    parser.add_argument("--alpha", type=float, default=0.05)
    parser.add_argument("--transform", default="B", choices=["B", "R"])
    parser.add_argument("--method", default="auto", choices=["auto", "exact", "mc", "mc-class"])
    parser.add_argument(
        "--ties",
        default="both",
        choices=["both", "esda"],
        help="how a simulated sum equal to the observed one counts: both tails (default) or as esda does",
    )
    parser.add_argument("--all-cells", action="store_true", help="GeoJSON: every cell, not only hot/cold ones")


def _read(args):
    from analysis.io import read_points
    from analysis.startup import prepare_in_background

    prepare_in_background()  # numba's registry imported while the CSV is read
    return read_points(args.input, time_column=None, time=False)  # no time: KDE and Gi* are spatial


def _geojson_wanted(args) -> bool:
    fmt = getattr(args, "out_format", None)
    return fmt == "geojson" or (fmt is None and str(args.output).lower().endswith(".geojson"))


def _write(result, args) -> int:
    from analysis.io import write_result

    write_result(result, args.output, getattr(args, "out_format", None))
    return 0


def kde_run(args) -> int:
    points = _read(args)
    crs = points.crs if points.lon is not None else None
    bandwidth = args.bandwidth
    if bandwidth is not None and bandwidth not in BANDWIDTH_RULES:
        try:
            bandwidth = float(bandwidth)
        except ValueError as exc:
            raise InputError(f"--bandwidth must be metres or one of {', '.join(BANDWIDTH_RULES)}") from exc
    result = kde(
        points.x,
        points.y,
        cell=args.cell,
        bandwidth=bandwidth,
        extent=args.extent,
        kernel=args.kernel,
        scheduler=args.scheduler,
    )
    result.crs = crs
    return _write(result, args)


def gistar_run(args) -> int:
    points = _read(args)
    crs = points.crs if points.lon is not None else None
    order = int(args.order) if args.neighbours != "distance" and float(args.order).is_integer() else args.order
    result: GiStarResult = gistar_grid(
        points.x,
        points.y,
        cell=args.cell,
        extent=args.extent,
        kind=args.neighbours,
        order=order,
        permutations=args.permutations,
        seed=args.seed,
        fdr=args.fdr,
        transform=args.transform,
        method=args.method,
        alpha=args.alpha,
        scheduler=args.scheduler,
        ties=args.ties,
    )
    result.crs = crs
    if getattr(args, "all_cells", False) and _geojson_wanted(args):
        from pathlib import Path

        result.write_geojson(Path(args.output), all_cells=True)
        return 0
    return _write(result, args)
