"""Territory pages: list / detail / create / edit for parishes, barrios and places."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can
from centinela.jobs.services import hold, submit
from centinela.lib.import_views import PreviewAsJob, import_page
from centinela.lib.maps import map_context
from centinela.lib.views import form_view, get_scoped_or_404, list_view
from centinela.territory import boundaries, columns, jobs, selectors, services
from centinela.territory.filters import BarrioFilter, ParishFilter, PlaceFilter
from centinela.territory.forms import (
    BarrioForm,
    BarrioPopulationForm,
    BoundaryUploadForm,
    ParishForm,
    ParishPopulationForm,
    PlaceForm,
)
from centinela.territory.models import Barrio, BarrioPopulation, Parish, ParishPopulation, Place


def parish_list(request):
    return list_view(
        request,
        queryset=selectors.parishes_for(request.user),
        filterset_class=ParishFilter,
        columns=columns.PARISH,
        title=_("Parishes"),
        basename="parroquias",
        extra={
            "import_url": reverse("territory:boundary_import") if can(request.user, "change", Parish) else None,
            "import_label": _("Import boundaries"),
        },
    )


def barrio_list(request):
    return list_view(
        request,
        queryset=selectors.barrios_for(request.user),
        filterset_class=BarrioFilter,
        columns=columns.BARRIO,
        title=_("Barrios"),
        basename="barrios",
        add_url=reverse("territory:barrio_create"),
    )


def place_list(request):
    return list_view(
        request,
        queryset=selectors.listed_places(request.user),
        rows=selectors.place_rows,
        filterset_class=PlaceFilter,
        columns=columns.PLACE,
        title=_("Places"),
        basename="lugares",
        add_url=reverse("territory:place_create"),
    )


def parish_detail(request, pk):
    parish = get_scoped_or_404(selectors.parishes_for(request.user), pk)
    user = request.user
    return render(
        request,
        "territory/parish_detail.html",
        {
            "parish": parish,
            "populations": parish.populations.all(),
            "can_add_population": can(user, "add", ParishPopulation),
            "barrios": selectors.barrios_for(user).filter(parish=parish),
            "places": selectors.places_for(user).filter(parish=parish),
            "can_change": can(user, "change", parish),
            **map_context(
                request,
                parishes=selectors.parishes_geojson(user, selectors.parishes_for(user).filter(pk=parish.pk)),
                places=selectors.places_geojson(user, selectors.places_for(user).filter(parish=parish)),
            ),
        },
    )


def barrio_detail(request, pk):
    barrio = get_scoped_or_404(selectors.barrios_for(request.user), pk)
    user = request.user
    return render(
        request,
        "territory/barrio_detail.html",
        {
            "barrio": barrio,
            "populations": barrio.populations.all(),
            "can_add_population": can(user, "add", BarrioPopulation),
            "places": selectors.places_for(user).filter(barrio=barrio),
            "can_change": can(user, "change", barrio),
            **map_context(
                request,
                barrios=selectors.barrios_geojson(user, selectors.barrios_for(user).filter(pk=barrio.pk)),
                places=selectors.places_geojson(user, selectors.places_for(user).filter(barrio=barrio)),
            ),
        },
    )


def place_detail(request, pk):
    place = get_scoped_or_404(selectors.places_for(request.user), pk)
    return render(
        request,
        "territory/place_detail.html",
        {
            "place": place,
            "can_change": can(request.user, "change", place),
            **map_context(
                request,
                places=selectors.places_geojson(request.user, selectors.places_for(request.user).filter(pk=place.pk)),
            ),
        },
    )


def _edit(request, *, form_class, instance, save, title, detail, picker=True, **kwargs):
    return form_view(
        request,
        form_class=form_class,
        instance=instance,
        save=save,
        title=title,
        success_url=lambda obj: reverse(detail, args=[obj.pk]),
        template="lib/map_form.html",
        extra={**map_context(request, parishes=selectors.parishes_geojson(request.user)), "picker": picker},
        **kwargs,
    )


def place_create(request):
    return _edit(
        request,
        form_class=PlaceForm,
        instance=Place(),
        save=services.save_place,
        title=_("New place"),
        detail="territory:place_detail",
        form_kwargs={"user": request.user},
    )


def place_edit(request, pk):
    place = get_scoped_or_404(selectors.places_for(request.user), pk)
    return _edit(
        request,
        form_class=PlaceForm,
        instance=place,
        save=services.save_place,
        title=_("Edit place"),
        detail="territory:place_detail",
        form_kwargs={"user": request.user},
    )


def barrio_create(request):
    return _edit(
        request,
        form_class=BarrioForm,
        instance=Barrio(),
        save=services.save_barrio,
        title=_("New barrio"),
        detail="territory:barrio_detail",
        form_kwargs={"user": request.user},
    )


def barrio_edit(request, pk):
    barrio = get_scoped_or_404(selectors.barrios_for(request.user), pk)
    return _edit(
        request,
        form_class=BarrioForm,
        instance=barrio,
        save=services.save_barrio,
        title=_("Edit barrio"),
        detail="territory:barrio_detail",
        form_kwargs={"user": request.user},
    )


def parish_edit(request, pk):
    parish = get_scoped_or_404(selectors.parishes_for(request.user), pk)
    return _edit(
        request,
        form_class=ParishForm,
        instance=parish,
        save=services.save_parish,
        title=_("Edit parish"),
        detail="territory:parish_detail",
    )


def _population_create(request, area, form_class, figure):
    """A population figure (census or estimate, with its source) for a parish or a barrio, back to its page."""
    return form_view(
        request,
        form_class=form_class,
        instance=figure,
        save=services.save_population,
        title=_("New population figure for %(area)s") % {"area": area.name},
        success_url=lambda obj: area.get_absolute_url(),
    )


def parish_population_create(request, pk):
    parish = get_scoped_or_404(selectors.parishes_for(request.user), pk)
    return _population_create(request, parish, ParishPopulationForm, ParishPopulation(parish=parish))


def barrio_population_create(request, pk):
    barrio = get_scoped_or_404(selectors.barrios_for(request.user), pk)
    return _population_create(request, barrio, BarrioPopulationForm, BarrioPopulation(barrio=barrio))


# --- boundary upload: the import pipeline in the browser (upload, validate, preview, confirm, apply) ----------------


EXTENSIONS = {".geojson", ".json", ".zip", ".gpkg"}
MAX_BYTES = 50 * 1024 * 1024


def boundary_import(request):
    if not can(request.user, "change", Parish):
        raise PermissionDenied

    def confirm_as_job(path, params, skip=frozenset()):
        job = submit(request.user, jobs.KIND, {**params, "file": hold(path), "skip": sorted(skip)})
        messages.success(request, _("The import runs in the background; this page follows it."))
        return reverse("jobs:job_detail", args=[job.pk])

    def check_as_job(params):  # a large file is read and checked by the worker, not in this request
        job = submit(request.user, jobs.CHECK_KIND, params)
        messages.info(request, _("A large file: it is checked in the background; this page follows the check."))
        return reverse("jobs:job_detail", args=[job.pk]) + "?follow=1"  # on to the preview once checked

    return import_page(
        request,
        template="territory/boundary_import.html",
        context={"title": _("Import boundaries")},
        form_class=BoundaryUploadForm,
        make_importer=lambda params, skip: boundaries.importer_for(params, request.user, skip=skip),
        extensions=EXTENSIONS,
        max_bytes=MAX_BYTES,
        session_key="boundary_import",
        retry_url=reverse("territory:boundary_import"),
        confirm_as_job=confirm_as_job,
        skip_problem_rows=True,  # each feature is one area: the valid ones may go in without the others
        rejected=boundaries.RejectedFeatures(),  # a GeoJSON of the features left out: the import reads it back
        preview_as_job=PreviewAsJob(submit=check_as_job, result=lambda job_id: jobs.checked(request.user, job_id)),
    )
