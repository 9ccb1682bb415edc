"""{% list_rows %} writes a list's table body in Python: exactly what the template loop it replaced wrote, for every
kind of cell value (escaped, localised, in the local time zone, callables called), in both languages."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.template import engines
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

LOOP = """{% load i18n %}
  {% for cells in rows %}
    <tr>{% for value, url in cells %}<td>{% if url %}<a href="{{ url }}">{{ value }}</a>{% else %}{{ value|default_if_none:"" }}{% endif %}</td>{% endfor %}</tr>
  {% empty %}
    <tr><td colspan="{{ columns|length }}">{% translate "Nothing matches these filters." %}</td></tr>
  {% endfor %}
"""  # noqa: E501 - the loop as the template writes it
TAG = """{% load list_table %}
  {% list_rows rows columns %}
"""


class Callable:
    def __call__(self):
        return "called <ok>"


ROWS = [
    [("Sucre", "/territorio/parroquias/1/"), (None, None), ("", None), (0, None), (False, None)],
    [
        ('a "quoted" <b>&amp;', "/x/?a=1&b=2"),
        (mark_safe("<i>safe</i>"), None),
        (format_html("<b>{}</b>", "<x>"), None),
        (_("Parish"), None),
        (1234.5, None),
        (Decimal("100.00"), None),
        (12, None),
    ],
    [
        (date(2026, 3, 1), None),
        (datetime(2026, 3, 1, 15, 30, tzinfo=UTC), "/i/1/"),
        (Callable(), None),
        (["a", "b"], None),
        ("O'Neil \\ ñ", "/b/?q=O'Neil"),
    ],
    # numbers: ints and floats of every shape, as cells and as links (written in Python without localize())
    [(0, None), (-7, None), (10**20, "/n/"), (True, None), (1234567.25, None), (-0.5, None), (2.0, None)],
    [(1e-7, None), (1.5e22, None), (float("inf"), None), (float("-inf"), None), (float("nan"), None)],
    [(3.0000000000000004, None), (-1234.5, "/m/"), (Decimal("-1234.50"), None), (type("N", (int,), {})(5), None)],
]


@pytest.mark.parametrize("language", ["es-ec", "en"])
@pytest.mark.parametrize("rows", [ROWS, []], ids=["rows", "empty"])
def test_the_rows_are_the_loops_rows(rows, language):
    engine = engines["django"]
    context = {"rows": rows, "columns": ["a", "b", "c"]}
    with translation.override(language):
        assert engine.from_string(TAG).render(context) == engine.from_string(LOOP).render(context)


@pytest.mark.parametrize("language", ["es-ec", "en"])
def test_numbers_with_localisation_off_are_the_loops_too(language):
    engine = engines["django"]
    context = {"rows": ROWS, "columns": ["a", "b", "c"]}
    tag = "{% load l10n %}{% localize off %}" + TAG + "{% endlocalize %}"
    loop = "{% load l10n %}{% localize off %}" + LOOP + "{% endlocalize %}"
    with translation.override(language):
        ours = engine.from_string(tag).render(context)
        assert ours == engine.from_string(loop).render(context)
        assert "1234567.25" in ours


@pytest.mark.parametrize("language", ["es-ec", "en"])
def test_numbers_with_thousands_separators_are_the_loops_too(language, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    engine = engines["django"]
    context = {"rows": ROWS, "columns": ["a", "b", "c"]}
    with translation.override(language):
        assert engine.from_string(TAG).render(context) == engine.from_string(LOOP).render(context)


def test_every_list_uses_it():
    from django.template.loader import get_template

    source = get_template("lib/list_table.html").template.source
    assert "{% list_rows rows columns %}" in source and "{% for cells in rows %}" not in source
