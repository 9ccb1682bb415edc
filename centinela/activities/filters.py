import django_filters
from django.utils.translation import gettext_lazy as _

from centinela.accounts.permissions import scope
from centinela.activities.models import Activity, Plan, Programme
from centinela.partners.models import Institution
from centinela.territory.filters import SearchFilterSet
from centinela.territory.models import Parish


def _parishes(request):
    return scope(request.user, Parish.objects.only("id", "name")) if request else Parish.objects.none()


# Choice lists show labels: only what the labels read (Programme: code and name; Institution: short name or name).
def _programmes(request):
    return scope(request.user, Programme.objects.only("id", "code", "name")) if request else Programme.objects.none()


class ActivityFilter(SearchFilterSet):
    search_fields = ("title", "description", "place__name")
    starts_at = django_filters.DateFromToRangeFilter(
        label=_("Period"), field_name="starts_at__date",
        widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}),
    )
    parish = django_filters.ModelChoiceFilter(label=_("Parish"), queryset=_parishes)
    programme = django_filters.ModelChoiceFilter(label=_("Programme"), queryset=_programmes)
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Activity.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Activity.Status.choices)
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"), field_name="partners", queryset=Institution.objects.only("id", "name", "short_name"),
        distinct=True
    )

    class Meta:
        model = Activity
        fields = ["q", "starts_at", "parish", "programme", "kind", "status", "partner"]


class PlanFilter(SearchFilterSet):
    search_fields = ("name", "objectives")
    level = django_filters.ChoiceFilter(label=_("Level"), choices=Plan.Level.choices)
    parish = django_filters.ModelChoiceFilter(label=_("Parish"), queryset=_parishes)

    class Meta:
        model = Plan
        fields = ["q", "level", "parish"]
