from django.urls import path

from centinela.activities.urls import governance as governance_urls
from centinela.activities.urls import training as training_urls
from centinela.activities.views import plans

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
    path("mapa.geojson", plans.activity_map_data, name="activity_map_data"),
    path("planes/", plans.plan_list, name="plan_list"),
    path("planes/nuevo/", plans.plan_edit, name="plan_create"),
    path("planes/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("planes/<int:pk>/editar/", plans.plan_edit, name="plan_edit"),
    path("planes/<int:plan_pk>/programas/nuevo/", plans.programme_edit, name="programme_create"),
    path("programas/<int:pk>/", plans.programme_detail, name="programme_detail"),
    path("programas/<int:pk>/editar/", plans.programme_edit, name="programme_edit"),
    path("programas/<int:programme_pk>/indicadores/nuevo/", plans.indicator_edit, name="indicator_create"),
    path("indicadores/<int:pk>/editar/", plans.indicator_edit, name="indicator_edit"),
    *training_urls.urlpatterns,
    *governance_urls.urlpatterns,
]
