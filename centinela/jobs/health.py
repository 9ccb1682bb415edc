"""The job worker's part of `/salud/` (registered with lib.health when the app is ready)."""

import logging

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.lib.health import age_seconds

log = logging.getLogger("centinela.lib.health")


def check_worker(now=None) -> dict:
    """The newest beat of any `run_jobs` process must be younger than HEALTH_WORKER_MAX_AGE: its row (jobs.WorkerBeat)
    or its beat file, which it keeps writing while a long SQLite import holds the write lock and the row cannot be
    updated (`jobs.services.last_beats`)."""
    from centinela.jobs.services import last_beats

    now = now or timezone.now()
    limit = settings.HEALTH_WORKER_MAX_AGE
    try:
        last = max(last_beats().values(), default=None)
    except DatabaseError:
        log.exception("health: could not read the worker's heartbeat")
        return {
            "ok": False,
            "age_s": None,
            "max_age_s": limit,
            "message": _("The worker's heartbeat cannot be read (database)."),
        }
    age = age_seconds(last, now)
    if age is None:
        return {
            "ok": False,
            "age_s": None,
            "max_age_s": limit,
            "message": _("No job worker (run_jobs) has ever reported."),
        }
    if age > limit:
        return {
            "ok": False,
            "age_s": age,
            "max_age_s": limit,
            "message": _("The job worker (run_jobs) has not reported for %(age)d s (at most %(limit)d s).")
            % {"age": age, "limit": limit},
        }
    return {"ok": True, "age_s": age, "max_age_s": limit}
