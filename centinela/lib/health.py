"""What `/salud/` reports to the municipality's uptime checker: each part a running install needs (the database, the
job worker, the camera monitor, room on the media disk) is well or says why not. Thresholds are settings
(HEALTH_*); a check never raises, so one broken part never hides the others."""
from __future__ import annotations

import logging
import shutil
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        # the details (host, user, driver message) go to the log, never to a public page
        log.exception("health: the database does not answer")
        return {"ok": False, "message": _("The database does not answer.")}
    return {"ok": True}


def _age(at, now) -> float | None:
    return None if at is None else round((now - at).total_seconds(), 1)


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
        return {"ok": False, "age_s": None, "max_age_s": limit,
                "message": _("The worker's heartbeat cannot be read (database).")}
    age = _age(last, now)
    if age is None:
        return {"ok": False, "age_s": None, "max_age_s": limit,
                "message": _("No job worker (run_jobs) has ever reported.")}
    if age > limit:
        return {"ok": False, "age_s": age, "max_age_s": limit,
                "message": _("The job worker (run_jobs) has not reported for %(age)d s (at most %(limit)d s).")
                % {"age": age, "limit": limit}}
    return {"ok": True, "age_s": age, "max_age_s": limit}


def check_monitor(now=None) -> dict:
    """The camera monitor's heartbeat (cameras.selectors.heartbeat) must be younger than HEALTH_MONITOR_MAX_AGE."""
    from centinela.cameras.selectors import heartbeat

    now = now or timezone.now()
    limit = settings.HEALTH_MONITOR_MAX_AGE
    beat = heartbeat(now)
    age = beat.get("age_s")
    if age is None:
        return {"ok": False, "age_s": None, "max_age_s": limit,
                "message": _("The camera monitor (monitor_cameras) has never reported.")}
    age = round(age, 1)
    if age > limit:
        return {"ok": False, "age_s": age, "max_age_s": limit,
                "message": _("The camera monitor (monitor_cameras) has not reported for %(age)d s (at most %(limit)d s).")
                % {"age": age, "limit": limit}}
    return {"ok": True, "age_s": age, "max_age_s": limit}


def _existing(path: Path) -> Path:
    # MEDIA_ROOT appears with the first upload; until then the disk it will be on is its nearest existing parent's
    path = Path(path).resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def check_media_disk() -> dict:
    """Free space on the disk that holds MEDIA_ROOT (uploads, evidence) must be at least HEALTH_MIN_FREE_MB."""
    least = settings.HEALTH_MIN_FREE_MB
    try:
        free_mb = shutil.disk_usage(_existing(settings.MEDIA_ROOT)).free // (1024 * 1024)
    except OSError:
        log.exception("health: cannot read the free space of the media disk")
        return {"ok": False, "free_mb": None, "min_free_mb": least,
                "message": _("The free space on the media disk cannot be read.")}
    if free_mb < least:
        return {"ok": False, "free_mb": free_mb, "min_free_mb": least,
                "message": _("Only %(free)d MB free on the media disk (at least %(least)d MB).")
                % {"free": free_mb, "least": least}}
    return {"ok": True, "free_mb": free_mb, "min_free_mb": least}


# name in the answer -> check; a new part the install depends on is one line here
CHECKS = {
    "database": check_database,
    "worker": check_worker,
    "monitor": check_monitor,
    "media_disk": check_media_disk,
}


def report() -> dict:
    """{"status": "ok"|"fail", "failed": [names], "checks": {name: {"ok": bool, ...}}}"""
    checks = {name: check() for name, check in CHECKS.items()}
    failed = [name for name, result in checks.items() if not result["ok"]]
    return {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}
