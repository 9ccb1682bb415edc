"""{% main_menu %}: the links of the menu on every page (lib/menu.html), rendered once per language and set of rights
and then kept. Rendered each time they cost some 30 {% url %} and {% translate %} tags, about a millisecond of every
page (issue 10's web load). What the links depend on is all in the key: the language, the rights that show a link
(audit trail and users from the context; the others registered by the apps that own the pages, `register_right`,
each a check of the signed-in user: a link is shown only to those its page answers, issue 13), the URL
configuration (the resolver object: a test's override gives a new one) and the script prefix. The user's name and
the forms with a CSRF token stay in base.html, rendered for each request.
Registered in settings.TEMPLATES as the library `menu`."""

from __future__ import annotations

from collections.abc import Callable

from django import template
from django.template.context import Context
from django.urls import get_resolver, get_script_prefix, get_urlconf
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

register = template.Library()
MAX_ENTRIES = 1000
_rendered: dict = {}
_checks: dict[str, Callable] = {}


def register_right(name: str, check: Callable) -> None:
    """A right the menu's template shows a link by (`{% if name %}`): `check(user)` says whether that user's page
    answers. Called by the app owning the page when it is ready (partners, activities, reports)."""
    _checks[name] = check


def rights(context) -> dict[str, bool]:
    """What the menu shows for this context: a right given in the context wins (tests), else its check of the user."""
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    found = {
        "can_read_audit": bool(context.get("can_read_audit")),
        "can_administer_users": bool(context.get("can_administer_users")),
    }
    for name in sorted(_checks):
        given = context.get(name)
        if given is not None:
            found[name] = bool(given)
        else:
            found[name] = bool(user is not None and getattr(user, "is_authenticated", False) and _checks[name](user))
    return found


@register.simple_tag(takes_context=True)
def main_menu(context):
    rights_now = rights(context)
    key = (get_language(), *rights_now.items(), get_resolver(get_urlconf()), get_script_prefix(), context.autoescape)
    html = _rendered.get(key)
    if html is None:
        menu = context.template.engine.get_template("lib/menu.html")
        html = mark_safe(menu.render(Context(rights_now, autoescape=context.autoescape)).rstrip("\n"))
        if len(_rendered) >= MAX_ENTRIES:
            _rendered.clear()
        _rendered[key] = html
    return html
