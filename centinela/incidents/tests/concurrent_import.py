"""Run by test_import_keeps_the_site_up in a process of its own, on a database of its own (a file-based SQLite
database, or a throw-away PostgreSQL one), because what is tested is how connections of different users meet:
an incident import runs in one thread while, at each of its progress reports during the write, another user (another
thread, so another database connection) logs in through the login page, saves an incident through the form and
loads the incident list, each allowed only a few seconds of waiting for a lock. Every statement the import's
connection sends is recorded (SQLite's trace callback; on PostgreSQL an event trigger records DDL and pg_locks is
read). Prints one JSON line for the test to check.

    python -m centinela.incidents.tests.concurrent_import FILE ROWS   (DATABASE_URL names the database)
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

WAIT = 3  # seconds another user's statement may wait for a lock


def main(path: str, rows: int) -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centinela.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from centinela.accounts.demo import DEMO_PASSWORD, ensure_demo_users
    from centinela.incidents.models import Category, Incident, Source
    from centinela.incidents.services import import_incidents, save_profile
    from centinela.territory.models import Parish
    from centinela.territory.services import load_gazetteer

    call_command("migrate", verbosity=0, interactive=False)
    load_gazetteer(settings.GAZETTEER_DIR)
    ensure_demo_users()
    profile = save_profile(
        "ECU 911 export",
        "ecu911",
        {
            "source_ref": "ID Incidente",
            "occurred_at": "Fecha",
            "category": "Servicio",
            "lon": "Longitud",
            "lat": "Latitud",
            "address": "Dirección",
        },
        date_format="%d/%m/%Y %H:%M",
        category_values={"Robo a personas (DMCS)": "robo-personas"},
    )
    parish = Parish.objects.get(code="110101")
    lines = ["ID Incidente;Fecha;Servicio;Longitud;Latitud;Dirección"]
    lines += [
        f"E-{k};{1 + k % 28:02d}/{1 + k % 12:02d}/2021 {k % 24:02d}:{k % 60:02d};Robo a personas (DMCS);"
        f"{parish.centre_lon};{parish.centre_lat};Calle {k}"
        for k in range(rows)
    ]
    with open(path, "w", encoding="utf-8") as out:
        out.write("\r\n".join(lines) + "\r\n")
    vendor = connection.vendor
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS ddl_seen (tag text, at timestamptz DEFAULT now())")
            cursor.execute(
                "CREATE OR REPLACE FUNCTION note_ddl() RETURNS event_trigger LANGUAGE plpgsql AS "
                "$$ BEGIN INSERT INTO ddl_seen (tag) VALUES (tg_tag); END $$"
            )
            cursor.execute("DROP EVENT TRIGGER IF EXISTS note_ddl")
            cursor.execute("CREATE EVENT TRIGGER note_ddl ON ddl_command_start EXECUTE FUNCTION note_ddl()")
    category = Category.objects.get(code="robo-personas")
    manual = Source.objects.exclude(pk=profile.source_id).order_by("pk").first()
    asks, answers = threading.Event(), threading.Event()
    turns: list[dict] = []
    statements: list[str] = []
    outcome: dict = {}

    def progress(fraction, message=""):
        # a report while rows are being prepared or written (staged, then applied: on PostgreSQL inside the
        # import's transaction, between two COPYs into the live table): let the other user act now, and wait
        if 0.2 < fraction < 1.0 and len(turns) < 12:
            answers.clear()
            asks.set()
            answers.wait(60)

    def run_import():
        try:
            connection.ensure_connection()
            if vendor == "sqlite":
                connection.connection.set_trace_callback(statements.append)
            result = import_incidents(path, profile, progress=progress)
            outcome.update(
                ok=result.ok,
                applied=result.applied,
                counts=result.counts,
                problems=[str(p) for p in result.problems[:3]],
            )
        except Exception as exc:  # noqa: BLE001 - reported to the test
            outcome["error"] = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()
            asks.set()

    with connection.cursor() as cursor:  # the other user's connection waits a few seconds at most
        if vendor == "sqlite":
            cursor.execute(f"PRAGMA busy_timeout = {WAIT * 1000}")
        else:
            cursor.execute(f"SET lock_timeout = '{WAIT}s'")
    importer = threading.Thread(target=run_import)
    importer.start()
    n = 0
    while True:
        asks.wait(120)
        asks.clear()
        if not importer.is_alive() or outcome:
            break
        n += 1
        turn = {}
        t0 = time.monotonic()
        try:
            client = Client()
            r = client.post("/cuenta/ingresar/", {"username": "directora", "password": DEMO_PASSWORD})
            turn["login"] = r.status_code
            r = client.post(
                "/incidentes/nuevo/",
                {
                    "category": category.pk,
                    "occurred_at": "2021-06-01T10:00",
                    "source": manual.pk,
                    "lat": parish.centre_lat,
                    "lon": parish.centre_lon,
                    "address": f"A mano {n}",
                    "precision": "exact",
                },
            )
            turn["save"] = r.status_code
            turn["list"] = client.get("/incidentes/").status_code
            if vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT DISTINCT mode FROM pg_locks WHERE relation = %s::regclass AND pid <> pg_backend_pid()",
                        [Incident._meta.db_table],
                    )
                    turn["locks"] = sorted(m for (m,) in cursor.fetchall())
        except Exception as exc:  # noqa: BLE001 - "database is locked", a lock timeout: reported to the test
            turn["error"] = f"{type(exc).__name__}: {exc}"
        turn["seconds"] = round(time.monotonic() - t0, 2)
        turns.append(turn)
        answers.set()
    importer.join()
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE ddl_probe (x integer)")  # the trigger does see DDL
            cursor.execute("DROP EVENT TRIGGER IF EXISTS note_ddl")
            cursor.execute("SELECT tag FROM ddl_seen ORDER BY at")
            statements = [t for (t,) in cursor.fetchall()]
    return {
        "vendor": vendor,
        "outcome": outcome,
        "turns": turns,
        "statements": statements,
        "imported": Incident.objects.filter(source=profile.source).count(),
        "by_hand": Incident.objects.filter(source=manual).count(),
    }


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], int(sys.argv[2]))))
