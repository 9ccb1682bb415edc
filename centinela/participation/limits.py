"""Abuse limits of the public report page: at most PARTICIPATION_REPORTS_PER_HOUR reports an hour from one address
(and per Open311 key and address, at the key's own limit), counted in the Django cache (shared by the web workers:
file-based by default), and the text checks that send a report to moderation because it seems to carry a cédula or a
phone number."""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.activities.cedula import cedula_is_valid
from centinela.lib.client import client_address
from centinela.lib.phones import e164
from centinela.participation.models import Report

WINDOW_SECONDS = 3600


def _key(request, client=None) -> str:
    # An Open311 client's reports are counted apart from the page's, per key and address: an application's server
    # files for many residents, and its key has its own limit (Open311Client.hourly_limit).
    owner = f"open311-{client.pk}:" if client is not None else ""
    return "participation:reports-from:" + owner + client_address(request)


def limit_for(client=None) -> int:
    if client is not None and client.hourly_limit:
        return client.hourly_limit
    return settings.PARTICIPATION_REPORTS_PER_HOUR


def over_limit(request, client=None) -> bool:
    return (cache.get(_key(request, client)) or 0) >= limit_for(client)


def count_report(request, client=None) -> None:
    """One more report from this address (and Open311 client) in the current window (which starts with the
    window's first report)."""
    key = _key(request, client)
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, WINDOW_SECONDS)


class TooManyReports(ValidationError):
    """Past a limit of the public report: the page answers 429 (a ValidationError, so a caller that does not know
    it still refuses the report with its message)."""


def check_contact_limit(email: str, phone: str) -> None:
    """At most PARTICIPATION_REPORTS_PER_CONTACT_PER_DAY reports in 24 hours from one e-mail address or phone
    number, from whatever connection (the per-address limit does not see one person changing networks)."""
    email, phone = (email or "").strip().lower(), e164(phone or "")
    if not (email or phone):
        return
    since = timezone.now() - timedelta(days=1)
    same = Q(pk__in=[])
    if email:
        same |= Q(contact_email__iexact=email)
    if phone:
        same |= ~Q(contact_phone="")  # written in many ways: compared below in the international form
    recent = Report.objects.filter(created_at__gte=since).filter(same)
    count = 0
    for row_email, row_phone in recent.values_list("contact_email", "contact_phone"):
        if (email and row_email.lower() == email) or (phone and e164(row_phone) == phone):
            count += 1
    if count >= settings.PARTICIPATION_REPORTS_PER_CONTACT_PER_DAY:
        raise TooManyReports(
            _(
                "Too many reports with this contact in the last 24 hours. Please try again tomorrow, or call 911 "
                "for an emergency."
            )
        )


# --- personal data in a text --------------------------------------------------------------------------------------

TEN_DIGITS = re.compile(r"(?<![\d])\d{10}(?![\d])")
# 7 to 12 digits, single spaces, dots or dashes between them allowed, optionally after +593: a phone number as
# people write it ("099 111 2233", "07-257-0123", "+593 99 111 2233").
PHONE = re.compile(r"(?<![\d])(?:\+?593[\s.-]?)?\d(?:[\s.-]?\d){6,11}(?![\d])")
DATE = re.compile(r"^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}$")


def personal_data_in(text: str) -> list[str]:
    """What in the text looks like personal data of someone: "cedula" and/or "phone" (a date is neither)."""
    found = []
    text = text or ""
    if any(cedula_is_valid(m.group()) for m in TEN_DIGITS.finditer(text)):
        found.append("cedula")
    for m in PHONE.finditer(text):
        value = m.group()
        if DATE.match(value) or cedula_is_valid(value):
            continue
        found.append("phone")
        break
    return found
