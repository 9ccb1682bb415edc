"""The JSON API against its own OpenAPI schema (schemathesis, in-process through the WSGI application): requests
generated from the schema, valid and invalid, sent with a bearer token of a council technician and of a parish
president, never get a server error, and every answer (status code, content type, body) is the one the schema
documents. Bounded (`MAX_EXAMPLES` per operation) so the whole run stays well under three minutes."""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from ninja.responses import NinjaJSONEncoder

from centinela.incidents.demo import load_demo_incidents

MAX_EXAMPLES = 25


def openapi() -> dict:
    from centinela.api import api

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/"), cls=NinjaJSONEncoder))


schema = schemathesis.openapi.from_dict(openapi())
schema.app = get_wsgi_application()


@pytest.fixture
def demo(db):
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    # The WSGI handler closes "old" connections around each request; inside the test's transaction that would close
    # the test's own connection (PostgreSQL). Django's test client does the same as here.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    load_demo_incidents(n=400)  # a few hundred demo incidents in the test's transaction (places: the gazetteer's)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_schema_fuzzed_here_is_the_one_the_api_publishes(client_for):
    assert client_for("tecnico").get("/api/openapi.json").json() == openapi()


TOKEN = {}  # the bearer token of the user the running test acts as


@schema.auth(refresh_interval=None)
class BearerToken:
    """Schemathesis sends a real token (made by the test, as `create_api_token` does) instead of generating one."""

    def get(self, case, context):
        return TOKEN.get("key", "")  # asked once at collection too, before any test has made its token

    def set(self, case, data, context):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


def act_as(user):
    from centinela.accounts.models import ApiToken

    _token, TOKEN["key"] = ApiToken.issue(user, "schemathesis")


FUZZ = settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
# Left out: "a schema-valid request is accepted". A well-formed id of no record (or of a record the user may not
# see, e.g. another parish for a parish president) in a filter is refused with 422 and the form's Spanish message,
# by design: it is documented, and answering 200 with nothing would hide a typo.
EXCLUDED = [schemathesis.checks.positive_data_acceptance]


@schema.parametrize()
@FUZZ
def test_every_api_operation_answers_a_technician_as_its_schema_documents_and_never_with_a_server_error(
    case, users, demo
):
    act_as(users["tecnico"])
    case.call_and_validate(excluded_checks=EXCLUDED)


@schema.parametrize()
@FUZZ
def test_every_api_operation_answers_a_parish_president_as_its_schema_documents_and_never_with_a_server_error(
    case, users, demo
):
    act_as(users["presidente.sagrario"])
    case.call_and_validate(excluded_checks=EXCLUDED)


# The cases schemathesis found, kept as plain tests: each answer is a 4xx the schema documents.


def documented(path: str, method: str) -> set[int]:
    return {int(code) for code in openapi()["paths"][path][method]["responses"]}


@pytest.mark.django_db
def test_a_place_body_that_is_not_json_is_a_documented_400(client_for):
    response = client_for("tecnico").post("/api/places", data=b"\x00", content_type="application/json")
    assert response.status_code == 400
    assert 400 in documented("/api/places", "post")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, operation",
    [("/api/places/null,null", "/api/places/{place_id}"), ("/api/incidents/null,null", "/api/incidents/{incident_id}")],
)
def test_an_id_that_is_not_a_number_is_a_documented_422(client_for, path, operation):
    response = client_for("tecnico").get(path)
    assert response.status_code == 422
    assert 422 in documented(operation, "get")


@pytest.mark.django_db
def test_places_of_an_unknown_kind_are_refused_with_422_not_an_empty_answer(client_for):
    response = client_for("presidente.sagrario").get("/api/places", {"kind": "F"})
    assert response.status_code == 422
    assert client_for("presidente.sagrario").get("/api/places", {"kind": "other"}).status_code == 200


@pytest.mark.django_db
def test_a_missing_coordinate_or_an_unknown_filter_record_is_a_documented_422(client_for):
    assert client_for("tecnico").get("/api/locate", {"lon": 0}).status_code == 422
    assert 422 in documented("/api/locate", "get")
    response = client_for("tecnico").get("/api/incidents", {"category": 0})
    assert response.status_code == 422 and "category" in response.json()["detail"]
    assert 422 in documented("/api/incidents", "get")
