"""The front door: the home page, the canton's map with the user's counts, coming activities and expiring
agreements."""

from django.shortcuts import render

from centinela.lib.maps import map_context, shared_layers
from centinela.territory import selectors


def home(request):
    from centinela.activities.selectors.plans import upcoming_activities
    from centinela.partners.selectors import expiring_agreements

    user = request.user
    context = {
        "expiring_agreements": expiring_agreements(user=user),
        "upcoming": upcoming_activities(user, days=14),
        "counts": selectors.counts(user),
        "any_approximate": selectors.any_approximate(user),
        **map_context(
            request,
            parishes=selectors.parishes_geojson(user),
            barrios=selectors.barrios_geojson(user),
            places=selectors.places_geojson(user),
            **shared_layers(user),
        ),
    }
    return render(request, "core/home.html", context)
