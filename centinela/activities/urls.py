from django.urls import path

from centinela.activities.views import governance_urls, plans, training_urls

app_name = "activities"
urlpatterns = [
    path("", plans.activity_list, name="activity_list"),
    path("nueva/", plans.activity_create, name="activity_create"),
    path("<int:pk>/", plans.activity_detail, name="activity_detail"),
    path("<int:pk>/editar/", plans.activity_edit, name="activity_edit"),
    path("<int:pk>/evidencia/", plans.evidence_upload, name="evidence_upload"),
    path("evidencia/<int:pk>/", plans.evidence_file, name="evidence_file"),
    path("importar/", plans.activity_import, name="activity_import"),
    path("calendario/", plans.calendar, name="calendar"),
    path("mapa/", plans.activity_map, name="activity_map"),
    path("planes/", plans.plan_list, name="plan_list"),
    path("planes/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("programas/<int:pk>/", plans.programme_detail, name="programme_detail"),
    *training_urls.urlpatterns,
    *governance_urls.urlpatterns,
]
