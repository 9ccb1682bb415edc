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
