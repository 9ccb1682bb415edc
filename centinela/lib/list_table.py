"""{% list_rows rows columns %}: the body of every list's table (lib/list_table.html), written in Python. As a
template loop it cost two template variables, a condition and a filter per cell, a good part of a list page's time
(50 rows of 8 columns: 400 cells). The HTML is what the loop wrote, byte for byte, values shown as `{{ value }}`
shows them (escaped, localised, in the local time zone): tests/test_list_rows.py keeps both side by side.
Registered in settings.TEMPLATES as the library `list_table`."""
import html

from django import template
from django.template.base import render_value_in_context
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


def _shown(value, context) -> str:
    """{{ value }}: a plain text (most cells, and every link) is only escaped, as Django escapes it, without the
    template machinery's localisation and time-zone checks that give a text back unchanged."""
    if type(value) is str and context.autoescape:
        return html.escape(value)
    return render_value_in_context(value, context)


@register.simple_tag(takes_context=True)
def list_rows(context, rows, columns):
    shown = []
    for cells in rows:
        tds = []
        for value, url in cells:
            value = _resolved(value, context)
            if url:
                tds.append(f'<td><a href="{_shown(_resolved(url, context), context)}">'
                           f'{_shown(value, context)}</a></td>')
            else:
                tds.append(f'<td>{_shown("" if value is None else value, context)}</td>')
        shown.append(f"\n    <tr>{''.join(tds)}</tr>\n  ")
    if not shown:
        nothing = gettext("Nothing matches these filters.")  # outside the f-string: xgettext reads no f-string
        shown.append(f'\n    <tr><td colspan="{render_value_in_context(len(columns), context)}">'
                     f'{render_value_in_context(nothing, context)}</td></tr>\n  ')
    return mark_safe("".join(shown))
