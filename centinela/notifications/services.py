"""Changes: notices written (an item assigned, an item overdue, a job ended), read, the digest preference (audited)
and the daily e-mail digest."""

from __future__ import annotations

import logging
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centinela.accounts.services import acting
from centinela.jobs import registry as job_registry
from centinela.notifications import selectors
from centinela.notifications.models import Notice, Preference
from centinela.notifications.sources import SOURCES

log = logging.getLogger(__name__)


def _write(user, kind: str, source: str, object_id: int, title: str, url: str) -> bool:
    """One notice, unless the user was already told of this item in this way. True when written."""
    if Notice.objects.filter(user=user, kind=kind, source=source, object_id=object_id).exists():
        return False
    try:
        with transaction.atomic():
            Notice.objects.create(
                user=user, kind=kind, source=source, object_id=object_id, title=title[:255], url=url[:500]
            )
    except IntegrityError:  # written meanwhile by another process (the web and the digest)
        return False
    return True


def sync(user, today: date | None = None, sources=None) -> int:
    """Tell the user of each of their items not yet told of: newly assigned, newly overdue. Returns how many notices
    were written. Run when an item is saved (for its assignee), when the user opens their notices, and each day
    before the digest (items become overdue with the passing of days, not with a save)."""
    if not getattr(user, "is_active", False):
        return 0
    written = 0
    with translation.override(settings.LANGUAGE_CODE):
        for item in selectors.items(user, today, sources):
            if item.assigned:
                written += _write(user, Notice.Kind.ASSIGNED, item.source, item.object_id, item.title, item.url)
            if item.overdue:
                written += _write(user, Notice.Kind.OVERDUE, item.source, item.object_id, item.title, item.url)
    return written


def item_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    """post_save of a source's model: its assignee hears of it now rather than at the next digest."""
    if raw:  # fixtures, restores
        return
    User = get_user_model()
    for source in SOURCES.values():
        if source.model is not sender:
            continue
        for field in source.assignee_fields:
            user_id = getattr(instance, f"{field}_id", None)
            if user_id is None:
                continue
            user = User.objects.filter(pk=user_id, is_active=True).first()
            if user is not None:
                sync(user, sources=[source])


def job_ended(sender, job, **kwargs) -> None:
    """The queue's `job_ended`: the person who asked for the job is told it finished or failed."""
    if job.created_by_id is None:
        return
    kind = job_registry.KINDS.get(job.kind)
    with translation.override(settings.LANGUAGE_CODE):
        label = str(kind.label) if kind else job.kind
        if job.status == job.Status.DONE:
            notice_kind, title = Notice.Kind.JOB_DONE, _("%(job)s finished") % {"job": label}
        else:
            notice_kind, title = Notice.Kind.JOB_FAILED, _("%(job)s failed") % {"job": label}
    _write(job.created_by, notice_kind, "jobs", job.pk, title, reverse("jobs:job_detail", args=[job.pk]))


def mark_read(user, notice_ids=None) -> int:
    """Mark the user's notices read (these ids, or all). Only the user's own: another's id changes nothing."""
    notices = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        notices = notices.filter(pk__in=notice_ids)
    return notices.update(read_at=timezone.now())


def set_daily_digest(actor, user, on: bool) -> Preference:
    """The user's choice of the daily e-mail digest, recorded in the audit trail."""
    preference, _created = Preference.objects.get_or_create(user=user)
    if preference.daily_digest != on:
        with acting(actor):
            preference.daily_digest = on
            preference.save(update_fields=["daily_digest"])
    return preference


# --- the daily digest ------------------------------------------------------------------------------------------------


def digest_recipients():
    """Active accounts with an e-mail address that have not turned the digest off."""
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .exclude(notice_preference__daily_digest=False)
        .order_by("pk")
    )


def digest_for(user, today: date) -> dict | None:
    """What the user's digest says, or None when there is nothing to say."""
    found = selectors.items(user, today)
    overdue = [i for i in found if i.overdue]
    assigned = [i for i in found if i.assigned and not i.overdue]
    shown, _hidden = selectors.visible(
        user, [n for n in selectors.unread(user) if n.kind in (Notice.Kind.JOB_DONE, Notice.Kind.JOB_FAILED)]
    )
    if not (overdue or assigned or shown):
        return None
    return {"user": user, "overdue": overdue, "assigned": assigned, "jobs": shown, "today": today}


def send_digest(user, today: date | None = None, *, base_url: str = "") -> bool:
    """The user's digest by e-mail (Spanish, plain text and HTML), once a day, only when there is something to say.
    True when sent."""
    today = today or timezone.localdate()
    preference = Preference.objects.filter(user=user).first()  # none: the defaults, the digest on
    if (preference and (not preference.daily_digest or preference.last_digest_on == today)) or not user.email:
        return False
    sync(user, today)
    with translation.override(settings.LANGUAGE_CODE):
        context = digest_for(user, today)
        if context is None:
            _checked(user, preference, today)  # nothing to say today: the loop does not ask again until tomorrow
            return False
        context |= {"base_url": base_url.rstrip("/"), "inbox_url": reverse("notifications:inbox")}
        count = len(context["overdue"]) + len(context["assigned"]) + len(context["jobs"])
        subject = ngettext("Centinela: %(n)s notice for %(date)s", "Centinela: %(n)s notices for %(date)s", count) % {
            "n": count,
            "date": today.strftime("%d/%m/%Y"),
        }
        text = render_to_string("notifications/digest.txt", context)
        html = render_to_string("notifications/digest.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    _checked(user, preference, today)
    return True


def _checked(user, preference, today: date) -> None:
    """The day's digest is done for the user (sent, or nothing to say). The sender's bookkeeping, not a choice of
    the user: written without the audit trail's signals."""
    if preference is None:
        Preference.objects.bulk_create([Preference(user=user, last_digest_on=today)], ignore_conflicts=True)
    Preference.objects.filter(user=user).update(last_digest_on=today)


def send_digests(today: date | None = None, *, base_url: str = "") -> list[str]:
    """Every recipient's digest for the day; a failed send is logged and tried again by the next run. Returns the
    usernames sent to."""
    today = today or timezone.localdate()
    sent = []
    for user in digest_recipients():
        try:
            if send_digest(user, today, base_url=base_url):
                sent.append(user.username)
        except OSError as exc:  # the mail server refused or is away: the others still get theirs
            log.error("digest for %s not sent: %s", user.username, exc)
    return sent
