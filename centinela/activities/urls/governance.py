"""URLs of the working-group and council-session pages (views in governance.py)."""

from django.urls import path

from centinela.activities.views import governance as views

urlpatterns = [
    path("grupos/", views.working_group_list, name="working_group_list"),
    path("grupos/nueva/", views.working_group_create, name="working_group_create"),
    path("grupos/<int:pk>/", views.working_group_detail, name="working_group_detail"),
    path("grupos/<int:pk>/editar/", views.working_group_edit, name="working_group_edit"),
    path("grupos/<int:pk>/miembros/nuevo/", views.member_add, name="working_group_member_add"),
    path("grupos/miembros/<int:pk>/editar/", views.member_edit, name="working_group_member_edit"),
    path("grupos/miembros/<int:pk>/quitar/", views.member_remove, name="working_group_member_remove"),
    path("grupos/<int:pk>/reuniones/nueva/", views.meeting_create, name="meeting_create"),
    path("grupos/reuniones/<int:pk>/editar/", views.meeting_edit, name="meeting_edit"),
    path("concejo/sesiones/", views.session_list, name="session_list"),
    path("concejo/sesiones/nueva/", views.session_create, name="session_create"),
    path("concejo/sesiones/<int:pk>/", views.session_detail, name="session_detail"),
    path("concejo/sesiones/<int:pk>/editar/", views.session_edit, name="session_edit"),
    path("concejo/sesiones/<int:pk>/asistencia/", views.session_attendance, name="session_attendance"),
    path("concejo/sesiones/<int:pk>/resoluciones/nueva/", views.resolution_create, name="resolution_create"),
    path("concejo/resoluciones/<int:pk>/editar/", views.resolution_edit, name="resolution_edit"),
    path("concejo/resoluciones/", views.resolution_board, name="resolution_board"),
]
