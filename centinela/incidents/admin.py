from django.contrib import admin

from centinela.incidents.models import Category, ImportProfile, Incident, Source


class AdministratorsEdit:
    """The taxonomy is extended here by administrators (the role: is_staff follows it), without per-model Django
    permissions to hand out. Categories are retired (active off), never deleted: incidents keep pointing at them."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Category)
class CategoryAdmin(AdministratorsEdit, admin.ModelAdmin):
    list_display = ("name", "code", "group", "parent", "active")
    list_filter = ("group", "active")
    search_fields = ("name", "code")


@admin.register(Source)
class SourceAdmin(AdministratorsEdit, admin.ModelAdmin):
    list_display = ("name", "code")


@admin.register(ImportProfile)
class ImportProfileAdmin(admin.ModelAdmin):
    list_display = ("name", "source", "date_format")


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "category", "source", "source_ref", "parish", "barrio", "status")
    list_filter = ("status", "source", "category__group", "parish")
    search_fields = ("source_ref", "address")
    raw_id_fields = ("barrio",)
    date_hierarchy = "occurred_at"
