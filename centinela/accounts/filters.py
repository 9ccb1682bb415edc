"""The list filters."""

import django_filters
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy

from centinela.accounts.models import Role, User
from centinela.lib.filters import SearchFilterSet

# the audit log's actions (django-auditlog's codes), as the trail and its filter name them
ACTIONS = {
    0: gettext_lazy("created"),
    1: gettext_lazy("updated"),
    2: gettext_lazy("deleted"),
    3: gettext_lazy("accessed"),
}


def audited_types(request=None):
    """The kinds of record the audit log records (every model registered with it, whatever app declares it), for
    the trail's filter: a fixed list of apps left out the citizen reports, incidents, cameras and others."""
    from auditlog.registry import auditlog

    ids = [ContentType.objects.get_for_model(model).pk for model in auditlog.get_models()]  # cached by Django
    return ContentType.objects.filter(pk__in=ids).order_by("app_label", "model")


class AuditFilter(django_filters.FilterSet):
    content_type = django_filters.ModelChoiceFilter(label=gettext_lazy("Record type"), queryset=audited_types)
    actor__username = django_filters.CharFilter(label=gettext_lazy("User"), lookup_expr="search")
    action = django_filters.ChoiceFilter(label=gettext_lazy("Action"), choices=list(ACTIONS.items()))
    timestamp = django_filters.DateFromToRangeFilter(label=gettext_lazy("Date (from - to)"))

    class Meta:
        model = LogEntry
        fields = ["content_type", "actor__username", "action", "timestamp"]


class UserFilter(SearchFilterSet):
    search_fields = ("username", "first_name", "last_name", "email")
    role = django_filters.ChoiceFilter(label=gettext_lazy("Role"), choices=Role.choices)
    is_active = django_filters.BooleanFilter(label=gettext_lazy("Active account"))

    class Meta:
        model = User
        fields = ["q", "role", "is_active"]
