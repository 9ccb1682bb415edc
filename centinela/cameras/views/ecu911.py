"""The ECU 911 page: the cameras ECU 911 watches, and their CSV/GeoJSON for a direct link."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render

from centinela.accounts.permissions import can, require
from centinela.cameras import ecu911, selectors
from centinela.cameras.models import (
    Device,
)
from centinela.cameras.views.helpers import download, map_layers
from centinela.lib.maps import map_context


def ecu911_page(request):
    user = request.user
    require(user, "view", Device)
    devices = selectors.ecu911_devices(user)
    return render(
        request,
        "cameras/ecu911.html",
        {
            "devices": devices,
            "rows": [(d, selectors.status_of(d), selectors.STATUS_LABELS[selectors.status_of(d)]) for d in devices],
            "counts": {s: sum(1 for d in devices if selectors.status_of(d) == s) for s in selectors.STATUSES},
            "trainings": selectors.ecu911_trainings(user),
            "can_export": can(user, "export", Device),
            **map_context(request, **map_layers(user, devices)),
        },
    )


def ecu911_export(request, fmt):
    """The ECU 911's files, made by the same adapter a scheduled hand-over would use (FileExportLink), written to a
    scratch directory and sent as a download."""
    import tempfile

    user = request.user
    if fmt not in ("csv", "geojson"):
        raise Http404
    require(user, "export", Device)
    devices = list(selectors.ecu911_devices(user))
    with tempfile.TemporaryDirectory() as scratch:
        csv_path, geo_path = ecu911.FileExportLink(scratch).push_inventory(devices)
        if fmt == "csv":
            return download(csv_path.read_text(encoding="utf-8"), "text/csv", "camaras-ecu911", "csv")
        return download(geo_path.read_text(encoding="utf-8"), "application/geo+json", "camaras-ecu911", "geojson")
