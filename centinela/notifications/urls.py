from django.urls import path

from centinela.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("leidos/", views.mark_read, name="mark_read"),
    path("preferencias/", views.preferences, name="preferences"),
]
