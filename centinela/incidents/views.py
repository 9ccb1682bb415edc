"""Incident registry pages: the list (filters, export, synthetic-data banner), an incident's page (map, status,
cameras that saw it), the form for incidents entered by hand, import profiles, and the upload page whose
confirmation runs the import as a background job. Thin: reads from selectors, changes through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from centinela.accounts.permissions import can, can_read_audit, require
from centinela.incidents import columns, jobs, selectors, services
from centinela.incidents.filters import IncidentFilter, ProfileFilter
from centinela.incidents.forms import ImportProfileForm, ImportUploadForm, IncidentForm, StatusForm
from centinela.incidents.importer import incident_importer
from centinela.incidents.models import ImportProfile, Incident
from centinela.lib.import_views import PreviewAsJob, import_page
from centinela.lib.maps import map_context, shared_layers
from centinela.lib.views import form_view, get_scoped_or_404, list_map_data, list_view
from centinela.territory import selectors as territory
from centinela.territory.models import Barrio, Parish

IMPORT_EXTENSIONS = {".csv", ".txt", ".xlsx"}
IMPORT_MAX_BYTES = 300 * 1024 * 1024  # a year of ECU 911 calls for the canton is well under this
SHOWN_PROBLEMS = 200


def may_import(user) -> bool:
    """Imports write incidents of every parish and use profiles, which belong to no parish: the council's staff."""
    return can(user, "add", Incident) and can(user, "add", ImportProfile)


# --- incidents ---------------------------------------------------------------------------------------------------


def incident_list(request):
    user = request.user
    return list_view(
        request,
        queryset=selectors.listed_incidents(user),
        rows=selectors.incident_rows,
        filterset_class=IncidentFilter,
        columns=columns.incident_columns(user),
        title=_("Incidents"),
        basename="incidentes",
        add_url=reverse("incidents:incident_create"),
        template="incidents/incident_list.html",
        extra={
            "synthetic": selectors.synthetic_present(),
            "import_url": reverse("incidents:import") if may_import(user) else None,
            "import_label": _("Import a file"),
            "profiles_url": reverse("incidents:profile_list") if can(user, "view", ImportProfile) else None,
            "categories_url": reverse("admin:incidents_category_changelist") if user.is_staff else None,
            "list_map_url": reverse("incidents:incident_map_data"),
            # the layers other apps register (the open citizen reports, by role) beside the filtered incidents
            "list_map_layers": shared_layers(user),
        },
    )


def incident_map_data(request):
    """The list's map: the rows the list's filters select, masked by role (selectors.incident_map_features)."""
    return list_map_data(
        request,
        queryset=selectors.listed_incidents(request.user),
        filterset_class=IncidentFilter,
        features=lambda qs: selectors.incident_map_features(request.user, qs),
    )


def incident_detail(request, pk, status_form=None):
    user = request.user
    incident = get_scoped_or_404(selectors.incidents_for(user), pk)
    exact = selectors.sees_exact_location(user)
    choices = services.TRANSITIONS.get(incident.status, [])
    can_change = can(user, "change", incident)
    if can_change and choices and status_form is None:
        status_form = StatusForm(choices=choices)
    layers = {}
    if incident.parish_id:
        layers["parishes"] = territory.parishes_geojson(user, Parish.objects.filter(pk=incident.parish_id))
    if incident.barrio_id:
        layers["barrios"] = territory.barrios_geojson(user, Barrio.objects.filter(pk=incident.barrio_id))
    history = None
    if can_read_audit(user):
        from auditlog.models import LogEntry

        history = LogEntry.objects.get_for_object(incident).select_related("actor").order_by("-timestamp")[:20]
    return render(
        request,
        "incidents/incident_detail.html",
        {
            "incident": incident,
            "exact": exact,
            "point": {"lat": incident.lat, "lon": incident.lon, "label": str(incident.category)} if exact else None,
            "can_change": can_change,
            "status_form": status_form if can_change and (choices or getattr(status_form, "is_bound", False)) else None,
            "history": history,
            # the cameras that saw it: the cameras app's include when it is there (another area fills it)
            "cameras_template": select_template(["cameras/_incident_sightings.html", "incidents/_cameras.html"]),
            **map_context(request, **layers),
        },
        status=400 if status_form is not None and status_form.is_bound else 200,
    )


