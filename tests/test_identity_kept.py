"""Identity kept: a parish president asking for another parish's records by id, through the pages, the API (with
their own token) and the exports, gets nothing of them; nobody can act as another user (the password change and the
API token act on the signed-in user only, whatever the request names)."""

import pytest

from centinela.incidents.demo import load_demo_incidents
from centinela.incidents.models import Incident
from centinela.territory.models import Parish, Place


@pytest.fixture
def sagrario(db):
    load_demo_incidents(n=300)  # in the test's transaction
    parish = Parish.objects.get(code="110101")
    return (
        parish,
        Incident.objects.filter(parish=parish).order_by("pk").first(),
        Place.objects.filter(parish=parish).order_by("pk").first(),
    )


def token_client(client, user):
    from django.test import Client

    from centinela.accounts.models import ApiToken

    _token, key = ApiToken.issue(user, "identidad")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


@pytest.mark.django_db
def test_a_parish_presidents_token_reads_no_record_of_another_parish_by_id_nor_by_filter(client, users, sagrario):
    parish, incident, place = sagrario
    valle = token_client(client, users["presidente.valle"])
    assert valle.get(f"/api/incidents/{incident.pk}").status_code == 404
    assert valle.get(f"/api/places/{place.pk}").status_code == 404
    assert valle.get("/api/incidents", {"parish": parish.pk}).status_code == 422
    listed = valle.get("/api/incidents", {"page_size": 1000}).json()
    assert listed["count"] > 0 and {r["parish_id"] for r in listed["results"]} == {users["presidente.valle"].parish_id}
    own = token_client(client, users["presidente.sagrario"])
    assert own.get(f"/api/incidents/{incident.pk}").status_code == 200  # the same id answers its own parish


@pytest.mark.django_db
def test_a_parish_presidents_export_holds_no_record_of_another_parish(client_for, users, sagrario):
    parish, incident, _place = sagrario
    valle = client_for("presidente.valle")
    for fmt in ("csv",):
        content = valle.get("/incidentes/", {"export": fmt}).getvalue().decode("utf-8-sig")
        assert incident.source_ref and incident.source_ref not in content
        assert (
            valle.get("/incidentes/", {"export": fmt, "parish": parish.pk})
            .getvalue()
            .decode("utf-8-sig")
            .count(incident.source_ref)
            == 0
        )
    assert incident.source_ref in client_for("presidente.sagrario").get(
        "/incidentes/", {"export": "csv"}
    ).getvalue().decode("utf-8-sig")


@pytest.mark.django_db
def test_the_password_change_changes_the_signed_in_users_password_only_whatever_the_form_names(client_for, users):
    valle, other = users["presidente.valle"], users["presidente.sagrario"]
    other_hash = other.password
    response = client_for("presidente.valle").post(
        "/cuenta/clave/cambiar/",
        {
            "old_password": "Loja-demo-2026",
            "new_password1": "Otra-clave-larga-77",
            "new_password2": "Otra-clave-larga-77",
            "username": other.username,
            "user": other.pk,
            "id": other.pk,
        },
    )
    assert response.status_code == 302
    valle.refresh_from_db()
    other.refresh_from_db()
    assert valle.check_password("Otra-clave-larga-77")
    assert other.password == other_hash


@pytest.mark.django_db
def test_an_api_token_acts_as_its_owner_and_a_session_of_another_user_does_not_change_that(client_for, users, sagrario):
    _parish, incident, _place = sagrario
    from django.test import Client

    from centinela.accounts.models import ApiToken

    _token, key = ApiToken.issue(users["presidente.valle"], "identidad")
    mixed = client_for("tecnico")  # signed in as staff, but sending the president's token: the token decides
    assert mixed.get(f"/api/incidents/{incident.pk}", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 404
    assert Client(HTTP_AUTHORIZATION="Bearer not-a-token").get("/api/incidents").status_code == 401
