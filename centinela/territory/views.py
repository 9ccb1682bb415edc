"""Territory pages: the home map, and list / detail / create / edit for parishes, barrios and places."""
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can
from centinela.lib.views import form_view, get_scoped_or_404, list_view
from centinela.territory import columns, selectors, services
from centinela.territory.filters import BarrioFilter, ParishFilter, PlaceFilter
from centinela.territory.forms import BarrioForm, ParishForm, PlaceForm
from centinela.territory.models import Barrio, Parish, Place


def _map_context(request, **layers):
    from django.conf import settings

    return {
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        "map_layers": layers,
    }


def home(request):
    from centinela.activities.selectors import upcoming_activities
    from centinela.partners.selectors import expiring_agreements

    user = request.user
    context = {
        "expiring_agreements": expiring_agreements(user=user),
        "upcoming": upcoming_activities(user, days=14),
        "counts": selectors.counts(user),
        "any_approximate": selectors.any_approximate(user),
        **_map_context(
            request,
            parishes=selectors.parishes_geojson(user),
            barrios=selectors.barrios_geojson(user),
            places=selectors.places_geojson(user),
        ),
    }
    return render(request, "territory/home.html", context)


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
            "barrios": selectors.barrios_for(user).filter(parish=parish),
            "places": selectors.places_for(user).filter(parish=parish),
            "can_change": can(user, "change", parish),
            **_map_context(
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
            "places": selectors.places_for(user).filter(barrio=barrio),
            "can_change": can(user, "change", barrio),
            **_map_context(
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
            **_map_context(request, places=selectors.places_geojson(request.user, selectors.places_for(request.user).filter(pk=place.pk))),
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
        template="territory/form.html",
        extra={**_map_context(request, parishes=selectors.parishes_geojson(request.user)), "picker": picker},
        **kwargs,
    )


def place_create(request):
    return _edit(request, form_class=PlaceForm, instance=Place(), save=services.save_place, title=_("New place"), detail="territory:place_detail")


def place_edit(request, pk):
    place = get_scoped_or_404(selectors.places_for(request.user), pk)
    return _edit(request, form_class=PlaceForm, instance=place, save=services.save_place, title=_("Edit place"), detail="territory:place_detail")


def barrio_create(request):
    return _edit(
        request, form_class=BarrioForm, instance=Barrio(), save=services.save_barrio, title=_("New barrio"),
        detail="territory:barrio_detail", form_kwargs={"user": request.user},
    )


def barrio_edit(request, pk):
    barrio = get_scoped_or_404(selectors.barrios_for(request.user), pk)
    return _edit(
        request, form_class=BarrioForm, instance=barrio, save=services.save_barrio, title=_("Edit barrio"),
        detail="territory:barrio_detail", form_kwargs={"user": request.user},
    )


def parish_edit(request, pk):
    parish = get_scoped_or_404(selectors.parishes_for(request.user), pk)
    return _edit(request, form_class=ParishForm, instance=parish, save=services.save_parish, title=_("Edit parish"), detail="territory:parish_detail")
