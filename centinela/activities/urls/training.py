"""URLs of the training pages (views in training.py). The check-in and verification pages are public."""

from django.urls import path

from centinela.activities.views import training

urlpatterns: list = [
    path("capacitaciones/", training.training_list, name="training_list"),
    path("capacitaciones/nueva/", training.training_create, name="training_create"),
    path("capacitaciones/cobertura/", training.training_coverage, name="training_coverage"),
    path("capacitaciones/<int:pk>/", training.training_detail, name="training_detail"),
    path("capacitaciones/<int:pk>/editar/", training.training_edit, name="training_edit"),
    path("capacitaciones/<int:pk>/estado/", training.training_status, name="training_status"),
    path("capacitaciones/<int:pk>/asistencia/", training.training_attendance, name="training_attendance"),
    path("capacitaciones/<int:pk>/asistencia/buscar/", training.training_person_search, name="training_person_search"),
    path("capacitaciones/<int:pk>/asistencia/marcar/", training.training_mark_present, name="training_mark_present"),
    path(
        "capacitaciones/<int:pk>/asistencia/<int:attendance_pk>/desmarcar/",
        training.training_unmark,
        name="training_unmark",
    ),
    path(
        "capacitaciones/<int:pk>/asistencia/<int:attendance_pk>/participacion/",
        training.training_participation,
        name="training_participation",
    ),
    path(
        "capacitaciones/<int:pk>/asistencia/importar/",
        training.training_attendance_import,
        name="training_attendance_import",
    ),
    path("capacitaciones/<int:pk>/registro-qr/", training.training_checkin_toggle, name="training_checkin_toggle"),
    path(
        "capacitaciones/<int:pk>/registro-qr/cartel/", training.training_checkin_poster, name="training_checkin_poster"
    ),
    path(
        "capacitaciones/<int:pk>/certificados/",
        training.training_issue_certificates,
        name="training_issue_certificates",
    ),
    path("capacitaciones/certificado/<int:pk>.pdf", training.training_certificate, name="training_certificate"),
    # Public: an attendee's phone (QR) and anyone holding a certificate.
    path("registro/<str:token>/", training.training_checkin, name="training_checkin"),
    path("certificados/verificar/", training.training_verify, name="training_verify"),
    path("certificados/<str:code>/", training.training_verify, name="training_verify_code"),
]
