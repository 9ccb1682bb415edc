"""Filters of the incident list: the same fields the page offers, the export and the API honour."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centinela.accounts.permissions import scope
from centinela.incidents.models import Category, ImportProfile, Incident, Source
from centinela.incidents.selectors import sees_exact_location
from centinela.lib.dates import DatePicker
from centinela.lib.filters import SearchFilterSet
from centinela.territory.filters import parish_choices
from centinela.territory.models import Barrio

DATE = DatePicker()
PERIODS = [
    ("7d", _("Last 7 days")),
    ("30d", _("Last 30 days")),
    ("90d", _("Last 90 days")),
    ("year", _("This year")),
    ("last_year", _("Last year")),
]


def _barrios(request):
    # a choice list shows names: only they are read (not the boundaries)
    return scope(request.user, Barrio.objects.only("id", "name")) if request else Barrio.objects.none()


def period_range(period: str, today=None):
    """(first day, last day) of a named period, or None."""
    today = today or timezone.localdate()
    if period.endswith("d") and period[:-1].isdigit():
        return today - timedelta(days=int(period[:-1]) - 1), today
    if period == "year":
        return today.replace(month=1, day=1), today
    if period == "last_year":
        return today.replace(year=today.year - 1, month=1, day=1), today.replace(year=today.year - 1, month=12, day=31)
    return None


class IncidentFilter(SearchFilterSet):
    search_fields = ("source_ref", "address", "category__name")
    # The address is searched only for those who may read it (selectors.sees_exact_location): for anyone else a
    # search by street would say which incidents happened on it, the very detail their list and exports leave out.
    LOCATION_FIELDS = ("address",)
    period = django_filters.ChoiceFilter(label=_("Period"), choices=PERIODS, method="in_period")
    date_from = django_filters.DateFilter(label=_("From"), field_name="occurred_at", method="from_date", widget=DATE)
    date_to = django_filters.DateFilter(label=_("To"), field_name="occurred_at", method="to_date", widget=DATE)
    group = django_filters.ChoiceFilter(label=_("Group"), field_name="category__group", choices=Category.Group.choices)
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=Category.objects.all())
    source = django_filters.ModelChoiceFilter(label=_("Source"), queryset=Source.objects.all())
    parish = django_filters.ModelChoiceFilter(label=_("Parish"), queryset=parish_choices)
    barrio = django_filters.ModelChoiceFilter(label=_("Barrio"), queryset=_barrios)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Incident.Status.choices)

    def fields_to_search(self) -> tuple[str, ...]:
        if sees_exact_location(getattr(self.request, "user", None)):
            return self.search_fields
        return tuple(f for f in self.search_fields if f not in self.LOCATION_FIELDS)

    def _local_start(self, day):
        from datetime import datetime, time

        return timezone.make_aware(datetime.combine(day, time.min))

    # whole local days (America/Guayaquil), on the indexed column rather than a __date transform
    def from_date(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=self._local_start(value))

    def to_date(self, queryset, name, value):
        return queryset.filter(occurred_at__lt=self._local_start(value + timedelta(days=1)))

    def in_period(self, queryset, name, value):
        found = period_range(value)
        if not found:
            return queryset
        first, last = found
        return self.to_date(self.from_date(queryset, name, first), name, last)

    class Meta:
        model = Incident
        fields = ["q", "period", "date_from", "date_to", "group", "category", "source", "parish", "barrio", "status"]


class ProfileFilter(SearchFilterSet):
    search_fields = ("name", "source__name")

    class Meta:
        model = ImportProfile
        fields = ["q", "source"]
