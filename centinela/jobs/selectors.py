from datetime import timedelta

from django.utils import timezone

from centinela.accounts.models import Role
from centinela.jobs.models import Job, WorkerBeat

WORKER_ALIVE = timedelta(seconds=30)


def worker_running() -> bool:
    return WorkerBeat.objects.filter(last_seen__gte=timezone.now() - WORKER_ALIVE).exists()


def live_progress(job: Job) -> Job:
    """The job with the progress its worker last wrote to its side file (SQLite, inside a long transaction: see
    `services.transaction_progress`), when that is newer than what the database shows."""
    import json
    from datetime import datetime

    from centinela.jobs.services import sidecar_path

    if job.status != Job.Status.RUNNING:
        return job
    try:
        side = json.loads(sidecar_path(job.pk).read_text())
        at = datetime.fromisoformat(side["at"])
        fraction = float(side["progress"])
    except (OSError, ValueError, KeyError, TypeError):
        return job
    if job.heartbeat_at is None or at >= job.heartbeat_at:
        job.progress, job.message, job.heartbeat_at = max(job.progress, fraction), side.get("message", ""), at
    return job


def visible_jobs(user):
    """A user sees the jobs they asked for; administrators and the director see all."""
    jobs = Job.objects.select_related("created_by")
    if user.is_superuser or user.role in (Role.ADMIN, Role.DIRECTOR):
        return jobs
    return jobs.filter(created_by=user)
