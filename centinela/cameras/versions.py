"""A version of the incident-camera links (Sightings), for what the pages keep in the Django cache from them (the
dashboard's incident coverage, selectors.dashboard_coverage): a counter in the cache, bumped whenever a link is
saved or deleted (signals: by hand, by a camera's or an incident's deletion) and after the bulk inserts of
services.link_incidents, which send no signal. Together with the incidents' data version (incidents.cache) it
makes a new key whenever an incident or a link changes, so a change is seen on the next request."""

import time

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save

SIGHTINGS_VERSION_KEY = "cameras:sightings-version"


def _fresh() -> int:
    # a counter that is missing (never made, or culled by the file cache) starts again from the clock, in
    # nanoseconds: above any value an earlier counter reached (one per change), so no old key is made again
    return time.time_ns()


def sightings_version() -> int:
    version = cache.get(SIGHTINGS_VERSION_KEY)
    if version is None:
        cache.add(SIGHTINGS_VERSION_KEY, _fresh(), timeout=None)
        version = cache.get(SIGHTINGS_VERSION_KEY)
    return version if version is not None else _fresh()


def bump_sightings(**_kwargs) -> None:
    try:
        cache.incr(SIGHTINGS_VERSION_KEY)
    except ValueError:  # not there yet (or culled)
        cache.set(SIGHTINGS_VERSION_KEY, _fresh(), timeout=None)


def connect() -> None:
    post_save.connect(bump_sightings, sender="cameras.Sighting", dispatch_uid="cameras-sightings-save")
    post_delete.connect(bump_sightings, sender="cameras.Sighting", dispatch_uid="cameras-sightings-delete")
