"""Queue, claim and run jobs. Pages call `submit`; the `run_jobs` process calls `claim_next` and `run`.

What survives what (docs/architecture.md, "Background jobs"):
- a transient database error (SQLite "database is locked", a connection lost or closed, PostgreSQL restarting) never
  ends the worker: `run_jobs` logs it, closes its connection and tries again with exponential back-off; a job that met
  such an error goes back to the queue (after a back-off) until it has used its JOBS_MAX_ATTEMPTS attempts;
- a worker that dies (SIGKILL, power cut) stops beating: its running job is taken up again by the next worker, from
  its upload, which the queue keeps until the job has ended (`held_path`), then removes;
- a job that fails for good ends `failed` with a message in the site's language on its page.
"""

from __future__ import annotations

import logging
import os
import secrets
import shutil
import socket
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from centinela.jobs import registry
from centinela.jobs.models import Job, WorkerBeat
from centinela.jobs.signals import job_ended

log = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between progress writes
TRANSIENT_ERRORS = (OperationalError, InterfaceError)  # the database is busy, gone or restarting: worth another go
RETRY_DELAY_MAX = 15 * 60  # seconds: the longest wait before a job's next attempt


def stale_after() -> timedelta:
    """A running job whose worker has not beaten for this long is taken to have lost its worker."""
    return timedelta(seconds=float(settings.JOBS_STALE_AFTER))


def submit(user, kind: str, params: dict) -> Job:
    registry.get(kind)  # unknown kinds fail here, not in the worker
    return Job.objects.create(kind=kind, params=params, created_by=user if user and user.is_authenticated else None)


# --- uploads kept for their job ------------------------------------------------------------------------------------


def held_folder() -> Path:
    """Files waiting for their job. Not the uploads folder itself (lib/uploads removes what is older than an hour
    there, and a job may wait longer for a worker, or be retried); a job's file is removed once the job has ended."""
    folder = Path(settings.VAR_DIR) / "import-jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def hold(path: Path) -> str:
    """Move a stashed upload where its job will find it; returns its name there (the job's `params["file"]`)."""
    name = f"{secrets.token_urlsafe(12)}{Path(path).suffix.lower()}"
    shutil.move(str(path), held_folder() / name)
    return name


def held_path(job: Job) -> Path | None:
    name = (job.params or {}).get("file")
    return held_folder() / Path(name).name if name else None


def _release_upload(job: Job) -> None:
    path = held_path(job)
    if path is not None:
        path.unlink(missing_ok=True)


# --- workers --------------------------------------------------------------------------------------------------------


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat_folder() -> Path:
    """Where the workers of this database leave their beat files (one folder per database)."""
    import hashlib

    db = connection.settings_dict
    key = hashlib.sha256(f"{db['ENGINE']}|{db.get('HOST')}|{db.get('PORT')}|{db['NAME']}".encode()).hexdigest()[:16]
    folder = Path(settings.VAR_DIR) / "jobs" / "workers" / key
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _beat_file(name: str) -> Path:
    return beat_folder() / (name.replace("/", "_").replace(":", "_") + ".beat")


def beat(name: str) -> None:
    """Say the worker is alive: a file beside the database (always: it works while another process holds SQLite's
    write lock) and a row in the database (read by every web server, wherever it runs)."""
    path = _beat_file(name)
    path.write_text(name)
    os.utime(path)
    WorkerBeat.objects.update_or_create(name=name, defaults={"last_seen": timezone.now()})


def last_beats() -> dict[str, datetime]:
    """When each worker last said it was alive, from the database and the beat files."""
    beats = dict(WorkerBeat.objects.values_list("name", "last_seen"))
    for path in beat_folder().glob("*.beat"):
        try:
            name, seen = path.read_text().strip(), datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
        except OSError:
            continue
        if name and (name not in beats or beats[name] < seen):
            beats[name] = seen
    return beats


def forget_worker(name: str) -> None:
    _beat_file(name).unlink(missing_ok=True)
    WorkerBeat.objects.filter(name=name).delete()


