from django.contrib import admin, messages
from django.utils.translation import gettext as _

from centinela.incidents.admin import AdministratorsEdit
from centinela.participation.models import Open311Client, ReportCategory, RoutingRule


@admin.register(ReportCategory)
class ReportCategoryAdmin(AdministratorsEdit, admin.ModelAdmin):
    """The council's taxonomy of reports: names, time limits, sensitive flag; retired (active off), never deleted."""

    list_display = ("name", "code", "sensitive", "days_to_resolve", "order", "active")
    list_filter = ("sensitive", "active")
    search_fields = ("name", "code")


@admin.register(RoutingRule)
class RoutingRuleAdmin(AdministratorsEdit, admin.ModelAdmin):
    """Which institution a new report goes to, by category and (optionally) parish; rules may be deleted, nothing
    points at them (reports keep the institution they were given)."""

    list_display = ("category", "parish", "institution", "active")
    list_filter = ("active", "category")
    list_select_related = ("category", "parish", "institution")

    def has_delete_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("parish__geometry")


@admin.register(Open311Client)
class Open311ClientAdmin(AdministratorsEdit, admin.ModelAdmin):
    """The outside applications that file reports through Open311. Adding one issues its API key, shown once on the
    next page (only a hash is kept); a client is deactivated, never deleted (its reports point at it)."""

    list_display = ("name", "prefix", "active", "hourly_limit", "created_at", "last_used_at")
    list_filter = ("active",)
    search_fields = ("name",)
    readonly_fields = ("prefix", "created_at", "last_used_at")
    fields = ("name", "active", "hourly_limit", "prefix", "created_at", "last_used_at")

    def save_model(self, request, obj, form, change):
        if not change:
            key = obj.new_key()
            super().save_model(request, obj, form, change)
            messages.warning(
                request,
                _("The API key of %(name)s, shown only this once (copy it now; only its hash is kept): %(key)s")
                % {"name": obj.name, "key": key},
            )
            return
        super().save_model(request, obj, form, change)
