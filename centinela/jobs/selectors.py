from datetime import timedelta

from django.utils import timezone

from centinela.accounts.models import Role
from centinela.jobs.models import Job, WorkerBeat

WORKER_ALIVE = timedelta(seconds=30)


def worker_running() -> bool:
    return WorkerBeat.objects.filter(last_seen__gte=timezone.now() - WORKER_ALIVE).exists()


def visible_jobs(user):
    """A user sees the jobs they asked for; administrators and the director see all."""
    jobs = Job.objects.select_related("created_by")
    if user.is_superuser or user.role in (Role.ADMIN, Role.DIRECTOR):
        return jobs
    return jobs.filter(created_by=user)
