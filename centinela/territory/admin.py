from django.contrib import admin

from centinela.territory.models import Barrio, BarrioPopulation, Canton, Parish, ParishPopulation, Place


class PopulationInline(admin.TabularInline):
    model = ParishPopulation
    extra = 0


class BarrioPopulationInline(admin.TabularInline):
    model = BarrioPopulation
    extra = 0


@admin.register(Canton)
class CantonAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    exclude = ["outline"]


@admin.register(Parish)
class ParishAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "geometry_source", "area_km2"]
    list_filter = ["kind", "geometry_source"]
    search_fields = ["name", "code"]
    exclude = ["geometry"]
    inlines = [PopulationInline]


@admin.register(Barrio)
class BarrioAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "parish", "geometry_source"]
    list_filter = ["parish"]
    search_fields = ["name", "code"]
    exclude = ["geometry"]
    inlines = [BarrioPopulationInline]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parish", "barrio", "location_verified"]
    list_filter = ["kind", "parish", "location_verified"]
    search_fields = ["name", "address"]
