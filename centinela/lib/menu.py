"""{% main_menu %}: the links of the menu on every page (lib/menu.html), rendered once per language and set of rights
and then kept. Rendered each time they cost some 30 {% url %} and {% translate %} tags, about a millisecond of every
page (issue 10's web load). What the links depend on is all in the key: the language, the two rights that add a link
(audit trail, users), the URL configuration (the resolver object: a test's override gives a new one) and the script
prefix. The user's name and the forms with a CSRF token stay in base.html, rendered for each request.
Registered in settings.TEMPLATES as the library `menu`."""
from __future__ import annotations

from django import template
from django.template.context import Context
from django.urls import get_resolver, get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()
MAX_ENTRIES = 1000
_rendered: dict = {}


@register.simple_tag(takes_context=True)
def main_menu(context):
    rights = {"can_read_audit": bool(context.get("can_read_audit")),
              "can_administer_users": bool(context.get("can_administer_users"))}
    key = (get_language(), *rights.values(), get_resolver(get_urlconf()), get_script_prefix(), context.autoescape)
    html = _rendered.get(key)
    if html is None:
        menu = context.template.engine.get_template("lib/menu.html")
        html = mark_safe(menu.render(Context(rights, autoescape=context.autoescape)).rstrip("\n"))
        if len(_rendered) >= MAX_ENTRIES:
            _rendered.clear()
        _rendered[key] = html
    return html
