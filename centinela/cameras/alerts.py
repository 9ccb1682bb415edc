"""Alerts about devices going offline and coming back: queued as Alert rows (one per channel: a responsible
person's e-mail, an AlertRecipient's e-mail or webhook), then delivered with retries and backoff.

Delivery is split in three so the monitor never holds a database connection while waiting on the network:
`pending()` reads what is due (ORM), `send()` does the I/O (no ORM: e-mail through Django's mail, a webhook as a
JSON POST with a short timeout, only where the administrator allows: `webhooks.py`), `record()` writes the outcome
(ORM). `deliver_pending()` runs the three
in a row for commands and tests."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from centinela.cameras.models import Alert, AlertRecipient, Device
from centinela.cameras.netpolicy import NotAllowed
from centinela.cameras.webhooks import WebhookPolicy, post_json

log = logging.getLogger("centinela.cameras.alerts")

MAX_ATTEMPTS = 5
BACKOFF_S = 60  # retry after 1, 2, 4, 8 minutes
WEBHOOK_TIMEOUT_S = 5.0
EVENTS = ("offline", "online", "rejected")


def channels_for(device: Device) -> list[str]:
    """Who hears about a device: its responsible people (by e-mail) and the active recipients for its system or
    for the whole network. Webhooks are channels starting with http(s)://; duplicates are dropped."""
    seen: list[str] = []
    for user in device.responsible.filter(is_active=True).exclude(email=""):
        seen.append(user.email)
    recipients = AlertRecipient.objects.filter(active=True).filter(
        Q(system__isnull=True) | Q(system_id=device.system_id)
    )
    for r in recipients.select_related("user"):
        if r.webhook_url:
            seen.append(r.webhook_url)
        if r.user_id and r.user.is_active and r.user.email:
            seen.append(r.user.email)
    return list(dict.fromkeys(seen))


def queue(device: Device, event: str, *, at=None) -> list[Alert]:
    """Queue one alert per channel (delivered later by `deliver_pending` or the monitor)."""
    assert event in EVENTS, event
    at = at or timezone.now()
    return Alert.objects.bulk_create(
        [Alert(device=device, event=event, channel=c, created_at=at) for c in channels_for(device)]
    )


@dataclass
class Outgoing:
    alert_id: int
    channel: str
    subject: str
    body: str
    payload: dict

    @property
    def is_webhook(self) -> bool:
        return self.channel.lower().startswith(("http://", "https://"))


def _due(alert: Alert, now) -> bool:
    if alert.attempts == 0:
        return True
    return now >= alert.created_at + timedelta(seconds=BACKOFF_S * (2**alert.attempts - 1))


def _message(alert: Alert) -> tuple[str, str, dict]:
    d = alert.device
    site = d.system.site
    when = timezone.localtime(alert.created_at)
    with translation.override(settings.LANGUAGE_CODE):
        if alert.event == "offline":
            subject = _("Camera offline: %(code)s · %(name)s") % {"code": d.code, "name": d.name}
            lead = _("The camera %(code)s (%(name)s) at %(site)s stopped answering at %(time)s.")
        elif alert.event == "rejected":
            subject = _("Camera refuses its credentials: %(code)s · %(name)s") % {"code": d.code, "name": d.name}
            lead = _(
                "The camera %(code)s (%(name)s) at %(site)s answers but refuses the stored credentials (or "
                "they cannot be decrypted) since %(time)s: a network manager must enter them again."
            )
        else:
            subject = _("Camera back online: %(code)s · %(name)s") % {"code": d.code, "name": d.name}
            lead = _("The camera %(code)s (%(name)s) at %(site)s is back online since %(time)s.")
        text = lead % {"code": d.code, "name": d.name, "site": site.name, "time": when.strftime("%d/%m/%Y %H:%M")}
        detail = _("Last probe: %(detail)s") % {"detail": d.last_detail or "-"}
    payload = {
        "event": alert.event,
        "device": d.code,
        "name": d.name,
        "site": site.name,
        "at": alert.created_at.isoformat(),
        "detail": d.last_detail,
        "text": f"{subject}\n{text}",
    }
    return subject, f"{text}\n{detail}\n", payload


def pending(now=None, limit: int = 200) -> list[Outgoing]:
    """Alerts not yet sent whose next attempt is due."""
    now = now or timezone.now()
    rows = (
        Alert.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .select_related("device__system__site")
        .order_by("attempts", "created_at")[: limit * 4]
    )  # fresh first
    out = []
    for alert in rows:
        if _due(alert, now):
            subject, body, payload = _message(alert)
            out.append(Outgoing(alert.pk, alert.channel, subject, body, payload))
            if len(out) >= limit:
                break
    return out


def webhook_policy(items=None) -> WebhookPolicy | None:
    """The hosts, ports and networks alert webhooks may reach (settings ALERT_WEBHOOK_*); made once per batch of
    `items` (it reads the server's own addresses), None when none of them is a webhook."""
    if items is not None and not any(item.is_webhook for item in items):
        return None
    return WebhookPolicy.parse(
        settings.ALERT_WEBHOOK_HOSTS, settings.ALERT_WEBHOOK_PORTS, settings.ALERT_WEBHOOK_NETWORKS
    )


def send(item: Outgoing, *, timeout: float = WEBHOOK_TIMEOUT_S, policy: WebhookPolicy | None = None) -> str:
    """Deliver one alert; '' when delivered, else the error. Network I/O only, no database. A webhook whose host,
    port or address the administrator has not allowed is an error recorded without any connection."""
    try:
        if item.is_webhook:
            status = post_json(item.channel, item.payload, policy or webhook_policy(), timeout=timeout)
            if not 200 <= status < 300:
                return f"HTTP {status}"
        else:
            send_mail(item.subject, item.body, settings.DEFAULT_FROM_EMAIL, [item.channel], fail_silently=False)
    except NotAllowed as exc:
        return f"{exc.code}: " + ", ".join(f"{k}={v}" for k, v in exc.params.items())
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried, never crashes the monitor
        return f"{type(exc).__name__}: {exc}"[:300]
    return ""


def record(results: list[tuple[int, str]], now=None) -> None:
    """Write the outcome of `send` for each (alert id, error)."""
    now = now or timezone.now()
    alerts = {a.pk: a for a in Alert.objects.filter(pk__in=[pk for pk, _e in results])}
    for pk, error in results:
        a = alerts.get(pk)
        if a is None:
            continue
        a.attempts += 1
        a.error = error[:300]
        if not error:
            a.sent_at = now
        elif a.attempts >= MAX_ATTEMPTS:
            log.warning("alert %s to %s given up after %s attempts: %s", a.pk, a.channel, a.attempts, error)
    Alert.objects.bulk_update(alerts.values(), ["attempts", "error", "sent_at"])


def deliver_pending(now=None) -> int:
    """Send every due alert now (synchronously); returns how many were delivered."""
    items = pending(now)
    policy = webhook_policy(items)
    results = [(item.alert_id, send(item, policy=policy)) for item in items]
    record(results, now)
    return sum(1 for _pk, error in results if not error)
