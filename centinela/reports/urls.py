from django.urls import path

from centinela.reports import views

app_name = "reports"
urlpatterns = [
    path("anual/", views.annual_report, name="annual_report"),
    path("anual/documento/<int:pk>/", views.download, name="download"),
]
