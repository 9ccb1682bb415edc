"""The date picker's server side (issue 13, item 5; lib.dates.DatePicker, lib.filters.DateRangePicker): a date field
shows dd/mm/aaaa in a text box marked for the picker with the month names of the interface's language, reads a date
typed as 15/03/2020 the same in Spanish and in English (never as 3 of a 15th month, nor as 3 March), still reads the
ISO dates links and older bookmarks carry, and refuses nonsense with the field's own error."""

from datetime import UTC, date, datetime

import pytest
from django import forms
from django.utils import timezone, translation

from centinela.activities.filters import ActivityFilter, TrainingFilter
from centinela.incidents.filters import IncidentFilter
from centinela.incidents.models import Category, Incident, Source
from centinela.lib.dates import DateField, DatePicker, DateTimePicker, iso_from_typed
from centinela.territory.models import Parish


class One(forms.Form):
    day = DateField(required=False, widget=DatePicker())


@pytest.mark.parametrize(
    ("typed", "iso"),
    [
        ("15/03/2020", "2020-03-15"),
        ("5/3/2020", "2020-03-05"),
        (" 05-03-2020 ", "2020-03-05"),
        ("05.03.2020", "2020-03-05"),
        ("2020-03-15", "2020-03-15"),
        ("31/02/2020", "2020-02-31"),  # passed on: the field refuses it
        ("nunca", "nunca"),
        ("", ""),
        (None, None),
    ],
)
def test_a_date_typed_day_first_reaches_the_field_as_iso(typed, iso):
    assert iso_from_typed(typed) == iso


@pytest.mark.parametrize("language", ["es-ec", "en"])
def test_the_form_reads_day_first_in_every_language_and_iso_too(language):
    with translation.override(language):
        for typed in ("15/03/2020", "2020-03-15", "15-3-2020"):
            form = One({"day": typed})
            assert form.is_valid(), (typed, form.errors)
            assert form.cleaned_data["day"] == date(2020, 3, 15)
        form = One({"day": "03/04/2020"})
        assert form.is_valid() and form.cleaned_data["day"] == date(2020, 4, 3)  # 3 April, never March 4
        for bad in ("31/02/2020", "15/13/2020", "nunca", "99999-01-01"):
            assert not One({"day": bad}).is_valid(), bad


def test_the_box_shows_day_month_year_and_carries_the_picker_words_in_spanish():
    with translation.override("es-ec"):
        html = str(One({"day": "2020-03-15"})["day"])
        initial = str(One(initial={"day": date(2020, 3, 5)})["day"])
        typed_badly = str(One({"day": "15/13/2020"})["day"])
    assert 'type="text"' in html and 'type="date"' not in html
    assert 'value="15/03/2020"' in html and "data-datepicker" in html
    assert 'placeholder="dd/mm/aaaa"' in html
    assert "enero,febrero,marzo,abril,mayo,junio,julio,agosto,septiembre,octubre,noviembre,diciembre" in html
    assert 'data-label-open="Elegir una fecha"' in html
    assert 'value="05/03/2020"' in initial
    assert 'value="15/13/2020"' in typed_badly  # what was typed is shown again beside the error
    with translation.override("en"):
        english = str(One({"day": "2020-03-15"})["day"])
    assert 'value="15/03/2020"' in english and "January,February" in english


def test_every_date_filter_of_the_lists_is_a_picker():
    for filterset, names in (
        (IncidentFilter, ["date_from", "date_to"]),
        (ActivityFilter, ["starts_at"]),
        (TrainingFilter, ["period"]),
    ):
        form = filterset(data={}, queryset=filterset._meta.model.objects.none()).form
        for name in names:
            html = str(form[name])
            assert "data-datepicker" in html and 'type="date"' not in html, (filterset.__name__, name, html)
    range_html = str(ActivityFilter(data={"starts_at_after": "01/03/2020"}, queryset=None).form["starts_at"])
    assert 'name="starts_at_after"' in range_html and 'name="starts_at_before"' in range_html
    assert 'value="01/03/2020"' in range_html
    training = str(TrainingFilter(data={}, queryset=None).form["period"])
    assert 'name="period_min"' in training and 'name="period_max"' in training


@pytest.mark.django_db
def test_the_incident_list_filters_by_dates_typed_as_ecuador_writes_them(client_for):
    sagrario = Parish.objects.get(code="110101")
    category, source = Category.objects.filter(active=True).first(), Source.objects.first()
    made = (("OLD-1", datetime(2019, 6, 1, 17, tzinfo=UTC)), ("NEW-1", datetime(2020, 3, 15, 17, tzinfo=UTC)))
    for ref, when in made:
        Incident.objects.create(
            source=source,
            source_ref=ref,
            category=category,
            occurred_at=when,
            lon=sagrario.centre_lon,
            lat=sagrario.centre_lat,
            parish=sagrario,
        )
    c = client_for("tecnico")

    def refs(**query):
        response = c.get("/incidentes/", query)
        assert response.status_code == 200
        return {row[4][0] for row in response.context["rows"]}

    assert refs(date_from="01/01/2020") == {"NEW-1"}
    assert refs(date_to="31/12/2019") == {"OLD-1"}
    assert refs(date_from="15/03/2020", date_to="15/03/2020") == {"NEW-1"}
    assert refs(date_from="2020-01-01") == {"NEW-1"}  # links with ISO dates still work
    body = c.get("/incidentes/", {"date_from": "01/01/2020"}).content.decode()
    assert 'value="01/01/2020"' in body
    assert "Introduzca una fecha válida" in c.get("/incidentes/", {"date_from": "45/01/2020"}).content.decode()


class When(forms.Form):
    when = forms.DateTimeField(widget=DateTimePicker())


def test_a_date_and_time_is_a_picked_date_beside_a_time_box_read_in_every_language():
    with translation.override("es-ec"):
        html = str(When(initial={"when": datetime(2020, 3, 15, 9, 30)})["when"])
        assert 'id="id_when"' in html and 'name="when"' in html and 'value="15/03/2020"' in html
        assert 'type="time" name="when_time" value="09:30"' in html and 'id="id_when_time"' in html
        assert When()["when"].id_for_label == "id_when"  # the label names the date box
        assert 'value="15/13/2020"' in str(When({"when": "15/13/2020", "when_time": "09:30"})["when"])
    for language in ("es-ec", "en"):
        with translation.override(language):
            for data in (
                {"when": "15/03/2020", "when_time": "09:30"},
                {"when": "2020-03-15", "when_time": "09:30"},
                {"when": "2020-03-15T09:30"},  # as a datetime-local box (and older links and tests) sent it
                {"when": "2020-03-15T09:30", "when_time": ""},
            ):
                form = When(data)
                assert form.is_valid(), (language, data, form.errors)
                local = timezone.localtime(form.cleaned_data["when"])
                assert (local.date(), local.hour, local.minute) == (date(2020, 3, 15), 9, 30)
            assert not When({"when": "", "when_time": "09:30"}).is_valid()
            assert not When({"when": "15/13/2020", "when_time": "09:30"}).is_valid()
            assert not When({}).is_valid()
