"""The territory's map layers (parishes, barrios and places as GeoJSON features), built once per version of the
territory rather than on every request: the home page, the activity map and /api/parishes drew them from model
instances each time, parsing every boundary (the better part of those pages' time, issue 10).

The version is a counter in the Django cache (shared by the web workers), bumped whenever a parish, barrio or place
is saved or deleted (signals below; after the transaction commits, so a page reading the new version reads the
committed rows) and by the code that changes them in bulk (boundaries.relocate_places). A counter that is missing
(never set, evicted, a cleared cache) starts again from a random value, never from one a worker may have used, so a
layer built for an older version is never taken for the current one. Each worker keeps the layers of the current
version in memory (one small entry per language): nothing is ever served from a version a change has left behind.
Inside a transaction that has changed the territory the layers are built afresh and not kept (they may hold rows
the transaction will roll back)."""

from __future__ import annotations

import secrets
import threading

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.urls import get_script_prefix
from django.utils.translation import get_language

VERSION_KEY = "territory:data-version"

_lock = threading.Lock()
_local = threading.local()  # .changed_in: the outermost atomic block of this thread that changed the territory
_layers: dict[tuple, dict] = {}  # (version, language, script prefix) -> layers; only the current version's


def _fresh() -> int:
    return secrets.randbits(62)


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        fresh = _fresh()
        cache.add(VERSION_KEY, fresh, timeout=None)
        version = cache.get(VERSION_KEY, fresh)
    return version


def bump(**_kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there (evicted, or never read): any fresh value differs from the ones used so far
        cache.set(VERSION_KEY, _fresh(), timeout=None)


def changed(**_kwargs) -> None:
    """Bump once the transaction commits (at once outside one): a worker that read the version before the commit may
    have built its layers from the rows as they were. Until then this thread's reads build their own (layers())."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        _local.changed_in = connection.atomic_blocks[0]
    transaction.on_commit(bump)


def layers(build) -> dict:
    """build() -> the layers, kept for the current version, language and script prefix (the features carry
    translated labels and URLs). The result is shared between requests: callers must not change it."""
    connection = transaction.get_connection()
    changed_in = getattr(_local, "changed_in", None)
    if changed_in is not None:
        if connection.in_atomic_block and connection.atomic_blocks[0] is changed_in:
            return build()
        _local.changed_in = None  # that transaction has ended: committed (and bumped) or rolled back
    key = (data_version(), get_language(), get_script_prefix())
    found = _layers.get(key)
    if found is None:
        found = build()
        with _lock:
            if any(k[0] != key[0] for k in _layers) or len(_layers) > 16:
                _layers.clear()
            _layers[key] = found
    return found


@receiver(post_save, sender="territory.Parish", dispatch_uid="territory-cache-parish-save")
@receiver(post_delete, sender="territory.Parish", dispatch_uid="territory-cache-parish-delete")
@receiver(post_save, sender="territory.Barrio", dispatch_uid="territory-cache-barrio-save")
@receiver(post_delete, sender="territory.Barrio", dispatch_uid="territory-cache-barrio-delete")
@receiver(post_save, sender="territory.Place", dispatch_uid="territory-cache-place-save")
@receiver(post_delete, sender="territory.Place", dispatch_uid="territory-cache-place-delete")
def _territory_changed(sender, **kwargs):
    changed()
