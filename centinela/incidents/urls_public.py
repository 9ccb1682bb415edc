from django.urls import path

from centinela.incidents import views_public as views

app_name = "opendata"
urlpatterns = [
    path("", views.open_data_page, name="index"),
]
