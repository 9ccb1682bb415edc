from django.urls import path

from centinela.observatory import views

app_name = "observatory"
urlpatterns = [
    path("", views.index, name="index"),
    path("densidad/", views.method_form, {"name": "kde"}, name="kde"),
    path("puntos-calientes/", views.method_form, {"name": "gistar"}, name="gistar"),
    path("repeticion-cercana/", views.method_form, {"name": "near_repeat"}, name="near_repeat"),
    path("cobertura-camaras/", views.method_form, {"name": "coverage"}, name="coverage"),
    path("ubicacion-camaras/", views.method_form, {"name": "placement"}, name="placement"),
    path("impacto/", views.method_form, {"name": "impact"}, name="impact"),
    path("precision/", views.method_form, {"name": "accuracy"}, name="accuracy"),
    path("resultados/<int:pk>/", views.result, name="result"),
    path("resultados/<int:pk>/descargar.<str:fmt>", views.download, name="download"),
]
