from django.urls import path

from centinela.observatory.views import participation as views

app_name = "participation_figures"
urlpatterns = [
    path("", views.participation_page, name="index"),
]
