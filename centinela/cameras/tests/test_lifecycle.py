"""Lifecycle changes with their history (who, when, why), refused in Spanish when TRANSITIONS forbids them, and
the maintenance-ticket workflow."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from centinela.cameras import services
from centinela.cameras.models import TRANSITIONS, Device, Lifecycle, MaintenanceTicket, Site, StatusChange, System
from centinela.territory.models import Parish


@pytest.fixture
def device(db):
    parish = Parish.objects.get(code="110101")
    site = Site.objects.create(name="Cuarto Centenario", lon=-79.2, lat=-3.99, parish=parish)
    system = System.objects.create(site=site, name="Sistema Cuarto Centenario")
    return Device.objects.create(system=system, code="CC-1", name="Esquina", lifecycle=Lifecycle.PLANNED)


def test_the_whole_life_of_a_camera_is_recorded(device, users):
    tech = users["tecnico"]
    for to, why in [
        (Lifecycle.INSTALLED, "instalada"),
        (Lifecycle.OPERATIONAL, "en servicio"),
        (Lifecycle.OFFLINE, "sin energía"),
        (Lifecycle.MAINTENANCE, "cambio de fuente"),
        (Lifecycle.ABANDONED, "sin presupuesto"),
        (Lifecycle.OPERATIONAL, "reactivación 2020"),
        (Lifecycle.DECOMMISSIONED, "reemplazada"),
    ]:
        services.change_lifecycle(tech, device, to, why)
    device.refresh_from_db()
    assert device.lifecycle == Lifecycle.DECOMMISSIONED
    history = list(StatusChange.objects.filter(device=device).order_by("at", "pk"))
    assert [h.to_status for h in history][-2:] == [Lifecycle.OPERATIONAL, Lifecycle.DECOMMISSIONED]
    assert all(h.by == tech and h.reason and h.at for h in history) and len(history) == 7
    assert device.reactivated_on is not None  # abandoned -> operational is a reactivation


def test_a_forbidden_change_is_refused_in_spanish_and_nothing_is_saved(device, users):
    with translation.override("es-ec"), pytest.raises(ValidationError) as err:
        services.change_lifecycle(users["tecnico"], device, Lifecycle.OPERATIONAL, "saltar pasos")
    assert "no puede pasar" in " ".join(err.value.messages)
    device.refresh_from_db()
    assert device.lifecycle == Lifecycle.PLANNED and not StatusChange.objects.exists()
    for status in Lifecycle.values:  # nothing leaves decommissioned
        assert status not in TRANSITIONS[Lifecycle.DECOMMISSIONED]


def test_a_reason_is_required_from_people(device, users):
    with pytest.raises(ValidationError):
        services.change_lifecycle(users["tecnico"], device, Lifecycle.INSTALLED, "  ")


def test_who_may_change_follows_the_permission_check(device, users):
    with pytest.raises(PermissionDenied):
        services.change_lifecycle(users["enlace.policia"], device, Lifecycle.INSTALLED, "instalada")
    with pytest.raises(PermissionDenied):
        services.change_lifecycle(users["presidente.valle"], device, Lifecycle.INSTALLED, "instalada")
    services.change_lifecycle(users["presidente.sagrario"], device, Lifecycle.INSTALLED, "instalada")


def test_back_under_watch_it_is_probed_soon(device, users):
    Device.objects.filter(pk=device.pk).update(lifecycle=Lifecycle.MAINTENANCE, consecutive_failures=7)
    device.refresh_from_db()
    services.change_lifecycle(users["tecnico"], device, Lifecycle.OPERATIONAL, "reparada")
    device.refresh_from_db()
    assert device.next_probe_at is None and device.consecutive_failures == 0


def test_a_stale_change_loses_against_a_newer_one(device, users):
    stale = Device.objects.get(pk=device.pk)
    services.change_lifecycle(users["tecnico"], device, Lifecycle.INSTALLED, "instalada")
    with pytest.raises(ValidationError):
        services.change_lifecycle(users["tecnico"], stale, Lifecycle.INSTALLED, "otra vez")
    assert services.change_lifecycle(None, stale, Lifecycle.INSTALLED, "monitor") is None
    assert StatusChange.objects.count() == 1


def test_ticket_workflow_from_report_to_resolution(device, users):
    tech, boss = users["tecnico"], users["directora"]
    ticket = services.open_ticket(boss, device, "La cámara no graba de noche")
    assert ticket.status == MaintenanceTicket.Status.REPORTED and ticket.opened_by == boss
    services.assign_ticket(boss, ticket, tech)
    services.start_ticket(tech, ticket, "Revisando la fuente")
    with pytest.raises(ValidationError):
        services.resolve_ticket(tech, ticket, cause="")
    services.resolve_ticket(tech, ticket, cause="Fuente quemada", parts="Fuente 12 V", cost="35.50")
    ticket.refresh_from_db()
    assert ticket.status == MaintenanceTicket.Status.RESOLVED and ticket.resolved_at and str(ticket.cost) == "35.50"
    assert "Revisando la fuente" in ticket.notes and ticket.assigned_to == tech
    with pytest.raises(ValidationError):  # resolved is final
        services.start_ticket(tech, ticket)
    with pytest.raises(PermissionDenied):
        services.open_ticket(users["enlace.ecu911"], device, "algo")
