"""Filters of the partner lists (django-filter), shared by the page and its CSV/XLSX export."""

import django_filters
from django.utils.translation import gettext_lazy as _

from centinela.accounts.permissions import scope
from centinela.lib.filters import SearchFilterSet
from centinela.partners import selectors
from centinela.partners.models import Agreement, Institution


def _institutions(request):
    return scope(request.user, Institution.objects.all()) if request else Institution.objects.none()


class InstitutionFilter(SearchFilterSet):
    search_fields = ("name", "short_name", "notes", "contacts__name")
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Institution.Kind.choices)
    is_council_member = django_filters.BooleanFilter(label=_("Council member"))
    active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Institution
        fields = ["q", "kind", "is_council_member", "active"]

    def search(self, queryset, name, value):
        return super().search(queryset, name, value).distinct()


STATUS_CHOICES = [
    ("in_force", _("In force")),
    ("expiring", _("Expiring")),
    ("expired", _("Expired")),
    ("pending", _("Not yet in force")),
]


class AgreementFilter(SearchFilterSet):
    search_fields = ("code", "title", "purpose", "counterpart__name", "counterpart__short_name")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="by_status")
    counterpart = django_filters.ModelChoiceFilter(label=_("Counterpart"), queryset=_institutions)

    class Meta:
        model = Agreement
        fields = ["q", "status", "counterpart"]

    def by_status(self, queryset, name, value):
        return selectors.with_status(queryset, value)


class InKindFilter(SearchFilterSet):
    """The year chooses which contributions are summed, not which institutions are listed: it is applied by
    annotating the sums last (`filter_queryset`)."""

    search_fields = ("name", "short_name")
    year = django_filters.ChoiceFilter(label=_("Year"), empty_label=_("All years"), method=lambda qs, name, value: qs)
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Institution.Kind.choices)

    class Meta:
        model = Institution
        fields = ["q", "year", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(y, y) for y in selectors.contribution_years(self.request.user)]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        year = self.form.cleaned_data.get("year")
        return selectors.with_in_kind(queryset, self.request.user, year=int(year) if year else None)
