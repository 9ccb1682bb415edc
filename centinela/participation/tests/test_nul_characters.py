"""A NUL character (%00) in what a citizen or an Open311 client sends: on PostgreSQL a query or a row holding one
raised DataError, a 500 (SQLite answered). Each door of the citizen reports refuses it with a 400 in Spanish and saves
nothing: the Open311 POST (form, multipart and JSON bodies), one request by id, one service, the list's filters, the
place search and the private tracking link. These tests fail on PostgreSQL without lib.middleware.RefuseNulMiddleware
(CI runs the suite on both databases)."""

import json
from urllib.parse import urlencode
from xml.etree import ElementTree

import pytest

from centinela.participation import services
from centinela.participation.models import Report

BASE = "/api/open311/v2"
NUL_TEXT = "necesita\x00tilde"


def spanish_nul(text: str) -> bool:
    return "NUL" in text and "carácter" in text


@pytest.fixture
def key(db, categories):
    return services.issue_open311_key("Aplicación con NUL")[1]


def form(key, sagrario_point, **extra):
    lon, lat = sagrario_point
    return {"api_key": key, "service_code": "alumbrado-deficiente", "lat": lat, "long": lon, **extra}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["description", "first_name", "address_string", "service_code", "api_key"])
def test_an_open311_post_with_a_nul_in_a_form_field_is_a_400_in_spanish_and_saves_nothing(
    client, key, sagrario_point, field
):
    data = form(key, sagrario_point, description="Poste apagado")
    data[field] = NUL_TEXT
    response = client.post(f"{BASE}/requests.json", urlencode(data), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    errors = response.json()
    assert errors[0]["code"] == 400 and spanish_nul(errors[0]["description"])
    assert not Report.objects.exists()


@pytest.mark.django_db
def test_an_open311_post_in_multipart_or_xml_address_with_a_nul_is_a_400(client, key, sagrario_point):
    response = client.post(f"{BASE}/requests.xml", form(key, sagrario_point, description=NUL_TEXT))  # multipart
    assert response.status_code == 400 and response["Content-Type"].startswith("text/xml")
    description = ElementTree.fromstring(response.content).find("error/description").text
    assert spanish_nul(description)
    response = client.post(
        f"{BASE}/requests.json", json.dumps(form(key, sagrario_point, description=NUL_TEXT)), "application/json"
    )
    assert response.status_code == 400 and spanish_nul(response.json()[0]["description"])
    assert not Report.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        f"{BASE}/requests/R-ABC%00.json",
        f"{BASE}/requests/R-ABC%00.xml",
        f"{BASE}/services/alumbrado-deficiente%00.json",
        f"{BASE}/requests.json?service_code=alumbrado%00",
        f"{BASE}/requests.json?service_request_id=R-1%00",
        f"{BASE}/requests.xml?status=open%00",
    ],
)
def test_an_open311_read_with_a_nul_is_a_400_in_the_asked_format(client, categories, path):
    response = client.get(path)
    assert response.status_code == 400
    if ".xml" in path:
        assert spanish_nul(ElementTree.fromstring(response.content).find("error/description").text)
    else:
        assert spanish_nul(response.json()[0]["description"])


@pytest.mark.django_db
def test_the_place_search_and_the_tracking_link_with_a_nul_are_a_400_page_in_spanish(client, report):
    for path in (
        "/participa/lugares/?q=Sagr%00ario",
        f"/participa/seguimiento/{report.token}%00/",
        f"/participa/seguimiento/{report.token}/?respuesta=%00",
        "/participa/mapa/?category=%00",
    ):
        response = client.get(path)
        assert response.status_code == 400, path
        assert spanish_nul(response.content.decode()), path
    # the same addresses without the NUL still answer
    assert client.get("/participa/lugares/?q=Sagrario").status_code == 200
    assert client.get(f"/participa/seguimiento/{report.token}/").status_code == 200


@pytest.mark.django_db
def test_a_form_posted_to_the_tracking_page_with_a_nul_saves_nothing(client, report):
    before = report.updates.count()
    response = client.post(f"/participa/seguimiento/{report.token}/", {"text": NUL_TEXT})
    assert response.status_code in (200, 400)  # a form error or the 400: never a 500
    assert report.updates.count() == before
