"""How numbers, money, dates and lists read in the report, alike in HTML, DOCX and PDF (lib.formatting: 1.234,50)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from centinela.lib.formatting import grouped
from centinela.lib.formatting import money as lib_money


def number(value) -> str:
    """Whole numbers without decimals, others with two; grouped by the active language's separator."""
    return grouped(value)


def money(value) -> str:
    return lib_money(value or 0)


def percent(value) -> str:
    return "—" if value is None else f"{value}\u00a0%"


def day(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    # the report is prose: "20 de octubre de 2020" (lists and tables elsewhere read 20/10/2020)
    return formats.date_format(value, pgettext("long date in the report", "F j, Y"))


def short_day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def join(items) -> str:
    """ "a, b and c" in the active language."""
    items = [str(i) for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def ratio_percent(part, whole) -> int | None:
    return round(100 * Decimal(part) / Decimal(whole)) if whole else None
