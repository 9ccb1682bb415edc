from django.urls import path

from centinela.incidents import views

app_name = "incidents"
urlpatterns = [
    path("", views.incident_list, name="incident_list"),
    path("mapa.geojson", views.incident_map_data, name="incident_map_data"),
    path("nuevo/", views.incident_create, name="incident_create"),
    path("<int:pk>/", views.incident_detail, name="incident_detail"),
    path("<int:pk>/editar/", views.incident_edit, name="incident_edit"),
    path("<int:pk>/estado/", views.incident_status, name="incident_status"),
    path("importar/", views.import_upload, name="import"),
    path("perfiles/", views.profile_list, name="profile_list"),
    path("perfiles/nuevo/", views.profile_create, name="profile_create"),
    path("perfiles/<int:pk>/", views.profile_edit, name="profile_edit"),
]
