"""Camera network pages: the dashboard, the inventory (sites, systems, cameras), lifecycle changes, maintenance
tickets and schedules, coverage, footage requests and the ECU 911 page. Thin: reads come from selectors, changes
from services (the ticket workflow and lifecycle) or the small save functions below, each starting with the one
permission check."""
from __future__ import annotations

import json
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centinela.accounts.permissions import can, can_manage_network, require, scope
from centinela.cameras import availability, columns, crypto, ecu911, selectors, services
from centinela.cameras.filters import DeviceFilter, FootageFilter, SiteFilter, TicketFilter
from centinela.cameras.forms import (
    AssignForm, DeviceForm, FootageAnswerForm, FootageRequestForm, LifecycleForm, LinkIncidentForm, ProgressForm,
    ResolveForm, ScheduleDoneForm, ScheduleForm, SiteForm, SystemForm, TicketForm,
)
from centinela.cameras.models import (
    Device, FootageRequest, MaintenanceSchedule, MaintenanceTicket, Sighting, Site, System,
)
from centinela.lib.exports import FORMATS
from centinela.lib.views import form_view, get_scoped_or_404, list_view
from centinela.territory import selectors as territory
from centinela.territory.views import _map_context


def _layers(user, devices):
    cams, cover = selectors.camera_layers(user, devices)
    cams["label"] = _("Cameras")
    cover["label"] = _("Coverage")
    return {"coverage": cover, "cameras": cams}


# --- dashboard -----------------------------------------------------------------------------------------------------


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
        **_map_context(request, **_layers(user, devices)),
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
    response = JsonResponse(_layers(request.user, selectors.devices_for(request.user)))
    response["Cache-Control"] = "no-store"
    return response


# --- sites and systems --------------------------------------------------------------------------------------------


def save_site(user, site: Site) -> Site:
    """A site's parish and barrio follow from its point, which must lie in the canton."""
    if site.lon is not None and site.lat is not None:
        if not territory.in_canton(site.lon, site.lat):
            raise ValidationError({"lat": _("The point (%(lat).5f, %(lon).5f) lies outside the canton.") % {
                "lat": site.lat, "lon": site.lon}})
        location = territory.locate(site.lon, site.lat)
        site.parish, site.barrio = location.parish, location.barrio
    require(user, "change" if site.pk else "add", site)
    site.full_clean()
    site.save()
    return site


def _save(user, obj):
    require(user, "change" if obj.pk else "add", obj)
    obj.full_clean()
    obj.save()
    pending = getattr(obj, "_pending_m2m", None)
    if pending:  # form_view saves with commit=False: the many-to-many fields follow once the row exists
        pending()
    return obj


def site_list(request):
    return list_view(
        request, queryset=selectors.sites_for(request.user).annotate(device_count=Count("systems__devices")).order_by("name"),
        filterset_class=SiteFilter, columns=columns.SITE, title=_("Camera sites"), basename="sitios-camaras",
        add_url=reverse("cameras:site_create"),
    )


def site_detail(request, pk):
    user = request.user
    site = get_scoped_or_404(selectors.sites_for(user), pk)
    devices = selectors.devices_for(user).filter(system__site=site)
    return render(request, "cameras/site_detail.html", {
        "site": site,
        "systems": site.systems.select_related("reactivation", "owner_institution").prefetch_related("devices"),
        "can_change": can(user, "change", site),
        "can_add_system": can(user, "add", System(site=site)),
        "availability": availability.site_overview(site, devices),
        **_map_context(request, **_layers(user, devices)),
    })


def _site_form(request, site, title):
    return form_view(
        request, form_class=SiteForm, instance=site, save=save_site, title=title,
        success_url=lambda obj: obj.get_absolute_url(), template="cameras/site_form.html",
        form_kwargs={"user": request.user},
        extra={**_map_context(request, parishes=territory.parishes_geojson(request.user)), "picker": True},
    )


def site_create(request):
    return _site_form(request, Site(), _("New camera site"))


def site_edit(request, pk):
    return _site_form(request, get_scoped_or_404(selectors.sites_for(request.user), pk), _("Edit camera site"))


def system_create(request, site_pk):
    site = get_scoped_or_404(selectors.sites_for(request.user), site_pk)
    return form_view(
        request, form_class=SystemForm, instance=System(site=site), save=_save,
        title=_("New system at %(site)s") % {"site": site.name}, success_url=lambda obj: obj.get_absolute_url(),
        form_kwargs={"user": request.user},
    )


def system_edit(request, pk):
    system = get_scoped_or_404(selectors.systems_for(request.user), pk)
    return form_view(
        request, form_class=SystemForm, instance=system, save=_save, title=_("Edit system"),
        success_url=lambda obj: obj.get_absolute_url(), form_kwargs={"user": request.user},
    )


# --- devices ------------------------------------------------------------------------------------------------------