class Heartbeat:
    """A thread that beats every JOBS_HEARTBEAT seconds while the worker runs a job (a long import or analysis
    reports no progress for minutes), with its own database connection. A database error is logged and the beat
    tried again: the heartbeat never stops the job, and the job never stops the heartbeat."""

    def __init__(self, name: str):
        self.name = name
        self.job_id: int | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"heartbeat {name}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self):
        from django.db import connections

        try:
            while not self._stop.wait(float(settings.JOBS_HEARTBEAT)):
                try:
                    beat(self.name)
                    if self.job_id is not None:
                        Job.objects.filter(pk=self.job_id, status=Job.Status.RUNNING, worker=self.name).update(
                            heartbeat_at=timezone.now()
                        )
                except TRANSIENT_ERRORS as exc:
                    log.warning("job worker %s: heartbeat not saved (%s); trying again", self.name, exc)
                    _close_connection()
                except OSError as exc:
                    log.warning("job worker %s: beat file not written (%s)", self.name, exc)
        finally:
            connections.close_all()


def _close_connection() -> None:
    """Drop this thread's database connection (lost, or stuck in a failed transaction); the next query opens one.
    Not inside a transaction block: that one is rolled back by whoever opened it."""
    if connection.in_atomic_block:
        return
    try:
        connection.close()
    except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is gone either way
        log.debug("closing a broken connection failed", exc_info=True)


# --- the queue ------------------------------------------------------------------------------------------------------


