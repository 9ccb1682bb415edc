"""What the current user may do with camera records, for templates included by other apps' pages (the incident
page shows the cameras that saw it): `{% load camera_perms %}{% footage_perms as footage %}`."""

from django import template

from centinela.accounts.permissions import can

register = template.Library()


@register.simple_tag(takes_context=True)
def footage_perms(context) -> dict:
    from centinela.cameras.models import FootageRequest

    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {
        "view": bool(user) and can(user, "view", FootageRequest),
        "add": bool(user) and can(user, "add", FootageRequest),
    }
