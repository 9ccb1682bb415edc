"""Account pages: the audit trail (administrators and the director). Login, logout and password reset are
Django's own views with our templates."""
import django_filters
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.accounts.permissions import NETWORK_FIELDS, can_manage_network, can_read_audit
from centinela.lib.exports import Column
from centinela.lib.views import list_view

ACTIONS = {0: gettext_lazy("created"), 1: gettext_lazy("updated"), 2: gettext_lazy("deleted"), 3: gettext_lazy("accessed")}

HIDDEN = gettext_lazy("changed (hidden)")


def describe_changes(entry, *, hide=()) -> str:
    """Field changes read "field: old → new"; many-to-many changes (auditlog stores them as a dict with the
    operation and the objects) read "field: added/removed a, b". Fields in `hide` say only that they changed."""
    parts = []
    for field, change in (entry.changes_dict or {}).items():
        if field in hide:
            parts.append(f"{field}: {HIDDEN}")
        elif isinstance(change, dict):
            verb = gettext_lazy("added") if change.get("operation") == "add" else gettext_lazy("removed")
            parts.append(f"{field}: {verb} {', '.join(map(str, change.get('objects', [])))}")
        else:
            parts.append(f"{field}: {change[0]} → {change[1]}")
    return "; ".join(parts)


AUDIT_COLUMNS = [
    Column("timestamp", gettext_lazy("When"), lambda e: e.timestamp),
    Column("actor", gettext_lazy("Who"), lambda e: e.actor.username if e.actor else gettext_lazy("system")),
    Column("action", gettext_lazy("Action"), lambda e: ACTIONS.get(e.action, e.action)),
    Column("object_type", gettext_lazy("Record type"), lambda e: e.content_type.name if e.content_type else ""),
    Column("object", gettext_lazy("Record"), lambda e: e.object_repr),
    Column("changes", gettext_lazy("What changed"), describe_changes),
    Column("remote_addr", gettext_lazy("Address"), lambda e: e.remote_addr or ""),
]


def _network_hidden(entry) -> tuple:
    """A camera's addresses and credentials in its audit entries: shown to network managers only."""
    ct = entry.content_type
    return NETWORK_FIELDS + ("credentials",) if ct is not None and (ct.app_label, ct.model) == ("cameras", "device") else ()


def audit_columns(user) -> list[Column]:
    if can_manage_network(user):
        return AUDIT_COLUMNS
    masked = Column("changes", gettext_lazy("What changed"), lambda e: describe_changes(e, hide=_network_hidden(e)))
    return [masked if c.key == "changes" else c for c in AUDIT_COLUMNS]


class AuditFilter(django_filters.FilterSet):
    content_type = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Record type"), queryset=ContentType.objects.filter(app_label__in=["territory", "accounts", "partners", "activities"])
    )
    actor__username = django_filters.CharFilter(label=gettext_lazy("User"), lookup_expr="icontains")
    action = django_filters.ChoiceFilter(label=gettext_lazy("Action"), choices=list(ACTIONS.items()))
    timestamp = django_filters.DateFromToRangeFilter(label=gettext_lazy("Date (from - to)"))

    class Meta:
        model = LogEntry
        fields = ["content_type", "actor__username", "action", "timestamp"]


def audit_log(request):
    if not can_read_audit(request.user):
        raise PermissionDenied
    return list_view(
        request,
        queryset=LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp"),
        filterset_class=AuditFilter,
        columns=audit_columns(request.user),
        title=_("Audit trail"),
        basename="auditoria",
        permission_checked=True,
    )
