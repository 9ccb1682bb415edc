from django.urls import path

from centinela.observatory.methods import METHODS
from centinela.observatory.views import analysis as views

app_name = "observatory"
urlpatterns = [
    path("", views.index, name="index"),
    # one form page per method of the registry, at its own Spanish address
    *(path(m.path, views.method_form, {"name": m.name}, name=m.url_name) for m in METHODS),
    path("resultados/<int:pk>/", views.result, name="result"),
    path("resultados/<int:pk>/descargar.<str:fmt>", views.download, name="download"),
]
