from django.urls import path

from centinela.reports import views

app_name = "reports"
urlpatterns = [
    path("anual/", views.annual_report, name="annual_report"),
    path("anual/documento/<int:pk>/", views.download, name="download"),
    path("anual/versiones/generar/", views.version_generate, name="version_generate"),
    path("anual/versiones/<int:pk>/aprobar/", views.version_approve, name="version_approve"),
    path("anual/versiones/<int:pk>/pdf/", views.version_download, name="version_download"),
]
