"""Incident import benchmark: a seeded file of 1,000,000 incidents (ECU 911-like columns, points inside Loja's
canton from analysis.synthetic.events) imported with parish and barrio assignment into a fresh SQLite database and
into a throw-away PostgreSQL database (`centinela_bench`, created and dropped here), then imported again (adds
nothing). Timed per stage: parse (read the file into columns), validate (dates, numbers, categories, duplicates;
locate is timed apart), locate (point in parish/barrio), lookup (what is already stored), stage (outside the
transaction: executemany into a temporary table on SQLite; COPY's CSV built by pyarrow on PostgreSQL), insert (into
the live table: INSERT ... SELECT in slices with pauses on SQLite, COPY in one transaction on PostgreSQL, with the
commit and its deferred foreign-key checks). Targets: under 60 s for the whole import on each database (issue 10),
and under 15 s (issue 14 item 5: the file read by the analysis engine's reader, analysis.io.read_text_columns).
Wall-clock figures depend on what else the machine runs, so the CPU seconds of the importing process and the load
average are kept beside them (PostgreSQL's own work runs in its server process and is not in that CPU figure).
Beside each import, the floor: the same rows loaded by the database alone, the fastest plain way and with no
application code, into a copy of the incident table with the same indexes and foreign keys, with the indexes only,
and into a bare one (`floor`): what no change of the import's own code can go below (docs/architecture.md,
"Incident files: a million rows").

Measured 2026-12-04 05:54-05:57 UTC on a quiet moment of the shared 2 cores (load average 0.6-0.9), 1,000,000 rows
x 8 columns, 129 MB, this bench run on the code before and then after the PostgreSQL COPY into the live table and
the SQLite slices by time: SQLite 25.9 s -> 22.7 s (insert 16.4 -> 9.9 s: 24 slices of about 0.3 s with 2.8 s of
pauses instead of 50 slices of 20,000 rows with 9.8 s; parse, validate and stage, the same code but for the staged
columns, were 1-1.4 s slower in the second run: the machine is shared). PostgreSQL 41.0 s -> 31.1 s (stage 6.8 ->
1.2: the COPY text no longer built in Python; insert 28.9 -> 24.3; 10.1 -> 7.5 CPU s in this process). Under load
(2.2-4.3, 05:32-05:40) the same pairs gave SQLite 46.5 -> 35.5 s and PostgreSQL 52.1 -> 39.9 s. Both still NOT
within 15 s. On PostgreSQL most of the time is the server's per-row work (EXPLAIN ANALYZE of the apply on a quiet
machine: the four foreign keys' triggers 13.3 s for 1,000,000 rows; the COPY itself 10.4 s, of which 2.9 s heap
with the sequence's nextval and about 6 s the maintenance of the indexes), which no change of the import's own code
removes while the foreign keys are checked row by row; on SQLite the apply's index maintenance (about 7 s) plus the
staging (4-5 s) and the Python stages (parse, validate, locate: about 5 s).

    .venv/bin/python bench/incidents_bench.py [--rows 1000000 | --quick] [--no-postgres] [--postgres-url URL]

Figures go to bench/results/incidents.json. Never touches the developer's database: SQLite in a temporary
directory, PostgreSQL in a database whose name must contain "bench".
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centinela_bench"
FAST_TARGET = 15  # issue 14 item 5: with the analysis engine's CSV reader, 1,000,000 rows in under 15 s
HEADER = ["ID Incidente", "Fecha", "Fecha reporte", "Servicio", "Longitud", "Latitud", "Dirección", "Operador"]
SERVICES = [
    "Seguridad Ciudadana",
    "Tránsito y Movilidad",
    "Gestión Sanitaria",
    "Servicios Municipales",
    "Gestión de Riesgos",
    "Gestión de Siniestros",
    "Robo a personas",
    "Robo a domicilios",
    "Robo de motos",
]
SERVICE_WEIGHTS = np.array([40, 20, 15, 8, 4, 3, 5, 3, 2], dtype=float)
STREETS = [
    "Av. Universitaria",
    "Bolívar",
    "Sucre",
    "18 de Noviembre",
    "Av. Manuel Agustín Aguirre",
    "Rocafuerte",
    "Mercadillo",
    "Lourdes",
    "Av. Orillas del Zamora",
    "Av. Pío Jaramillo Alvarado",
    "Imbabura",
    "Colón",
]
PROFILE = {
    "source_ref": "ID Incidente",
    "occurred_at": "Fecha",
    "reported_at": "Fecha reporte",
    "category": "Servicio",
    "lon": "Longitud",
    "lat": "Latitud",
    "address": "Dirección",
}
CATEGORY_VALUES = {
    "Seguridad Ciudadana": "ecu911-seguridad-ciudadana",
    "Tránsito y Movilidad": "ecu911-transito-movilidad",
    "Gestión Sanitaria": "ecu911-gestion-sanitaria",
    "Servicios Municipales": "ecu911-servicios-municipales",
    "Gestión de Riesgos": "ecu911-gestion-riesgos",
    "Gestión de Siniestros": "ecu911-gestion-siniestros",
}


# --- the file ----------------------------------------------------------------------------------------------------


def generate(path: Path, rows: int, seed: int = 2021) -> dict:
    """Write `rows` incidents of 2021 as an ECU 911 export would (semicolons, dd/mm/yyyy hh:mm)."""
    import shapely

    from analysis.synthetic import events

    data = json.loads((ROOT / "gazetteers" / "loja" / "gazetteer.json").read_text())
    outline = shapely.Polygon(data["canton"]["outline"])
    urban = shapely.Polygon(data["canton"]["urban_outline"])
    minx, miny, maxx, maxy = outline.bounds
    # metres on Loja's extent (1° of latitude ~ 110.6 km; of longitude ~ 111.0 km x cos 4°)
    kx, ky = 111_320 * np.cos(np.radians(4.0)), 110_574
    extent = (0.0, 0.0, (maxx - minx) * kx, (maxy - miny) * ky)
    places = [(p["lon"], p["lat"]) for p in data.get("places", []) if "lon" in p] or [
        (p["centre"][1], p["centre"][0]) for p in data["parishes"] if p["kind"] == "urban"
    ]
    anchors = np.array([((x - minx) * kx, (y - miny) * ky) for x, y in places])
    rng = np.random.default_rng(seed)
    lon, lat, t = np.empty(0), np.empty(0), np.empty(0)
    draw = 0
    while len(lon) < rows:  # the rectangle is larger than the canton: keep the points inside it
        ev = events(
            int((rows - len(lon)) * 1.6) + 1000,
            seed=seed + draw,
            extent=extent,
            days=365.0,
            anchors=anchors,
            hotspot_sd=300.0,
        )
        draw += 1
        x, y = minx + ev.x / kx, miny + ev.y / ky
        inside = shapely.contains_xy(outline, x, y)
        lon, lat, t = (
            np.concatenate([lon, x[inside]]),
            np.concatenate([lat, y[inside]]),
            np.concatenate([t, ev.t[inside]]),
        )
    lon, lat, t = lon[:rows], lat[:rows], t[:rows]
    start = np.datetime64("2021-01-01T00:00")
    occurred = start + (t * 24 * 60).astype("timedelta64[m]")
    reported = occurred + rng.integers(1, 30, rows).astype("timedelta64[m]")

    def ddmmyyyy(stamps):
        s = np.datetime_as_string(stamps, unit="m")  # YYYY-MM-DDTHH:MM
        return [f"{v[8:10]}/{v[5:7]}/{v[0:4]} {v[11:16]}" for v in s.tolist()]

    services = rng.choice(len(SERVICES), size=rows, p=SERVICE_WEIGHTS / SERVICE_WEIGHTS.sum())
    streets = rng.integers(0, len(STREETS), size=(rows, 2))
    operators = rng.integers(1, 40, rows)
    occ, rep = ddmmyyyy(occurred), ddmmyyyy(reported)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(";".join(HEADER) + "\r\n")
        lines = []
        for k in range(rows):
            a, b = streets[k]
            lines.append(
                f"LOJ-2021-{k + 1:07d};{occ[k]};{rep[k]};{SERVICES[services[k]]};{lon[k]:.6f};{lat[k]:.6f};"
                f"{STREETS[a]} y {STREETS[b]};OP{operators[k]:02d}\r\n"
            )
            if len(lines) >= 100_000:
                out.writelines(lines)
                lines = []
        out.writelines(lines)
    return {
        "rows": rows,
        "columns": len(HEADER),
        "header": HEADER,
        "format": "CSV, UTF-8, semicolons, CRLF, dates dd/mm/yyyy hh:mm, no quotes",
        "bytes": path.stat().st_size,
        "seed": seed,
        "urban_share": round(float(shapely.contains_xy(urban, lon, lat).mean()), 3),
    }


# --- one database (run in a child process: Django is set up once per process) -------------------------------------


def child(database_url: str, csv_path: Path, tmp: Path) -> dict:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "centinela.settings",
            "CENTINELA_VAR_DIR": str(tmp),
            "DATABASE_URL": database_url or f"sqlite:///{tmp / 'bench.sqlite3'}",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.pop("CENTINELA_TESTING", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from centinela.incidents import importer as imp
    from centinela.incidents.models import Incident
    from centinela.incidents.services import save_profile
    from centinela.lib.imports import run_import
    from centinela.territory.services import load_gazetteer

    call_command("migrate", verbosity=0, interactive=False)
    load_gazetteer(settings.GAZETTEER_DIR)
    profile = save_profile(
        "Bench ECU 911", "ecu911", PROFILE, date_format="%d/%m/%Y %H:%M", category_values=CATEGORY_VALUES
    )

    def timed_run():
        times = {"locate": 0.0}
        real_locate = imp.locate_ids

        def locate(lon, lat):
            t0 = time.perf_counter()
            try:
                return real_locate(lon, lat)
            finally:
                times["locate"] += time.perf_counter() - t0

        imp.locate_ids = locate
        try:
            importer = imp.incident_importer(profile)
            for stage in ("parse", "validate", "preview", "apply"):
                func = getattr(importer, stage)

                def wrapped(arg, func=func, stage=stage):
                    t0, c0 = time.perf_counter(), time.process_time()
                    try:
                        return func(arg)
                    finally:
                        times[stage] = time.perf_counter() - t0
                        times[f"{stage}_cpu"] = time.process_time() - c0

                setattr(importer, stage, wrapped)
            t0, c0 = time.perf_counter(), time.process_time()
            result = run_import(importer, csv_path)
            total, cpu = time.perf_counter() - t0, time.process_time() - c0
        finally:
            imp.locate_ids = real_locate
        assert result.ok, [str(p) for p in result.problems[:5]]
        return {
            "total_seconds": round(total, 2),
            "parse_seconds": round(times["parse"], 2),
            "validate_seconds": round(times["validate"] - times["locate"], 2),
            "locate_seconds": round(times["locate"], 2),
            "lookup_seconds": round(times["preview"], 2),
            "stage_seconds": round(getattr(result.rows, "timings", {}).get("stage", 0.0), 2),
            "insert_seconds": round(times["apply"], 2),
            "commit_seconds": round(
                total
                - sum(times[s] for s in ("parse", "validate", "preview", "apply"))
                - getattr(result.rows, "timings", {}).get("stage", 0.0),
                2,
            ),
            "insert_split_seconds": {k: round(v, 2) for k, v in getattr(result.rows, "timings", {}).items()},
            "cpu_seconds_this_process": round(cpu, 2),
            "cpu_seconds_by_stage": {s: round(times[f"{s}_cpu"], 2) for s in ("parse", "validate", "preview", "apply")},
            "load_average_1min": round(os.getloadavg()[0], 2),
            "created": result.counts["created"],
            "already_imported": result.counts["already_imported"],
            "rows_per_second": round(len(result.rows) / total),
        }

    first = timed_run()
    with_parish = Incident.objects.exclude(parish=None).count()
    with_barrio = Incident.objects.exclude(barrio=None).count()
    again = timed_run()
    stored = Incident.objects.count()
    return {
        "database": connection.vendor,
        "first_import": first,
        "reimport": again,
        "stored": stored,
        "with_parish": with_parish,
        "with_barrio": with_barrio,
        "floor": floor(connection, Incident._meta.db_table),
    }


def floor(connection, table: str) -> dict:
    """What the database alone takes to store the rows just imported, with no application code at all: the same
    values (read back from the live table) loaded into an empty copy of the incident table with the same indexes
    and foreign keys, into one with the indexes but no foreign key, and into a bare one (no index but the primary
    key). PostgreSQL: COPY of a ready CSV in one transaction (the fastest way a client has: the import's apply
    cannot beat the first figure). SQLite: the rows first handed over by executemany of ready tuples into a
    temporary table (`hand_over_seconds`, which any import pays once: the import's staging), then INSERT ...
    SELECT into each copy in one transaction (the import's sliced apply cannot beat the first figure either).
    The differences show what the foreign keys and the indexes cost."""
    quote = connection.ops.quote_name
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        if connection.vendor == "postgresql":
            columns = ", ".join(
                quote(c)
                for (c,) in cursor.execute(
                    "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 1 "
                    "AND NOT attisdropped ORDER BY attnum",
                    [table],
                ).fetchall()
            )
            data = bytearray()
            with cursor.copy(f"COPY (SELECT {columns} FROM {quote(table)}) TO STDOUT WITH (FORMAT csv)") as copy:
                for block in copy:
                    data += block
            keys = cursor.execute(
                "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            ).fetchall()
            setups = {
                "same_indexes_and_keys": [f"CREATE TABLE floor_test (LIKE {quote(table)} INCLUDING ALL)"]
                + [f"ALTER TABLE floor_test ADD {definition}" for (definition,) in keys],
                "same_indexes_no_keys": [f"CREATE TABLE floor_test (LIKE {quote(table)} INCLUDING ALL)"],
                "bare_table": [
                    f"CREATE TABLE floor_test (LIKE {quote(table)} INCLUDING DEFAULTS INCLUDING IDENTITY)",
                    "ALTER TABLE floor_test ADD PRIMARY KEY (id)",
                ],
            }
            out = {"method": "COPY FROM STDIN (CSV) in one transaction", "keys": len(keys)}
            for name, statements in setups.items():
                django_cursor.connection.autocommit = True
                for statement in statements:
                    cursor.execute(statement)
                if name != "bare_table":  # the copy is a faithful one
                    count = "SELECT COUNT(*) FROM pg_index WHERE indrelid = %s::regclass"
                    fks = "SELECT COUNT(*) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'f'"
                    assert cursor.execute(count, ["floor_test"]).fetchone() == cursor.execute(count, [table]).fetchone()
                    copy_of, of_table = (cursor.execute(fks, [t]).fetchone()[0] for t in ("floor_test", table))
                    assert copy_of == (0 if "no_keys" in name else of_table)
                cursor.execute("CHECKPOINT")
                django_cursor.connection.autocommit = False
                t0 = time.perf_counter()
                with cursor.copy(f"COPY floor_test ({columns}) FROM STDIN WITH (FORMAT csv)") as copy:
                    copy.write(bytes(data))
                django_cursor.connection.commit()
                out[f"{name}_seconds"] = round(time.perf_counter() - t0, 2)
                django_cursor.connection.autocommit = True
                cursor.execute("DROP TABLE floor_test")
            return out
        created, *index_sql = [
            sql
            for (sql,) in cursor.execute(
                "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type = 'index'",
                [table],
            ).fetchall()
        ]
        names = [row[1] for row in cursor.execute(f"PRAGMA table_info({quote(table)})").fetchall() if row[1] != "id"]
        rows = cursor.execute(f"SELECT {', '.join(map(quote, names))} FROM {quote(table)}").fetchall()
        insert = f"INSERT INTO floor_test ({', '.join(map(quote, names))}) VALUES ({', '.join('?' * len(names))})"
        keys = cursor.execute(f"PRAGMA foreign_key_list({quote(table)})").fetchall()
        bare = (
            "CREATE TABLE floor_test (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, "
            + ", ".join(
                f"{quote(n)} {t}"
                for _cid, n, t, *_ in cursor.execute(f"PRAGMA table_info({quote(table)})")
                if n != "id"
            )
            + ")"
        )
        indexes = [
            sql.replace(f"ON {quote(table)}", "ON floor_test")
            .replace(f"ON {table}", "ON floor_test")
            .replace("INDEX ", "INDEX floor_", 1)
            .replace('INDEX floor_"', 'INDEX "floor_', 1)
            for sql in index_sql
        ]
        same = created.replace(quote(table), "floor_test", 1).replace(table, "floor_test", 1)
        setups = {
            "same_indexes_and_keys": [same, *indexes],
            "same_indexes_no_keys": [
                re.sub(r'\s+REFERENCES\s+"[^"]+"\s*\("[^"]+"\)( DEFERRABLE INITIALLY DEFERRED)?', "", same)
            ]
            + indexes,
            "bare_table": [bare],
        }
        out = {
            "method": "rows handed over by executemany into a temporary table, then INSERT ... SELECT in one "
            "transaction",
            "keys": len({k[0] for k in keys}),
        }
        cursor.execute("PRAGMA cache_size = -262144")  # as the import's apply
        cursor.execute(f"CREATE TEMPORARY TABLE floor_rows ({', '.join(map(quote, names))})")
        t0 = time.perf_counter()  # handing the rows to SQLite: what any import pays once (the import's staging)
        for i in range(0, len(rows), 50_000):
            cursor.execute("BEGIN")
            cursor.executemany(insert.replace("floor_test", "temp.floor_rows", 1), rows[i : i + 50_000])
            cursor.execute("COMMIT")
        out["hand_over_seconds"] = round(time.perf_counter() - t0, 2)
        del rows
        for name, statements in setups.items():
            for statement in statements:
                cursor.execute(statement)
            if name != "bare_table":  # the copy is a faithful one
                for pragma in ("index_list", "foreign_key_list"):
                    copy_of = len(cursor.execute(f"PRAGMA {pragma}(floor_test)").fetchall())
                    of_table = len(cursor.execute(f"PRAGMA {pragma}({quote(table)})").fetchall())
                    assert copy_of == (0 if pragma == "foreign_key_list" and "no_keys" in name else of_table), pragma
            t0 = time.perf_counter()  # the database alone: the rows into the table, its indexes and keys kept
            cursor.execute("BEGIN")
            cursor.execute(f"{insert.split(' VALUES')[0]} SELECT {', '.join(map(quote, names))} FROM temp.floor_rows")
            cursor.execute("COMMIT")
            out[f"{name}_seconds"] = round(time.perf_counter() - t0, 2)
            cursor.execute("DROP TABLE floor_test")
        cursor.execute("DROP TABLE temp.floor_rows")
        return out


def run_child(database_url: str, csv_path: Path) -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="centinela-incidents-bench-"))
    try:  # the SQLite database of a million rows is about 280 MB: never left behind
        proc = subprocess.run(
            [sys.executable, __file__, "--child", "--file", str(csv_path), "--tmp", str(tmp)]
            + (["--postgres-url", database_url] if database_url else []),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _admin_connect(url: str):
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if "bench" not in name:
        raise SystemExit("the benchmark creates and drops its database: give one whose name contains 'bench'")
    admin = psycopg.connect(f"{parts.scheme}://{parts.netloc}/postgres", autocommit=True)
    return admin, name


def with_postgres(url: str, csv_path: Path) -> dict:
    admin, name = _admin_connect(url)
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            return run_child(url, csv_path)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="20,000 rows: a smoke run")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.rows = 20_000
    if args.child:
        out = child(
            args.postgres_url if "--postgres-url" in (argv if argv is not None else sys.argv) else "",
            Path(args.file),
            Path(args.tmp),
        )
        print(json.dumps(out))
        return out

    with tempfile.TemporaryDirectory(prefix="centinela-incidents-file-") as folder:
        path = Path(folder) / "ecu911-2021.csv"
        t0 = time.perf_counter()
        file_info = generate(path, args.rows, args.seed)
        file_info["generate_seconds"] = round(time.perf_counter() - t0, 1)
        print(
            f"incidents: {args.rows:,} rows generated ({file_info['bytes'] / 1e6:.0f} MB) in "
            f"{file_info['generate_seconds']} s",
            flush=True,
        )
        databases = {"sqlite": run_child("", path)}
        if not args.no_postgres:
            try:
                databases["postgresql"] = with_postgres(args.postgres_url, path)
            except Exception as exc:  # noqa: BLE001 - the SQLite figures are kept
                databases["postgresql"] = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "processor": platform.machine(), "cpus": os.cpu_count()},
        "file": file_info,
        "target_seconds": 60,
        "fast_target_seconds": FAST_TARGET,
        "databases": databases,
    }
    # one verdict per database for bench/run.py's summary (a failed import is a target NOT met)
    result["targets"] = [
        {
            "name": f"incident import of {args.rows:,} rows with parish assignment, {vendor}{label}",
            "figure": None if "error" in fig else fig["first_import"]["total_seconds"],
            "bound": f"< {bound} s",
            "met": "error" not in fig and fig["first_import"]["total_seconds"] < bound,
        }
        for bound, label in ((60, " (issue 10)"), (FAST_TARGET, " (issue 14 item 5)"))
        for vendor, fig in databases.items()
    ]
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "incidents.json" if args.rows == 1_000_000 else f"incidents-{args.rows}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    for vendor, figures in databases.items():
        if "error" in figures:
            print(f"incidents {vendor}: failed: {figures['error'][:300]}")
            continue
        f, r = figures["first_import"], figures["reimport"]
        print(
            f"incidents {vendor}: {f['created']:,} created in {f['total_seconds']} s "
            f"(parse {f['parse_seconds']}, validate {f['validate_seconds']}, locate {f['locate_seconds']}, "
            f"lookup {f['lookup_seconds']}, stage {f['stage_seconds']}, insert {f['insert_seconds']}, commit "
            f"{f['commit_seconds']}; "
            f"{f['rows_per_second']:,} rows/s; {f['cpu_seconds_this_process']} CPU s in this process; load average "
            f"{f['load_average_1min']}; target 60 s); re-import adds {r['created']} in {r['total_seconds']} s; "
            f"{figures['with_parish']:,} with parish, {figures['with_barrio']:,} with barrio"
        )
        fl = figures["floor"]
        handed = f"{fl['hand_over_seconds']} s to hand the rows over, then " if "hand_over_seconds" in fl else ""
        print(
            f"  floor, the database alone ({fl['method']}, no application code): {handed}"
            f"{fl['same_indexes_and_keys_seconds']}"
            f" s into a copy of the table with its indexes and {fl['keys']} foreign keys, "
            f"{fl['same_indexes_no_keys_seconds']} s with the indexes but no foreign key, {fl['bare_table_seconds']} s"
            " into a bare table"
        )
    for t in result["targets"]:
        print(f"target {t['name']}: {'met' if t['met'] else 'NOT met'} ({t['figure']} s, bound {t['bound']})")
    print(f"written to {RESULTS / name}")
    return result


if __name__ == "__main__":
    main()
