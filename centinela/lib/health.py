"""What `/salud/` reports to the municipality's uptime checker: each part a running install needs (the database, the
job worker, the camera monitor, room on the media disk) is well or says why not. Thresholds are settings
(HEALTH_*); a check never raises, so one broken part never hides the others. The database and the disk are checked
here; an app whose process must be running registers its own check when it is ready (`register`: jobs' worker,
cameras' monitor), so this shared module imports no domain app."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connection
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


def age_seconds(at, now) -> float | None:
    """Seconds from `at` to `now`, to a tenth, or None when there is no `at`."""
    return None if at is None else round((now - at).total_seconds(), 1)


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
        return {
            "ok": False,
            "free_mb": None,
            "min_free_mb": least,
            "message": _("The free space on the media disk cannot be read."),
        }
    if free_mb < least:
        return {
            "ok": False,
            "free_mb": free_mb,
            "min_free_mb": least,
            "message": _("Only %(free)d MB free on the media disk (at least %(least)d MB).")
            % {"free": free_mb, "least": least},
        }
    return {"ok": True, "free_mb": free_mb, "min_free_mb": least}


# name in the answer -> check, in the answer's order: the database first, then the apps' checks as they registered,
# the media disk last
CHECKS: dict[str, Callable[[], dict]] = {"database": check_database, "media_disk": check_media_disk}


def register(name: str, check: Callable[[], dict]) -> None:
    """Add (or replace) a part of the report: `check()` returns {"ok": bool, ...} with a "message" when not ok."""
    CHECKS.pop("media_disk")
    CHECKS[name] = check
    CHECKS["media_disk"] = check_media_disk


def report() -> dict:
    """{"status": "ok"|"fail", "failed": [names], "checks": {name: {"ok": bool, ...}}}"""
    checks = {name: check() for name, check in CHECKS.items()}
    failed = [name for name, result in checks.items() if not result["ok"]]
    return {"status": "fail" if failed else "ok", "failed": failed, "checks": checks}
