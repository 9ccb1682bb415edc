from django.urls import include, path

from centinela.participation import views

app_name = "participation"
urlpatterns = [
    # public: no account
    path("reportar/", views.report_new, name="report_new"),
    path("mapa/", views.public_map, name="public_map"),
    path("lugares/", views.place_search, name="place_search"),
    path("seguimiento/<str:token>/", views.track, name="track"),
    path("seguimiento/<str:token>/fotos/<int:pk>/", views.track_photo, name="track_photo"),
    # staff
    path("reportes/", views.inbox, name="inbox"),
    path("reportes/vencidos/", views.overdue, name="overdue"),
    path("reportes/<int:pk>/", views.report_detail, name="report_detail"),
    path("reportes/<int:pk>/actualizar/", views.report_update, name="report_update"),
    path("reportes/<int:pk>/asignar/", views.report_assign, name="report_assign"),
    path("reportes/<int:pk>/texto-publico/", views.report_public_text, name="report_public_text"),
    path("reportes/<int:pk>/publicar/", views.report_publish, name="report_publish"),
    path("reportes/<int:pk>/fusionar/", views.report_merge, name="report_merge"),
    path("reportes/<int:pk>/camara/", views.report_camera, name="report_camera"),
    path("reportes/<int:pk>/actividades/", views.report_answer, name="report_answer"),
    path("reportes/<int:pk>/actividades/<int:activity_pk>/quitar/", views.report_unanswer, name="report_unanswer"),
    path("fotos/<int:pk>/", views.report_photo, name="report_photo"),
    # barrio committees (their own area: participation/committees/)
    path("comites/", include("centinela.participation.committees.urls")),
]
