from django.urls import path

from centinela.territory import views

app_name = "territory"
urlpatterns = [
    path("parroquias/", views.parish_list, name="parish_list"),
    path("limites/importar/", views.boundary_import, name="boundary_import"),
    path("parroquias/<int:pk>/", views.parish_detail, name="parish_detail"),
    path("parroquias/<int:pk>/editar/", views.parish_edit, name="parish_edit"),
    path("parroquias/<int:pk>/poblacion/nueva/", views.parish_population_create, name="parish_population_create"),
    path("barrios/", views.barrio_list, name="barrio_list"),
    path("barrios/nuevo/", views.barrio_create, name="barrio_create"),
    path("barrios/<int:pk>/", views.barrio_detail, name="barrio_detail"),
    path("barrios/<int:pk>/editar/", views.barrio_edit, name="barrio_edit"),
    path("barrios/<int:pk>/poblacion/nueva/", views.barrio_population_create, name="barrio_population_create"),
    path("lugares/", views.place_list, name="place_list"),
    path("lugares/nuevo/", views.place_create, name="place_create"),
    path("lugares/<int:pk>/", views.place_detail, name="place_detail"),
    path("lugares/<int:pk>/editar/", views.place_edit, name="place_edit"),
]
