"""Queue, claim and run jobs. Pages call `submit`; the `run_jobs` process calls `claim_next` and `run`."""
from __future__ import annotations

import logging
import os
import socket
import time
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from centinela.jobs import registry
from centinela.jobs.models import Job, WorkerBeat

log = logging.getLogger(__name__)
STALE_AFTER = timedelta(minutes=2)   # a running job with no heartbeat for this long is taken to have lost its worker
PROGRESS_EVERY = 0.5                 # seconds between progress writes


def submit(user, kind: str, params: dict) -> Job:
    registry.get(kind)  # unknown kinds fail here, not in the worker
    return Job.objects.create(kind=kind, params=params, created_by=user if user and user.is_authenticated else None)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def beat(name: str) -> None:
    WorkerBeat.objects.update_or_create(name=name, defaults={"last_seen": timezone.now()})


def requeue_stale(now=None) -> int:
    """Running jobs whose worker stopped beating go back to the queue (a restart loses nothing)."""
    now = now or timezone.now()
    return Job.objects.filter(status=Job.Status.RUNNING, heartbeat_at__lt=now - STALE_AFTER).update(
        status=Job.Status.QUEUED, worker="", progress=0.0, message="")


def claim_next(worker: str) -> Job | None:
    """Take the oldest queued job for this worker. Two workers never take the same job: on PostgreSQL the row is
    locked with SKIP LOCKED; everywhere the claim is a conditional UPDATE that only one worker can win."""
    with transaction.atomic():
        queued = Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            queued = queued.select_for_update(skip_locked=True)
        for job in queued[:5]:
            now = timezone.now()
            won = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
                status=Job.Status.RUNNING, worker=worker, started_at=now, heartbeat_at=now, progress=0.0)
            if won:
                job.refresh_from_db()
                return job
    return None


def run(job: Job) -> Job:
    """Run a claimed job to the end, recording progress, result or error."""
    from analysis.io import InputError

    kind = registry.get(job.kind)
    last = [0.0]

    def progress(fraction: float, message: str = "") -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY and fraction < 1:
            return
        last[0] = now
        Job.objects.filter(pk=job.pk).update(progress=max(0.0, min(1.0, float(fraction))),
                                             message=str(message)[:255], heartbeat_at=timezone.now())

    try:
        result = kind.func(job, progress)
    except (registry.JobError, InputError) as exc:
        _finish(job, Job.Status.FAILED, error=str(exc))
    except Exception as exc:  # noqa: BLE001 - recorded, the worker goes on with the next job
        log.exception("job %s failed", job.pk)
        _finish(job, Job.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
    else:
        _finish(job, Job.Status.DONE, result=result)
    job.refresh_from_db()
    return job


def _finish(job: Job, status, *, result=None, error: str = "") -> None:
    Job.objects.filter(pk=job.pk).update(status=status, result=result, error=error, finished_at=timezone.now(),
                                         progress=1.0 if status == Job.Status.DONE else job.progress,
                                         heartbeat_at=timezone.now())


def run_pending(worker: str | None = None, limit: int | None = None) -> int:
    """Run queued jobs until none is left (or `limit`); returns how many ran. Used by `run_jobs --once` and tests."""
    worker = worker or worker_name()
    done = 0
    while limit is None or done < limit:
        job = claim_next(worker)
        if job is None:
            break
        run(job)
        done += 1
    return done


# --- progress from inside one long transaction ---------------------------------------------------------------------


def sidecar_path(job_id: int):
    """Where a job's progress is written while its transaction keeps the database from showing it (SQLite)."""
    from pathlib import Path

    from django.conf import settings

    return Path(settings.VAR_DIR) / "jobs" / f"{int(job_id)}.progress.json"


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
                    cursor.execute(f"UPDATE {table} SET progress = %s, message = %s, heartbeat_at = %s WHERE id = %s",
                                   [max(0.0, min(1.0, float(fraction))), str(message)[:255], timezone.now(), job.pk])
            return None

        return report, side.close

    path = sidecar_path(job.pk)
    path.parent.mkdir(parents=True, exist_ok=True)

    def report(fraction, message=""):
        if not connection.in_atomic_block:
            return progress(fraction, message)
        if due(fraction):
            scratch = path.with_suffix(".tmp")
            scratch.write_text(json.dumps({"progress": max(0.0, min(1.0, float(fraction))),
                                           "message": str(message)[:255], "at": timezone.now().isoformat()}))
            os.replace(scratch, path)
        return None

    return report, lambda: path.unlink(missing_ok=True)
