"""Command line of the hot-spot methods (`centinela-analysis kde|gistar`, see analysis/cli.py): `cli_arguments`
adds each method's options, `cli_run` reads the points, runs `kde` or `gistar_grid` and writes the result."""

from __future__ import annotations

from analysis.hotspots.density import BANDWIDTH_RULES, KERNELS, KdeResult, kde
from analysis.hotspots.getisord import GiStarResult, gistar_grid
from analysis.io import InputError

# ------------------------------------------------------------------------------------------------ CLI


def cli_arguments(parser, name: str) -> None:
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
    if name == "kde":
        parser.add_argument("--bandwidth", help="metres, or a rule: arcgis (default) or scott")
        parser.add_argument("--kernel", default="quartic", choices=list(KERNELS))
    else:
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


def cli_run(args, name: str) -> int:
    from analysis.io import read_points, write_result
    from analysis.startup import prepare_in_background

    prepare_in_background()  # numba's registry imported while the CSV is read
    points = read_points(args.input, time_column=None, time=False)  # no time: KDE and Gi* are spatial
    crs = points.crs if points.lon is not None else None
    result: KdeResult | GiStarResult
    if name == "kde":
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
    else:
        order = int(args.order) if args.neighbours != "distance" and float(args.order).is_integer() else args.order
        result = gistar_grid(
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
    fmt = getattr(args, "out_format", None)
    geojson = fmt == "geojson" or (fmt is None and str(args.output).lower().endswith(".geojson"))
    if name == "gistar" and getattr(args, "all_cells", False) and geojson:
        from pathlib import Path

        assert isinstance(result, GiStarResult)
        result.write_geojson(Path(args.output), all_cells=True)
    else:
        write_result(result, args.output, fmt)
    return 0