def _incident_form(request, incident, title):
    return form_view(
        request,
        form_class=IncidentForm,
        instance=incident,
        save=services.create_incident,
        title=title,
        success_url=lambda obj: obj.get_absolute_url(),
        template="incidents/incident_form.html",
        extra={
            **map_context(request, parishes=territory.parishes_geojson(request.user)),
            "picker": True,
            "cancel_url": incident.get_absolute_url() if incident.pk else reverse("incidents:incident_list"),
        },
    )


def incident_create(request):
    return _incident_form(request, Incident(), _("New incident"))


def incident_edit(request, pk):
    incident = get_scoped_or_404(selectors.incidents_for(request.user), pk)
    if not selectors.sees_exact_location(request.user):
        raise PermissionDenied  # the form shows the exact point
    return _incident_form(request, incident, _("Edit incident"))


@require_POST
def incident_status(request, pk):
    incident = get_scoped_or_404(selectors.incidents_for(request.user), pk)
    require(request.user, "change", incident)
    form = StatusForm(request.POST, choices=services.TRANSITIONS.get(incident.status, []))
    if form.is_valid():
        try:
            services.change_status(request.user, incident, form.cleaned_data["status"])
        except ValidationError as exc:
            form.add_error("status", exc.messages)
        else:
            messages.success(request, _("The incident is now %(status)s.") % {"status": incident.get_status_display()})
            return redirect(incident.get_absolute_url())
    return incident_detail(request, pk, status_form=form)


# --- import profiles ---------------------------------------------------------------------------------------------


def profile_list(request):
    return list_view(
        request,
        queryset=selectors.profiles_for(request.user),
        filterset_class=ProfileFilter,
        columns=columns.PROFILE,
        title=_("Import profiles"),
        basename="perfiles-importacion",
        add_url=reverse("incidents:profile_create"),
        extra={
            "import_url": reverse("incidents:import") if may_import(request.user) else None,
            "import_label": _("Import a file"),
        },
    )


def _profile_form(request, profile, title):
    return form_view(
        request,
        form_class=ImportProfileForm,
        instance=profile,
        save=services.save_profile_record,
        title=title,
        success_url=lambda obj: reverse("incidents:profile_list"),
        extra={"cancel_url": reverse("incidents:profile_list")},
    )


def profile_create(request):
    return _profile_form(request, ImportProfile(), _("New import profile"))


def profile_edit(request, pk):
    profile = get_scoped_or_404(selectors.profiles_for(request.user), pk)
    return _profile_form(request, profile, _("Edit import profile"))


# --- the upload page ---------------------------------------------------------------------------------------------


def import_upload(request):
    user = request.user
    if not may_import(user):
        raise PermissionDenied

    def make_importer(params, skip=frozenset()):
        profile = ImportProfile.objects.select_related("source").filter(pk=params["profile"]).first()
        if profile is None:
            raise ValidationError(_("The import profile no longer exists."))
        return incident_importer(profile, skip=skip)

    def confirm_as_job(path, params, skip=frozenset()):
        from centinela.jobs.services import submit

        job = submit(
            user,
            jobs.KIND,
            {
                "file": jobs.hold(path),
                "profile": params["profile"],
                "skip": sorted(skip),
                "filename": params.get("filename", ""),
                "rejected_urls": params.get("rejected_urls"),
                "rejected": params.get("rejected"),  # where the job writes the rejected rows (lib.import_views)
            },
        )
        messages.success(request, _("The import runs in the background; this page follows it."))
        return reverse("jobs:job_detail", args=[job.pk])

    def check_as_job(params):  # a large file is checked by the worker, not in this request
        from centinela.jobs.services import submit

        job = submit(user, jobs.CHECK_KIND, params)
        messages.info(request, _("A large file: it is checked in the background; this page follows the check."))
        return reverse("jobs:job_detail", args=[job.pk]) + "?follow=1"  # on to the preview once checked

    return import_page(
        request,
        template="incidents/import.html",
        context={
            "title": _("Import incidents"),
            "shown_problems": SHOWN_PROBLEMS,
            "shown_problems_slice": f":{SHOWN_PROBLEMS}",
            "profiles": selectors.profiles_for(user),
        },
        form_class=ImportUploadForm,
        make_importer=make_importer,
        extensions=IMPORT_EXTENSIONS,
        max_bytes=IMPORT_MAX_BYTES,
        session_key="incident_import",
        retry_url=reverse("incidents:import"),
        skip_problem_rows=True,  # each row is one incident: the valid ones may go in without the others
        confirm_as_job=confirm_as_job,
        preview_as_job=PreviewAsJob(submit=check_as_job, result=lambda job_id: jobs.checked(user, job_id)),
    )
