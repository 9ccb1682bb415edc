"""Ecuador's cédula: ten digits, a province code, a third digit below 6 and the Registro Civil check digit."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from centinela.activities.cedula import cedula_is_valid, validate_cedula
from centinela.activities.tests.test_training_fixtures import cedula

# Worked by hand: 1710034065 -> 2+7+2+0+0+3+8+0+(12-9)=25 -> check (10-5)%10 = 5.
VALID = [
    "1710034065",
    "0102030400",
    "1104680135",
    "0926687856",
    "3050000003",
]  # province 30: Ecuadorians registered abroad


@pytest.mark.parametrize("value", VALID)
def test_known_valid_cedulas(value):
    assert cedula_is_valid(value)


@pytest.mark.parametrize(
    "value, why",
    [
        ("1710034066", "wrong check digit"),
        ("0102030405", "wrong check digit"),
        ("2510034065", "province 25 does not exist"),
        ("0010034065", "province 00 does not exist"),
        ("1760034065", "third digit 6 is not a natural person"),
        ("171003406", "nine digits"),
        ("17100340650", "eleven digits"),
        ("17100340a5", "not all digits"),
        ("", "empty"),
        (None, "not a string"),
        (1710034065, "a number, not text"),
    ],
)
def test_invalid_cedulas(value, why):
    assert not cedula_is_valid(value), why


def test_exactly_one_check_digit_is_valid_for_each_body():
    for body in ("110468013", "010203040", "171003406", "092668785", "300000000", "240101010"):
        assert sum(cedula_is_valid(body + str(d)) for d in range(10)) == 1, body


def test_the_test_helper_makes_valid_cedulas():
    made = {cedula(n) for n in range(0, 5000, 7)}
    assert all(cedula_is_valid(c) for c in made)
    assert len(made) == len(range(0, 5000, 7))


def test_validator_message_is_spanish_and_names_the_value():
    with translation.override("es"):
        with pytest.raises(ValidationError) as info:
            validate_cedula("1710034066")
    assert "1710034066" in info.value.messages[0] and "no es una cédula válida" in info.value.messages[0]
    validate_cedula("")  # empty is left to the required rule (optional for minors)


@pytest.mark.django_db
def test_person_needs_a_cedula_unless_a_minor():
    from centinela.activities.models import Person

    adult = Person(first_names="Luis", last_names="Ochoa", age_band="30-44", cedula="")
    with pytest.raises(ValidationError) as info:
        adult.full_clean()
    assert "cedula" in info.value.message_dict
    child = Person(first_names="Ana", last_names="Ochoa", age_band=Person.AgeBand.UNDER_18, cedula="")
    child.full_clean()
    assert child.cedula is None  # stored as NULL so many minors without one do not collide on the unique index
    bad = Person(first_names="Luis", last_names="Ochoa", age_band="30-44", cedula="1710034066")
    with pytest.raises(ValidationError):
        bad.full_clean()
