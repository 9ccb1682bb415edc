"""Least privilege on the camera network (LOPDP): the cameras' internal addresses go only to the council's staff,
footage requests only to the staff, and a parish president's choice lists do not list the council's people."""

import csv
import io
from datetime import UTC, datetime

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from centinela.accounts.models import User
from centinela.cameras.models import FootageRequest, MaintenanceTicket
from centinela.cameras.tests.test_inventory_factories import make_device
from centinela.partners.models import Institution

pytestmark = pytest.mark.django_db
URL_KEYS = {"centinela:stream_url", "centinela:snapshot_url", "centinela:onvif_url"}


@pytest.fixture
def camera():
    # El Sagrario (110101) is the default parish of the factories
    return make_device(code="CAM-A-1", onvif_url="http://127.0.0.1:18080/onvif/device_service")


def _csv_header_and_body(response):
    body = response.getvalue().decode("utf-8-sig")
    return next(csv.reader(io.StringIO(body))), body


def test_network_managers_export_the_cameras_internal_addresses(client_for, camera):
    header, body = _csv_header_and_body(client_for("tecnico").get(reverse("cameras:device_list"), {"export": "csv"}))
    assert URL_KEYS <= set(header)
    assert "rtsp://127.0.0.1:18554/cam/CAM-A-1" in body and "127.0.0.1:18080/onvif" in body


@pytest.mark.parametrize("username", ["directora", "enlace.policia", "presidente.sagrario"])
def test_others_export_the_cameras_without_their_addresses(client_for, camera, username):
    c = client_for(username)
    header, body = _csv_header_and_body(c.get(reverse("cameras:device_list"), {"export": "csv"}))
    assert "ref" in header and "camera:direction" in header
    assert not URL_KEYS & set(header)
    assert "CAM-A-1" in body and "127.0.0.1" not in body and "rtsp" not in body
    response = c.get(reverse("cameras:device_list"), {"export": "xlsx"})
    header, *rows = list(openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.values)
    assert not URL_KEYS & set(header) and len(rows) == 1
    assert not any("127.0.0.1" in str(cell) for cell in rows[0])


def test_a_liaison_of_another_institution_sees_a_camera_but_not_its_footage_requests(client_for, users, camera):
    police = Institution.objects.create(name="Policía Nacional (prueba)", kind="public")
    fiscalia = Institution.objects.create(name="Fiscalía (prueba)", kind="public")
    User.objects.filter(username="enlace.policia").update(institution=fiscalia)
    item = FootageRequest.objects.create(
        institution=police,
        requester="Sgto. Quizhpe",
        requested_at=timezone.now(),
        incident_reference="Parte 2026-17",
        period_start=datetime(2026, 3, 1, 1, tzinfo=UTC),
        period_end=datetime(2026, 3, 1, 2, tzinfo=UTC),
    )
    item.devices.add(camera)
    liaison = client_for("enlace.policia")
    page = liaison.get(camera.get_absolute_url())
    assert page.status_code == 200
    assert "Parte 2026-17" not in page.content.decode() and "Sgto. Quizhpe" not in page.content.decode()
    assert liaison.get(reverse("cameras:footage_detail", args=[item.pk])).status_code == 404
    staff_page = client_for("tecnico").get(camera.get_absolute_url()).content.decode()
    assert "Parte 2026-17" in staff_page
    assert (
        "Sgto. Quizhpe" in client_for("tecnico").get(reverse("cameras:footage_detail", args=[item.pk])).content.decode()
    )
    # a liaison with no institution on their account sees no request at all
    User.objects.filter(username="enlace.policia").update(institution=None)
    assert liaison.get(reverse("cameras:footage_list")).status_code == 403


def _choices(form, field):
    return {u.username for u in form.fields[field].queryset}


def test_a_parish_president_picks_responsible_people_only_from_their_parish(client_for, users, camera):
    camera.responsible.add(users["tecnico"])
    president = client_for("presidente.sagrario")
    form = president.get(reverse("cameras:device_edit", args=[camera.pk])).context["form"]
    # the technician already responsible stays listed (and checked); nobody else from the council or the liaisons
    assert _choices(form, "responsible") == {"presidente.sagrario", "tecnico"}
    new_form = president.get(reverse("cameras:device_create")).context["form"]
    assert _choices(new_form, "responsible") == {"presidente.sagrario"}
    staff_form = client_for("tecnico").get(reverse("cameras:device_create")).context["form"]
    assert {"tecnico", "directora", "enlace.policia", "enlace.ecu911"} <= _choices(staff_form, "responsible")
    assert "presidente.sagrario" not in _choices(staff_form, "responsible")


def test_saving_a_camera_as_a_parish_president_keeps_its_responsible_technician(client_for, users, camera):
    camera.responsible.add(users["tecnico"])
    president = client_for("presidente.sagrario")
    data = {
        "system": camera.system_id,
        "code": camera.code,
        "name": "Cámara renombrada",
        "camera_type": "fixed",
        "stream_url": camera.stream_url,
        "snapshot_url": camera.snapshot_url,
        "onvif_url": "",
        "host": "",
        "port": "",
        "username": "",
        "password": "",
        "bearing": "90",
        "field_of_view": "90",
        "tilt": "15",
        "range_m": "60",
        "height_m": "",
        "installed_on": "",
        "reactivated_on": "",
        "probe_interval_s": "60",
        "responsible": [users["tecnico"].pk, users["presidente.sagrario"].pk],
    }
    response = president.post(reverse("cameras:device_edit", args=[camera.pk]), data)
    assert response.status_code == 302, response.context["form"].errors
    camera.refresh_from_db()
    assert camera.name == "Cámara renombrada" and str(camera.tilt) == "15.0"
    assert set(camera.responsible.values_list("username", flat=True)) == {"tecnico", "presidente.sagrario"}
    # a liaison is not among a parish president's choices
    data["responsible"] = [users["enlace.policia"].pk]
    response = president.post(reverse("cameras:device_edit", args=[camera.pk]), data)
    assert response.status_code == 200 and response.context["form"].errors["responsible"]


def test_a_parish_president_assigns_tickets_only_within_their_parish(client_for, users, camera):
    ticket = MaintenanceTicket.objects.create(device=camera, opened_at=timezone.now(), description="Sin imagen")
    president = client_for("presidente.sagrario")
    form = president.get(ticket.get_absolute_url()).context["assign_form"]
    assert _choices(form, "assigned_to") == {"presidente.sagrario"}
    response = president.post(reverse("cameras:ticket_assign", args=[ticket.pk]), {"assigned_to": users["tecnico"].pk})
    assert response.status_code == 400
    ticket.refresh_from_db()
    assert ticket.assigned_to is None
    staff_form = client_for("tecnico").get(ticket.get_absolute_url()).context["assign_form"]
    assert {"tecnico", "directora", "admin"} <= _choices(staff_form, "assigned_to")
    assert not {"enlace.policia", "presidente.sagrario"} & _choices(staff_form, "assigned_to")
