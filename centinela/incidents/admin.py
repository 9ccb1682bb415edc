from django.contrib import admin

from centinela.incidents.models import Category, ImportProfile, Incident, Source


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "group", "parent", "active")
    list_filter = ("group", "active")
    search_fields = ("name", "code")


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
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
