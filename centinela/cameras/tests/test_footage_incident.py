"""A footage request names the incident in the registry when it is there (the free-text reference stays for the
others): the form picks it by number, opens pre-filled from the incident, and the incident's sightings list it."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from centinela.cameras import services
from centinela.cameras.models import FootageRequest
from centinela.cameras.tests.test_inventory_factories import make_device, make_system
from centinela.cameras.tests.test_sightings import at, incident, offset
from centinela.partners.models import Institution

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen():
    camera = make_device(make_system(installed_on=date(2019, 1, 1)), code="CAM-F-1", lifecycle="operational")
    inc = incident(*offset(camera, 90, 20), at(2021, 3, 1, 20, 30))
    services.link_incidents()
    police = Institution.objects.create(name="Policía Nacional (prueba)", kind="public")
    return camera, inc, police


def _post(client, police, camera, **extra):
    data = {
        "institution": police.pk,
        "requester": "Sgto. Pérez",
        "requested_at": "2021-03-02T10:00",
        "incident": "",
        "incident_reference": "",
        "devices": [camera.pk],
        "period_start": "2021-03-01T20:00",
        "period_end": "2021-03-01T21:00",
        "notes": "",
    }
    data.update(extra)
    return client.post(reverse("cameras:footage_create"), data)


def _render_for(user, incident):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("cameras/_incident_sightings.html", {"incident": incident}, request=request)


def test_a_request_names_the_incident_and_the_incident_lists_it(seen, client_for, users):
    camera, inc, police = seen
    response = _post(client_for("tecnico"), police, camera, incident=inc.pk)
    assert response.status_code == 302, response.context["form"].errors
    item = FootageRequest.objects.get()
    assert item.incident == inc and item.incident_reference == ""
    assert list(inc.footage_requests.all()) == [item]
    sighting = inc.sightings.get()
    assert list(sighting.footage_requests) == [item]
    page = client_for("directora").get(reverse("cameras:footage_detail", args=[item.pk])).content.decode()
    assert f"#{inc.pk}" in page
    html = _render_for(users["tecnico"], inc)
    assert "CAM-F-1" in html and f"#{item.pk}" in html and "funcionando en ese momento" in html
    assert "Nuevo pedido de video" in html
    # footage requests are not parish business: a parish president sees the cameras, not the requests
    html = _render_for(users["presidente.sagrario"], inc)
    assert "CAM-F-1" in html and f"#{item.pk}" not in html and "Nuevo pedido de video" not in html
    footage_url = reverse("cameras:footage_detail", args=[item.pk])
    assert f'href="{footage_url}"' in client_for("tecnico").get(camera.get_absolute_url()).content.decode()
    # the requester and the case are not for the institutions' liaisons (staff only)
    assert footage_url not in client_for("enlace.policia").get(camera.get_absolute_url()).content.decode()


def test_an_incident_not_in_the_registry_keeps_the_free_text_reference(seen, client_for):
    camera, _inc, police = seen
    response = _post(client_for("tecnico"), police, camera, incident_reference="Parte policial 2021-88")
    assert response.status_code == 302
    item = FootageRequest.objects.get()
    assert item.incident is None and item.incident_reference == "Parte policial 2021-88"


def test_an_unknown_incident_number_is_refused_in_spanish_and_keeps_the_input(seen, client_for):
    camera, _inc, police = seen
    response = _post(client_for("tecnico"), police, camera, incident="987654", requester="Fiscal Ruiz")
    body = response.content.decode()
    assert response.status_code == 200 and "No hay ningún incidente con ese número" in body
    assert "Fiscal Ruiz" in body and not FootageRequest.objects.exists()


def test_the_form_opens_pre_filled_from_the_incident(seen, client_for):
    camera, inc, _police = seen
    response = client_for("directora").get(reverse("cameras:footage_create"), {"incident": inc.pk})
    form = response.context["form"]
    assert form.initial["incident"] == inc.pk and form.initial["devices"] == [camera.pk]
    assert timezone.localtime(form.initial["period_start"]).strftime("%H:%M") == "19:30"
    assert timezone.localtime(form.initial["period_end"]).strftime("%H:%M") == "21:30"


def test_footage_requests_stay_closed_to_parish_presidents_and_liaisons(seen, client_for):
    camera, inc, police = seen
    assert (
        client_for("presidente.sagrario").get(reverse("cameras:footage_create"), {"incident": inc.pk}).status_code
        == 403
    )
    assert _post(client_for("enlace.policia"), police, camera, incident=inc.pk).status_code == 403
    assert not FootageRequest.objects.exists()
