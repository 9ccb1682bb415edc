"""Large exports are streamed (issue 10): the one export helper (`centinela.lib.exports`) writes 1,000,000 rows of
the incident list's shape (10 columns) as CSV and 100,000 as XLSX, consumed chunk by chunk as a web server sends
them. Measured: seconds to the first chunk (what the user waits before the download starts), total seconds, rows per
second, and how much the process's peak memory grew (resident set size): bounded, not proportional to the rows.

    .venv/bin/python bench/exports_bench.py [--quick]

Figures go to bench/results/exports.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))
TARGET_PEAK_MB = 64  # growth of peak memory allowed for any size of export


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rows(n):
    start = datetime(2021, 1, 1, tzinfo=UTC)
    for i in range(n):
        yield {
            "ref": f"E-{i}",
            "at": start + timedelta(minutes=i),
            "category": "Robo a personas",
            "group": "delitos",
            "parish": "El Sagrario",
            "barrio": "Centro",
            "lon": -79.2 - i % 1000 / 1e5,
            "lat": -3.99 + i % 700 / 1e5,
            "address": f'=HYPERLINK("http://x","{i}")' if i % 1000 == 0 else "Av. Universitaria y Rocafuerte",
            "status": "registrado",
        }


def run(fmt: str, n: int) -> dict:
    from centinela.lib.exports import Column, export_response

    columns = [
        Column(k, k, (lambda r, k=k: r[k]))
        for k in ("ref", "at", "category", "group", "parish", "barrio", "lon", "lat", "address", "status")
    ]
    before = _peak_mb()
    started = time.perf_counter()
    response = export_response(_rows(n), columns, fmt, "incidentes")
    first, size = None, 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
    total = time.perf_counter() - started
    grown = _peak_mb() - before
    return {
        "format": fmt,
        "rows": n,
        "bytes": size,
        "seconds_to_first_chunk": round(first, 3),
        "seconds": round(total, 2),
        "rows_per_second": round(n / total),
        "peak_memory_growth_mb": round(grown, 1),
        "streamed": bool(response.streaming),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centinela.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    sizes = {"csv": 20_000, "xlsx": 5_000} if args.quick else {"csv": 1_000_000, "xlsx": 100_000}
    parts = [run(fmt, n) for fmt, n in sizes.items()]
    for part in parts:
        print(
            f"{part['format']}: {part['rows']:,} rows, {part['bytes'] / 1e6:.0f} MB in {part['seconds']} s "
            f"(first chunk after {part['seconds_to_first_chunk']} s), peak memory +{part['peak_memory_growth_mb']} MB"
        )
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "quick": args.quick,
        "parts": parts,
        "targets": [
            {
                "name": f"{p['format']} export of {p['rows']:,} rows: peak memory growth (MB)",
                "figure": p["peak_memory_growth_mb"],
                "bound": TARGET_PEAK_MB,
                "met": p["peak_memory_growth_mb"] <= TARGET_PEAK_MB and p["streamed"],
            }
            for p in parts
        ],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "exports.json").write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
