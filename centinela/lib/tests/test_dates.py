"""lib/dates.py: a date outside 1900-01-01..2100-12-31 is a form error in Spanish (the validator, the DateField and
every date field of an existing form, the parts of a from-to range included), the limits themselves are accepted,
and a query parameter out of range or unreadable gives the default."""

from datetime import date, datetime

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django_filters.fields import DateRangeField

from centinela.lib.dates import MAX_DATE, MIN_DATE, DateField, bound_dates, in_range, parse_day

MESSAGE = "Ingrese una fecha entre 1900-01-01 y 2100-12-31."


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es-ec"):
        yield


@pytest.mark.parametrize("value", [MIN_DATE, MAX_DATE, date(2024, 2, 29), datetime(2100, 12, 31, 23, 59), None, "x"])
def test_dates_within_the_range_and_non_dates_pass(value):
    in_range(value)


@pytest.mark.parametrize(
    "value",
    [date(1899, 12, 31), date(2101, 1, 1), date.min, date.max, datetime(9999, 12, 31, 23, 59), datetime(1, 1, 1)],
)
def test_dates_outside_the_range_are_refused_in_spanish(value):
    with pytest.raises(ValidationError) as caught:
        in_range(value)
    assert caught.value.messages == [MESSAGE] and caught.value.code == "date_range"


class Form(forms.Form):
    day = DateField()


@pytest.mark.parametrize(
    "text, ok",
    [("2024-05-01", True), ("1900-01-01", True), ("9999-12-31", False), ("0001-01-01", False), ("2101-01-01", False)],
)
def test_the_date_field_refuses_dates_out_of_range(text, ok):
    form = Form({"day": text})
    assert form.is_valid() == ok
    if not ok:
        assert form.errors["day"] == [MESSAGE]


def test_bound_dates_adds_the_check_to_every_date_field_and_range_part_once():
    class Filters(forms.Form):
        day = forms.DateField()
        moment = forms.DateTimeField()
        period = DateRangeField()
        name = forms.CharField(required=False)

    data = {
        "day": "9999-12-31",
        "moment": "0001-01-01 10:00",
        "period_after": "2024-01-01",
        "period_before": "3000-01-01",
    }
    assert Filters(data).is_valid()  # Django alone accepts them all
    form = bound_dates(bound_dates(Filters(data)))
    assert not form.is_valid()
    assert form.errors == {"day": [MESSAGE], "moment": [MESSAGE], "period": [MESSAGE]}
    assert form.fields["day"].validators.count(in_range) == 1
    assert in_range not in form.fields["name"].validators


@pytest.mark.parametrize(
    "text, day",
    [
        ("2024-03-02", date(2024, 3, 2)),
        (None, date(2000, 1, 1)),
        ("", date(2000, 1, 1)),
        ("2024-13-45", date(2000, 1, 1)),
        ("99999-01-01", date(2000, 1, 1)),
        ("9999-12-31", date(2000, 1, 1)),
        ("1899-12-31", date(2000, 1, 1)),
        ("2100-12-31", MAX_DATE),
    ],
)
def test_a_query_parameter_out_of_range_or_unreadable_gives_the_default(text, day):
    assert parse_day(text, date(2000, 1, 1)) == day
