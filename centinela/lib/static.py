"""Django's static template library ({% load static %}), with the URL of each static file remembered: {% static %}
asked the storage every time (the manifest's hashed name, the URL joined and quoted), about a hundred Python calls
a tag, two tags on every page (issue 10's web load). A file's URL depends on its path, the storage's manifest (read
once when the process starts) and the settings, and on the script prefix when STATIC_URL is relative (Django adds
it): the path and the prefix are the key, and any change of settings (tests) drops the memory. A path the storage
refuses (not in the manifest) raises each time, as before. Registered in settings.TEMPLATES under the name
`static`, in place of Django's."""

from __future__ import annotations

from django import template
from django.core.signals import setting_changed
from django.templatetags import static as django_static
from django.urls import get_script_prefix

register = template.Library()
register.tags.update(django_static.register.tags)
register.filters.update(django_static.register.filters)

MAX_ENTRIES = 10_000
_remembered: dict = {}


class StaticNode(django_static.StaticNode):
    @classmethod
    def handle_simple(cls, path):
        if not isinstance(path, str):
            return super().handle_simple(path)
        key = (path, get_script_prefix())
        url = _remembered.get(key)
        if url is None:
            url = super().handle_simple(path)
            if len(_remembered) >= MAX_ENTRIES:
                _remembered.clear()
            _remembered[key] = url
        return url


@register.tag("static")
def do_static(parser, token):
    """{% static %} exactly as Django parses it, with the remembered URL."""
    return StaticNode.handle_token(parser, token)


def _forget(**kwargs):
    _remembered.clear()


setting_changed.connect(_forget)
