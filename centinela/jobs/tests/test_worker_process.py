"""Real `manage.py run_jobs` processes against a real database: killed with SIGKILL in the middle of an incident
import (another worker takes the job up again from its upload and completes it), and cut off from the database (an
exclusive lock held on the SQLite file; its PostgreSQL backend terminated): it waits, logs it and goes on. Runs on the
database the tests run on: SQLite (the in-memory test database copied to a file both processes share) or PostgreSQL
(the test database itself)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from centinela.jobs import services

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("reference_data")]
ROWS = 60_000


class Database:
    """The database a worker subprocess sees, and how the test reads it."""

    def __init__(self, tmp_path: Path):
        self.env = dict(
            os.environ,
            CENTINELA_TESTING="1",
            CENTINELA_VAR_DIR=str(settings.VAR_DIR),
            JOBS_STALE_AFTER="3",
            JOBS_HEARTBEAT="0.5",
            JOBS_RETRY_BACKOFF="0.5",
        )
        self.file = None
        if connection.vendor == "sqlite":
            self.file = tmp_path / "worker.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(self.file)
            connection.connection.backup(target)
            target.close()
            self.env["DATABASE_URL"] = f"sqlite:///{self.file}"
        else:
            s = connection.settings_dict
            self.env["DATABASE_URL"] = (
                f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST'] or '127.0.0.1'}:"
                f"{s['PORT'] or 5432}/{s['NAME']}"
            )

    def one(self, sql, params=()):
        if self.file is not None:
            with sqlite3.connect(self.file, timeout=30) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchone()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()

    def job(self, pk):
        return self.one("SELECT status, progress, error, attempts FROM jobs_job WHERE id = %s", [pk])

    def worker(self, log: Path, **env):
        return subprocess.Popen(
            [sys.executable, "manage.py", "run_jobs", "--idle", "0.2"],
            cwd=settings.BASE_DIR,
            env={**self.env, **env},
            stdout=log.open("ab"),
            stderr=subprocess.STDOUT,
        )


@pytest.fixture
def gazetteer(db):
    """Transactional tests empty the database after them: the taxonomy, gazetteer and demo users come back if gone."""
    import importlib

    from django.apps import apps

    from centinela.accounts.demo import ensure_demo_users
    from centinela.territory.models import Parish
    from centinela.territory.services import load_gazetteer

    importlib.import_module("centinela.incidents.migrations.0002_taxonomy").load(apps, None)
    if not Parish.objects.exists():
        load_gazetteer(settings.GAZETTEER_DIR)
    ensure_demo_users()


def _big_file(tmp_path, points):
    from centinela.incidents.tests.conftest import write_csv

    (lon1, lat1), (lon2, lat2) = points["110101"], points["110104"]
    rows = [
        (
            f"K-{i}",
            f"{1 + i % 28:02d}/{1 + i % 12:02d}/2021 {i % 24:02d}:{i % 60:02d}",
            "Robo a personas (DMCS)",
            lon1 if i % 2 else lon2,
            lat1 if i % 2 else lat2,
            f"Calle {i}",
        )
        for i in range(ROWS)
    ]
    return write_csv(tmp_path / "grande.csv", rows)


def _submit_import(tmp_path, profile, rows, **fields):
    from centinela.accounts.models import User
    from centinela.incidents import jobs as incident_jobs

    upload = tmp_path / "subida.csv"
    upload.write_bytes(rows.read_bytes())
    held = incident_jobs.hold(upload)
    job = services.submit(
        User.objects.get(username="tecnico"), incident_jobs.KIND, {"file": held, "profile": profile.pk}
    )
    if fields:
        type(job).objects.filter(pk=job.pk).update(**fields)
    return job, held


def _stop(process):
    os.kill(process.pid, signal.SIGTERM)
    try:
        process.wait(30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


def _wait(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_import_is_replaced_and_the_job_completes_from_its_upload(
    tmp_path, gazetteer, points, ecu911_profile
):
    from centinela.incidents import jobs as incident_jobs

    job, held = _submit_import(tmp_path, ecu911_profile, _big_file(tmp_path, points))
    db = Database(tmp_path)
    log = tmp_path / "workers.log"
    first = db.worker(log)
    try:
        # the import has begun (its first progress report), and is killed at once: a fixed pause after the claim
        # (1 s) was not "well inside" it on a quiet machine, where the worker imports these rows in about that time
        _wait(
            lambda: (s := db.job(job.pk)) and s[0] == "running" and s[1] > 0, 120, "the first worker's import to begin"
        )
        assert db.job(job.pk)[0] == "running", log.read_text()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    assert (incident_jobs.held_folder() / held).exists(), "the upload is kept while its job has not ended"
    # a run killed while it moves staged rows in (SQLite moves them in slices) may leave some stored: the retry
    # completes the import without storing any row twice (checked below: exactly ROWS in the end)
    assert db.one("SELECT COUNT(*) FROM incidents_incident")[0] < ROWS
    second = db.worker(log)
    try:
        status = _wait(lambda: (s := db.job(job.pk)) and s[0] in ("done", "failed") and s, 300, "the job to end")
    finally:
        _stop(second)
    assert status[0] == "done", (status, log.read_text()[-3000:])
    assert status[3] == 2  # the killed attempt and the one that completed
    assert db.one("SELECT COUNT(*) FROM incidents_incident")[0] == ROWS
    assert not (incident_jobs.held_folder() / held).exists(), "the upload is removed once its job has ended"


def test_a_worker_cut_off_from_the_database_waits_logs_it_and_goes_on(tmp_path, gazetteer, points, ecu911_profile):
    """SQLite: another connection holds an exclusive lock on the file for longer than the busy timeout while the
    worker beats ("database is locked"). PostgreSQL: the worker's backends are terminated (as in a server restart).
    Either way the worker stays up, logs the error, reconnects, and runs the job that comes due afterwards."""
    from datetime import timedelta

    from django.utils import timezone

    from centinela.incidents.tests.conftest import write_csv
    from centinela.incidents.tests.test_import import rows_for

    job, _held = _submit_import(
        tmp_path,
        ecu911_profile,
        write_csv(tmp_path / "e.csv", rows_for(points)),
        run_after=timezone.now() + timedelta(days=1),
    )
    db = Database(tmp_path)
    log = tmp_path / "worker.log"
    worker = db.worker(log, SQLITE_BUSY_TIMEOUT="1")
    try:
        _wait(lambda: db.one("SELECT COUNT(*) FROM jobs_workerbeat")[0], 60, "the worker's first beat")
        if db.file is not None:
            blocker = sqlite3.connect(db.file, isolation_level=None)
            blocker.execute("BEGIN EXCLUSIVE")
            time.sleep(5)  # > the busy timeout: every beat and claim meanwhile fails with "database is locked"
            blocker.execute("ROLLBACK")
            blocker.close()
        else:
            for _ in range(3):
                killed = db.one(
                    "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )[0]
                assert killed >= 1
                time.sleep(1.5)
        _wait(lambda: "database error" in log.read_text(), 30, "the worker to log the database error")
        assert worker.poll() is None, log.read_text()
        db.one("UPDATE jobs_job SET run_after = NULL WHERE id = %s RETURNING id", [job.pk])  # due now
        status = _wait(lambda: (s := db.job(job.pk)) and s[0] in ("done", "failed") and s, 120, "the job to end")
        assert worker.poll() is None, log.read_text()
    finally:
        _stop(worker)
    assert status[0] == "done", (status, log.read_text()[-3000:])
    assert "database is locked" in log.read_text() if db.file is not None else "terminat" in log.read_text().lower()
    assert "the database answers again" in log.read_text()
