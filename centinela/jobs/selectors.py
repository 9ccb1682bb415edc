from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from centinela.accounts.models import Role
from centinela.jobs.models import Job


def worker_running() -> bool:
    """Whether a `run_jobs` worker said it was alive within JOBS_WORKER_ALIVE seconds (in the database or, while
    another process holds SQLite's write lock, in its beat file)."""
    from centinela.jobs.services import last_beats

    since = timezone.now() - timedelta(seconds=float(settings.JOBS_WORKER_ALIVE))
    return any(seen >= since for seen in last_beats().values())


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


def own_result(user, job_id, kind: str) -> dict | None:
    """The result of `user`'s finished job `job_id` of `kind` (a file check the import page shows), or None: another
    user's job (an administrator too sees no one else's upload this way), one not finished, of another kind, or an
    id that is no number."""
    if not str(job_id).isdigit():
        return None
    job = Job.objects.filter(pk=int(job_id), kind=kind, created_by=user, status=Job.Status.DONE).first()
    return job.result if job is not None else None
