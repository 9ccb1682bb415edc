import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from centinela.accounts.permissions import scope
from centinela.lib.dates import bound_dates
from centinela.territory.models import Barrio, Parish, Place


def _parishes(request):
    # a choice list shows names: only they are read (not the boundaries)
    return scope(request.user, Parish.objects.only("id", "name")) if request else Parish.objects.none()


class SearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"})
    )
    search_fields: tuple[str, ...] = ("name",)

    @property
    def form(self):
        """The filter form with every date kept in range: a year 99999 is a form error, not a 500 (lib.dates)."""
        if not hasattr(self, "_form"):
            bound_dates(super().form)
        return self._form

    def search(self, queryset, name, value):
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


class ParishFilter(SearchFilterSet):
    search_fields = ("name", "code", "seat")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Parish.Kind.choices)

    class Meta:
        model = Parish
        fields = ["q", "kind"]


class BarrioFilter(SearchFilterSet):
    search_fields = ("name", "code")
    parish = django_filters.ModelChoiceFilter(label=_("Parish"), queryset=_parishes)

    class Meta:
        model = Barrio
        fields = ["q", "parish"]


class PlaceFilter(SearchFilterSet):
    search_fields = ("name", "address", "notes")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Place.Kind.choices)
    parish = django_filters.ModelChoiceFilter(label=_("Parish"), queryset=_parishes)
    location_verified = django_filters.BooleanFilter(label=_("Location verified"))

    class Meta:
        model = Place
        fields = ["q", "kind", "parish", "location_verified"]
