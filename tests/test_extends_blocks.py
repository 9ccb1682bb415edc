"""{% extends %} finds the root template's blocks once per compiled template (lib/extends.py, a builtin library that
replaces Django's tag): every page must render as with Django's tag, for chains of templates, {{ block.super }},
a parent named by a variable or given as a template, and a parent changed (compiled anew)."""

import pytest
from django.template import Context, Engine

TEMPLATES = {
    "root.html": "<h>{% block head %}H{% endblock %}</h>"
    "<b>{% block body %}B{% block inner %}I{% endblock %}{% endblock %}</b>"
    "{% if x %}{% block cond %}C{% endblock %}{% endif %}",
    "middle.html": '{% extends "root.html" %}{% block body %}M[{{ block.super }}]{% endblock %}',
    "leaf.html": '{% extends "middle.html" %}{% block inner %}L{{ x }}{% endblock %}'
    "{% block head %}{{ block.super }}+{% endblock %}",
    "direct.html": '{% extends "root.html" %}{% block cond %}D{% endblock %}',
    "variable.html": "{% extends parent %}{% block head %}V{% endblock %}",
    "noblocks.html": "plain {{ x }}",
    "child_of_plain.html": '{% extends "noblocks.html" %}{% block head %}never{% endblock %}',
    "text_first.html": '\n  {% extends "root.html" %}{% block body %}T{% endblock %}',
}


def _engine(ours):
    builtins = ["centinela.lib.extends"] if ours else []
    loaders = [("django.template.loaders.cached.Loader", [("django.template.loaders.locmem.Loader", TEMPLATES)])]
    return Engine(loaders=loaders, builtins=builtins)


@pytest.mark.parametrize("name", [n for n in TEMPLATES if n != "variable.html"] + ["variable.html"])
def test_the_pages_are_djangos(name):
    ours, django = _engine(True), _engine(False)
    for _ in range(2):  # blocks found, then kept
        for context in ({"x": 1, "parent": "middle.html"}, {"x": 0, "parent": "root.html"}):
            assert ours.get_template(name).render(Context(context)) == django.get_template(name).render(
                Context(context)
            )


def test_a_parent_given_as_a_template_and_a_parent_compiled_anew():
    ours = _engine(True)
    child = "{% extends parent %}{% block head %}Z{% endblock %}"
    first = ours.from_string("<h>{% block head %}1{% endblock %}</h>")
    second = ours.from_string("<i>{% block head %}2{% endblock %}{% block more %}m{% endblock %}</i>")
    assert ours.from_string(child).render(Context({"parent": first})) == "<h>Z</h>"
    assert ours.from_string(child).render(Context({"parent": second})) == "<i>Zm</i>"
    assert ours.from_string(child).render(Context({"parent": first})) == "<h>Z</h>"


def test_the_project_uses_it():
    from django.template import engines

    from centinela.lib.extends import ExtendsNode

    template = engines["django"].from_string('{% extends "base.html" %}')
    assert isinstance(template.template.nodelist[0], ExtendsNode)
