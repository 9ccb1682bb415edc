"""{% static %} remembers each file's URL (lib/static.py, registered as the `static` library): the URL must be
Django's for every path, script prefix and settings, whatever was asked before."""

import pytest
from django.template import Context, Engine, engines
from django.test import override_settings
from django.urls import set_script_prefix

from centinela.lib import static

SOURCE = (
    '{% load static %}<a href="{% static "centinela/centinela.css" %}">'
    '{% static "a b/ñ?.js" as x %}[{{ x }}]{% static path %}{% static "x<y.css" %}</a>'
)


def _both():
    ours = Engine(libraries={"static": "centinela.lib.static"}, builtins=[]).from_string(SOURCE)
    django = Engine(libraries={"static": "django.templatetags.static"}, builtins=[]).from_string(SOURCE)
    return ours, django


@pytest.mark.parametrize("prefix", ["/", "/centinela/", "/otra/"])
def test_the_url_is_djangos_for_each_script_prefix(prefix):
    ours, django = _both()
    try:
        for first in ("/", prefix):  # remembered under one prefix, asked under another
            set_script_prefix(first)
            ours.render(Context({"path": "p.css"}))
            set_script_prefix(prefix)
            assert ours.render(Context({"path": "p.css"})) == django.render(Context({"path": "p.css"}))
    finally:
        set_script_prefix("/")


def test_a_change_of_settings_is_seen():
    ours, django = _both()
    before = ours.render(Context({"path": "p.css"}))
    with override_settings(STATIC_URL="https://cdn.example/s/"):
        after = ours.render(Context({"path": "p.css"}))
        assert after == django.render(Context({"path": "p.css"})) and after != before
    assert ours.render(Context({"path": "p.css"})) == before


def test_the_project_uses_it():
    static._remembered.clear()
    engines["django"].from_string('{% load static %}{% static "centinela/centinela.css" %}').render({})
    assert [key[0] for key in static._remembered] == ["centinela/centinela.css"]
