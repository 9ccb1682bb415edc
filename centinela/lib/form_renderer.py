"""The form renderer (settings.FORM_RENDERER): Django's, except that select boxes and one-line inputs are written in
Python instead of through Django's widget templates. Those templates include one template per option and one per
attribute list, which made the filter form the dearest part of every list page (a select of twenty parishes cost
several milliseconds, more than the page's queries). The HTML is byte for byte the templates' (escaping, attribute
rules, whitespace): tests/test_form_renderer.py compares the two on every kind of widget we use, so an upgrade of
Django that changes those templates fails there instead of drifting. Every other template goes to Django as before."""
from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.safestring import SafeData, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# widget templates whose whole text is {% include "django/forms/widgets/input.html" %} (checked by the tests)
INPUTS = frozenset(f"django/forms/widgets/{name}.html" for name in (
    "text", "search", "date", "datetime", "time", "number", "email", "url", "tel", "password", "hidden", "color"))

_CONTEXT = Context()  # autoescape on, localisation and time zone as the settings say: what a widget template gets


def _text(value) -> str:
    """{{ value }} in a template."""
    return render_value_in_context(value, _CONTEXT)


def _formatted(value) -> str:
    """{{ value|stringformat:'s' }} in a template (the filter keeps a safe string safe)."""
    text = "%s" % (str(value) if isinstance(value, tuple) else value,)
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
            out.append(f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                       f'{_text(option["label"])}</option>\n')
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


class FormRenderer(DjangoTemplates):
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
