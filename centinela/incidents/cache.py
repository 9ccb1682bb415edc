"""What the open-data and indicators pages compute from every incident is kept in the Django cache (settings.CACHES: a
file cache
under var/ by default, shared by the web workers and the background worker, no extra service). Keys carry a data
version that changes whenever incidents change: the version counter is bumped on every save and delete of an
incident (and of a parish population: the indicators' rates) and on `incidents_created` (imports, the demo), and the
key also carries the highest incident id, so a bulk
insert that announced nothing is seen too. Entries also expire after OPEN_DATA_CACHE_SECONDS.

While an import stores its rows in slices (SQLite: `importer.apply`, each slice its own short transaction), the version
is held at what it was before the import (`held_during_import`): otherwise every slice made a new version, and every
page reading these figures recomputed them over a table still growing, many requests at once (pages took up to 20 s
during a 1M-row import). The pages show the figures from before the import until it ends, as on PostgreSQL, where
the rows appear in one statement. The hold expires by itself HOLD_SECONDS after the last slice (a killed worker).

One computation at a time (`cached`): when a version changes, the first request to miss the cache computes the figures
and the others meanwhile get the figures of the version before (kept under a key without the version), or, when
there are none, wait for that computation (up to WAIT_SECONDS, then compute themselves). Before, every request that
missed computed the same figures at once: at a million incidents each computation takes seconds, and a dozen of them
together on 2 cores made one page wait 49 s (bench/import_load_bench.py, SQLite, 1M rows)."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from centinela.incidents.models import Incident
from centinela.incidents.signals import incidents_created

VERSION_KEY = "incidents:data-version"
HOLD_KEY = "incidents:data-version-held"
HOLD_SECONDS = 120
COMPUTING_SECONDS = 600  # a computation that died (a killed worker) lets another start after this long
WAIT_SECONDS = 60  # how long a request with nothing to show waits for another's computation


def data_version() -> str:
    held = cache.get(HOLD_KEY)
    if held is not None:
        return held
    counter = cache.get(VERSION_KEY)
    if counter is None:
        cache.add(VERSION_KEY, _fresh(), timeout=None)
        counter = cache.get(VERSION_KEY) or _fresh()
    highest = Incident.objects.aggregate(m=Max("pk"))["m"] or 0
    return f"{counter}.{highest}"


def versioned_key(parts, version: str | None = None) -> str:
    """A key made of `parts` and the incidents' data version (read now unless given): a new one when incidents
    change."""
    return hashlib.sha256(repr((data_version() if version is None else version, parts)).encode()).hexdigest()


def cache_key(name: str, parts, version: str | None = None) -> str:
    """The key `cached` keeps the figures of `name` and `parts` under, for this data version (read now unless given)."""
    return f"{name}:{versioned_key(parts, version)}"


def computing_key(name: str, parts) -> str:
    """The mark of a computation of `name` and `parts` under way, whatever its version: one at a time."""
    return f"{name}:computing:{hashlib.sha256(repr(parts).encode()).hexdigest()}"


def cached(name: str, parts, compute, version: str | None = None):
    """compute(), kept under a key made of `parts` and the incidents' data version, for OPEN_DATA_CACHE_SECONDS; one
    computation at a time for each `name` and `parts`, whatever the version (see the module's docstring): incidents
    saved every few seconds make a new version each time, and at a million incidents every visitor computed figures
    of their own (three open-data pages took 32 s each during bench/import_load_bench.py on SQLite). While another
    computes them, the figures of the version before are returned: `cache.get(cache_key(...))` tells whether the
    value returned is this version's."""
    key = cache_key(name, parts, version)
    value = cache.get(key)
    if value is not None:
        return value
    latest_key = f"{name}:latest:{hashlib.sha256(repr(parts).encode()).hexdigest()}"
    computing_key_ = computing_key(name, parts)
    if cache.add(computing_key_, 1, COMPUTING_SECONDS):
        try:
            value = compute()
            cache.set(key, value, settings.OPEN_DATA_CACHE_SECONDS)
            cache.set(latest_key, value, settings.OPEN_DATA_CACHE_SECONDS)
        finally:
            cache.delete(computing_key_)
        return value
    value = cache.get(latest_key)  # another request computes these figures: those of a version before
    if value is not None:
        return value
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline and cache.get(computing_key_) is not None:
        time.sleep(0.05)
        value = cache.get(key)
        if value is not None:
            return value
    value = cache.get(key)
    if value is None:  # the other computation was of a version before (its figures, now), failed, or took too long
        value = cache.get(latest_key)
    if value is None:
        value = compute()
        cache.set(key, value, settings.OPEN_DATA_CACHE_SECONDS)
    return value


class held_during_import:
    """`with held_during_import() as hold:` the data version stays what it is now; `hold.renew()` after each slice
    keeps it held; on leaving, the hold goes and the version is bumped (the import's rows, or its undoing, are seen)."""

    def __enter__(self):
        self.version = data_version()
        self.renew()
        return self

    def renew(self) -> None:
        cache.set(HOLD_KEY, self.version, HOLD_SECONDS)

    def __exit__(self, *exc):
        cache.delete(HOLD_KEY)
        bump()
        return False


def _fresh() -> int:
    """A counter that is missing (never made, or culled by the file cache past its MAX_ENTRIES) starts again from
    the clock in nanoseconds, above any value an earlier counter reached (one per change): starting again at 1 made
    the keys of an earlier life of the counter again, and their figures came back."""
    return time.time_ns()


def bump(**_kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet (or culled): a fresh value differs from every key made so far
        cache.set(VERSION_KEY, _fresh(), timeout=None)


@receiver(post_save, sender=Incident, dispatch_uid="incidents-cache-save")
@receiver(post_delete, sender=Incident, dispatch_uid="incidents-cache-delete")
def _incident_changed(sender, **kwargs):
    bump()


@receiver(post_save, sender="territory.ParishPopulation", dispatch_uid="incidents-cache-population-save")
@receiver(post_delete, sender="territory.ParishPopulation", dispatch_uid="incidents-cache-population-delete")
def _population_changed(sender, **kwargs):  # rates per 100,000 people
    bump()


@receiver(incidents_created, dispatch_uid="incidents-cache-created")
def _incidents_created(sender, **kwargs):
    bump()
