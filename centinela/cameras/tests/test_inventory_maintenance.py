"""Maintenance tickets (report -> assign -> progress -> resolve), preventive schedules and footage requests, by role."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from centinela.cameras.models import FootageRequest, MaintenanceSchedule, MaintenanceTicket
from centinela.cameras.tests.test_inventory_factories import make_device
from centinela.partners.models import Institution

pytestmark = pytest.mark.django_db


def test_a_ticket_goes_from_reported_to_resolved(client_for, users):
    device = make_device()
    c = client_for("tecnico")
    response = c.post(reverse("cameras:ticket_create"), {"device": device.pk, "description": "No da imagen"})
    assert response.status_code == 302
    ticket = MaintenanceTicket.objects.get(device=device)
    assert ticket.status == "reported" and ticket.opened_by == users["tecnico"]
    assert (
        c.post(reverse("cameras:ticket_assign", args=[ticket.pk]), {"assigned_to": users["tecnico"].pk}).status_code
        == 302
    )
    assert (
        c.post(reverse("cameras:ticket_progress", args=[ticket.pk]), {"notes": "Revisando la fuente"}).status_code
        == 302
    )
    ticket.refresh_from_db()
    assert ticket.status == "in_progress" and "Revisando la fuente" in ticket.notes
    response = c.post(
        reverse("cameras:ticket_resolve", args=[ticket.pk]),
        {"cause": "Fuente quemada", "parts": "Fuente 12 V", "cost": "35.50"},
    )
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.status == "resolved" and ticket.cause == "Fuente quemada" and str(ticket.cost) == "35.50"
    assert ticket.resolved_at is not None
    page = c.get(ticket.get_absolute_url()).content.decode()
    assert "Resuelta" in page and "Fuente quemada" in page


def test_resolving_needs_a_cause_and_a_cost_not_negative(client_for):
    ticket = MaintenanceTicket.objects.create(device=make_device(), opened_at=timezone.now(), description="x")
    c = client_for("tecnico")
    response = c.post(reverse("cameras:ticket_resolve", args=[ticket.pk]), {"cause": "", "cost": "-3"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "obligatorio" in body and "mayor o igual a 0" in body
    ticket.refresh_from_db()
    assert ticket.status == "reported"


def test_ticket_list_filters_and_exports(client_for):
    device = make_device()
    MaintenanceTicket.objects.create(device=device, opened_at=timezone.now(), description="abierta")
    MaintenanceTicket.objects.create(
        device=device, opened_at=timezone.now(), description="cerrada", status="resolved", cause="x"
    )
    c = client_for("directora")
    page = c.get(reverse("cameras:ticket_list"), {"status": "resolved"})
    assert page.context["page"].paginator.count == 1
    page = c.get(reverse("cameras:ticket_list"), {"open": "true"})
    assert page.context["page"].paginator.count == 1
    response = c.get(reverse("cameras:ticket_list"), {"export": "csv", "device": device.pk})
    body = response.getvalue().decode("utf-8-sig")
    # the headers in Spanish and the status as the page shows it (issue 13 item 1)
    assert body.splitlines()[0].startswith("Orden,Cámara,Parroquia,Estado") and "abierta" in body and "cerrada" in body
    assert ",Resuelta," in body and ",resolved," not in body


def test_liaisons_and_other_parishes_cannot_touch_tickets(client_for):
    ticket = MaintenanceTicket.objects.create(device=make_device(), opened_at=timezone.now(), description="x")
    assert (
        client_for("enlace.policia")
        .post(reverse("cameras:ticket_resolve", args=[ticket.pk]), {"cause": "y", "cost": "0"})
        .status_code
        == 403
    )
    assert client_for("presidente.valle").get(ticket.get_absolute_url()).status_code == 404
    assert client_for("presidente.sagrario").get(ticket.get_absolute_url()).status_code == 200


def test_preventive_schedules_show_overdue_and_due(client_for):
    device = make_device()
    today = timezone.localdate()
    MaintenanceSchedule.objects.create(
        device=device, task="Limpieza de lente", every_days=90, next_due=today - timedelta(days=3)
    )
    MaintenanceSchedule.objects.create(
        device=device, task="Revisión de fuente", every_days=180, next_due=today + timedelta(days=5)
    )
    MaintenanceSchedule.objects.create(
        device=device, task="Cambio de cableado", every_days=365, next_due=today + timedelta(days=90)
    )
    response = client_for("tecnico").get(reverse("cameras:schedule_list"))
    assert [s.task for s in response.context["overdue"]] == ["Limpieza de lente"]
    assert [s.task for s in response.context["due"]] == ["Revisión de fuente"]
    assert [s.task for s in response.context["later"]] == ["Cambio de cableado"]


def test_a_schedule_is_created(client_for):
    device = make_device()
    response = client_for("tecnico").post(
        reverse("cameras:schedule_create"),
        {"device": device.pk, "task": "Limpieza", "every_days": "90", "next_due": "2030-01-10"},
    )
    assert response.status_code == 302 and MaintenanceSchedule.objects.filter(device=device).count() == 1


def test_footage_request_is_logged_and_answered(client_for):
    device = make_device()
    police = Institution.objects.create(name="Policía Nacional (prueba)", kind="public")
    c = client_for("tecnico")
    response = c.post(
        reverse("cameras:footage_create"),
        {
            "institution": police.pk,
            "requester": "Sgto. Pérez",
            "requested_at": "2026-03-02T10:00",
            "incident_reference": "Robo en el parque, parte 2026-123",
            "devices": [device.pk],
            "period_start": "2026-03-01T20:00",
            "period_end": "2026-03-01T22:00",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    item = FootageRequest.objects.get()
    assert list(item.devices.all()) == [device] and item.outcome == "pending"
    response = c.post(
        reverse("cameras:footage_answer", args=[item.pk]),
        {"answered_at": "2026-03-03T09:00", "outcome": "delivered", "notes": ""},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.outcome == "delivered" and item.answered_at is not None
    listing = c.get(reverse("cameras:footage_list")).content.decode()
    assert "Sgto. Pérez" in listing and "Entregado" in listing


def test_a_footage_period_that_ends_before_it_starts_is_refused(client_for):
    device = make_device()
    police = Institution.objects.create(name="Fiscalía (prueba)", kind="public")
    response = client_for("tecnico").post(
        reverse("cameras:footage_create"),
        {
            "institution": police.pk,
            "requester": "Fiscal",
            "requested_at": "2026-03-02T10:00",
            "incident_reference": "",
            "devices": [device.pk],
            "period_start": "2026-03-01T22:00",
            "period_end": "2026-03-01T20:00",
            "notes": "",
        },
    )
    assert response.status_code == 200 and "termina antes de empezar" in response.content.decode()
    assert not FootageRequest.objects.exists()


def test_footage_requests_are_for_the_councils_staff_only(client_for):
    # the requester's name and the case reference (LOPDP): liaisons of other institutions must not read them
    assert client_for("presidente.sagrario").get(reverse("cameras:footage_list")).status_code == 403
    assert client_for("enlace.policia").get(reverse("cameras:footage_list")).status_code == 403
    assert client_for("enlace.policia").get(reverse("cameras:footage_list"), {"export": "csv"}).status_code == 403
    assert client_for("enlace.policia").get(reverse("cameras:footage_create")).status_code == 403
    assert client_for("tecnico").get(reverse("cameras:footage_list")).status_code == 200
