"""lib/urls.py: the remembered reverse() gives Django's answers, follows a change of URL configuration or script
prefix, and the {% url %} tag every template uses renders what Django's tag renders."""

import pytest
from django.template import engines
from django.test import override_settings
from django.urls import NoReverseMatch, path, set_script_prefix
from django.urls import reverse as django_reverse

from centinela.lib import urls as remembered


def _view(request):  # pragma: no cover - never called, only reversed
    raise AssertionError


urlpatterns = [path("otra-raiz/incidentes/<int:pk>/", _view, name="home")]

CASES = [
    ("home", None, None),
    ("incidents:incident_list", None, None),
    ("incidents:incident_detail", [7], None),
    ("incidents:incident_detail", ["8"], None),
    ("cameras:device_detail", None, {"pk": 3}),
]


@pytest.mark.parametrize("name,args,kwargs", CASES)
def test_the_same_answer_as_django(name, args, kwargs):
    for _ in range(2):  # computed, then remembered
        assert remembered.reverse(name, args=args, kwargs=kwargs) == django_reverse(name, args=args, kwargs=kwargs)


def test_a_name_that_does_not_reverse_raises_each_time():
    for _ in range(3):
        with pytest.raises(NoReverseMatch, match="no-such-page"):
            remembered.reverse("no-such-page")


def test_unhashable_arguments_are_reversed_the_django_way():
    """A list cannot be part of the key: Django answers (here, that nothing matches), and nothing is remembered."""
    before = len(remembered._remembered)
    for reverse in (remembered.reverse, django_reverse):
        with pytest.raises(NoReverseMatch):
            reverse("incidents:incident_detail", kwargs={"pk": [7]})
    assert len(remembered._remembered) == before


def test_another_url_configuration_is_not_answered_from_memory():
    before = remembered.reverse("home")
    with override_settings(ROOT_URLCONF=__name__):
        assert remembered.reverse("home", args=[5]) == "/otra-raiz/incidentes/5/"
        with pytest.raises(NoReverseMatch):
            remembered.reverse("home")
    assert remembered.reverse("home") == before


def test_the_script_prefix_is_part_of_the_answer():
    plain = remembered.reverse("incidents:incident_list")
    try:
        set_script_prefix("/centinela/")
        assert remembered.reverse("incidents:incident_list") == "/centinela" + plain
    finally:
        set_script_prefix("/")
    assert remembered.reverse("incidents:incident_list") == plain


def test_the_memory_is_bounded(monkeypatch):
    monkeypatch.setattr(remembered, "MAX_ENTRIES", 5)
    for pk in range(20):
        assert remembered.reverse("incidents:incident_detail", args=[pk]) == f"/incidentes/{pk}/"
    assert len(remembered._remembered) <= 5


TEMPLATES = [
    '{% url "home" %}',
    '{% url "incidents:incident_detail" 12 %}|{% url "incidents:incident_detail" pk=13 %}',
    '{% url "incidents:incident_detail" pk as u %}[{{ u }}]',
    '{% url "not-installed:page" as u %}[{{ u }}]{% if u %}shown{% endif %}',
    '{% autoescape off %}{% url "incidents:incident_list" %}{% endautoescape %}',
]


@pytest.mark.parametrize("source", TEMPLATES)
def test_the_url_tag_renders_what_djangos_renders(source):
    ours = engines["django"].from_string(source)
    assert ours.template.nodelist.get_nodes_by_type(remembered.URLNode), "the builtin {% url %} is not ours"
    for _ in range(2):
        assert ours.render({"pk": 9}) == _django_render(source, {"pk": 9})


def _django_render(source, context):
    """The same template with Django's own {% url %} tag (an engine without our builtin library)."""
    from django.template import Context, Template
    from django.template.engine import Engine

    return Template(source, engine=Engine()).render(Context(context))


def test_a_missing_name_in_the_tag_raises():
    with pytest.raises(NoReverseMatch):
        engines["django"].from_string('{% url "no-such-page" %}').render({})


class _Translated:
    """A URL configuration whose answers depend on the language: a translated route and a language prefix."""

    from django.conf.urls.i18n import i18n_patterns
    from django.utils.text import format_lazy
    from django.utils.translation import gettext_lazy

    urlpatterns = [
        path(format_lazy("{}/", gettext_lazy("Log out")), _view, name="translated"),
        *i18n_patterns(path("x/", _view, name="prefixed")),
    ]


def test_a_language_dependent_configuration_keeps_the_language_in_the_key():
    from django.utils import translation

    with override_settings(ROOT_URLCONF=_Translated):
        for _ in range(2):
            for language in ("es-ec", "en", "es-ec"):
                with translation.override(language):
                    for name in ("translated", "prefixed"):
                        assert remembered.reverse(name) == django_reverse(name), (name, language)
        with translation.override("en"):
            assert remembered.reverse("translated") == "/Log%20out/" and remembered.reverse("prefixed") == "/en/x/"
        with translation.override("es-ec"):
            assert remembered.reverse("translated") == "/Salir/" and remembered.reverse("prefixed") == "/es-ec/x/"


def test_the_projects_configuration_is_not_language_dependent():
    from django.urls import get_resolver

    assert not remembered._translated(get_resolver())
    assert remembered._translated(get_resolver(_Translated))
