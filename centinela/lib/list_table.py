"""{% list_rows rows columns %}: the body of every list's table (lib/list_table.html), written in Python. As a
template loop it cost two template variables, a condition and a filter per cell, a good part of a list page's time
(50 rows of 8 columns: 400 cells). The HTML is what the loop wrote, byte for byte, values shown as `{{ value }}`
shows them (escaped, localised, in the local time zone): tests/test_list_rows.py keeps both side by side.
Registered in settings.TEMPLATES as the library `list_table`."""

import html

from django import template
from django.conf import settings
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def _resolved(value, context):
    """What a template variable gives for a value: a callable is called, as Variable does."""
    if callable(value) and not getattr(value, "do_not_call_in_templates", False):
        if getattr(value, "alters_data", False):
            return context.template.engine.string_if_invalid
        value = value()
    return value


def _shown(value, context, decimal_separator=None) -> str:
    """{{ value }}: a plain text (most cells, and every link) is only escaped, as Django escapes it, without the
    template machinery's localisation and time-zone checks that give a text back unchanged. An int or a float, when
    `decimal_separator` is given (numbers without thousands separators, settings.USE_THOUSAND_SEPARATOR off), is
    written as django.utils.numberformat writes it then: an int as it is, a float's point as the language's decimal
    separator (a float in exponent notation goes Django's way). Each number cell localised by Django read three
    formats of the language (a third of a list of amounts' time)."""
    kind = type(value)
    if kind is str and context.autoescape:
        return html.escape(value)
    if decimal_separator is not None and context.autoescape:
        if kind is int:
            return str(value)
        if kind is float:
            text = str(value)
            if "e" not in text:
                return html.escape(text.replace(".", decimal_separator))
    return render_value_in_context(value, context)


def _decimal_separator():
    """The language's decimal separator when numbers are written without thousands separators, else None."""
    if settings.USE_THOUSAND_SEPARATOR:
        return None
    return str(formats.get_format("DECIMAL_SEPARATOR", use_l10n=True))


@register.simple_tag(takes_context=True)
def list_rows(context, rows, columns):
    shown = []
    # {% localize off %} writes numbers with the settings' separator: Django's way then
    separator = _decimal_separator() if rows and context.use_l10n is not False else None
    for cells in rows:
        tds = []
        for value, url in cells:
            value = _resolved(value, context)
            if url:
                tds.append(
                    f'<td><a href="{_shown(_resolved(url, context), context)}">'
                    f"{_shown(value, context, separator)}</a></td>"
                )
            else:
                tds.append(f"<td>{_shown('' if value is None else value, context, separator)}</td>")
        shown.append(f"\n    <tr>{''.join(tds)}</tr>\n  ")
    if not shown:
        nothing = gettext("Nothing matches these filters.")  # outside the f-string: xgettext reads no f-string
        shown.append(
            f'\n    <tr><td colspan="{render_value_in_context(len(columns), context)}">'
            f"{render_value_in_context(nothing, context)}</td></tr>\n  "
        )
    return mark_safe("".join(shown))
