"""Dates typed into filters and forms kept within the years Centinela can compute with: a date outside
MIN_DATE..MAX_DATE (year 99999, 0001-01-01, 9999-12-31) is a form error in Spanish, never an overflow (a 500) when a
page adds a day, a week or a month to it, or converts it to UTC."""
from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)


def in_range(value) -> None:
    """Validator: a date between MIN_DATE and MAX_DATE."""
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if isinstance(day, date) and not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(_("Enter a date between %(min)s and %(max)s.")
                              % {"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()}, code="date_range")


class DateField(forms.DateField):
    """A date form field that refuses dates outside MIN_DATE..MAX_DATE."""
    default_validators = [in_range]


def bound_dates(form):
    """Add the range check to every date field of an existing form (a django-filter form, whose fields the
    filters make), including the parts of a from-to range. Returns the form."""
    pending = list(form.fields.values())
    while pending:
        field = pending.pop()
        if isinstance(field, (forms.DateField, forms.DateTimeField)) and in_range not in field.validators:
            field.validators.append(in_range)
        pending.extend(getattr(field, "fields", ()))  # MultiValueField parts (DateRangeField)
    return form


def parse_day(text: str | None, default: date) -> date:
    """A date from a query parameter (YYYY-MM-DD), `default` when absent, unreadable or out of range."""
    try:
        day = date.fromisoformat(text or "")
    except ValueError:
        return default
    return day if MIN_DATE <= day <= MAX_DATE else default
