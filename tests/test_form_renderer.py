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
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from centinela.lib.form_renderer import INPUTS, OPTION, SELECT, FormRenderer

DJANGO = DjangoTemplates()
OURS = FormRenderer()
NASTY = 'a "quoted" <b>&amp; \'odd\' value'

CHOICES = [("", "---------"), ("a", "Alfa"), (1, 1.5), ("x<y", NASTY), ("safe", mark_safe("<i>safe</i>")),
           ("lazy", _("Parish"))]
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