def device_list(request):
    user = request.user
    queryset = selectors.devices_for(user)
    if request.GET.get("export") == "geojson":
        require(user, "view", Device)
        require(user, "export", Device)
        filterset = DeviceFilter(request.GET, queryset=queryset, request=request)
        devices = filterset.qs if filterset.is_valid() else queryset.none()
        return _download(json.dumps(ecu911.inventory_geojson(devices), ensure_ascii=False), "application/geo+json",
                         "camaras", "geojson")
    if request.GET.get("export") not in FORMATS:  # the page: only what its columns show (exports: every column)
        queryset = selectors.device_list_page(user)
    return list_view(
        request, queryset=queryset, filterset_class=DeviceFilter, columns=columns.device_columns(user), title=_("Cameras"),
        basename="camaras", add_url=reverse("cameras:device_create"), template="cameras/device_list.html",
    )


def _download(content: str, content_type: str, basename: str, ext: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.{ext}"'
    return response


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
    return render(request, "cameras/device_detail.html", {
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
        "sightings": sightings,
        "sighting_rows": sighting_rows,
        "link_form": (link_form or LinkIncidentForm(user=user)) if can_change else None,
        **_map_context(request, **_layers(user, [device])),
    }, status=http_status)


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
            _errors_to_form(form, exc)
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
    return redirect(request.POST.get("next") if url_has_allowed_host_and_scheme(
        request.POST.get("next"), allowed_hosts={request.get_host()}) else sighting.device.get_absolute_url())


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
        request, form_class=DeviceForm, instance=device, save=_save_device, title=title,
        success_url=lambda obj: obj.get_absolute_url(), form_kwargs={"user": request.user},
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
            services.change_lifecycle(request.user, device, form.cleaned_data["to_status"], form.cleaned_data["reason"],
                                      reactivation=form.cleaned_data.get("reactivation"))
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Status changed to “%(s)s”.") % {"s": device.get_lifecycle_display()})
            return redirect(device.get_absolute_url())
    return device_detail(request, pk, lifecycle_form=form)


def _errors_to_form(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- maintenance --------------------------------------------------------------------------------------------------


def ticket_list(request):
    return list_view(
        request, queryset=selectors.tickets_for(request.user), filterset_class=TicketFilter, columns=columns.TICKET,
        title=_("Maintenance tickets"), basename="mantenimiento", add_url=reverse("cameras:ticket_create"),
        extra={"add_choices": [(reverse("cameras:schedule_list"), _("Preventive maintenance"))]},
    )


def ticket_detail(request, pk, forms=None, status=200):
    user = request.user
    ticket = get_scoped_or_404(selectors.tickets_for(user), pk)
    can_change = can(user, "change", ticket)
    open_ = ticket.status != MaintenanceTicket.Status.RESOLVED
    forms = forms or {}
    return render(request, "cameras/ticket_detail.html", {
        "ticket": ticket,
        "can_change": can_change and open_,
        "assign_form": forms.get("assign") or AssignForm(initial={"assigned_to": ticket.assigned_to_id}, user=user, ticket=ticket),
        "progress_form": forms.get("progress") or ProgressForm(),
        "resolve_form": forms.get("resolve") or ResolveForm(),
    }, status=status)


def ticket_create(request):
    user = request.user
    require(user, "add", MaintenanceTicket)
    initial = {"device": request.GET.get("device")} if request.GET.get("device") else None
    form = TicketForm(request.POST or None, user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            ticket = services.open_ticket(user, form.cleaned_data["device"], form.cleaned_data["description"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not save this record here (it belongs to another parish)."))
        else:
            messages.success(request, _("Saved."))
            return redirect(ticket.get_absolute_url())
    return render(request, "lib/form.html", {"form": form, "title": _("Report a failure"), "object": MaintenanceTicket()})


def _ticket_action(request, pk, key, form_class, apply):
    ticket = get_scoped_or_404(selectors.tickets_for(request.user), pk)
    if request.method != "POST":
        return redirect(ticket.get_absolute_url())
    require(request.user, "change", ticket)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            apply(ticket, form.cleaned_data)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect(ticket.get_absolute_url())
    return ticket_detail(request, pk, forms={key: form}, status=400)


def ticket_assign(request, pk):
    def form_class(data):
        return AssignForm(data, user=request.user, ticket=get_scoped_or_404(selectors.tickets_for(request.user), pk))
    return _ticket_action(request, pk, "assign", form_class, lambda t, d: services.assign_ticket(
        request.user, t, d["assigned_to"], d.get("notes", "")))


def ticket_progress(request, pk):
    def apply(ticket, data):
        if ticket.status == MaintenanceTicket.Status.IN_PROGRESS:
            services.add_ticket_note(request.user, ticket, data["notes"])
        else:
            services.start_ticket(request.user, ticket, data["notes"])
    return _ticket_action(request, pk, "progress", ProgressForm, apply)


def ticket_resolve(request, pk):
    def apply(ticket, data):
        services.resolve_ticket(request.user, ticket, cause=data["cause"], parts=data.get("parts", ""), cost=data["cost"])
        if data.get("notes"):
            services.add_ticket_note(request.user, ticket, data["notes"])
    return _ticket_action(request, pk, "resolve", ResolveForm, apply)


def schedule_list(request):
    user = request.user
    require(user, "view", MaintenanceSchedule)
    today = timezone.localdate()
    schedules = selectors.schedules_for(user)
    groups = {
        "overdue": list(schedules.filter(next_due__lt=today)),
        "due": list(selectors.due_schedules(user, today=today).filter(next_due__gte=today)),
        "later": list(schedules.filter(next_due__gt=today + timedelta(days=14))),
    }
    visits = services.preventive_visits([s for rows in groups.values() for s in rows])
    for rows in groups.values():
        for s in rows:  # the latest visit, how late it is, and whether this user may record one
            s.last_visit = visits.get(s.pk)
            s.days_overdue = (today - s.next_due).days if s.next_due < today else 0
            s.can_done = can(user, "change", s)
    return render(request, "cameras/schedule_list.html", {
        **groups,
        "today": today,
        "can_add": can(user, "add", MaintenanceSchedule),
    })


@require_POST
def schedule_done(request, pk):
    """Record that a preventive task was done (date and note): its next due date moves on."""
    user = request.user
    schedule = get_scoped_or_404(selectors.schedules_for(user), pk)
    require(user, "change", schedule)
    form = ScheduleDoneForm(request.POST)
    if form.is_valid():
        try:
            services.complete_schedule(user, schedule, done_on=form.cleaned_data["done_on"],
                                       note=form.cleaned_data["note"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
    if form.errors:
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, _("Not recorded (%(task)s, %(code)s): %(problems)s") % {
            "task": schedule.task, "code": schedule.device.code, "problems": problems})
        return redirect(reverse("cameras:schedule_list"))
    messages.success(request, _("Done recorded: %(task)s at %(code)s, next due on %(date)s.") % {
        "task": schedule.task, "code": schedule.device.code, "date": schedule.next_due.strftime("%d/%m/%Y")})
    return redirect(reverse("cameras:schedule_list"))


def schedule_create(request):
    schedule = MaintenanceSchedule()
    return form_view(
        request, form_class=ScheduleForm, instance=schedule, save=_save, title=_("New preventive maintenance"),
        success_url=lambda obj: reverse("cameras:schedule_list"), form_kwargs={"user": request.user},
    )


# --- footage requests ----------------------------------------------------------------------------------------------


def footage_list(request):
    return list_view(
        request, queryset=selectors.footage_for(request.user), filterset_class=FootageFilter, columns=columns.FOOTAGE,
        title=_("Footage requests"), basename="pedidos-video", add_url=reverse("cameras:footage_create"),
    )


def footage_detail(request, pk):
    user = request.user
    require(user, "view", FootageRequest)
    item = get_scoped_or_404(selectors.footage_for(user), pk)
    return render(request, "cameras/footage_detail.html", {
        "item": item, "can_change": can(user, "change", item),
        "incident_url": selectors.incident_url(item.incident) if item.incident_id else None,
    })


def footage_create(request):
    initial = {"devices": request.GET.getlist("device")} if request.GET.get("device") else {}
    incident = _incident_from_query(request)
    if incident is not None:
        # footage from an hour before to an hour after, from the cameras that saw it
        local = timezone.localtime(incident.occurred_at)
        initial.update(incident=incident.pk, period_start=local - timedelta(hours=1), period_end=local + timedelta(hours=1))
        if not initial.get("devices"):
            initial["devices"] = list(incident.sightings.values_list("device_id", flat=True))
    return form_view(
        request, form_class=FootageRequestForm, instance=FootageRequest(requested_at=timezone.now()), save=_save_footage,
        title=_("New footage request"), success_url=lambda obj: reverse("cameras:footage_detail", args=[obj.pk]),
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
        request, form_class=FootageAnswerForm, instance=item, save=_save_footage, title=_("Answer the request"),
        success_url=lambda obj: reverse("cameras:footage_detail", args=[obj.pk]),
    )


# --- ECU 911 --------------------------------------------------------------------------------------------------------


def ecu911_page(request):
    user = request.user
    require(user, "view", Device)
    devices = selectors.ecu911_devices(user)
    return render(request, "cameras/ecu911.html", {
        "devices": devices,
        "rows": [(d, selectors.status_of(d), selectors.STATUS_LABELS[selectors.status_of(d)]) for d in devices],
        "counts": {s: sum(1 for d in devices if selectors.status_of(d) == s) for s in selectors.STATUSES},
        "trainings": selectors.ecu911_trainings(user),
        "can_export": can(user, "export", Device),
        **_map_context(request, **_layers(user, devices)),
    })


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
            return _download(csv_path.read_text(encoding="utf-8"), "text/csv", "camaras-ecu911", "csv")
        return _download(geo_path.read_text(encoding="utf-8"), "application/geo+json", "camaras-ecu911", "geojson")
