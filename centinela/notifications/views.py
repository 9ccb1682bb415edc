"""Mis avisos: the user's notices (unread first, each marked read on its own or all at once), what is assigned to
them and what is overdue, each linking to its item; and their choice of the daily e-mail digest."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centinela.notifications import selectors, services
from centinela.notifications.forms import PreferenceForm
from centinela.notifications.models import Preference


def inbox(request):
    user = request.user
    found = selectors.items(user)  # read once: told of (sync) and listed
    services.sync(user, found=found)
    unread, hidden = selectors.visible(user, selectors.unread(user))
    if hidden:  # items the user may no longer open: not shown, and not counted by the bell
        services.mark_read(user, [n.pk for n in hidden])
    read, _hidden = selectors.visible(user, selectors.recently_read(user))
    preference = Preference(user=user, daily_digest=selectors.wants_digest(user))
    return render(
        request,
        "notifications/inbox.html",
        {
            "title": _("My notices"),
            "unread": unread,
            "read": read,
            "overdue": [i for i in found if i.overdue],
            "assigned": [i for i in found if i.assigned and not i.overdue],
            "form": PreferenceForm(instance=preference, initial={"language": user.language}),
        },
    )


@require_POST
def mark_read(request):
    ids = request.POST.getlist("notice")
    services.mark_read(request.user, [int(i) for i in ids if i.isdigit()] if ids else None)
    return redirect("notifications:inbox")


@require_POST
def preferences(request):
    form = PreferenceForm(request.POST)
    if form.is_valid():
        services.set_language(request.user, request.user, form.cleaned_data["language"])
        services.set_daily_digest(request.user, request.user, form.cleaned_data["daily_digest"])
        if form.cleaned_data["daily_digest"]:
            messages.success(request, _("You will receive the daily digest by e-mail."))
        else:
            messages.success(request, _("You will no longer receive the daily digest by e-mail."))
    return redirect("notifications:inbox")
