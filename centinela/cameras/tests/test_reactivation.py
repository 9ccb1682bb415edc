"""A reactivation is the first return to operational after a camera was abandoned, whether straight back or
through maintenance and other states, by a person or by the monitor; staff link it to the video-surveillance
programme activity that did it, as System.reactivation does."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from centinela.activities.tests import factories
from centinela.cameras import services
from centinela.cameras.forms import LifecycleForm
from centinela.cameras.models import Device, Lifecycle, Site, StatusChange, System
from centinela.territory.models import Parish

L = Lifecycle


@pytest.fixture
def device(db):
    parish = Parish.objects.get(code="110101")
    site = Site.objects.create(name="Ciudadela Zamora", lon=-79.2, lat=-3.98, parish=parish)
    system = System.objects.create(site=site, name="NVR Zamora")
    return Device.objects.create(system=system, code="ZAM-1", name="Parque", lifecycle=L.OPERATIONAL)


@pytest.fixture
def activity(db):
    prog = factories.programme(kind="surveillance", code="VIG")
    return factories.activity(title="Reactivación de sistemas abandonados", prog=prog, status="done")


def walk(user, device, *steps):
    for to in steps:
        services.change_lifecycle(user, device, to, "paso")
    device.refresh_from_db()
    return device


def test_straight_back_from_abandoned_is_a_reactivation(device, users):
    walk(users["tecnico"], device, L.OFFLINE, L.ABANDONED, L.OPERATIONAL)
    assert device.reactivated_on == timezone.localdate()


def test_back_through_maintenance_is_a_reactivation_too(device, users):
    walk(users["tecnico"], device, L.OFFLINE, L.ABANDONED)
    assert services.away_since_abandoned(device)
    walk(users["tecnico"], device, L.MAINTENANCE)
    assert device.reactivated_on is None and services.away_since_abandoned(device)
    walk(users["tecnico"], device, L.OPERATIONAL)
    assert device.reactivated_on == timezone.localdate()
    assert not services.away_since_abandoned(device)


def test_the_monitor_bringing_it_back_is_a_reactivation(device, users):
    walk(users["tecnico"], device, L.OFFLINE, L.ABANDONED, L.MAINTENANCE, L.OFFLINE)
    assert services.change_lifecycle(None, device, L.OPERATIONAL, "sondeo correcto") is not None
    device.refresh_from_db()
    assert device.reactivated_on == timezone.localdate()


def test_a_repair_without_abandonment_is_not_a_reactivation(device, users):
    walk(users["tecnico"], device, L.OFFLINE, L.MAINTENANCE, L.OPERATIONAL)
    assert device.reactivated_on is None
    # once reactivated, a later outage and return does not move the reactivation date
    Device.objects.filter(pk=device.pk).update(reactivated_on=timezone.localdate() - timedelta(days=400))
    StatusChange.objects.filter(device=device).update(at=timezone.now() - timedelta(days=500))
    walk(
        users["tecnico"],
        device,
        L.OFFLINE,
        L.ABANDONED,
        L.MAINTENANCE,
        L.OPERATIONAL,
        L.OFFLINE,
        L.MAINTENANCE,
        L.OPERATIONAL,
    )
    assert device.reactivated_on == timezone.localdate()
    StatusChange.objects.filter(device=device).update(at=timezone.now() - timedelta(days=10))
    Device.objects.filter(pk=device.pk).update(reactivated_on=timezone.localdate() - timedelta(days=10))
    walk(users["tecnico"], device, L.OFFLINE, L.OPERATIONAL)
    assert device.reactivated_on == timezone.localdate() - timedelta(days=10)


def test_staff_link_the_reactivation_to_a_surveillance_activity_from_the_form(device, users, client_for, activity):
    walk(users["tecnico"], device, L.OFFLINE, L.ABANDONED, L.MAINTENANCE)
    client = client_for("tecnico")
    page = client.get(device.get_absolute_url()).content.decode()
    assert 'name="reactivation"' in page and "Reactivación de sistemas abandonados" in page
    response = client.post(
        f"/camaras/dispositivos/{device.pk}/estado/",
        {"to_status": L.OPERATIONAL, "reason": "reactivada por el programa", "reactivation": activity.pk},
    )
    assert response.status_code == 302
    device.refresh_from_db()
    system = device.system
    system.refresh_from_db()
    assert device.lifecycle == L.OPERATIONAL and device.reactivated_on == timezone.localdate()
    assert system.reactivation == activity and system.reactivated_on == timezone.localdate()
    assert LogEntry.objects.get_for_object(system).filter(actor=users["tecnico"]).exists()
    assert activity.camera_systems.filter(pk=system.pk).exists()


def test_only_a_reactivation_is_linked_and_only_to_the_surveillance_programme(device, users, activity):
    other = factories.activity(title="Charla en la escuela", prog=factories.programme(kind="training", code="CAP"))
    form = LifecycleForm(device=device, user=users["tecnico"])
    assert "reactivation" not in form.fields  # operational, never abandoned: nothing to link
    walk(users["tecnico"], device, L.OFFLINE)
    assert "reactivation" not in LifecycleForm(device=device, user=users["tecnico"]).fields
    with pytest.raises(ValidationError) as err:
        services.change_lifecycle(users["tecnico"], device, L.OPERATIONAL, "reparada", reactivation=activity)
    assert "reactivation" in err.value.error_dict
    device.refresh_from_db()
    assert device.lifecycle == L.OFFLINE and device.system.reactivation is None
    walk(users["tecnico"], device, L.ABANDONED)
    form = LifecycleForm(
        {"to_status": L.OPERATIONAL, "reason": "x", "reactivation": other.pk}, device=device, user=users["tecnico"]
    )
    assert not form.is_valid() and "reactivation" in form.errors
    with pytest.raises(ValidationError):
        services.change_lifecycle(users["tecnico"], device, L.OPERATIONAL, "x", reactivation=other)
    device.refresh_from_db()
    assert device.lifecycle == L.ABANDONED and device.reactivated_on is None
