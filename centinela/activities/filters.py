"""The list filters of activities, plans and trainings: the same fields the pages offer, the exports and the API
honour."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy  # spelled out: makemessages does not know an alias such as _l
from django.utils.translation import gettext_lazy as _

from centinela.accounts.permissions import scope
from centinela.activities.models import Activity, Plan, Programme, Training
from centinela.activities.selectors import training as training_selectors
from centinela.lib.filters import DateRangePicker, SearchFilterSet
from centinela.partners.models import Institution
from centinela.territory.models import Parish


def _parishes(request):
    return scope(request.user, Parish.objects.only("id", "name")) if request else Parish.objects.none()


# Choice lists show labels: only what the labels read (Programme: code and name; Institution: short name or name).
def _programmes(request):
    return scope(request.user, Programme.objects.only("id", "code", "name")) if request else Programme.objects.none()


class ActivityFilter(SearchFilterSet):
    search_fields = ("title", "description", "place__name")
    starts_at = django_filters.DateFromToRangeFilter(
        label=_("Period"),
        field_name="starts_at__date",
        widget=DateRangePicker(),
    )
    parish = django_filters.ModelChoiceFilter(label=_("Parish"), queryset=_parishes)
    programme = django_filters.ModelChoiceFilter(label=_("Programme"), queryset=_programmes)
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Activity.Kind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Activity.Status.choices)
    partner = django_filters.ModelChoiceFilter(
        label=_("Partner"),
        field_name="partners",
        queryset=Institution.objects.only("id", "name", "short_name"),
        distinct=True,
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


def _training_parishes(request):
    return training_selectors.parishes_for(request.user) if request else Parish.objects.none()


def _training_programmes(request):
    return training_selectors.training_programmes(request.user) if request else Programme.objects.none()


class TrainingFilter(SearchFilterSet):
    search_fields = ("topic", "audience", "activity__title", "activity__place__name")
    period = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Period"),
        field_name="activity__starts_at__date",
        widget=DateRangePicker(suffixes=("min", "max")),
    )
    parish = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Parish"), field_name="activity__parish", queryset=_training_parishes
    )
    programme = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Programme"), field_name="activity__programme", queryset=_training_programmes
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), field_name="activity__status", choices=Activity.Status.choices
    )

    class Meta:
        model = Training
        fields = ["q", "period", "parish", "programme", "status"]
