"""The incident API: filters and pages as the list page, scoped by the one permission check, token or session."""

import pytest
from django.test import Client

from centinela.accounts.models import ApiToken
from centinela.incidents.models import Category

from .test_pages import make

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def three(db):
    return [make("110101", "SAG-1"), make("110101", "SAG-2", category="robo-personas"), make("110104", "VAL-1")]


def test_the_api_needs_authentication(client, three):
    for url in ("/api/incidents", f"/api/incidents/{three[0].pk}", "/api/incident-categories"):
        assert client.get(url).status_code == 401


def test_a_token_lists_filters_and_pages_incidents(users, three):
    c, auth = Client(), bearer(users["enlace.ecu911"])
    data = c.get("/api/incidents", **auth).json()
    assert data["count"] == 3 and {r["source_ref"] for r in data["results"]} == {"SAG-1", "SAG-2", "VAL-1"}
    assert data["results"][0]["lat"] is not None  # ECU 911 sees the exact point
    robo = Category.objects.get(code="robo-personas").pk
    assert [r["source_ref"] for r in c.get("/api/incidents", {"category": robo}, **auth).json()["results"]] == ["SAG-2"]
    page = c.get("/api/incidents", {"page_size": 2, "page": 2}, **auth).json()
    assert page["pages"] == 2 and len(page["results"]) == 1
    assert c.get("/api/incidents", {"date_from": "nunca"}, **auth).status_code == 422


def test_a_parish_president_gets_their_parish_without_exact_points(users, three):
    c, auth = Client(), bearer(users["presidente.valle"])
    data = c.get("/api/incidents", **auth).json()
    assert [r["source_ref"] for r in data["results"]] == ["VAL-1"]
    assert data["results"][0]["lat"] is None and data["results"][0]["address"] is None
    assert c.get(f"/api/incidents/{three[0].pk}", **auth).status_code == 404
    assert c.get(f"/api/incidents/{three[2].pk}", **auth).json()["parish"] == "El Valle"
    assert len(c.get("/api/incident-categories", **auth).json()) >= 17


def test_the_browser_session_works_too(client_for, three):
    detail = client_for("tecnico").get(f"/api/incidents/{three[0].pk}").json()
    assert detail["source_ref"] == "SAG-1" and detail["address"] == "Calle 10 de Agosto 12-34"
