"""The inventory: sites, systems and cameras (list, detail, forms, lifecycle changes), and the links between
cameras and incidents (sightings)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centinela.accounts.permissions import can, can_manage_network, require, scope
from centinela.cameras import availability, columns, ecu911, selectors, services
from centinela.cameras.filters import DeviceFilter, SiteFilter
from centinela.cameras.forms import (
    DeviceForm,
    LifecycleForm,
    LinkIncidentForm,
    SiteForm,
    SystemForm,
)
from centinela.cameras.models import (
    Device,
    FootageRequest,
    MaintenanceTicket,
    Sighting,
    Site,
    System,
)
from centinela.cameras.views.helpers import download, map_layers
from centinela.lib import crypto
from centinela.lib.exports import FORMATS
from centinela.lib.maps import map_context
from centinela.lib.views import add_errors, form_view, get_scoped_or_404, list_view
from centinela.territory import selectors as territory


def site_list(request):
    return list_view(
        request,
        queryset=selectors.sites_for(request.user).annotate(device_count=Count("systems__devices")).order_by("name"),
        filterset_class=SiteFilter,
        columns=columns.SITE,
        title=_("Camera sites"),
        basename="sitios-camaras",
        add_url=reverse("cameras:site_create"),
    )


def site_detail(request, pk):
    user = request.user
    site = get_scoped_or_404(selectors.sites_for(user), pk)
    devices = selectors.devices_for(user).filter(system__site=site)
    return render(
        request,
        "cameras/site_detail.html",
        {
            "site": site,
            "systems": site.systems.select_related("reactivation", "owner_institution").prefetch_related("devices"),
            "can_change": can(user, "change", site),
            "can_add_system": can(user, "add", System(site=site)),
            "availability": availability.site_overview(site, devices),
            **map_context(request, **map_layers(user, devices)),
        },
    )


def _site_form(request, site, title):
    return form_view(
        request,
        form_class=SiteForm,
        instance=site,
        save=services.save_site,
        title=title,
        success_url=lambda obj: obj.get_absolute_url(),
        template="cameras/site_form.html",
        form_kwargs={"user": request.user},
        extra={**map_context(request, parishes=territory.parishes_geojson(request.user)), "picker": True},
    )


def site_create(request):
    return _site_form(request, Site(), _("New camera site"))


def site_edit(request, pk):
    return _site_form(request, get_scoped_or_404(selectors.sites_for(request.user), pk), _("Edit camera site"))


def system_create(request, site_pk):
    site = get_scoped_or_404(selectors.sites_for(request.user), site_pk)
    return form_view(
        request,
        form_class=SystemForm,
        instance=System(site=site),
        save=services.save_record,
        title=_("New system at %(site)s") % {"site": site.name},
        success_url=lambda obj: obj.get_absolute_url(),
        form_kwargs={"user": request.user},
    )


def system_edit(request, pk):
    system = get_scoped_or_404(selectors.systems_for(request.user), pk)
    return form_view(
        request,
        form_class=SystemForm,
        instance=system,
        save=services.save_record,
        title=_("Edit system"),
        success_url=lambda obj: obj.get_absolute_url(),
        form_kwargs={"user": request.user},
    )


def device_list(request):
    user = request.user
    queryset = selectors.devices_for(user)
    if request.GET.get("export") == "geojson":
        require(user, "view", Device)
        require(user, "export", Device)
        filterset = DeviceFilter(request.GET, queryset=queryset, request=request)
        devices = filterset.qs if filterset.is_valid() else queryset.none()
        return download(
            json.dumps(ecu911.inventory_geojson(devices), ensure_ascii=False),
            "application/geo+json",
            "camaras",
            "geojson",
        )
    if request.GET.get("export") not in FORMATS:  # the page: only what its columns show (exports: every column)
        queryset = selectors.device_list_page(user)
    return list_view(
        request,
        queryset=queryset,
        filterset_class=DeviceFilter,
        columns=columns.device_columns(user),
        title=_("Cameras"),
        basename="camaras",
        add_url=reverse("cameras:device_create"),
        template="cameras/device_list.html",
        # the camera list's CSV/XLSX is an interchange format: OpenStreetMap's keys and the centinela: codes that
        # docs/architecture.md ("Camera exports and OpenStreetMap tags") documents, in any language
        export_keys=True,
    )


def _network_context(device) -> dict:
    return {
        "password_masked": crypto.masked(device.password_encrypted),
        "credentials_unreadable": not crypto.readable(device.password_encrypted),
        "stream_url": selectors.safe_url(device.stream_url),
        "snapshot_url": selectors.safe_url(device.snapshot_url),
        "onvif_url": selectors.safe_url(device.onvif_url),
        "host": device.host,
        "port": device.port,
        "username": device.username,
    }


def device_detail(request, pk, lifecycle_form=None, link_form=None):
    user = request.user
    device = get_scoped_or_404(selectors.devices_for(user), pk)
    can_change = can(user, "change", device)
    sightings = selectors.sightings_of_device(device, user)
    sighting_rows = [(s, selectors.incident_url(s.incident)) for s in sightings["latest"]]
    # a form handed back with errors (lifecycle or manual link) makes the page a 400
    http_status = 400 if (lifecycle_form is not None or link_form is not None) else 200
    if can_change and lifecycle_form is None:
        lifecycle_form = LifecycleForm(device=device, user=user)
        if not lifecycle_form.fields["to_status"].choices:
            lifecycle_form = None  # decommissioned: nowhere left to go
    return render(
        request,
        "cameras/device_detail.html",
        {
            "device": device,
            "status": selectors.status_of(device),
            "status_label": selectors.STATUS_LABELS[selectors.status_of(device)],
            # how to reach the camera: for the network managers only
            "network": _network_context(device) if can_manage_network(user) else None,
            "history": selectors.device_history(device, user),
            "availability": availability.device_overview(device),
            "in_view": selectors.in_view(device, user),
            "can_change": can_change,
            "lifecycle_form": lifecycle_form if can_change else None,
            "can_add_ticket": can(user, "add", MaintenanceTicket(device=device)),
            "can_add_footage": can(user, "add", FootageRequest),
            "can_view_footage": can(user, "view", FootageRequest),
            "responsible": device.responsible.all(),
            "citizen_reports": list(selectors.device_citizen_reports(user, device)),
            "sightings": sightings,
            "sighting_rows": sighting_rows,
            "link_form": (link_form or LinkIncidentForm(user=user)) if can_change else None,
            **map_context(request, **map_layers(user, [device])),
        },
        status=http_status,
    )


@require_POST
def device_link_incident(request, pk):
    """Staff link an incident to this camera by hand."""
    user = request.user
    device = get_scoped_or_404(selectors.devices_for(user), pk)
    require(user, "change", device)
    form = LinkIncidentForm(request.POST, user=user)
    if form.is_valid():
        try:
            services.link_manually(user, device, form.cleaned_data["incident"])
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not link this incident to this camera."))
        else:
            messages.success(request, _("Incident linked to the camera."))
            return redirect(device.get_absolute_url())
    return device_detail(request, pk, link_form=form)


@require_POST
def sighting_unlink(request, pk):
    user = request.user
    sighting = get_scoped_or_404(scope(user, Sighting.objects.select_related("device", "incident")), pk)
    get_scoped_or_404(selectors.devices_for(user), sighting.device_id)
    services.unlink(user, sighting)
    messages.success(request, _("Link removed."))
    return redirect(
        request.POST.get("next")
        if url_has_allowed_host_and_scheme(request.POST.get("next"), allowed_hosts={request.get_host()})
        else sighting.device.get_absolute_url()
    )


def _save_device(user, device):
    """A camera that moved or turned sees other incidents: its automatic links are made again."""
    before = None
    if device.pk:
        old = Device.objects.select_related("system__site").get(pk=device.pk)
        before = (old.system_id, old.bearing, old.field_of_view, old.range_m, old.camera_type)
    services.save_device(user, device, **getattr(device, "_credentials", {}))
    if before != (device.system_id, device.bearing, device.field_of_view, device.range_m, device.camera_type):
        services.relink_device(device)
    return device


def _device_form(request, device, title):
    return form_view(
        request,
        form_class=DeviceForm,
        instance=device,
        save=_save_device,
        title=title,
        success_url=lambda obj: obj.get_absolute_url(),
        form_kwargs={"user": request.user},
    )


def device_create(request):
    device = Device()
    system_id = request.GET.get("system")
    if system_id and request.method == "GET":
        system = selectors.systems_for(request.user).filter(pk=system_id).first()
        if system:
            device.system = system
    return _device_form(request, device, _("New camera"))


def device_edit(request, pk):
    return _device_form(request, get_scoped_or_404(selectors.devices_for(request.user), pk), _("Edit camera"))


@require_POST
def device_lifecycle(request, pk):
    device = get_scoped_or_404(selectors.devices_for(request.user), pk)
    require(request.user, "change", device)
    form = LifecycleForm(request.POST, device=device, user=request.user)
    if form.is_valid():
        try:
            services.change_lifecycle(
                request.user,
                device,
                form.cleaned_data["to_status"],
                form.cleaned_data["reason"],
                reactivation=form.cleaned_data.get("reactivation"),
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Status changed to “%(s)s”.") % {"s": device.get_lifecycle_display()})
            return redirect(device.get_absolute_url())
    return device_detail(request, pk, lifecycle_form=form)