def retry_delay(attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: JOBS_RETRY_BACKOFF, doubling each time, at most 15 minutes."""
    return min(RETRY_DELAY_MAX, float(settings.JOBS_RETRY_BACKOFF) * 2 ** max(0, attempts - 1))


def _retry_or_fail(job_id: int, reason: str) -> str:
    """After an attempt that did not finish through no fault of the job (a database error, a lost worker): back to the
    queue after a back-off, or `failed` for good once the job has used its attempts. Returns the new status."""
    job = Job.objects.get(pk=job_id)
    cap = int(settings.JOBS_MAX_ATTEMPTS)
    if job.attempts < cap:
        Job.objects.filter(pk=job.pk).update(
            status=Job.Status.QUEUED,
            worker="",
            progress=0.0,
            message=reason[:255],
            run_after=timezone.now() + timedelta(seconds=retry_delay(job.attempts)),
        )
        log.warning(
            "job %s (%s) goes back to the queue after attempt %s of %s: %s", job.pk, job.kind, job.attempts, cap, reason
        )
        return Job.Status.QUEUED
    with translation.override(settings.LANGUAGE_CODE):
        error = _("The job could not be completed after %(n)s attempts. Last problem: %(reason)s") % {
            "n": job.attempts,
            "reason": reason,
        }
    _finish(job, Job.Status.FAILED, error=error)
    log.error("job %s (%s) failed for good after %s attempts: %s", job.pk, job.kind, job.attempts, reason)
    return Job.Status.FAILED


def requeue_stale(now=None) -> int:
    """Running jobs whose worker stopped beating (killed, machine restarted) are tried again from their upload, or
    fail for good once they have used their attempts. Returns how many were taken up."""
    now = now or timezone.now()
    limit = now - stale_after()
    beats = last_beats()
    taken = 0
    for job in Job.objects.filter(status=Job.Status.RUNNING).only("pk", "worker", "heartbeat_at"):
        seen = max([t for t in (beats.get(job.worker), job.heartbeat_at) if t is not None], default=None)
        if seen is not None and seen >= limit:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("the worker running it stopped (no sign of life since %(time)s).") % {
                "time": timezone.localtime(seen).strftime("%d/%m/%Y %H:%M:%S") if seen else "—"
            }
        if _retry_or_fail(job.pk, reason) == Job.Status.FAILED:
            _release_upload(Job.objects.get(pk=job.pk))
        taken += 1
    return taken


def recover_own(worker: str) -> int:
    """Jobs this worker left running when a database error interrupted it before it could record how they ended."""
    taken = 0
    for pk in Job.objects.filter(status=Job.Status.RUNNING, worker=worker).values_list("pk", flat=True):
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("the database was not available while it ran.")
        if _retry_or_fail(pk, reason) == Job.Status.FAILED:
            _release_upload(Job.objects.get(pk=pk))
        taken += 1
    return taken


def claim_next(worker: str) -> Job | None:
    """Take the oldest queued job that is due for this worker. Two workers never take the same job: on PostgreSQL
    the row is locked with SKIP LOCKED; everywhere the claim is a conditional UPDATE that only one worker can win.
    Each claim counts one attempt."""
    from django.db.models import F

    with transaction.atomic():
        now = timezone.now()
        queued = (
            Job.objects.filter(status=Job.Status.QUEUED)
            .filter(Q(run_after__isnull=True) | Q(run_after__lte=now))
            .order_by("created_at", "pk")
        )
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        for job in queued[:5]:
            won = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
                status=Job.Status.RUNNING,
                worker=worker,
                started_at=now,
                heartbeat_at=now,
                progress=0.0,
                attempts=F("attempts") + 1,
                run_after=None,
            )
            if won:
                job.refresh_from_db()
                return job
    return None


def run(job: Job, heartbeat: Heartbeat | None = None) -> Job:
    """Run a claimed job to the end, recording progress, result or error. A transient database error is not the
    job's fault: the job goes back to the queue (or fails for good at its last attempt) and the error goes up to
    the worker, which waits for the database. Its upload is removed once the job has ended, not before."""
    from analysis.io import InputError

    kind = registry.get(job.kind)
    last = [0.0]

    def progress(fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY and fraction < 1:
            return
        last[0] = now
        Job.objects.filter(pk=job.pk).update(
            progress=Greatest(F("progress"), Value(_fraction(fraction))),  # never back: see `_fraction`
            message=str(message)[:255],
            heartbeat_at=timezone.now(),
        )

    if heartbeat is not None:
        heartbeat.job_id = job.pk
    try:
        result = kind.func(job, progress)
    except TRANSIENT_ERRORS as exc:
        log.warning("job %s (%s): database error %s: %s", job.pk, job.kind, type(exc).__name__, exc)
        _close_connection()
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("the database was not available (%(error)s).") % {"error": str(exc)[:150]}
        if _retry_or_fail(job.pk, reason) == Job.Status.FAILED:
            _release_upload(job)
        raise
    except (registry.JobError, InputError) as exc:
        _finish(job, Job.Status.FAILED, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - recorded, the worker goes on with the next job
        log.exception("job %s failed", job.pk)
        with translation.override(settings.LANGUAGE_CODE):
            error = _("Internal error; the administrator can find it in the worker's log (%(error)s).") % {
                "error": f"{type(exc).__name__}: {exc}"
            }
        _finish(job, Job.Status.FAILED, error=error)
    else:
        _finish(job, Job.Status.DONE, result=result)
    finally:
        if heartbeat is not None:
            heartbeat.job_id = None
    _release_upload(job)
    job.refresh_from_db()
    return job


def _finish(job: Job, status, *, result=None, error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(
        status=status,
        result=result,
        error=error,
        finished_at=timezone.now(),
        progress=1.0 if status == Job.Status.DONE else job.progress,
        heartbeat_at=timezone.now(),
    )
    ended = Job.objects.get(pk=job.pk)
    # A listener's failure (a notice not written) must not undo or hide how the job ended.
    for receiver, response in job_ended.send_robust(sender=Job, job=ended):
        if isinstance(response, Exception):
            log.error("job %s: the job_ended receiver %s failed: %r", job.pk, receiver, response)


def run_pending(worker: str | None = None, limit: int | None = None, heartbeat: Heartbeat | None = None) -> int:
    """Run queued jobs until none is left (or `limit`); returns how many ran. Used by `run_jobs` and tests."""
    worker = worker or worker_name()
    done = 0
    while limit is None or done < limit:
        job = claim_next(worker)
        if job is None:
            break
        run(job, heartbeat)
        done += 1
    return done


def work(
    name: str,
    *,
    once: bool = False,
    idle: float = 1.0,
    stop: threading.Event | None = None,
    db_backoff_max: float = 60.0,
) -> None:
    """The worker's loop (`manage.py run_jobs`): beat, take up jobs of dead workers, run what is due. A transient
    database error never ends it: it is logged, the connection closed, and the loop tries again after 1, 2, 4...
    seconds (at most `db_backoff_max`), until the database answers again."""
    stop = stop or threading.Event()
    delay = 0.0
    with Heartbeat(name) as heartbeat:
        while not stop.is_set():
            try:
                beat(name)
                recover_own(name)
                requeue_stale()
                ran = run_pending(name, limit=1, heartbeat=heartbeat)
            except TRANSIENT_ERRORS as exc:
                delay = min(db_backoff_max, delay * 2 if delay else 1.0)
                log.warning(
                    "job worker %s: database error (%s: %s); trying again in %.0f s",
                    name,
                    type(exc).__name__,
                    exc,
                    delay,
                )
                _close_connection()
                stop.wait(delay)
                continue
            if delay:
                log.warning("job worker %s: the database answers again", name)
                delay = 0.0
            if once and not ran:
                return
            if not ran:
                stop.wait(idle)


# --- progress from inside one long transaction ---------------------------------------------------------------------


def sidecar_path(job_id: int):
    """Where a job's progress is written while its transaction keeps the database from showing it (SQLite)."""
    from pathlib import Path

    from django.conf import settings

    return Path(settings.VAR_DIR) / "jobs" / f"{int(job_id)}.progress.json"


def _fraction(fraction) -> float:
    """A progress report's fraction, between 0 and 1. What a job's page shows never goes back (the database keeps
    the highest, GREATEST): a job that does part of its work again (an import whose rows go in another way after a
    conflict) says so in its message, while the bar stays; a bar that moves back reads as a fault. A job run again
    from the start (its worker was lost) starts again from 0 when it is claimed."""
    return max(0.0, min(1.0, float(fraction)))


def transaction_progress(job: Job, progress):
    """`progress` for work done inside one long transaction (an import writes all its rows or none), where progress
    saved on the same connection would only show once it commits. Returns (report, close).

    PostgreSQL: the progress is saved through a connection of its own while the transaction is open. SQLite allows
    one writer at a time, so there it goes to a small file beside the database (`var/jobs/N.progress.json`,
    replaced atomically) that the job's page reads while the job runs (`selectors.live_progress`); `close` removes
    it. Outside a transaction both simply call `progress`."""
    import json

    from django.db import DEFAULT_DB_ALIAS, connections

    last = [0.0]

    def due(fraction) -> bool:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY and fraction < 1:
            return False
        last[0] = now
        return True

    if connection.vendor == "postgresql":
        side = connections.create_connection(DEFAULT_DB_ALIAS)
        table = connection.ops.quote_name(Job._meta.db_table)

        def report(fraction, message=""):
            if not connection.in_atomic_block:
                return progress(fraction, message)
            if due(fraction):
                with side.cursor() as cursor:
                    cursor.execute(
                        f"UPDATE {table} SET progress = GREATEST(progress, %s), message = %s, heartbeat_at = %s "
                        "WHERE id = %s",
                        [_fraction(fraction), str(message)[:255], timezone.now(), job.pk],
                    )
            return None

        return report, side.close

    path = sidecar_path(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)
    highest = [0.0]

    def report(fraction, message=""):
        if not connection.in_atomic_block:
            return progress(fraction, message)
        if due(fraction):
            highest[0] = max(highest[0], _fraction(fraction))
            scratch = path.with_suffix(".tmp")
            scratch.write_text(
                json.dumps(
                    {
                        "progress": highest[0],
                        "message": str(message)[:255],
                        "at": timezone.now().isoformat(),
                    }
                )
            )
            os.replace(scratch, path)
        return None

    return report, lambda: path.unlink(missing_ok=True)
