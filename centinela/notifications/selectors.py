"""Reads: what is on a user's plate (from the sources, through the permission check) and their notices."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from centinela.notifications.models import Notice, Preference
from centinela.notifications.sources import SOURCES, Item

RECENT_READ = 30  # read notices shown under the unread ones


def items(user, today: date | None = None, sources=None, object_ids=None) -> list[Item]:
    """The user's open items of every source (or of these, and of these ids only): overdue first, then by due day
    (those without one last)."""
    today = today or timezone.localdate()
    found = []
    for source in sources or SOURCES.values():
        found.extend(source.items(user, today, object_ids))
    return sorted(found, key=lambda i: (not i.overdue, i.due_on is None, i.due_on or today, i.label, i.object_id))


def unread_count(user) -> int:
    """The bell's number: one query."""
    return Notice.objects.filter(user=user, read_at__isnull=True).count()


def visible(user, notices) -> tuple[list[Notice], list[Notice]]:
    """The notices whose items the user may still open, and those they may not (a role or parish changed)."""
    by_source: dict[str, set[int]] = {}
    for notice in notices:
        by_source.setdefault(notice.source, set()).add(notice.object_id)
    allowed = {
        name: (SOURCES[name].visible(user, ids) if name in SOURCES else set()) for name, ids in by_source.items()
    }
    shown, hidden = [], []
    for notice in notices:
        (shown if notice.object_id in allowed[notice.source] else hidden).append(notice)
    return shown, hidden


def unread(user) -> list[Notice]:
    return list(Notice.objects.filter(user=user, read_at__isnull=True))


def recently_read(user) -> list[Notice]:
    return list(Notice.objects.filter(user=user, read_at__isnull=False)[:RECENT_READ])


def digest_jobs(user) -> list[Notice]:
    """The user's unread notices of jobs that ended, not yet sent in a digest (each is sent in one at most)."""
    return list(
        Notice.objects.filter(
            user=user,
            read_at__isnull=True,
            digested_on__isnull=True,
            kind__in=(Notice.Kind.JOB_DONE, Notice.Kind.JOB_FAILED),
        )
    )


def wants_digest(user) -> bool:
    preference = Preference.objects.filter(user=user).first()
    return preference.daily_digest if preference else Preference._meta.get_field("daily_digest").default
