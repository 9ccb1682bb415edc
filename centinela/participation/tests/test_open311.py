"""Open311 GeoReport v2 as an outside client meets it: Django's live server and plain HTTP (urllib), the requests
of the specification's examples (services, a service definition, requests with filters, a POST with an api_key,
lat/long and no attributes, the new request by its id), in JSON and in XML read with xml.etree. What must hold:
sensitive reports never have a point, unpublished ones are not listed, no personal data in any answer, a bad key is
403, bad input 400 with Spanish descriptions and nothing saved, the limit per key and address is 429, and the
OpenAPI document lists the Open311 paths."""

import json
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from io import StringIO
from xml.etree import ElementTree

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.utils import timezone

from centinela.participation import services
from centinela.participation.models import Open311Client, Report
from centinela.partners.models import Institution

from .conftest import OUTSIDE, centre, file_report

BASE = "/api/open311/v2"
# Personal data of the reporters below: none of it may appear in any Open311 answer.
SECRETS = ["Rosa Quizhpe", "0991112233", "rosa@example.ec", "Julio Secreto", "julio@example.ec"]


@pytest.fixture
def cache_on(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "o311"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def server(live_server, reference_data, cache_on):
    return live_server.url


def call(server, method, path, params=None, data=None, headers=None):
    """(status, content type, body bytes) of one real HTTP request."""
    url = server + path + ("?" + urllib.parse.urlencode(params) if params else "")
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    if body is not None:
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def get_json(server, path, params=None):
    status, content_type, body = call(server, "GET", path, params)
    assert content_type.startswith("application/json"), (status, content_type, body[:200])
    return status, json.loads(body)


def get_xml(server, path, params=None):
    status, content_type, body = call(server, "GET", path, params)
    assert content_type.startswith("text/xml"), (status, content_type, body[:200])
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return status, ElementTree.fromstring(body)


@pytest.fixture
def world(categories, sagrario_point, valle_point, users):
    """A published report with a staff update and a confirmed institution, a published sensitive one, an unpublished
    one and a merged one; every reporter left personal data."""
    staff = users["tecnico"]
    # exact points with more decimals than the public's three, so an exact point in an answer would show
    sagrario_point, valle_point = [(lon + 0.0001234, lat - 0.0001234) for lon, lat in (sagrario_point, valle_point)]
    rosa = services.Contact(name="Rosa Quizhpe", phone="0991112233", email="rosa@example.ec", consent=True)
    julio = services.Contact(name="Julio Secreto", email="julio@example.ec", consent=True)
    light = file_report(categories["alumbrado-deficiente"], sagrario_point, "Poste sin luz frente al parque", rosa)
    services.publish(staff, light, True)
    institution = Institution.objects.create(name="Empresa Eléctrica Regional del Sur", kind="public")
    services.assign(staff, light, institution=institution, person=None)
    services.post_update(staff, light, status="in_progress", text="La empresa eléctrica revisa el poste", public=True)
    services.post_update(staff, light, status="in_progress", text="Nota interna: llamar a Rosa", public=False)
    services.add_reporter_information(light, "Mi vecino Julio Secreto también lo vio")
    drugs = file_report(
        categories["drogas-via-publica"], valle_point, "Venta de droga en la esquina de la tienda", julio
    )
    services.publish(staff, drugs, True)
    hidden = file_report(categories["lugar-abandonado"], sagrario_point, "Casa abandonada sin publicar", rosa)
    merged = file_report(categories["alumbrado-deficiente"], sagrario_point, "Otro poste sin luz", julio)
    services.merge(staff, merged, light)
    for report in (light, drugs, hidden, merged):
        report.refresh_from_db()
    return {"light": light, "drugs": drugs, "hidden": hidden, "merged": merged, "institution": institution}


@pytest.fixture
def key(db):
    _client, key = services.issue_open311_key("App Vecinos Loja")
    return key


def test_the_service_list_in_json_and_xml_is_the_active_categories(server, categories):
    status, services_json = get_json(server, f"{BASE}/services.json")
    assert status == 200
    codes = [s["service_code"] for s in services_json]
    assert "alumbrado-deficiente" in codes and "drogas-via-publica" in codes
    light = next(s for s in services_json if s["service_code"] == "alumbrado-deficiente")
    assert light["service_name"] == "Alumbrado deficiente"
    assert light["metadata"] is False and light["type"] == "realtime"
    categories["otro"].active = False
    categories["otro"].save()
    status, root = get_xml(server, f"{BASE}/services.xml", {"jurisdiction_id": "loja.gob.ec"})
    assert status == 200 and root.tag == "services"
    xml_codes = [s.findtext("service_code") for s in root.findall("service")]
    assert xml_codes == [c for c in codes if c != "otro"]
    first = root.find("service")
    assert first.findtext("metadata") == "false" and first.findtext("type") == "realtime"
    status, root = get_xml(server, f"{BASE}/discovery.xml")
    endpoint = root.find("endpoints").find("endpoint")
    assert endpoint.findtext("url") == f"{server}{BASE}/" and endpoint.findtext("specification").endswith(
        "GeoReport_v2"
    )
    assert [f.text for f in endpoint.find("formats").findall("format")] == ["text/xml", "application/json"]


def test_a_service_definition_has_no_attributes_and_an_unknown_code_is_an_open311_404(server, categories):
    status, definition = get_json(server, f"{BASE}/services/alumbrado-deficiente.json")
    assert status == 200 and definition == {"service_code": "alumbrado-deficiente", "attributes": []}
    status, root = get_xml(server, f"{BASE}/services/alumbrado-deficiente.xml")
    assert root.tag == "service_definition" and root.findtext("service_code") == "alumbrado-deficiente"
    status, errors = get_json(server, f"{BASE}/services/no-existe.json")
    assert status == 404 and errors[0]["code"] == 404 and "No hay ningún servicio" in errors[0]["description"]
    status, root = get_xml(server, f"{BASE}/services/no-existe.xml")
    assert status == 404 and root.tag == "errors" and root.find("error").findtext("code") == "404"
    status, _type, body = call(server, "GET", f"{BASE}/services.html")
    assert status == 404 and "json o .xml" in json.loads(body)[0]["description"]


def test_requests_list_published_reports_without_personal_data_and_never_a_sensitive_one(server, world):
    """Sensitive categories (drugs, violence) are counted per barrio over whole months on the public pages, small
    counts hidden: listed one by one, even without a point or a text, a report said "one report of drug dealing in
    barrio X, on 3 March at 21:14" (its barrio and the second it was filed). They are not listed, nor found by their
    code (six letters: they can be tried), except by the Open311 client that filed them."""
    status, rows = get_json(server, f"{BASE}/requests.json")
    assert status == 200
    by_code = {r["service_request_id"]: r for r in rows}
    light, drugs = world["light"], world["drugs"]
    assert set(by_code) == {light.code}  # neither the unpublished, nor the merged, nor the sensitive report
    row = by_code[light.code]
    assert row["status"] == "open" and row["service_code"] == "alumbrado-deficiente"
    assert row["status_notes"] == "La empresa eléctrica revisa el poste"  # the council's last public update
    assert row["agency_responsible"] == world["institution"].name
    assert (row["long"], row["lat"]) == (round(light.lon, 3), round(light.lat, 3))
    assert row["description"] == "Poste sin luz frente al parque"
    assert row["requested_datetime"].endswith("-05:00") and row["updated_datetime"].endswith("-05:00")
    assert light.parish.name in row["address"]
    status, rows = get_json(server, f"{BASE}/requests.json", {"service_request_id": f"{light.code},{drugs.code}"})
    assert status == 200 and [r["service_request_id"] for r in rows] == [light.code]
    status, rows = get_json(server, f"{BASE}/requests/{drugs.code}.json")
    assert status == 404
    status, rows = get_json(server, f"{BASE}/requests.json", {"service_code": "drogas-via-publica"})
    assert status == 200 and rows == []

    status, root = get_xml(server, f"{BASE}/requests.xml")
    assert root.tag == "service_requests"
    xml_rows = {r.findtext("service_request_id"): r for r in root.findall("request")}
    assert set(xml_rows) == {light.code}
    assert float(xml_rows[light.code].findtext("lat")) == round(light.lat, 3)

    for path in ("requests.json", "requests.xml", f"requests/{light.code}.json", f"requests/{drugs.code}.xml"):
        _status, _type, body = call(server, "GET", f"{BASE}/{path}")
        text = body.decode()
        for secret in SECRETS + ["Nota interna", light.token, str(light.lat), str(drugs.lat)]:
            assert secret not in text, (path, secret)


def test_the_client_that_filed_a_sensitive_report_reads_it_without_its_place_or_text(server, categories, key, users):
    point = centre("110101")
    form = {
        "api_key": key,
        "service_code": "drogas-via-publica",
        "lat": str(point[1]),
        "long": str(point[0]),
        "description": "Venden droga frente a la escuela",
    }
    status, _type, body = call(server, "POST", f"{BASE}/requests.json", data=form)
    assert status == 200, body
    code = json.loads(body)[0]["service_request_id"]
    services.publish(users["tecnico"], Report.objects.get(code=code), True)
    status, rows = get_json(server, f"{BASE}/requests/{code}.json", {"api_key": key})
    assert status == 200 and rows[0]["service_request_id"] == code
    assert rows[0]["lat"] is None and rows[0]["long"] is None and rows[0]["description"] == ""
    status, rows = get_json(server, f"{BASE}/requests.json", {"api_key": key})
    assert code in {r["service_request_id"] for r in rows}
    status, _rows = get_json(server, f"{BASE}/requests/{code}.json")  # published, and still not to anyone else
    assert status == 404
    assert code not in {r["service_request_id"] for r in get_json(server, f"{BASE}/requests.json")[1]}


def test_xml_escapes_markup_and_drops_characters_xml_cannot_carry(server, world, users):
    services.edit_public_text(users["tecnico"], world["light"], 'Poste <b>roto</b> & "caído"\x07 en la esquina')
    status, root = get_xml(server, f"{BASE}/requests/{world['light'].code}.xml")
    assert status == 200
    assert root.find("request").findtext("description") == 'Poste <b>roto</b> & "caído" en la esquina'
    status, rows = get_json(server, f"{BASE}/requests/{world['light'].code}.json")
    assert rows[0]["description"] == 'Poste <b>roto</b> & "caído"\x07 en la esquina'


def codes_of(server, params):
    status, rows = get_json(server, f"{BASE}/requests.json", params)
    assert status == 200, rows
    return {r["service_request_id"] for r in rows}


def test_requests_filters_of_the_specification(server, world):
    light = world["light"]
    assert codes_of(server, {"service_request_id": f"{light.code},{world['hidden'].code}"}) == {light.code}
    other = world["hidden"]  # a second public report (not sensitive: those are never listed, see above)
    services.publish(_staff(), other, True)

    def codes(params):
        return codes_of(server, params)

    assert codes({"service_code": "lugar-abandonado"}) == {other.code}
    assert codes({"service_code": "lugar-abandonado,alumbrado-deficiente"}) == {other.code, light.code}
    assert codes({"status": "open"}) == {other.code, light.code}
    assert codes({"status": "closed"}) == set()
    later = (timezone.localtime() + timedelta(days=1)).isoformat(timespec="seconds")
    assert codes({"start_date": later}) == set()
    earlier = (timezone.localtime() - timedelta(days=1)).isoformat(timespec="seconds")
    assert codes({"start_date": earlier, "end_date": later}) == {other.code, light.code}
    # a "+" left unencoded in a query string arrives as a space: still read as the offset
    status, _type, body = call(server, "GET", f"{BASE}/requests.json?start_date=2020-01-01T00:00:00+00:00")
    assert status == 200 and {r["service_request_id"] for r in json.loads(body)} == {other.code, light.code}
    # older than the default 90 days: only when asked for
    Report.objects.filter(pk=other.pk).update(created_at=timezone.now() - timedelta(days=120))
    assert codes({}) == {light.code}
    assert codes({"start_date": "2020-01-01T00:00:00Z"}) == {other.code, light.code}
    services.post_update(_staff(), light, status="resolved", text="Poste reparado", public=True)
    assert codes({"status": "closed"}) == {light.code}
    status, errors = get_json(server, f"{BASE}/requests.json", {"start_date": "ayer"})
    assert status == 400 and "ISO 8601" in errors[0]["description"] and "no es" in errors[0]["description"]
    status, errors = get_json(server, f"{BASE}/requests.json", {"status": "cerrado"})
    assert status == 400 and "open o closed" in errors[0]["description"]


def _staff():
    from centinela.accounts.models import User

    return User.objects.get(username="tecnico")


def test_an_outside_client_posts_a_request_and_reads_it_back_by_its_id_in_json_and_xml(server, categories, key):
    point = centre("110101")
    form = {
        "api_key": key,
        "jurisdiction_id": "loja.gob.ec",
        "service_code": "alumbrado-deficiente",
        "lat": str(point[1]),
        "long": str(point[0]),
        "description": "Luminaria apagada en la calle Bolívar",
        "email": "vecina@example.ec",
        "first_name": "Ana",
        "last_name": "Vecina",
        "consent": "true",
    }
    status, content_type, body = call(server, "POST", f"{BASE}/requests.json", data=form)
    assert status == 200, body
    created = json.loads(body)
    code = created[0]["service_request_id"]
    assert created[0]["account_id"] is None and code in created[0]["service_notice"]
    report = Report.objects.get(code=code)
    assert report.open311_client.name == "App Vecinos Loja" and report.contact_email == "vecina@example.ec"
    assert report.updates.filter(public=False, text__contains="Open311").exists()
    assert Open311Client.objects.get().last_used_at is not None

    # not published yet: the client that filed it reads it with its key, nobody else
    status, rows = get_json(server, f"{BASE}/requests/{code}.json", {"api_key": key})
    assert status == 200 and rows[0]["service_request_id"] == code and rows[0]["status"] == "open"
    assert "vecina@example.ec" not in json.dumps(rows) and "Vecina" not in json.dumps(rows)
    status, root = get_xml(server, f"{BASE}/requests/{code}.xml", {"api_key": key})
    assert status == 200 and root.find("request").findtext("service_request_id") == code
    status, errors = get_json(server, f"{BASE}/requests/{code}.json")
    assert status == 404 and errors[0]["code"] == 404
    assert code not in {r["service_request_id"] for r in get_json(server, f"{BASE}/requests.json")[1]}

    # the same POST answered in XML
    status, content_type, body = call(server, "POST", f"{BASE}/requests.xml", data={**form, "email": ""})
    assert status == 200 and content_type.startswith("text/xml")
    assert ElementTree.fromstring(body).find("request").findtext("service_request_id").startswith("R-")


def test_a_bad_or_missing_key_is_403_and_nothing_is_saved(server, categories, sagrario_point, key):
    form = {"service_code": "alumbrado-deficiente", "lat": sagrario_point[1], "long": sagrario_point[0]}
    form["description"] = "Poste sin luz"
    for data in ({**form, "api_key": "no-es-una-clave"}, form):
        status, _type, body = call(server, "POST", f"{BASE}/requests.json", data=data)
        assert status == 403 and "api_key" in json.loads(body)[0]["description"]
    Open311Client.objects.update(active=False)
    status, _type, body = call(server, "POST", f"{BASE}/requests.xml", data={**form, "api_key": key})
    assert status == 403 and ElementTree.fromstring(body).find("error").findtext("code") == "403"
    assert Report.objects.count() == 0


@pytest.mark.parametrize(
    "change, words",
    [
        ({"service_code": "no-existe"}, "service_code no es uno de los servicios"),
        ({"lat": "", "long": ""}, "lat es obligatoria"),
        ({"lat": "norte"}, "lat no es un número"),
        ({"lat": str(OUTSIDE[1]), "long": str(OUTSIDE[0])}, "fuera del cantón Loja"),
        ({"description": "   "}, "Describa lo que está pasando"),
        ({"email": "no-es-correo", "consent": "true"}, "email:"),
    ],
)
def test_bad_input_is_400_with_spanish_descriptions_and_nothing_saved(
    server, categories, sagrario_point, key, change, words
):
    form = {
        "api_key": key,
        "service_code": "alumbrado-deficiente",
        "lat": str(sagrario_point[1]),
        "long": str(sagrario_point[0]),
        "description": "Poste sin luz",
        **change,
    }
    status, _type, body = call(server, "POST", f"{BASE}/requests.json", data=form)
    errors = json.loads(body)
    assert status == 400 and all(e["code"] == 400 for e in errors)
    assert any(words in e["description"] for e in errors), errors
    assert Report.objects.count() == 0


def test_the_limit_per_key_and_address_is_429_in_spanish(server, categories, sagrario_point):
    _client, key = services.issue_open311_key("App con límite", hourly_limit=2)
    form = {
        "api_key": key,
        "service_code": "alumbrado-deficiente",
        "lat": str(sagrario_point[1]),
        "long": str(sagrario_point[0]),
        "description": "Poste sin luz",
    }
    for _ in range(2):
        assert call(server, "POST", f"{BASE}/requests.json", data=form)[0] == 200
    status, _type, body = call(server, "POST", f"{BASE}/requests.json", data=form)
    assert status == 429 and "Demasiados reportes" in json.loads(body)[0]["description"]
    assert Report.objects.count() == 2


def test_the_limit_per_contact_holds_through_open311_too(server, settings, categories, sagrario_point):
    settings.PARTICIPATION_REPORTS_PER_CONTACT_PER_DAY = 1
    _client, key = services.issue_open311_key("App vecinal")
    form = {
        "api_key": key,
        "service_code": "alumbrado-deficiente",
        "lat": str(sagrario_point[1]),
        "long": str(sagrario_point[0]),
        "description": "Poste sin luz",
        "email": "rosa@example.ec",
        "consent": "true",
    }
    assert call(server, "POST", f"{BASE}/requests.json", data=form)[0] == 200
    status, _type, body = call(server, "POST", f"{BASE}/requests.json", data=form)
    assert status == 429 and "Demasiados reportes con este contacto" in json.loads(body)[0]["description"]
    assert Report.objects.count() == 1


def test_the_openapi_document_lists_the_open311_paths(client_for):
    paths = client_for("tecnico").get("/api/openapi.json").json()["paths"]
    for path in (
        "/api/open311/v2/services.{format}",
        "/api/open311/v2/services/{service_code}.{format}",
        "/api/open311/v2/requests.{format}",
        "/api/open311/v2/requests/{service_request_id}.{format}",
        "/api/open311/v2/discovery.{format}",
    ):
        assert path in paths
    post = paths["/api/open311/v2/requests.{format}"]["post"]
    assert "application/x-www-form-urlencoded" in post["requestBody"]["content"]
    assert "text/xml" in post["responses"]["200"]["content"]


@pytest.mark.django_db
def test_the_management_command_prints_a_key_once_and_stores_only_its_hash(client):
    out = StringIO()
    call_command("open311_key", "create", "Aplicación municipal", stdout=out)
    key = out.getvalue().strip()
    stored = Open311Client.objects.get(name="Aplicación municipal")
    assert stored.key_hash == Open311Client.hash(key) and key not in (stored.key_hash, stored.prefix)
    assert services.open311_client_for(key) == stored
    call_command("open311_key", "deactivate", "Aplicación municipal", stdout=StringIO())
    assert services.open311_client_for(key) is None
    entries = LogEntry.objects.get_for_object(stored)
    assert entries.count() == 2  # created, deactivated; each use is not written there
    assert all(stored.key_hash not in json.dumps(e.changes) for e in entries)


@pytest.mark.django_db
def test_an_administrator_adds_a_client_in_the_django_admin_and_sees_its_key_once(client_for):
    admin = client_for("admin")
    response = admin.post(
        "/admin/participation/open311client/add/", {"name": "Kiosco del parque", "active": "on"}, follow=True
    )
    shown = [str(m) for m in response.context["messages"] if "solo esta vez" in str(m)]
    assert len(shown) == 1
    key = shown[0].rsplit(": ", 1)[-1]
    stored = Open311Client.objects.get(name="Kiosco del parque")
    assert stored.key_hash == Open311Client.hash(key)
    page = admin.get(f"/admin/participation/open311client/{stored.pk}/change/").content.decode()
    assert key not in page and stored.key_hash not in page
    assert client_for("tecnico").get("/admin/participation/open311client/add/").status_code in (302, 403)


# The POST Service Request example of https://wiki.open311.org/GeoReport_v2, its literal fields and values but the
# place (moved to Loja's centre) and the service code (one of ours): contact data and no `consent`, which is a
# Centinela extension the specification does not know.
SPEC_EXAMPLE = (
    "api_key={key}&jurisdiction_id=city.gov&service_code=alumbrado-deficiente&lat=-3.99660&long=-79.20170"
    "&address_string=1234+5th+street&email=smit222%40sfgov.edu&device_id=tt222111&account_id=123456"
    "&first_name=john&last_name=smith&phone=111111111&description=A+large+sinkhole+is+destroying+the+street"
    "&media_url=http%3A%2F%2Fwww.city.gov%2Fimage.jpg&attribute[WHISPAWN]=123456&attribute[WHISDORN]=COISL001"
)


def post_raw(server, path, body: str):
    request = urllib.request.Request(server + path, data=body.encode(), method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Content-Type", ""), error.read()


def test_the_specifications_post_example_is_filed_anonymously_in_json_and_xml(server, categories, key):
    """No consent: the report is filed, its contact dropped before anything is stored (in the report, its audit
    trail, the outbox), and service_notice says so, in Spanish."""
    from django.core import mail

    status, content_type, body = post_raw(server, f"{BASE}/requests.json", SPEC_EXAMPLE.format(key=key))
    assert status == 200, body
    created = json.loads(body)
    assert content_type.startswith("application/json") and created[0]["account_id"] is None
    notice = created[0]["service_notice"]
    assert created[0]["service_request_id"] in notice and "anónimo" in notice and "consent=true" in notice

    status, content_type, body = post_raw(server, f"{BASE}/requests.xml", SPEC_EXAMPLE.format(key=key))
    assert status == 200 and content_type.startswith("text/xml"), body
    request = ElementTree.fromstring(body).find("request")
    assert "anónimo" in request.findtext("service_notice")
    codes = {created[0]["service_request_id"], request.findtext("service_request_id")}

    reports = Report.objects.filter(code__in=codes)
    assert reports.count() == 2
    for report in reports:
        assert (report.contact_name, report.contact_phone, report.contact_email) == ("", "", "")
        assert not report.contact_consent and report.description == "A large sinkhole is destroying the street"
    trail = json.dumps([e.changes for e in LogEntry.objects.all()])
    outbox = " ".join(m.body + " ".join(m.to) for m in mail.outbox)
    for secret in ("smit222", "john", "smith", "111111111"):
        assert secret not in trail and secret not in outbox


def test_with_consent_the_contact_of_the_example_is_kept(server, categories, key):
    body = SPEC_EXAMPLE.format(key=key).replace("smit222%40sfgov.edu", "vecina%40example.ec") + "&consent=true"
    status, _type, answer = post_raw(server, f"{BASE}/requests.json", body)
    assert status == 200, answer
    assert "anónimo" not in json.loads(answer)[0]["service_notice"]
    report = Report.objects.get()
    assert report.contact_email == "vecina@example.ec" and report.contact_name == "john smith"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_address_string_without_lat_long_is_located_by_the_place_search(server, categories, key, fmt):
    from centinela.territory.models import Place

    body = SPEC_EXAMPLE.format(key=key).replace("&lat=-3.99660&long=-79.20170", "")
    body = body.replace("address_string=1234+5th+street", "address_string=Mercado+Gran+Colombia")
    status, _type, answer = post_raw(server, f"{BASE}/requests.{fmt}", body)
    assert status == 200, answer
    market = Place.objects.get(name="Mercado Gran Colombia")
    report = Report.objects.get()
    assert (round(report.lon, 6), round(report.lat, 6)) == (round(market.lon, 6), round(market.lat, 6))


@pytest.mark.parametrize(
    "address, words",
    [
        ("1234 5th street", "ningún barrio, parroquia, lugar público ni calle"),
        ("Mercado", "corresponde a 3 lugares"),
    ],
)
def test_an_address_string_that_is_unknown_or_ambiguous_is_400_in_spanish(server, categories, key, address, words):
    body = SPEC_EXAMPLE.format(key=key).replace("&lat=-3.99660&long=-79.20170", "")
    body = body.replace("address_string=1234+5th+street", "address_string=" + urllib.parse.quote_plus(address))
    status, _type, answer = post_raw(server, f"{BASE}/requests.json", body)
    errors = json.loads(answer)
    assert status == 400 and any(words in e["description"] for e in errors), errors
    assert any("address_string" in e["description"] for e in errors)
    status, _type, answer = post_raw(server, f"{BASE}/requests.xml", body)
    assert status == 400 and words in ElementTree.fromstring(answer).find("error").findtext("description")
    assert Report.objects.count() == 0
