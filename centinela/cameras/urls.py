from django.urls import path

from centinela.cameras.views import dashboard, ecu911, footage, inventory, maintenance

app_name = "cameras"
urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("estado/", dashboard.dashboard_counts, name="dashboard_counts"),
    path("estado/listas/", dashboard.dashboard_lists, name="dashboard_lists"),
    path("estado/mapa.json", dashboard.dashboard_map, name="dashboard_map"),
    path("sitios/", inventory.site_list, name="site_list"),
    path("sitios/nuevo/", inventory.site_create, name="site_create"),
    path("sitios/<int:pk>/", inventory.site_detail, name="site_detail"),
    path("sitios/<int:pk>/editar/", inventory.site_edit, name="site_edit"),
    path("sitios/<int:site_pk>/sistemas/nuevo/", inventory.system_create, name="system_create"),
    path("sistemas/<int:pk>/editar/", inventory.system_edit, name="system_edit"),
    path("dispositivos/", inventory.device_list, name="device_list"),
    path("dispositivos/nuevo/", inventory.device_create, name="device_create"),
    path("dispositivos/<int:pk>/", inventory.device_detail, name="device_detail"),
    path("dispositivos/<int:pk>/editar/", inventory.device_edit, name="device_edit"),
    path("dispositivos/<int:pk>/estado/", inventory.device_lifecycle, name="device_lifecycle"),
    path("dispositivos/<int:pk>/vincular-incidente/", inventory.device_link_incident, name="device_link_incident"),
    path("avistamientos/<int:pk>/desvincular/", inventory.sighting_unlink, name="sighting_unlink"),
    path("mantenimiento/", maintenance.ticket_list, name="ticket_list"),
    path("mantenimiento/nuevo/", maintenance.ticket_create, name="ticket_create"),
    path("mantenimiento/<int:pk>/", maintenance.ticket_detail, name="ticket_detail"),
    path("mantenimiento/<int:pk>/asignar/", maintenance.ticket_assign, name="ticket_assign"),
    path("mantenimiento/<int:pk>/avance/", maintenance.ticket_progress, name="ticket_progress"),
    path("mantenimiento/<int:pk>/resolver/", maintenance.ticket_resolve, name="ticket_resolve"),
    path("mantenimiento/preventivo/", maintenance.schedule_list, name="schedule_list"),
    path("mantenimiento/preventivo/nuevo/", maintenance.schedule_create, name="schedule_create"),
    path("mantenimiento/preventivo/<int:pk>/realizado/", maintenance.schedule_done, name="schedule_done"),
    path("pedidos-video/", footage.footage_list, name="footage_list"),
    path("pedidos-video/nuevo/", footage.footage_create, name="footage_create"),
    path("pedidos-video/<int:pk>/", footage.footage_detail, name="footage_detail"),
    path("pedidos-video/<int:pk>/respuesta/", footage.footage_answer, name="footage_answer"),
    path("ecu911/", ecu911.ecu911_page, name="ecu911"),
    path("ecu911/exportar.<str:fmt>", ecu911.ecu911_export, name="ecu911_export"),
]
