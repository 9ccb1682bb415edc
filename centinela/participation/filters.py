"""Filters of the report inbox (django-filter), shared by the page and its CSV/XLSX export."""

from datetime import datetime, time, timedelta

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from centinela.accounts.permissions import scope
from centinela.lib.dates import DatePicker, bound_dates
from centinela.lib.filters import SearchFilterSet
from centinela.participation.models import Report, ReportCategory
from centinela.territory.models import Barrio, Parish


def _categories(request):
    return ReportCategory.objects.all()


def _parishes(request):
    # the parishes the user sees, names only (not the boundaries)
    return scope(request.user, Parish.objects.only("id", "name")) if request else Parish.objects.none()


class ReportFilter(SearchFilterSet):
    search_fields = ("code", "public_text", "description", "barrio__name")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Report.Status.choices)
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=_categories)
    parish = django_filters.ModelChoiceFilter(label=_("Parish"), queryset=_parishes)
    published = django_filters.BooleanFilter(label=_("Published"))
    flagged = django_filters.BooleanFilter(label=_("To moderate"))

    class Meta:
        model = Report
        fields = ["q", "status", "category", "parish", "published", "flagged"]


PUBLIC_STATUSES = [(v, label) for v, label in Report.Status.choices if v != Report.Status.DUPLICATE]
DATE = DatePicker()


def _public_barrios(request):
    return Barrio.objects.only("id", "name").order_by("name")


class PublicReportFilter(django_filters.FilterSet):
    """The public map and list (no account): category, status, barrio and the day received (local days)."""

    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=_categories)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=PUBLIC_STATUSES)
    barrio = django_filters.ModelChoiceFilter(label=_("Barrio"), queryset=_public_barrios)
    date_from = django_filters.DateFilter(label=_("From"), method="from_date", widget=DATE)
    date_to = django_filters.DateFilter(label=_("To"), method="to_date", widget=DATE)

    class Meta:
        model = Report
        fields = ["category", "status", "barrio", "date_from", "date_to"]

    @property
    def form(self):
        if not hasattr(self, "_form"):
            bound_dates(super().form)
        return self._form

    @staticmethod
    def _start(day):
        return timezone.make_aware(datetime.combine(day, time.min))

    def from_date(self, queryset, name, value):
        return queryset.filter(created_at__gte=self._start(value))

    def to_date(self, queryset, name, value):
        return queryset.filter(created_at__lt=self._start(value + timedelta(days=1)))
