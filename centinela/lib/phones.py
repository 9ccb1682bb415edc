"""Ecuadorian phone numbers as people write them ("099 111 2233", "07-257-0123", "+593 99 111 2233"): one
normal form, the international one, so a number typed one way finds the number stored another way (the reports'
notices by SMS, the limit of reports per contact, the search for a person's data)."""

from __future__ import annotations

import re

from django.db.models import Value
from django.db.models.functions import Replace

ECUADOR = "593"
# what people put between the digits of a phone number or a cédula
SEPARATORS = (" ", "-", ".", "(", ")", "+", "/")


def e164(phone: str) -> str:
    """An Ecuadorian phone number as people write it ("099 111 2233", "07-257-0123", "+593 99 111 2233") in the
    international form ("+593991112233"); "" when it is not one."""
    digits = re.sub(r"\D", "", phone or "")
    if (phone or "").strip().startswith("+"):
        return "+" + digits if 8 <= len(digits) <= 15 else ""
    if digits.startswith(ECUADOR) and len(digits) in (11, 12):
        return "+" + digits
    if digits.startswith("0") and len(digits) in (9, 10):  # 07 257 0123 (landline), 099 111 2233 (mobile)
        return "+" + ECUADOR + digits[1:]
    return ""


def national_digits(phone: str) -> str:
    """The digits every way of writing the number ends with: the number without its country code or leading 0
    ("991112233" for "+593 99 111 2233" and for "099 111 2233"); "" when it is not a phone number."""
    international = e164(phone)
    if not international:
        return ""
    return international[1 + len(ECUADOR) :] if international.startswith("+" + ECUADOR) else international[1:]


def digits_only(expression):
    """A database expression of a text column without the separators people type (same on SQLite and
    PostgreSQL), to compare a cédula or a phone by its digits in the query."""
    for separator in SEPARATORS:
        expression = Replace(expression, Value(separator), Value(""))
    return expression
