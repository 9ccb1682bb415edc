"""Each role sees and edits exactly what it should, on pages and API alike (one permission check)."""

import pytest
from django.urls import reverse

from centinela.territory.models import Barrio, Parish, Place

pytestmark = pytest.mark.django_db

ALL = ["admin", "directora", "tecnico", "enlace.policia", "enlace.ecu911", "presidente.sagrario", "presidente.valle"]
EDITORS = ["admin", "directora", "tecnico"]
READ_ONLY = ["enlace.policia", "enlace.ecu911"]

LIST_URLS = ["home", "territory:parish_list", "territory:barrio_list", "territory:place_list"]


@pytest.mark.parametrize("name", LIST_URLS + ["audit_log", "territory:place_create"])
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_public_pages_need_no_login(client):
    assert client.get(reverse("login")).status_code == 200
    assert client.get(reverse("password_reset")).status_code == 200
    health = client.get(reverse("health"))  # 200 or 503 by what runs (tests/test_health.py), never the login
    assert health.status_code in (200, 503) and health["Content-Type"] == "application/json"


@pytest.mark.parametrize("username", ALL)
@pytest.mark.parametrize("name", LIST_URLS)
def test_every_role_can_read_the_lists(client_for, username, name):
    assert client_for(username).get(reverse(name)).status_code == 200


@pytest.mark.parametrize("username", EDITORS)
def test_staff_see_every_parish(client_for, username):
    response = client_for(username).get(reverse("territory:parish_list"))
    assert response.context["page"].paginator.count == 19


def test_parish_president_sees_only_their_parish_records(client_for, users):
    c = client_for("presidente.sagrario")
    sagrario = users["presidente.sagrario"].parish
    assert [row[1][0] for row in c.get(reverse("territory:parish_list")).context["rows"]] == ["El Sagrario"]
    places = c.get(reverse("territory:place_list")).context["page"].paginator.object_list
    assert places and all(p.parish_id == sagrario.pk for p in places)
    assert Place.objects.exclude(parish=sagrario).exists()
    barrios = c.get(reverse("territory:barrio_list")).context["page"].paginator.object_list
    assert all(b.parish_id == sagrario.pk for b in barrios)


def test_parish_president_cannot_open_another_parishs_records(client_for, users):
    c = client_for("presidente.sagrario")
    valle = Parish.objects.get(code="110104")
    other_place = Place.objects.filter(parish=valle).first()
    other_barrio = Barrio.objects.filter(parish=valle).first()
    assert c.get(reverse("territory:parish_detail", args=[valle.pk])).status_code == 404
    assert c.get(reverse("territory:place_detail", args=[other_place.pk])).status_code == 404
    assert c.get(reverse("territory:place_edit", args=[other_place.pk])).status_code == 404
    assert c.get(reverse("territory:barrio_detail", args=[other_barrio.pk])).status_code == 404
    own = users["presidente.sagrario"].parish
    assert c.get(reverse("territory:parish_detail", args=[own.pk])).status_code == 200


def place_form(lat, lon, name="Parque nuevo"):
    return {"name": name, "kind": "park", "lat": lat, "lon": lon, "address": "", "notes": ""}


@pytest.mark.parametrize("username", EDITORS)
def test_staff_create_places_anywhere_in_the_canton(client_for, username):
    response = client_for(username).post(reverse("territory:place_create"), place_form(-3.9725, -79.2035))
    assert response.status_code == 302
    place = Place.objects.get(name="Parque nuevo")
    assert place.parish.code == "110104"  # located, not typed


@pytest.mark.parametrize("username", READ_ONLY)
def test_liaisons_only_read(client_for, username):
    c = client_for(username)
    place = Place.objects.first()
    assert c.get(reverse("territory:place_create")).status_code == 403
    assert c.post(reverse("territory:place_create"), place_form(-3.99, -79.20)).status_code == 403
    assert c.post(reverse("territory:place_edit", args=[place.pk]), place_form(-3.99, -79.20)).status_code == 403
    assert c.get(reverse("territory:parish_edit", args=[place.parish_id])).status_code == 403
    assert not Place.objects.filter(name="Parque nuevo").exists()


def test_parish_president_adds_places_in_their_parish_only(client_for):
    c = client_for("presidente.sagrario")
    ok = c.post(reverse("territory:place_create"), place_form(-3.9962, -79.2017, "Plaza del barrio"))
    assert ok.status_code == 302 and Place.objects.get(name="Plaza del barrio").parish.code == "110101"
    refused = c.post(reverse("territory:place_create"), place_form(-3.9725, -79.2035, "Fuera"))
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert not Place.objects.filter(name="Fuera").exists()


def test_parish_president_cannot_edit_parish_metadata(client_for, users):
    c = client_for("presidente.sagrario")
    assert c.get(reverse("territory:parish_edit", args=[users["presidente.sagrario"].parish_id])).status_code == 403


def test_a_point_outside_the_canton_is_rejected_keeping_what_was_typed(client_for):
    response = client_for("tecnico").post(reverse("territory:place_create"), place_form(-2.19, -79.88, "En Guayaquil"))
    assert response.status_code == 200
    form = response.context["form"]
    assert "outside the canton" in str(form.errors["lat"]) or "fuera del cantón" in str(form.errors["lat"])
    assert form["name"].value() == "En Guayaquil"
    assert not Place.objects.filter(name="En Guayaquil").exists()


@pytest.mark.parametrize(
    "username,status",
    [("admin", 200), ("directora", 200), ("tecnico", 403), ("enlace.policia", 403), ("presidente.sagrario", 403)],
)
def test_audit_trail_is_for_administrators_and_the_director(client_for, username, status):
    assert client_for(username).get(reverse("audit_log")).status_code == status


@pytest.mark.parametrize(
    "username,allowed", [("admin", True), ("directora", False), ("tecnico", False), ("enlace.policia", False)]
)
def test_django_admin_is_for_administrators_only(client_for, username, allowed):
    response = client_for(username).get("/admin/")
    assert (response.status_code == 200) is allowed


def barrio_form(parish, lat, lon, code="LOJA-B-NUEVO"):
    return {
        "code": code,
        "name": "Barrio nuevo",
        "parish": parish.pk,
        "centre_lat": lat,
        "centre_lon": lon,
        "notes": "",
    }


def test_barrio_centre_must_lie_in_the_chosen_parish(client_for):
    c = client_for("tecnico")
    sucre, sagrario = Parish.objects.get(code="110103"), Parish.objects.get(code="110101")
    refused = c.post(reverse("territory:barrio_create"), barrio_form(sucre, -3.9962, -79.2017))
    assert refused.status_code == 200
    assert "El Sagrario" in str(refused.context["form"].errors["parish"])
    assert c.post(reverse("territory:barrio_create"), barrio_form(sagrario, -3.9962, -79.2017)).status_code == 302
    barrio = Barrio.objects.get(code="LOJA-B-NUEVO")
    assert barrio.is_approximate and barrio.geometry.contains(barrio.geometry.centroid)


def test_parish_president_may_only_choose_their_own_parish_for_a_barrio(client_for):
    c = client_for("presidente.valle")
    form = c.get(reverse("territory:barrio_create")).context["form"]
    assert [p.code for p in form.fields["parish"].queryset] == ["110104"]
    sagrario = Parish.objects.get(code="110101")
    response = c.post(reverse("territory:barrio_create"), barrio_form(sagrario, -3.9962, -79.2017))
    assert response.status_code == 200 and not Barrio.objects.filter(code="LOJA-B-NUEVO").exists()
