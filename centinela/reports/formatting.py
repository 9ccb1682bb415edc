"""How numbers, money, dates and lists read in the report, the same in HTML, DOCX and PDF (Spanish: 1 234,50)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _


def number(value) -> str:
    """Whole numbers without decimals, others with two; grouped by the active language's separator."""
    if value is None:
        return "—"
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else 2
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def money(value) -> str:
    return "USD " + formats.number_format(Decimal(value or 0), 2, use_l10n=True, force_grouping=True)


def percent(value) -> str:
    return "—" if value is None else f"{value}\u00a0%"


def day(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "DATE_FORMAT")


def short_day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def join(items) -> str:
    """"a, b and c" in the active language."""
    items = [str(i) for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def ratio_percent(part, whole) -> int | None:
    return round(100 * Decimal(part) / Decimal(whole)) if whole else None
