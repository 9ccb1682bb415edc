from django.urls import path

from centinela.cameras import views

app_name = "cameras"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("estado/", views.dashboard_counts, name="dashboard_counts"),
    path("estado/listas/", views.dashboard_lists, name="dashboard_lists"),
    path("estado/mapa.json", views.dashboard_map, name="dashboard_map"),
    path("sitios/", views.site_list, name="site_list"),
    path("sitios/nuevo/", views.site_create, name="site_create"),
    path("sitios/<int:pk>/", views.site_detail, name="site_detail"),
    path("sitios/<int:pk>/editar/", views.site_edit, name="site_edit"),
    path("sitios/<int:site_pk>/sistemas/nuevo/", views.system_create, name="system_create"),
    path("sistemas/<int:pk>/editar/", views.system_edit, name="system_edit"),
    path("dispositivos/", views.device_list, name="device_list"),
    path("dispositivos/nuevo/", views.device_create, name="device_create"),
    path("dispositivos/<int:pk>/", views.device_detail, name="device_detail"),
    path("dispositivos/<int:pk>/editar/", views.device_edit, name="device_edit"),
    path("dispositivos/<int:pk>/estado/", views.device_lifecycle, name="device_lifecycle"),
    path("dispositivos/<int:pk>/vincular-incidente/", views.device_link_incident, name="device_link_incident"),
    path("avistamientos/<int:pk>/desvincular/", views.sighting_unlink, name="sighting_unlink"),
    path("mantenimiento/", views.ticket_list, name="ticket_list"),
    path("mantenimiento/nuevo/", views.ticket_create, name="ticket_create"),
    path("mantenimiento/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path("mantenimiento/<int:pk>/asignar/", views.ticket_assign, name="ticket_assign"),
    path("mantenimiento/<int:pk>/avance/", views.ticket_progress, name="ticket_progress"),
    path("mantenimiento/<int:pk>/resolver/", views.ticket_resolve, name="ticket_resolve"),
    path("mantenimiento/preventivo/", views.schedule_list, name="schedule_list"),
    path("mantenimiento/preventivo/nuevo/", views.schedule_create, name="schedule_create"),
    path("mantenimiento/preventivo/<int:pk>/realizado/", views.schedule_done, name="schedule_done"),
    path("pedidos-video/", views.footage_list, name="footage_list"),
    path("pedidos-video/nuevo/", views.footage_create, name="footage_create"),
    path("pedidos-video/<int:pk>/", views.footage_detail, name="footage_detail"),
    path("pedidos-video/<int:pk>/respuesta/", views.footage_answer, name="footage_answer"),
    path("ecu911/", views.ecu911_page, name="ecu911"),
    path("ecu911/exportar.<str:fmt>", views.ecu911_export, name="ecu911_export"),
]
