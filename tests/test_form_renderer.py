"""The form renderer writes select boxes and inputs in Python: its HTML must be exactly what Django's widget templates
write, for every kind of value, label and attribute, in both languages."""

from datetime import date
from pathlib import Path

import django
import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils import translation
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from centinela.lib.form_renderer import INPUTS, OPTION, SELECT, FormRenderer

DJANGO = DjangoTemplates()
OURS = FormRenderer()
NASTY = "a \"quoted\" <b>&amp; 'odd' value"

CHOICES = [
    ("", "---------"),
    ("a", "Alfa"),
    (1, 1.5),
    ("x<y", NASTY),
    ("safe", mark_safe("<i>safe</i>")),
    ("lazy", _("Parish")),
    ("lazysafe", lazy(lambda: mark_safe("<i>lazy & safe</i>"), str)()),  # a lazy string whose text is safe
    ("sub", type("Name", (str,), {})("a <str> subclass")),
]
GROUPED = [("", "---------"), (_("Urban"), [("u1", "Sucre"), ("u2", "El Valle")]), ("Rural <b>", [(3, "Vilcabamba")])]

WIDGETS = [
    (forms.Select(choices=CHOICES), "a"),
    (forms.Select(choices=CHOICES), 1),
    (forms.Select(choices=CHOICES), None),
    (forms.Select(choices=CHOICES, attrs={"class": "x", "required": True, "disabled": False, "data-n": 3}), "x<y"),
    (forms.Select(choices=GROUPED), "u2"),
    (forms.Select(choices=[]), None),
    (forms.SelectMultiple(choices=CHOICES), ["a", "lazy"]),
    (forms.NullBooleanSelect(), True),
    (forms.NullBooleanSelect(), None),
    (forms.TextInput(), None),
    (forms.TextInput(), ""),
    (forms.TextInput(attrs={"type": "search", "autocomplete": "off", "placeholder": NASTY}), NASTY),
    (forms.TextInput(), mark_safe("<b>")),
    (forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), date(2026, 3, 1)),
    (forms.DateInput(), date(2026, 3, 1)),
    (forms.DateTimeInput(), "2026-03-01 10:00"),
    (forms.TimeInput(), "10:00"),
    (forms.NumberInput(attrs={"step": "0.01", "min": 0}), 1.5),
    (forms.EmailInput(), "a@b.ec"),
    (forms.URLInput(), "https://x.ec/?a=1&b=2"),
    (forms.PasswordInput(render_value=True), "secret"),
    (forms.HiddenInput(), 42),
]


@pytest.mark.parametrize("language", ["es-ec", "en"])
@pytest.mark.parametrize("widget,value", WIDGETS, ids=[f"{type(w).__name__}-{i}" for i, (w, _v) in enumerate(WIDGETS)])
def test_the_html_is_the_templates_html(widget, value, language):
    with translation.override(language):
        theirs = widget.render("field", value, attrs={"id": "id_field"}, renderer=DJANGO)
        ours = widget.render("field", value, attrs={"id": "id_field"}, renderer=OURS)
    assert ours == theirs


def test_a_model_choice_field_renders_as_with_the_templates(db):
    from centinela.territory.models import Parish

    field = forms.ModelChoiceField(queryset=Parish.objects.all())
    chosen = Parish.objects.first()
    assert chosen is not None
    theirs = field.widget.render("parish", chosen.pk, renderer=DJANGO)
    ours = field.widget.render("parish", chosen.pk, renderer=OURS)
    assert ours == theirs and "selected" in ours


def test_options_of_another_template_go_to_the_templates():
    class Custom(forms.Select):
        option_template_name = "django/forms/widgets/radio_option.html"

    widget = Custom(choices=[("a", "Alfa")])
    assert widget.render("f", "a", renderer=OURS) == widget.render("f", "a", renderer=DJANGO)


