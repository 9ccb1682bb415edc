"""{% notice_bell %}: the bell in the top bar, with the number of the signed-in user's unread notices (one query)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from centinela.notifications.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def notice_bell(context):
    user = context.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return ""
    count = unread_count(user)
    label = ngettext("%(n)s unread notice", "%(n)s unread notices", count) % {"n": count} if count else _("My notices")
    badge = format_html(' <span class="badge overdue" id="notice-count">{}</span>', count) if count else ""
    return format_html(
        '<a href="{}" class="bell" id="notice-bell" title="{}" aria-label="{}">&#128276;{}</a>',
        reverse("notifications:inbox"),
        label,
        label,
        badge,
    )
