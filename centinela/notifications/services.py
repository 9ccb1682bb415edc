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
from centinela.jobs.models import Job
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


def sync(user, today: date | None = None, sources=None, *, object_ids=None, found=None) -> int:
    """Tell the user of each of their items not yet told of: newly assigned, newly overdue. Returns how many notices
    were written. Run when an item is saved (for its assignee, that item only: `sources` and `object_ids`), when the
    user opens their notices (with the items the page lists, `found`, read once: their titles are then in the
    page's language) and each day by the digest (with the items it lists, in the reader's language: items become
    overdue with the passing of days, not with a save)."""
    if not getattr(user, "is_active", False):
        return 0
    written = 0
    with translation.override(settings.LANGUAGE_CODE):  # notices are written in the site's language
        if found is None:
            found = selectors.items(user, today, sources, object_ids)
        for item in found:
            if item.assigned:
                written += _write(user, Notice.Kind.ASSIGNED, item.source, item.object_id, item.title, item.url)
            if item.overdue:
                written += _write(user, Notice.Kind.OVERDUE, item.source, item.object_id, item.title, item.url)
    return written


def item_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    """post_save of a source's model: its assignee hears of it now rather than at the next digest."""
    if raw:  # fixtures, restores
        return
    for source in SOURCES.values():
        if source.model is sender and source.assignee_fields:
            assigned(source, [instance.pk])


def items_created(sender, ids=(), **kwargs) -> None:
    """A signal of items created in bulk (participation's `reports_created`: bulk_create sends no post_save): each
    assignee hears of their new item, as after a save."""
    for source in SOURCES.values():
        if source.model is sender and source.assignee_fields:
            assigned(source, ids)


def assigned(source, object_ids) -> int:
    """These items of `source` were saved or assigned (one by one, or by a bulk `QuerySet.update`, which sends no
    signal: its caller calls this): each assignee is told of their item, only that item, at once; a notice of an
    item no longer assigned to its user (reassigned, or left without anyone) is removed, read or not. Returns how
    many notices were written."""
    object_ids = list(object_ids)
    if not object_ids or not source.assignee_fields:
        return 0
    rows = source.model._base_manager.filter(pk__in=object_ids).values_list(
        "pk", *(f"{field}_id" for field in source.assignee_fields)
    )
    now_with = {pk: {user_id for user_id in user_ids if user_id is not None} for pk, *user_ids in rows}
    told = Notice.objects.filter(
        source=source.name, object_id__in=object_ids, kind__in=(Notice.Kind.ASSIGNED, Notice.Kind.OVERDUE)
    ).values_list("pk", "object_id", "user_id")
    stale = [pk for pk, object_id, user_id in told if user_id not in now_with.get(object_id, set())]
    if stale:  # one read and one delete, however many items (the demo creates hundreds at once)
        Notice.objects.filter(pk__in=stale).delete()
    by_user: dict[int, list[int]] = {}
    for pk, user_ids in now_with.items():
        for user_id in user_ids:
            by_user.setdefault(user_id, []).append(pk)
    written = 0
    for user in get_user_model().objects.filter(pk__in=by_user, is_active=True):
        written += sync(user, sources=[source], object_ids=by_user[user.pk])
    return written


def job_ended(sender, job, **kwargs) -> None:
    """The queue's `job_ended`: the person who asked for the job is told it finished or failed."""
    if job.created_by_id is None:
        return
    notice_kind = Notice.Kind.JOB_DONE if job.status == job.Status.DONE else Notice.Kind.JOB_FAILED
    with translation.override(settings.LANGUAGE_CODE):
        title = _job_title(job.kind, notice_kind)
    _write(job.created_by, notice_kind, "jobs", job.pk, title, reverse("jobs:job_detail", args=[job.pk]))


def _job_title(job_kind: str, notice_kind: str) -> str:
    """ "Informe anual terminó" / "... falló", in the active language."""
    kind = job_registry.KINDS.get(job_kind)
    label = str(kind.label) if kind else job_kind
    if notice_kind == Notice.Kind.JOB_DONE:
        return _("%(job)s finished") % {"job": label}
    return _("%(job)s failed") % {"job": label}


def mark_read(user, notice_ids=None) -> int:
    """Mark the user's notices read (these ids, or all). Only the user's own: another's id changes nothing."""
    notices = Notice.objects.filter(user=user, read_at__isnull=True)
    if notice_ids is not None:
        notices = notices.filter(pk__in=notice_ids)
    return notices.update(read_at=timezone.now())


def set_language(actor, user, language: str) -> None:
    """The language of the e-mails the user receives (the daily digest); "" for the site's. Audited (a field of
    the account)."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValueError(f"unknown language {language!r}")
    if user.language != language:
        with acting(actor):
            user.language = language
            user.save(update_fields=["language"])


def language_of(user) -> str:
    """The language the user's e-mails are written in: theirs, else the site's (Spanish)."""
    language = getattr(user, "language", "")
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


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


def digest_for(user, today: date, found: list | None = None) -> dict | None:
    """What the user's digest says, or None when there is nothing to say; `found`, the user's items, when the caller
    has read them already (else read here)."""
    if found is None:
        found = selectors.items(user, today)
    overdue = [i for i in found if i.overdue]
    assigned = [i for i in found if i.assigned and not i.overdue]
    shown, _hidden = selectors.visible(user, selectors.digest_jobs(user))
    kinds = dict(Job.objects.filter(pk__in=[n.object_id for n in shown]).values_list("pk", "kind"))
    for notice in shown:  # written in the site's language: said again in the reader's
        if notice.object_id in kinds:
            notice.title = _job_title(kinds[notice.object_id], notice.kind)
    if not (overdue or assigned or shown):
        return None
    return {"user": user, "overdue": overdue, "assigned": assigned, "jobs": shown, "today": today}


def send_digest(user, today: date | None = None, *, base_url: str = "") -> bool:
    """The user's digest by e-mail (plain text and HTML, in the user's language, else the site's: Spanish), once a
    day, only when there is something to say; a job's notice goes out in one digest at most. True when sent."""
    today = today or timezone.localdate()
    preference = Preference.objects.filter(user=user).first()  # none: the defaults, the digest on
    if (preference and (not preference.daily_digest or preference.last_digest_on == today)) or not user.email:
        return False
    with translation.override(language_of(user)):
        # read once, in the reader's language: told of (sync) and listed (as the inbox does in the page's)
        found = selectors.items(user, today)
        sync(user, today, found=found)
        context = digest_for(user, today, found)
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
    Notice.objects.filter(pk__in=[n.pk for n in context["jobs"]]).update(digested_on=today)
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
