"""Money and grouped numbers as the interface shows them, in every app (Ecuador: "$ 3.500,00", "25.850"), through
the active language's formats (centinela/formats/es_EC for Spanish). Template filters `money` and `grouped` are
built in (settings.TEMPLATES)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils import formats

register = template.Library()


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


@register.filter
def money(value) -> str:
    """US dollars, Ecuador's currency: "$ 3.500,00" ("—" when there is no amount)."""
    amount = _decimal(value)
    if amount is None:
        return "—"
    return "$\u00a0" + formats.number_format(amount, 2, use_l10n=True, force_grouping=True)


@register.filter
def grouped(value) -> str:
    """A number with its thousands grouped: "25.850", "17.669,70" (two decimals only when it has any)."""
    number = _decimal(value)
    if number is None:
        return "—"
    places = 0 if number == number.to_integral_value() else 2
    return formats.number_format(number, places, use_l10n=True, force_grouping=True)
