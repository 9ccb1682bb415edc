"""Footage requests from the police and prosecutors, and the council's answers."""

from __future__ import annotations

from datetime import timedelta

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can, require, scope
from centinela.cameras import columns, selectors, services
from centinela.cameras.filters import FootageFilter
from centinela.cameras.forms import (
    FootageAnswerForm,
    FootageRequestForm,
)
from centinela.cameras.models import (
    FootageRequest,
)
from centinela.lib.views import form_view, get_scoped_or_404, list_view


def footage_list(request):
    return list_view(
        request,
        queryset=selectors.footage_for(request.user),
        filterset_class=FootageFilter,
        columns=columns.FOOTAGE,
        title=_("Footage requests"),
        basename="pedidos-video",
        add_url=reverse("cameras:footage_create"),
    )


def footage_detail(request, pk):
    user = request.user
    require(user, "view", FootageRequest)
    item = get_scoped_or_404(selectors.footage_for(user), pk)
    return render(
        request,
        "cameras/footage_detail.html",
        {
            "item": item,
            "can_change": can(user, "change", item),
            "incident_url": selectors.incident_url(item.incident) if item.incident_id else None,
        },
    )


def footage_create(request):
    initial = {"devices": request.GET.getlist("device")} if request.GET.get("device") else {}
    incident = _incident_from_query(request)
    if incident is not None:
        # footage from an hour before to an hour after, from the cameras that saw it
        local = timezone.localtime(incident.occurred_at)
        initial.update(
            incident=incident.pk, period_start=local - timedelta(hours=1), period_end=local + timedelta(hours=1)
        )
        if not initial.get("devices"):
            initial["devices"] = list(incident.sightings.values_list("device_id", flat=True))
    return form_view(
        request,
        form_class=FootageRequestForm,
        instance=FootageRequest(requested_at=timezone.now()),
        save=_save_footage,
        title=_("New footage request"),
        success_url=lambda obj: reverse("cameras:footage_detail", args=[obj.pk]),
        form_kwargs={"user": request.user, "initial": initial},
    )


def _incident_from_query(request):
    from centinela.incidents.models import Incident

    number = request.GET.get("incident", "")
    if not number.isdigit():
        return None
    return scope(request.user, Incident.objects.all()).filter(pk=int(number)).first()


def _save_footage(user, item):
    return services.save_footage_request(user, item)


def footage_answer(request, pk):
    item = get_scoped_or_404(selectors.footage_for(request.user), pk)
    return form_view(
        request,
        form_class=FootageAnswerForm,
        instance=item,
        save=_save_footage,
        title=_("Answer the request"),
        success_url=lambda obj: reverse("cameras:footage_detail", args=[obj.pk]),
    )
