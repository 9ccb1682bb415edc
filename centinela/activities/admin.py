from django.contrib import admin

from centinela.activities import models as m


class TargetInline(admin.TabularInline):
    model = m.IndicatorTarget
    extra = 0


@admin.register(m.Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "level", "parish", "starts_on", "ends_on"]


@admin.register(m.Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "plan", "kind"]
    list_filter = ["plan", "kind"]


@admin.register(m.Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "programme", "metric"]
    inlines = [TargetInline]


@admin.register(m.Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "programme", "starts_at", "parish", "status"]
    list_filter = ["kind", "status", "programme"]
    search_fields = ["title"]
    date_hierarchy = "starts_at"


for model in (m.OperationType, m.WorkingGroup, m.CouncilSession, m.Resolution):
    admin.site.register(model)
