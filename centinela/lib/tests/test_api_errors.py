"""lib/api_errors.py: the error answer every API operation documents: 400, 401, 403, 404 and 422 with a `detail`
that is one message or django-ninja's list of field errors, and nothing else."""

import pydantic
import pytest

from centinela.lib.api_errors import ERRORS, ErrorOut


def test_every_documented_error_status_uses_the_one_schema():
    assert sorted(ERRORS) == [400, 401, 403, 404, 422] and set(ERRORS.values()) == {ErrorOut}


@pytest.mark.parametrize("detail", ["No autorizado.", [{"loc": ["body", "fecha"], "msg": "fecha inválida"}], []])
def test_a_message_or_a_list_of_field_errors_is_an_error_answer(detail):
    assert ErrorOut(detail=detail).model_dump() == {"detail": detail}


@pytest.mark.parametrize("body", [{}, {"detail": None}, {"detail": ["no es un objeto"]}, {"detail": {"a": 1}}])
def test_anything_else_is_not(body):
    with pytest.raises(pydantic.ValidationError):
        ErrorOut(**body)


def test_the_schema_says_so():
    schema = ErrorOut.model_json_schema()
    assert schema["required"] == ["detail"] and len(schema["properties"]["detail"]["anyOf"]) == 2


@pytest.mark.django_db
def test_the_api_refuses_in_spanish(client, client_for):
    """Issue 13, item 1: django-ninja's "Field required", "Not Found" and "Unauthorized" never reach a user."""
    anonymous = client.get("/api/places", HTTP_ACCEPT_LANGUAGE="es")
    assert anonymous.status_code == 401 and "Unauthorized" not in anonymous.json()["detail"]
    staff = client_for("tecnico")
    missing = staff.get("/api/places/99999999", HTTP_ACCEPT_LANGUAGE="es")
    assert missing.status_code == 404 and missing.json()["detail"] == "No encontrado."
    invalid = staff.get("/api/places/abc", HTTP_ACCEPT_LANGUAGE="es")
    assert invalid.status_code == 422
    errors = invalid.json()["detail"]
    assert {e["type"] for e in errors} >= {"int_parsing"}  # the machine parts stay for programs
    assert all("Input should" not in e["msg"] and "Field required" not in e["msg"] for e in errors)
    assert any(e["msg"] == "Introduzca un número entero." for e in errors)  # as the forms say it


@pytest.mark.django_db
def test_a_method_the_address_does_not_take_is_refused_in_spanish_json(client_for):
    refused = client_for("tecnico").delete("/api/places")
    assert refused.status_code == 405 and "GET" in refused["Allow"]
    assert refused.json() == {"detail": "Método no permitido."}
