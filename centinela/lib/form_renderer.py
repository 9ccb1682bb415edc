"""The form renderer (settings.FORM_RENDERER): Django's, except that select boxes and one-line inputs are written in
Python instead of through Django's widget templates. Those templates include one template per option and one per
attribute list, which made the filter form the dearest part of every list page (a select of twenty parishes cost
several milliseconds, more than the page's queries). The HTML is byte for byte the templates' (escaping, attribute
rules, whitespace): tests/test_form_renderer.py compares the two on every kind of widget we use, so an upgrade of
Django that changes those templates fails there instead of drifting. Every other template goes to Django as before."""

from __future__ import annotations

import html

from django import forms
from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.functional import Promise
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# widget templates whose whole text is {% include "django/forms/widgets/input.html" %} (checked by the tests)
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "text",
        "search",
        "date",
        "datetime",
        "time",
        "number",
        "email",
        "url",
        "tel",
        "password",
        "hidden",
        "color",
    )
)

_CONTEXT = Context()  # autoescape on, localisation and time zone as the settings say: what a widget template gets


def _text(value) -> str:
    """{{ value }} in a template. Plain text (most names, values and labels: a lazy translation once translated) is
    what the template makes of it without the template machinery: no localisation or time zone applies to a str, and
    it is escaped by html.escape, as Django's escape() does; anything else (numbers, dates, safe strings) goes
    through the template's own function."""
    if type(value) is not str and isinstance(value, Promise):
        value = str(value)  # what the template does first with a lazy string; a safe one stays safe
    if type(value) is str:
        return html.escape(value)
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }} in a template (the filter keeps a safe string safe)."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value,)  # noqa: UP031 - exactly as the filter
    return _text(mark_safe(text) if isinstance(value, SafeData) else text)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html"""
    out = []
    for name, value in attrs.items():
        if value is not False:
            out.append(" " + _text(name) if value is True else f' {_text(name)}="{_formatted(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html"""
    value = f' value="{_formatted(widget["value"])}"' if widget["value"] is not None else ""
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _select(widget: dict) -> str | None:
    """django/forms/widgets/select.html with select_option.html; None for options of another template."""
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION:
                return None
            out.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _select_from_choices(widget, name, value, attrs) -> str:
    """What a plain forms.Select renders (Widget.get_context, ChoiceWidget.optgroups and create_option, then _select
    above), written straight from the widget's choices: the context of the templates (a dict of eight entries for
    each option, of which a select option reads three) is not built. A filter form's selects (parishes, barrios,
    categories: 70 options on the incident list) cost a fifth of a list page before."""
    out = [f'<select name="{_text(name)}"{_attrs(widget.build_attrs(widget.attrs, attrs))}>']
    values = widget.format_value(value)
    has_selected = False
    for option_value, option_label in widget.choices:
        if option_value is None:
            option_value = ""
        if isinstance(option_label, (list, tuple)):
            group_name, choices = option_value, option_label
        else:
            group_name, choices = None, ((option_value, option_label),)
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        for subvalue, sublabel in choices:
            selected = not has_selected and str(subvalue) in values
            has_selected |= selected
            attributes = " selected" if selected else ""
            out.append(f'\n  <option value="{_formatted(subvalue)}"{attributes}>{_text(sublabel)}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class _Select(forms.Select):
    """A plain Select (sharing the widget's own attributes, not a copy) that renders with _select_from_choices."""

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(_select_from_choices(self, name, value, attrs))


class BoundField(forms.BoundField):
    """Django's BoundField (the renderer's bound_field_class, so every form rendered by FormRenderer uses it),
    rendering a plain forms.Select with Django's own templates' names through _select_from_choices. Any other
    widget, or a Select subclass or one given other templates, renders as in Django."""

    def as_widget(self, widget=None, attrs=None, only_initial=False):
        widget = widget or self.field.widget
        if (
            type(widget) is forms.Select
            and widget.template_name == SELECT
            and widget.option_template_name == OPTION
            and isinstance(self.form.renderer, FormRenderer)
        ):
            fast = object.__new__(_Select)
            fast.__dict__ = widget.__dict__
            widget = fast
        return super().as_widget(widget, attrs, only_initial)


class FormRenderer(DjangoTemplates):
    bound_field_class = BoundField

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in INPUTS:
                return _input(widget)
            if template_name == SELECT:
                html = _select(widget)
                if html is not None:
                    return html
        return super().render(template_name, context, request=request)
