"""Liaisons belong to their institution: a Policía or Fiscalía user makes their footage request themself (the
institution is their own, the requester their name, neither chosen) and sees only their institution's requests;
the council's staff see and answer them all."""

from datetime import UTC, date, datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from centinela.accounts.models import User
from centinela.cameras.models import FootageRequest
from centinela.cameras.tests.test_inventory_factories import make_device, make_system
from centinela.partners.models import Institution

pytestmark = pytest.mark.django_db
WHEN = datetime(2026, 3, 1, 1, tzinfo=UTC)


@pytest.fixture
def world():
    camera = make_device(make_system(installed_on=date(2019, 1, 1)), code="CAM-L-1", lifecycle="operational")
    police = Institution.objects.create(name="Policía Nacional (prueba)", kind="public")
    fiscalia = Institution.objects.create(name="Fiscalía Provincial (prueba)", kind="public")
    User.objects.filter(username="enlace.policia").update(institution=police)
    User.objects.filter(username="enlace.ecu911").update(institution=fiscalia)  # stands for a Fiscalía liaison here
    return camera, police, fiscalia


def _request(institution, requester, camera):
    item = FootageRequest.objects.create(
        institution=institution,
        requester=requester,
        requested_at=WHEN,
        incident_reference=f"Parte de {requester}",
        period_start=WHEN,
        period_end=WHEN.replace(hour=2),
    )
    item.devices.add(camera)
    return item


def test_a_liaison_makes_the_request_for_their_own_institution_in_their_own_name(world, client_for):
    camera, police, fiscalia = world
    c = client_for("enlace.policia")
    form = c.get(reverse("cameras:footage_create")).context["form"]
    assert "institution" not in form.fields and "requester" not in form.fields
    # an institution or a name slipped into the form is ignored: they are the account's
    response = c.post(
        reverse("cameras:footage_create"),
        {
            "institution": fiscalia.pk,
            "requester": "Otra persona",
            "incident_reference": "Parte 2026-88",
            "devices": [camera.pk],
            "period_start": "2026-03-01T20:00",
            "period_end": "2026-03-01T21:00",
            "notes": "",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    item = FootageRequest.objects.get(incident_reference="Parte 2026-88")
    assert item.institution == police and item.requester == "Enlace Policía Nacional"
    assert list(item.devices.all()) == [camera]
    assert LogEntry.objects.get_for_object(item).get().actor.username == "enlace.policia"
    # the liaison reads it; answering stays with the council's staff
    assert c.get(reverse("cameras:footage_detail", args=[item.pk])).status_code == 200
    assert c.get(reverse("cameras:footage_answer", args=[item.pk])).status_code == 403


def test_a_liaison_sees_only_their_institutions_requests_and_staff_see_all(world, client_for):
    camera, police, fiscalia = world
    ours = _request(police, "Sgto. Pérez", camera)
    theirs = _request(fiscalia, "Fiscal Ruiz", camera)
    police_liaison = client_for("enlace.policia")
    listed = police_liaison.get(reverse("cameras:footage_list")).content.decode()
    assert "Sgto. Pérez" in listed and "Fiscal Ruiz" not in listed
    assert police_liaison.get(reverse("cameras:footage_detail", args=[theirs.pk])).status_code == 404
    exported = police_liaison.get(reverse("cameras:footage_list"), {"export": "csv"}).getvalue().decode()
    assert "Sgto. Pérez" in exported and "Fiscal Ruiz" not in exported
    device_page = police_liaison.get(camera.get_absolute_url()).content.decode()
    assert reverse("cameras:footage_detail", args=[theirs.pk]) not in device_page
    assert reverse("cameras:footage_detail", args=[ours.pk]) in device_page
    for staff in ("admin", "directora", "tecnico"):
        page = client_for(staff).get(reverse("cameras:footage_list")).content.decode()
        assert "Sgto. Pérez" in page and "Fiscal Ruiz" in page, staff


def test_parish_presidents_still_make_no_requests(world, client_for):
    assert client_for("presidente.sagrario").get(reverse("cameras:footage_create")).status_code == 403
    assert client_for("presidente.sagrario").get(reverse("cameras:footage_list")).status_code == 403