def test_the_templates_written_in_python_are_still_djangos():
    """An upgrade of Django (or an app overriding one of these templates) must show here, not as drifting HTML."""
    engine = get_default_renderer().engine
    source = {name: engine.get_template(name).template.source for name in INPUTS | {SELECT, OPTION}}
    for name in INPUTS:
        assert source[name].strip() == '{% include "django/forms/widgets/input.html" %}', name
    assert "include option.template_name with widget=option" in source[SELECT]
    widgets = Path(django.__file__).parent / "forms" / "templates" / "django" / "forms" / "widgets"
    assert source[SELECT] == (widgets / "select.html").read_text()
    assert source[OPTION] == (widgets / "select_option.html").read_text()


def test_it_is_the_renderer_in_use():
    assert settings.FORM_RENDERER == "centinela.lib.form_renderer.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)


class _Choices(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED + [("", [("e1", "empty group")]), (None, "none value")])
    numbers = forms.TypedChoiceField(choices=[(1, "one"), (2, "two"), ("2", "two again")], coerce=int)
    attrs = forms.ChoiceField(choices=CHOICES, widget=forms.Select(attrs={"class": "x", "data-q": NASTY}))
    disabled = forms.ChoiceField(choices=CHOICES, disabled=True, initial="a")
    multiple = forms.MultipleChoiceField(choices=CHOICES, required=False)  # SelectMultiple: Django's way


FORM_DATA = [
    None,
    {},
    {"plain": "x<y", "grouped": "u2", "numbers": "2", "attrs": "lazy", "multiple": ["a", "lazy"]},
    {"plain": "nope", "grouped": "e1", "numbers": "x", "attrs": "", "disabled": "safe"},
    {"grouped": "", "numbers": "1"},
]


@pytest.mark.parametrize("language", ["es-ec", "en"])
@pytest.mark.parametrize("data", FORM_DATA)
def test_a_forms_selects_are_the_templates_selects(data, language):
    """Through the form (the renderer's BoundField writes a plain Select from its choices), not just the widget."""
    with translation.override(language):
        ours = _Choices(data, renderer=OURS, initial={"plain": "a"})
        theirs = _Choices(data, renderer=DJANGO, initial={"plain": "a"})
        assert type(ours["plain"]).__module__ == "centinela.lib.form_renderer"
        for name in _Choices.base_fields:
            assert str(ours[name]) == str(theirs[name]), name
        assert ours.as_div() == theirs.as_div()


def test_the_filter_forms_of_the_lists_are_the_templates(db, rf, users):
    """Every list's filter form (model choices, choices, booleans), unbound and with a choice made."""
    from centinela.cameras.filters import DeviceFilter
    from centinela.incidents.filters import IncidentFilter
    from centinela.territory.filters import PlaceFilter

    request = rf.get("/")
    request.user = users["directora"]
    parish = IncidentFilter({}, request=request).form.fields["parish"].queryset.last()
    for filterset_class in (IncidentFilter, DeviceFilter, PlaceFilter):
        for query in ({}, {"parish": str(parish.pk), "status": "open", "kind": "x"}):
            request = rf.get("/", query)
            request.user = users["directora"]
            ours = filterset_class(query, request=request).form
            theirs = filterset_class(query, request=request).form
            theirs.renderer = DJANGO
            theirs.bound_field_class = django.forms.BoundField
            for name in ours.fields:
                assert str(ours[name]) == str(theirs[name]), (filterset_class.__name__, name)
            if query:
                assert f'value="{parish.pk}" selected' in str(ours["parish"])


def test_a_select_subclass_or_other_templates_go_to_django(db):
    class Custom(forms.Select):
        pass

    class Other(forms.Form):
        a = forms.ChoiceField(choices=CHOICES, widget=Custom)
        b = forms.ChoiceField(choices=CHOICES, widget=forms.Select)

    form = Other({"a": "a", "b": "a"}, renderer=OURS)
    form.fields["b"].widget.option_template_name = "django/forms/widgets/radio_option.html"
    theirs = Other({"a": "a", "b": "a"}, renderer=DJANGO)
    theirs.fields["b"].widget.option_template_name = "django/forms/widgets/radio_option.html"
    assert str(form["a"]) == str(theirs["a"]) and str(form["b"]) == str(theirs["b"])
