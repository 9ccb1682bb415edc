"""Filters of the committee list and the agreements board (django-filter), shared by the pages and their exports."""

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from centinela.accounts.permissions import scope
from centinela.lib.filters import SearchFilterSet
from centinela.participation.committees.models import OPEN_AGREEMENT, Committee, CommitteeAgreement
from centinela.territory.models import Barrio, Parish


def _parishes(request):
    return scope(request.user, Parish.objects.only("id", "name")) if request else Parish.objects.none()


def _barrios(request):
    return scope(request.user, Barrio.objects.only("id", "name")).order_by("name") if request else Barrio.objects.none()


class CommitteeFilter(SearchFilterSet):
    search_fields = ("name", "barrio__name", "notes")
    parish = django_filters.ModelChoiceFilter(label=_("Parish"), queryset=_parishes, field_name="barrio__parish")
    barrio = django_filters.ModelChoiceFilter(label=_("Barrio"), queryset=_barrios)
    active = django_filters.BooleanFilter(label=pgettext_lazy("committee", "Active"))

    class Meta:
        model = Committee
        fields = ["q", "parish", "barrio", "active"]


class AgreementFilter(SearchFilterSet):
    search_fields = ("text", "responsible", "meeting__committee__name", "meeting__committee__barrio__name")
    parish = django_filters.ModelChoiceFilter(
        label=_("Parish"), queryset=_parishes, field_name="meeting__committee__barrio__parish"
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=CommitteeAgreement.Status.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = CommitteeAgreement
        fields = ["q", "parish", "status", "overdue"]

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=list(OPEN_AGREEMENT), due_on__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
