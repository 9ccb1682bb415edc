"""The network dashboard: counts, lists and map (each also as a fragment htmx refreshes)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from centinela.accounts.permissions import require
from centinela.cameras import selectors
from centinela.cameras.models import (
    Device,
)
from centinela.cameras.views.helpers import map_layers
from centinela.lib.maps import map_context, shared_layers


def _counts_context(user, devices=None):
    return {"counts": selectors.status_counts(user, devices), "heartbeat": selectors.heartbeat(), "now": timezone.now()}


def _coverage_context(user):
    """The headline indicator for the year of the latest incident the user may see."""
    return {"incident_coverage": selectors.dashboard_coverage(user)}


def dashboard(request):
    user = request.user
    require(user, "view", Device)
    # a few columns of each camera the user may see, read once for the map, the covered area, the counts, the uptime
    # trend and the cameras never probed
    devices = selectors.map_rows(user, dashboard=True)
    context = {
        **_counts_context(user, devices),
        **_coverage_context(user),
        "trend": selectors.uptime_trend(user, devices=devices),
        "covered_ha": selectors.covered_area_m2(user, devices) / 10_000,
        **selectors.dashboard_lists(user, devices),
        "due": selectors.due_schedule_links(user),
        "today": timezone.localdate(),
        **map_context(request, **map_layers(user, devices), **shared_layers(user)),
    }
    return render(request, "cameras/dashboard.html", context)


def dashboard_counts(request):
    require(request.user, "view", Device)
    return render(request, "cameras/_counts.html", _counts_context(request.user))


def _lists_context(user):
    return selectors.dashboard_lists(user)


def dashboard_lists(request):
    """The open tickets, the worst devices and the cameras never probed, refreshed in place (htmx, every 10 s)."""
    require(request.user, "view", Device)
    return render(request, "cameras/_dashboard_lists.html", _lists_context(request.user))


def dashboard_map(request):
    """The dashboard map's camera and coverage layers with their live status, fetched again every 10 s."""
    from django.http import JsonResponse

    require(request.user, "view", Device)
    response = JsonResponse(map_layers(request.user, selectors.devices_for(request.user)))
    response["Cache-Control"] = "no-store"
    return response
