from django.urls import path

from centinela.observatory.views import indicators as views

app_name = "indicators"
urlpatterns = [
    path("", views.indicators_page, name="index"),
    path("grafico/", views.chart, name="chart"),
]
