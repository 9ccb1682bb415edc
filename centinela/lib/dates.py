"""Dates typed into filters and forms kept within the years Centinela can compute with: a date outside
MIN_DATE..MAX_DATE (year 99999, 0001-01-01, 9999-12-31) is a form error in Spanish, never an overflow (a 500) when a
page adds a day, a week or a month to it, or converts it to UTC."""

from __future__ import annotations

import re
from datetime import date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.dates import MONTHS, WEEKDAYS_ABBR
from django.utils.translation import gettext as _

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)


def in_range(value) -> None:
    """Validator: a date between MIN_DATE and MAX_DATE."""
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if isinstance(day, date) and not MIN_DATE <= day <= MAX_DATE:
        raise ValidationError(
            _("Enter a date between %(min)s and %(max)s.") % {"min": MIN_DATE.isoformat(), "max": MAX_DATE.isoformat()},
            code="date_range",
        )


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


def day_problem(text: str | None) -> str | None:
    """What is wrong with a date typed into a query parameter (the message a form would give), None if nothing is."""
    if not text:
        return None
    try:
        in_range(date.fromisoformat(iso_from_typed(text).strip()))
    except ValueError:
        return str(forms.DateField.default_error_messages["invalid"])
    except ValidationError as error:
        return error.messages[0]
    return None


def parse_day(text: str | None, default: date) -> date:
    """A date from a query parameter (YYYY-MM-DD, or DD/MM/YYYY as the date picker shows it), `default` when absent,
    unreadable or out of range."""
    try:
        day = date.fromisoformat(iso_from_typed(text or "").strip())
    except ValueError:
        return default
    return day if MIN_DATE <= day <= MAX_DATE else default


DAY_FIRST = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def iso_from_typed(text):
    """'15/03/2020' (as Ecuador writes a date, whatever the interface's language) -> '2020-03-15', which every
    language's input formats read; anything else is returned as it came (ISO dates, or text the field refuses)."""
    found = DAY_FIRST.match(text) if isinstance(text, str) else None
    if not found:
        return text
    day, month, year = (int(part) for part in found.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"


def picker_labels() -> dict[str, str]:
    """The date picker's words in the interface's language, as data attributes its script reads."""
    return {
        "data-months": ",".join(str(MONTHS[m]) for m in range(1, 13)),
        "data-weekdays": ",".join(str(WEEKDAYS_ABBR[d]) for d in range(7)),  # Monday first
        "data-label-open": _("Choose a date"),
        "data-label-previous": _("Previous month"),
        "data-label-next": _("Next month"),
        "data-label-today": _("Today"),
        "data-label-clear": _("Clear"),
        "data-label-close": _("Close"),
        "data-label-month": _("Month"),
        "data-label-year": _("Year"),
    }


class DatePicker(forms.DateInput):
    """A date typed or picked as dd/mm/aaaa (issue 13): a text input that static/centinela/datepicker.js gives a
    calendar whose month and year are chosen directly, opening on the period being viewed (the date in the box, else
    the other end of the range, the form's year, the nearest data-picker-period, else today). Without the script the
    date is typed. The value reaches the field as ISO, so the form reads it the same in Spanish and in English."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            {"data-datepicker": "", "inputmode": "numeric", "autocomplete": "off", "size": 10, **(attrs or {})},
            format="%d/%m/%Y",
        )

    def format_value(self, value):
        if isinstance(value, str):  # what was typed (as the field got it) is shown again as it was typed
            found = ISO.match(value)
            return f"{found[3]:0>2}/{found[2]:0>2}/{found[1]}" if found else value
        if isinstance(value, date):
            return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
        return super().format_value(value)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"] = {
            "placeholder": _("dd/mm/yyyy"),
            "pattern": r"\s*(\d{1,2}[\/.\-]\d{1,2}[\/.\-]\d{4}|\d{4}-\d{1,2}-\d{1,2})\s*",  # DAY_FIRST or ISO
            **picker_labels(),
            **context["widget"]["attrs"],
        }
        return context

    def value_from_datadict(self, data, files, name):
        return iso_from_typed(super().value_from_datadict(data, files, name))


class DateTimePicker(forms.MultiWidget):
    """A date and time for a DateTimeField: the date in a DatePicker box named and identified as the field (so a label
    points at it), the time in a time box beside it (NAME_time). They reach the field as "YYYY-MM-DD HH:MM"; a value
    that already holds a time (an ISO date and time, as a datetime-local box sent) passes as it came."""

    def __init__(self, attrs=None):
        time = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
        super().__init__({"": DatePicker(), "time": time}, attrs)

    def decompress(self, value):
        if isinstance(value, datetime):
            return [value.date(), value.time().replace(second=0, microsecond=0)]
        if isinstance(value, str) and value.strip():
            day, _sep, clock = value.strip().replace("T", " ").partition(" ")
            return [day, clock[:5] or None]
        return [None, None]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        date_box, time_box = context["widget"]["subwidgets"]
        if attrs and attrs.get("id"):
            date_box["attrs"]["id"], time_box["attrs"]["id"] = attrs["id"], attrs["id"] + "_time"
        return context

    def id_for_label(self, id_):
        return id_

    def value_from_datadict(self, data, files, name):
        day = iso_from_typed(data.get(name))
        clock = data.get(name + "_time")
        if not day or clock is None or "T" in day or " " in day.strip():
            return day
        return f"{day.strip()} {clock.strip()}".strip()

    def value_omitted_from_data(self, data, files, name):
        return name not in data and name + "_time" not in data
