from django.urls import path

from centinela.observatory.views import open_data as views

app_name = "opendata"
urlpatterns = [
    path("", views.open_data_page, name="index"),
]
