"""An incident import never takes the site down: rows are prepared outside the transaction and applied by COPY in one
transaction (PostgreSQL) or by INSERT ... SELECT in short slices (SQLite), so other users log in and save while it
runs; no index is dropped or built; still all or nothing."""

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.db import IntegrityError, connection

from centinela.incidents import import_staging
from centinela.incidents.models import Category, Incident
from centinela.incidents.services import import_incidents

from .conftest import write_csv

ROOT = Path(__file__).resolve().parents[3]
ROWS = 60_000  # three staging batches, and above the size from which the old import dropped the indexes
DDL = ("DROP INDEX", "CREATE INDEX", "CREATE UNIQUE INDEX", "ALTER TABLE", "LOCK TABLE", "REINDEX")


def _own_database(tmp_path):
    """A database of the test's own for the concurrent run: a SQLite file, or a throw-away PostgreSQL database."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'concurrent.sqlite3'}", None
    import psycopg

    url = os.environ["DATABASE_URL"]
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_concurrent_import"
    admin = psycopg.connect(f"{parts.scheme}://{parts.netloc}/postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    return f"{parts.scheme}://{parts.netloc}/{name}", (admin, name)


def test_other_users_log_in_save_and_read_incidents_while_a_large_import_writes(tmp_path):
    url, cleanup = _own_database(tmp_path)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DATABASE_URL=url,
        CENTINELA_VAR_DIR=str(tmp_path / "var"),
        CENTINELA_TESTING="1",
        ALLOWED_HOSTS="testserver",
        PYTHONPATH=str(ROOT),
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "centinela.incidents.tests.concurrent_import", str(tmp_path / "big.csv"), str(ROWS)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
        )
    finally:
        if cleanup:
            admin, name = cleanup
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    assert proc.returncode == 0, proc.stderr[-3000:]
    run = json.loads(proc.stdout.strip().splitlines()[-1])
    assert run["outcome"].get("applied"), run["outcome"]
    assert run["outcome"]["counts"] == {"created": ROWS, "already_imported": 0}
    turns = run["turns"]
    assert len(turns) >= 2, turns  # the other user acted at every report while the rows were written
    for turn in turns:
        assert "error" not in turn, turn
        assert (turn["login"], turn["save"], turn["list"]) == (302, 302, 200), turn
        # on PostgreSQL the import holds nothing on the live table that would stop a reader or a writer
        assert not set(turn.get("locks", [])) & {
            "AccessExclusiveLock",
            "ExclusiveLock",
            "ShareRowExclusiveLock",
            "ShareLock",
        }, turn
    assert run["by_hand"] == len(turns) and run["imported"] == ROWS
    issued = [s.upper() for s in run["statements"]]
    assert issued, "no statement was recorded"
    assert not [s for s in issued if any(d in s for d in DDL)], [s for s in issued if any(d in s for d in DDL)]


def test_the_import_never_drops_or_builds_an_index(tmp_path, points, ecu911_profile):
    lon, lat = points["110101"]
    path = write_csv(
        tmp_path / "grande.csv",
        [(f"G-{k}", "03/02/2021 22:15", "Robo a personas (DMCS)", lon, lat, "") for k in range(ROWS)],
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("CREATE TEMPORARY TABLE ddl_seen (tag text)")
            cursor.execute(
                "CREATE OR REPLACE FUNCTION pg_temp.note_ddl() RETURNS event_trigger LANGUAGE plpgsql AS "
                "$$ BEGIN INSERT INTO ddl_seen VALUES (tg_tag); END $$"
            )
            cursor.execute(
                "CREATE EVENT TRIGGER test_note_ddl ON ddl_command_start EXECUTE FUNCTION pg_temp.note_ddl()"
            )
        try:
            result = import_incidents(path, ecu911_profile)
            with connection.cursor() as cursor:  # the trigger does see DDL (the import itself issues none)
                cursor.execute("CREATE TEMPORARY TABLE ddl_probe (x integer)")
        finally:
            with connection.cursor() as cursor:
                cursor.execute("DROP EVENT TRIGGER test_note_ddl")
                cursor.execute("SELECT tag FROM ddl_seen")
                issued = [t for (t,) in cursor.fetchall()]
    else:
        connection.ensure_connection()
        issued = []
        connection.connection.set_trace_callback(issued.append)  # every statement, the driver's own cursor's too
        try:
            result = import_incidents(path, ecu911_profile)
        finally:
            connection.connection.set_trace_callback(None)
    assert result.applied and result.counts["created"] == ROWS
    assert issued
    assert not [s for s in issued if any(d in s.upper() for d in DDL)]


@pytest.mark.django_db(transaction=True)
def test_a_failure_while_applying_leaves_nothing_and_cleans_the_staging_table(
    reference_data, tmp_path, points, ecu911_profile, monkeypatch
):
    """The database refuses rows at commit (their category was deleted once the apply had begun; on SQLite after
    the first slice was stored): nothing is stored, no audit entry is written, the staging table is gone."""
    monkeypatch.setattr(import_staging, "APPLY_BATCH", 10)  # SQLite: five slices, the third one refused
    lon, lat = points["110101"]
    rows = [
        (f"F-{k}", "03/02/2021 22:15", "Robo a personas (DMCS)" if k < 20 else "robo-motos", lon, lat, "")
        for k in range(50)
    ]
    path = write_csv(tmp_path / "ecu911.csv", rows)
    seen = []

    def progress(fraction, message=""):
        seen.append((fraction, import_staging.staging_exists(), Incident.objects.count()))
        if fraction > 0.9 and len([f for f, _s, _n in seen if f > 0.9]) == 1:  # the apply has begun
            Category.objects.filter(code="robo-motos").delete()

    with pytest.raises(IntegrityError):
        import_incidents(path, ecu911_profile, progress=progress)
    if connection.vendor == "sqlite":
        assert any(staged for _f, staged, _n in seen)  # the rows were staged before the failure
    else:  # PostgreSQL COPYs straight into the live table: the rows were prepared, and the apply had begun
        assert any(0.2 < f < 0.91 for f, _s, _n in seen) and any(f >= 0.91 for f, _s, _n in seen)
    if connection.vendor == "sqlite":
        assert max(n for _f, _s, n in seen) >= 10  # slices had been stored, and were taken out again
    assert Incident.objects.count() == 0
    assert not import_staging.staging_exists()
    assert not LogEntry.objects.filter(changes__has_key="imported file").exists()


@pytest.mark.django_db(transaction=True)
def test_a_failure_once_the_last_slice_is_stored_leaves_the_import_and_its_audit_entry_alike(
    reference_data, tmp_path, points, ecu911_profile, monkeypatch
):
    """SQLite: the last slice's transaction stores the last rows and the import's audit entry. A failure after it
    (the job's progress report meeting a locked database) deleted every imported row again, and the committed audit
    entry went on saying they were created (a retry of the job then imported them again: two entries). What is
    stored and what the audit trail says must agree; on PostgreSQL the report is inside the one transaction, so
    neither is kept."""
    from django.db import OperationalError

    monkeypatch.setattr(import_staging, "APPLY_BATCH", 10)
    monkeypatch.setattr(import_staging, "APPLY_PAUSE", 0)
    lon, lat = points["110101"]
    path = write_csv(
        tmp_path / "ecu911.csv",
        [(f"L-{k}", "03/02/2021 22:15", "Robo a personas (DMCS)", lon, lat, "") for k in range(50)],
    )

    def progress(fraction, message=""):
        if fraction == pytest.approx(0.99):  # the apply's last report: after the last slice (SQLite), or COPY
            raise OperationalError("database is locked")

    with pytest.raises(OperationalError):
        import_incidents(path, ecu911_profile, progress=progress)
    entries = [e for e in LogEntry.objects.get_for_object(ecu911_profile.source) if "imported file" in e.changes_dict]
    assert Incident.objects.count() == sum(e.additional_data["created"] for e in entries)
    if connection.vendor == "sqlite":
        assert Incident.objects.count() == 50  # committed, audit entry and all: kept
    assert not import_staging.staging_exists()


def test_figures_over_every_incident_keep_their_version_while_the_slices_go_in(
    tmp_path, points, ecu911_profile, monkeypatch, settings
):
    """SQLite stores an import in slices, each committed: the open-data and indicators figures must not be recomputed
    after each one (many pages at once, over a table still growing), so their data version holds until the end, and
    changes then. PostgreSQL stores the rows in one transaction: the version changes once, after the commit, as well
    (a report inside the transaction, on the importing connection, already sees the rows copied)."""
    from centinela.incidents import cache as incidents_cache

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "import-hold-test"}
    }
    cache.clear()
    monkeypatch.setattr(import_staging, "APPLY_BATCH", 10)
    monkeypatch.setattr(import_staging, "APPLY_PAUSE", 0)
    lon, lat = points["110101"]
    path = write_csv(
        tmp_path / "ecu911.csv",
        [(f"V-{k}", "03/02/2021 22:15", "Robo a personas (DMCS)", lon, lat, "") for k in range(50)],
    )
    before = incidents_cache.data_version()
    during = []

    def progress(fraction, message=""):
        if 0.9 < fraction <= 0.99:  # the apply step (then 1.0: done)
            during.append((Incident.objects.count(), incidents_cache.data_version()))

    result = import_incidents(path, ecu911_profile, progress=progress)
    assert result.applied and result.counts["created"] == 50
    if connection.vendor == "sqlite":
        assert len({n for n, _v in during}) > 1  # slices were stored one after the other, and seen
    assert {v for _n, v in during} == {before}
    assert incidents_cache.data_version() != before
    assert cache.get(incidents_cache.HOLD_KEY) is None


def test_a_file_with_a_bad_row_stages_nothing_and_applies_nothing(tmp_path, points, ecu911_profile):
    lon, lat = points["110101"]
    rows = [(f"B-{k}", "03/02/2021 22:15", "Robo a personas (DMCS)", lon, lat, "") for k in range(30)]
    rows.append(("B-99", "31/02/2021 10:00", "Robo a personas (DMCS)", lon, lat, ""))
    staged = []
    result = import_incidents(
        write_csv(tmp_path / "malo.csv", rows),
        ecu911_profile,
        progress=lambda f, m="": staged.append(import_staging.staging_exists()),
    )
    assert not result.applied and result.problems
    assert Incident.objects.count() == 0 and not any(staged) and not import_staging.staging_exists()


def test_each_applied_import_leaves_one_audit_entry_naming_the_user(tmp_path, points, ecu911_profile, users):
    from auditlog.context import set_actor

    lon, lat = points["110101"]
    path = write_csv(
        tmp_path / "ecu911.csv",
        [(f"A-{k}", "03/02/2021 22:15", "Robo a personas (DMCS)", lon, lat, "") for k in range(40)],
    )
    with set_actor(users["directora"]):
        import_incidents(path, ecu911_profile)
        import_incidents(path, ecu911_profile)  # adds nothing, and says so
    entries = LogEntry.objects.get_for_object(ecu911_profile.source).order_by("pk")
    entries = [e for e in entries if "imported file" in (e.changes_dict or {})]
    assert [e.additional_data["created"] for e in entries] == [40, 0]
    assert {e.actor for e in entries} == {users["directora"]}
    assert entries[0].changes_dict == {"imported file": [None, "ecu911.csv"], "applied rows": [None, "40"]}
    assert entries[0].additional_data == {
        "import": "IncidentImporter",
        "file": "ecu911.csv",
        "applied rows": 40,
        "rejected rows": 0,
        "import profile": "ECU 911 export",
        "rows": 40,
        "created": 40,
    }
