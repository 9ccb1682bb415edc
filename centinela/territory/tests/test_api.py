import pytest
from django.test import Client

from centinela.accounts.models import ApiToken
from centinela.territory.models import Parish, Place

pytestmark = pytest.mark.django_db


def bearer(user):
    _token, key = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_api_needs_authentication(client):
    for url in ["/api/parishes", "/api/places", "/api/locate?lon=-79.2&lat=-4.0"]:
        assert client.get(url).status_code == 401


def test_token_authentication_and_geojson(users):
    response = Client().get("/api/parishes", **bearer(users["enlace.ecu911"]))
    assert response.status_code == 200
    data = response.json()
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 19
    assert data["features"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert ApiToken.objects.get(user=users["enlace.ecu911"]).last_used_at is not None


def test_wrong_token_is_refused():
    assert Client().get("/api/parishes", HTTP_AUTHORIZATION="Bearer nope").status_code == 401


def test_locate_endpoint(client_for):
    sagrario = Parish.objects.get(code="110101")
    data = client_for("tecnico").get("/api/locate", {"lon": sagrario.centre_lon, "lat": sagrario.centre_lat}).json()
    assert data["parish_code"] == "110101" and data["in_canton"] is True
    outside = client_for("tecnico").get("/api/locate", {"lon": -79.88, "lat": -2.19}).json()
    assert outside["parish"] is None and outside["in_canton"] is False
    assert client_for("tecnico").get("/api/locate", {"lon": "x", "lat": 1}).status_code == 422


def test_api_applies_the_same_parish_scope(users):
    headers = bearer(users["presidente.sagrario"])
    data = Client().get("/api/places", **headers).json()
    assert data["features"] and {f["properties"]["parish"] for f in data["features"]} == {"El Sagrario"}
    other = Place.objects.exclude(parish__code="110101").first()
    assert Client().get(f"/api/places/{other.pk}", **headers).status_code == 404
    assert len(Client().get("/api/parishes", **headers).json()["features"]) == 1


def test_api_writes_follow_roles(users):
    payload = {"name": "UPC Las Pitas", "kind": "police", "lon": -79.2035, "lat": -3.9725}
    refused = Client().post("/api/places", payload, content_type="application/json", **bearer(users["enlace.policia"]))
    assert refused.status_code == 403
    created = Client().post("/api/places", payload, content_type="application/json", **bearer(users["tecnico"]))
    assert created.status_code == 201 and created.json()["parish_id"] == Parish.objects.get(code="110104").pk
    outside = Client().post(
        "/api/places",
        {**payload, "name": "X", "lon": -79.88, "lat": -2.19},
        content_type="application/json",
        **bearer(users["tecnico"]),
    )
    assert outside.status_code == 422


def test_session_auth_needs_csrf_for_writes(users):
    c = Client(enforce_csrf_checks=True)
    c.force_login(users["tecnico"])
    assert c.get("/api/places").status_code == 200
    response = c.post(
        "/api/places", {"name": "X", "kind": "park", "lon": -79.2, "lat": -4.0}, content_type="application/json"
    )
    assert response.status_code in (401, 403)


def test_openapi_schema_and_docs_for_signed_in_users(client, client_for):
    assert client.get("/api/docs").status_code == 302
    c = client_for("enlace.policia")
    schema = c.get("/api/openapi.json").json()
    assert "/api/locate" in schema["paths"] and "/api/parishes" in schema["paths"]
    assert c.get("/api/docs").status_code == 200
