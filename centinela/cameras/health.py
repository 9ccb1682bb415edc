"""The camera monitor's part of `/salud/` (registered with lib.health when the app is ready)."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _


def check_monitor(now=None) -> dict:
    """The camera monitor's heartbeat (cameras.selectors.heartbeat) must be younger than HEALTH_MONITOR_MAX_AGE."""
    from centinela.cameras.selectors import heartbeat

    now = now or timezone.now()
    limit = settings.HEALTH_MONITOR_MAX_AGE
    beat = heartbeat(now)
    age = beat.get("age_s")
    if age is None:
        return {
            "ok": False,
            "age_s": None,
            "max_age_s": limit,
            "message": _("The camera monitor (monitor_cameras) has never reported."),
        }
    age = round(age, 1)
    if age > limit:
        return {
            "ok": False,
            "age_s": age,
            "max_age_s": limit,
            "message": _("The camera monitor (monitor_cameras) has not reported for %(age)d s (at most %(limit)d s).")
            % {"age": age, "limit": limit},
        }
    return {"ok": True, "age_s": age, "max_age_s": limit}
