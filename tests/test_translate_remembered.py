"""{% translate %} with constant text is remembered per language (lib/i18n.py, registered as the `i18n` library):
its output must be Django's own in every language, whatever was rendered before, and whatever is not a constant
(variables, filters, contexts, `as`, `noop`) must render as Django renders it."""

import pytest
from django.template import Context, Engine
from django.utils import translation
from django.utils.safestring import mark_safe

from centinela.lib import i18n

SOURCE = (
    '{% load i18n %}<a>{% translate "Log out" %}</a>'
    '<b>{% translate "Log out" as out %}[{{ out }}]</b>'
    '<c>{% translate "Log out" noop %}</c>'
    '<d>{% translate "Log out"|upper %}</d>'
    "<e>{% translate word %}</e>"
    '<f>{% translate "Reported" context "incident status" %}</f>'
    "<g>{% translate \"100%% <sure> & 'so'\" %}</g>"
    '<h>{% language "en" %}{% translate "Log out" %}{% endlanguage %}{% translate "Log out" %}</h>'
    '<i>{% autoescape off %}{% translate "a <b> & c" %}{% endautoescape %}{% translate "a <b> & c" %}</i>'
    "<j>{% trans 'Log out' %}</j>"
)


def _engines():
    ours = Engine(libraries={"i18n": "centinela.lib.i18n"}, builtins=[])
    django = Engine(libraries={"i18n": "django.templatetags.i18n"}, builtins=[])
    return ours.from_string(SOURCE), django.from_string(SOURCE)


@pytest.mark.parametrize("order", [("es-ec", "en", "es-ec"), ("en", "es-ec", "en")])
def test_the_output_is_djangos_in_each_language_in_any_order(order):
    ours, django = _engines()
    i18n._remembered.clear()
    for language in order:
        for word in ("Log out", mark_safe("<b>safe</b>"), "x < y"):
            with translation.override(language):
                context = {"word": word}
                expected = django.render(Context(context))
                assert ours.render(Context(context)) == expected, language
                assert ours.render(Context(context)) == expected, language  # the second time, from memory
    assert "Salir" in expected or "Log out" in expected


def test_the_project_uses_it_and_it_is_remembered():
    from django.template import engines

    template = engines["django"].from_string('{% load i18n %}{% translate "Log out" %}')
    i18n._remembered.clear()
    with translation.override("es-ec"):
        assert template.render({}) == "Salir"
    with translation.override("en"):
        assert template.render({}) == "Log out"
    assert {key[2] for key in i18n._remembered} == {"es-ec", "en"}


def _backend(libraries):
    from centinela.lib.template_backend import DjangoTemplates

    return DjangoTemplates({"NAME": "t", "DIRS": [], "APP_DIRS": False, "OPTIONS": {"libraries": libraries}})


def test_the_template_check_allows_only_the_replacements_made_on_purpose():
    """templates.W003 stays quiet for lib/i18n and lib/static under Django's names, and speaks for anything else."""
    assert _backend({"i18n": "centinela.lib.i18n", "static": "centinela.lib.static"}).check() == []
    for libraries in ({"l10n": "centinela.lib.i18n"}, {"i18n": "centinela.lib.static"}):
        assert [w.id for w in _backend(libraries).check()] == ["templates.W003"], libraries
