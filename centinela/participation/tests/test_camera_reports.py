"""A "cámara dañada" report names the camera (its code typed by the resident, or chosen by staff in triage) and is
tied to the camera's maintenance ticket: a new one "reported", or the one already open; the report's page shows the
ticket and the ticket's page the report. An unknown code is a Spanish message, and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError

from centinela.cameras import services as camera_services
from centinela.cameras.models import MaintenanceTicket
from centinela.cameras.tests.test_inventory_factories import make_device
from centinela.participation import services
from centinela.participation.models import Report, ReportUpdate

from .conftest import file_report, solved, solved_on

NEW = "/participa/reportar/"


@pytest.fixture
def camera(db):
    return make_device(code="CAM-SAG-07", lifecycle="operational")


def camera_report(categories, point, code="", description="La cámara del parque está rota y colgando"):
    return services.file_report(
        category=categories["camara-danada"], lon=point[0], lat=point[1], description=description, camera_code=code
    )


def test_a_camera_report_with_its_code_opens_a_reported_ticket(categories, sagrario_point, camera):
    report = camera_report(categories, sagrario_point, code=" cam-sag-07 ")

    report.refresh_from_db()
    ticket = report.ticket
    assert report.camera == camera
    assert ticket.device == camera and ticket.status == MaintenanceTicket.Status.REPORTED
    assert ticket.opened_by is None
    assert report.code in ticket.description and "colgando" in ticket.description
    note = ReportUpdate.objects.get(report=report, public=False, text__contains="CAM-SAG-07")
    assert f"#{ticket.pk}" in note.text


def test_a_second_report_of_the_same_camera_joins_the_open_ticket(categories, sagrario_point, camera):
    first = camera_report(categories, sagrario_point, code="CAM-SAG-07")
    second = camera_report(categories, sagrario_point, code="CAM-SAG-07", description="Sigue dañada la cámara")

    assert MaintenanceTicket.objects.filter(device=camera).count() == 1
    ticket = MaintenanceTicket.objects.get(device=camera)
    assert Report.objects.get(pk=second.pk).ticket == ticket == Report.objects.get(pk=first.pk).ticket
    assert second.code in ticket.notes


def test_a_camera_already_under_an_open_ticket_is_linked_not_reopened(categories, sagrario_point, camera, users):
    detected = camera_services.open_ticket(users["tecnico"], camera, "No responde al monitor")
    report = camera_report(categories, sagrario_point, code="CAM-SAG-07")
    assert Report.objects.get(pk=report.pk).ticket == detected
    assert MaintenanceTicket.objects.filter(device=camera).count() == 1


def test_a_resolved_ticket_is_not_reused(categories, sagrario_point, camera, users):
    old = camera_services.open_ticket(users["tecnico"], camera, "Lente sucio")
    camera_services.resolve_ticket(users["tecnico"], old, cause="Limpieza")
    report = camera_report(categories, sagrario_point, code="CAM-SAG-07")
    assert Report.objects.get(pk=report.pk).ticket not in (None, old)


def test_an_unknown_camera_code_saves_nothing(categories, sagrario_point, camera):
    with pytest.raises(ValidationError) as caught:
        camera_report(categories, sagrario_point, code="CAM-NO-EXISTE")
    assert "No existe una cámara con el código CAM-NO-EXISTE" in " ".join(caught.value.message_dict["camera_code"])
    assert not Report.objects.exists() and not MaintenanceTicket.objects.exists()


def test_the_public_page_says_so_for_an_unknown_code(client, categories, sagrario_point, camera):
    response = client.post(
        NEW,
        {
            "category": categories["camara-danada"].pk,
            "lon": sagrario_point[0],
            "lat": sagrario_point[1],
            "description": "Cámara rota",
            "camera_code": "XYZ-999",
            **solved(),
        },
    )
    assert response.status_code == 400
    assert "No existe una cámara con el código XYZ-999" in response.content.decode()
    assert not Report.objects.exists() and not MaintenanceTicket.objects.exists()


def test_the_public_page_files_a_camera_report_with_its_code(client, categories, sagrario_point, camera):
    page = client.get(NEW).content.decode()
    assert 'id="camera-code"' in page and f'data-category="{categories["camara-danada"].pk}"' in page
    response = client.post(
        NEW,
        {
            "category": categories["camara-danada"].pk,
            "lon": sagrario_point[0],
            "lat": sagrario_point[1],
            "description": "Cámara rota",
            "camera_code": "CAM-SAG-07",
            **solved_on(page),
        },
    )
    assert response.status_code == 302
    assert Report.objects.get().ticket.device == camera


def test_a_code_given_with_another_category_is_ignored(categories, sagrario_point, camera):
    report = file_report(categories["alumbrado-deficiente"], sagrario_point)
    other = services.file_report(
        category=categories["alumbrado-deficiente"],
        lon=sagrario_point[0],
        lat=sagrario_point[1],
        description="Poste apagado",
        camera_code="CAM-NO-EXISTE",
    )
    assert report.camera is None and other.camera is None and not MaintenanceTicket.objects.exists()


def test_staff_name_the_camera_in_triage(client_for, categories, sagrario_point, camera, users):
    report = camera_report(categories, sagrario_point)  # the resident did not know the code
    assert Report.objects.get(pk=report.pk).ticket is None
    client = client_for("tecnico")
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="camera-form"' in page and "CAM-SAG-07" in page  # offered among the nearest cameras

    response = client.post(f"/participa/reportes/{report.pk}/camara/", {"camera": camera.pk})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.camera == camera and report.ticket.opened_by == users["tecnico"]
    assert report.ticket.status == MaintenanceTicket.Status.REPORTED

    page = client.get(report.get_absolute_url()).content.decode()
    assert f"/camaras/mantenimiento/{report.ticket.pk}/" in page or report.ticket.get_absolute_url() in page
    ticket_page = client.get(report.ticket.get_absolute_url()).content.decode()
    assert report.code in ticket_page and report.get_absolute_url() in ticket_page
    assert "un reporte ciudadano" not in ticket_page  # staff opened this one


def test_staff_may_name_a_camera_by_its_code_and_an_unknown_code_is_refused(
    client_for, categories, sagrario_point, camera
):
    report = camera_report(categories, sagrario_point)
    client = client_for("tecnico")
    response = client.post(f"/participa/reportes/{report.pk}/camara/", {"code": "CAM-FALSA"})
    assert response.status_code == 400
    assert "No existe una cámara con el código CAM-FALSA" in response.content.decode()
    assert Report.objects.get(pk=report.pk).camera is None and not MaintenanceTicket.objects.exists()

    response = client.post(f"/participa/reportes/{report.pk}/camara/", {"code": "cam-sag-07"})
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).camera == camera


def test_an_empty_camera_form_asks_for_a_camera(client_for, categories, sagrario_point, camera):
    report = camera_report(categories, sagrario_point)
    response = client_for("tecnico").post(f"/participa/reportes/{report.pk}/camara/", {})
    assert response.status_code == 400
    assert "Elija una cámara o escriba su código" in response.content.decode()


def test_a_report_of_another_category_names_no_camera(categories, sagrario_point, camera, users):
    report = file_report(categories["alumbrado-deficiente"], sagrario_point)
    with pytest.raises(ValidationError):
        services.set_camera(users["tecnico"], report, camera)
    assert not MaintenanceTicket.objects.exists()


def test_the_ticket_page_says_a_citizen_report_opened_it(client_for, categories, sagrario_point, camera):
    report = Report.objects.get(pk=camera_report(categories, sagrario_point, code="CAM-SAG-07").pk)
    page = client_for("tecnico").get(report.ticket.get_absolute_url()).content.decode()
    assert "un reporte ciudadano" in page and report.code in page


def test_a_liaison_of_another_institution_sees_the_ticket_but_no_link_to_the_report(
    client_for, categories, sagrario_point, camera
):
    report = Report.objects.get(pk=camera_report(categories, sagrario_point, code="CAM-SAG-07").pk)
    page = client_for("enlace.ecu911").get(report.ticket.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="ticket-citizen-reports"' not in body and report.get_absolute_url() not in body


def test_the_camera_page_lists_the_reports_that_named_it(client_for, categories, sagrario_point, camera):
    report = camera_report(categories, sagrario_point, code="CAM-SAG-07")
    page = client_for("tecnico").get(camera.get_absolute_url()).content.decode()
    assert 'id="device-citizen-reports"' in page and report.get_absolute_url() in page
    page = client_for("enlace.ecu911").get(camera.get_absolute_url()).content.decode()
    assert 'id="device-citizen-reports"' not in page  # a liaison reads only their institution's reports
