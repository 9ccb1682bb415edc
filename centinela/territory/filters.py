import django_filters
from django.utils.translation import gettext_lazy as _

from centinela.accounts.permissions import scope
from centinela.lib.filters import SearchFilterSet
from centinela.territory.models import Barrio, Parish, Place


def parish_choices(request):
    """The parishes a filter's choice list offers: those the user sees, names only (not the boundaries)."""
    return scope(request.user, Parish.objects.only("id", "name")) if request else Parish.objects.none()


class ParishFilter(SearchFilterSet):
    search_fields = ("name", "code", "seat")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Parish.Kind.choices)

    class Meta:
        model = Parish
        fields = ["q", "kind"]


class BarrioFilter(SearchFilterSet):
    search_fields = ("name", "code")
    parish = django_filters.ModelChoiceFilter(label=_("Parish"), queryset=parish_choices)

    class Meta:
        model = Barrio
        fields = ["q", "parish"]


class PlaceFilter(SearchFilterSet):
    search_fields = ("name", "address", "notes")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Place.Kind.choices)
    parish = django_filters.ModelChoiceFilter(label=_("Parish"), queryset=parish_choices)
    location_verified = django_filters.BooleanFilter(label=_("Location verified"))

    class Meta:
        model = Place
        fields = ["q", "kind", "parish", "location_verified"]
