"""Filters of the camera lists: the same fields the page offers and the exports honour."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from centinela.cameras.models import Device, FootageRequest, Lifecycle, MaintenanceTicket, Site, System
from centinela.lib.filters import SearchFilterSet
from centinela.territory.filters import parish_choices


def _devices(request):
    from centinela.accounts.permissions import scope

    return scope(request.user, Device.objects.all()) if request else Device.objects.none()


class SiteFilter(SearchFilterSet):
    search_fields = ("name", "address", "notes")
    parish = django_filters.ModelChoiceFilter(label=_("Parish"), queryset=parish_choices)

    class Meta:
        model = Site
        fields = ["q", "parish"]


class DeviceFilter(SearchFilterSet):
    search_fields = ("code", "name", "system__name", "system__site__name", "brand", "model")
    lifecycle = django_filters.ChoiceFilter(label=_("Status"), choices=Lifecycle.choices)
    health = django_filters.ChoiceFilter(label=_("Health"), choices=Device.Health.choices)
    camera_type = django_filters.ChoiceFilter(label=_("Camera type"), choices=Device.CameraType.choices)
    owner = django_filters.ChoiceFilter(label=_("Owner"), field_name="system__owner", choices=System.Owner.choices)
    monitored_by = django_filters.ChoiceFilter(
        label=_("Monitored by"), field_name="system__monitored_by", choices=System.MonitoredBy.choices
    )
    parish = django_filters.ModelChoiceFilter(
        label=_("Parish"), field_name="system__site__parish", queryset=parish_choices
    )

    class Meta:
        model = Device
        fields = ["q", "lifecycle", "health", "camera_type", "owner", "monitored_by", "parish"]


class TicketFilter(SearchFilterSet):
    search_fields = ("device__code", "device__name", "description", "cause")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=MaintenanceTicket.Status.choices)
    open = django_filters.BooleanFilter(
        label=_("Open"),
        method="only_open",
        widget=forms.Select(choices=[("", "---------"), ("true", _("yes")), ("false", _("no"))]),
    )
    device = django_filters.ModelChoiceFilter(label=_("Camera"), queryset=_devices)
    parish = django_filters.ModelChoiceFilter(
        label=_("Parish"), field_name="device__system__site__parish", queryset=parish_choices
    )

    def only_open(self, queryset, name, value):
        if value is None:
            return queryset
        resolved = queryset.filter(status=MaintenanceTicket.Status.RESOLVED)
        return queryset.exclude(pk__in=resolved) if value else resolved

    class Meta:
        model = MaintenanceTicket
        fields = ["q", "status", "open", "device", "parish"]


class FootageFilter(SearchFilterSet):
    search_fields = ("requester", "incident_reference", "notes", "institution__name")
    outcome = django_filters.ChoiceFilter(label=_("Outcome"), choices=FootageRequest.Outcome.choices)

    class Meta:
        model = FootageRequest
        fields = ["q", "outcome", "institution"]
