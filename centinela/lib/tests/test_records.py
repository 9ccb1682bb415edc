"""lib/records.py, saving a record the one way services do: "add" is checked for a new record and "change" for a
saved one, then the caller's own rule, then the model's validation (constraints included), and only then the save:
any refusal leaves the database as it was. Real demo users, real parishes and populations."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from centinela.lib.records import save_checked
from centinela.territory.models import Parish, ParishPopulation

pytestmark = pytest.mark.django_db


@pytest.fixture
def parish():
    return Parish.objects.get(code="110101")


def test_a_new_record_is_checked_as_an_addition_and_saved(users, parish):
    saved = save_checked(users["tecnico"], ParishPopulation(parish=parish, year=2099, population=10, source="INEC"))
    assert saved.pk and ParishPopulation.objects.get(pk=saved.pk).population == 10


def test_a_role_that_may_not_add_saves_nothing(users, parish):
    with pytest.raises(PermissionDenied):
        save_checked(users["enlace.policia"], ParishPopulation(parish=parish, year=2099, population=10, source="INEC"))
    assert not ParishPopulation.objects.filter(year=2099).exists()


def test_a_saved_record_is_checked_as_a_change(users, parish):
    # technicians may change a parish but not add one: the action follows whether the record is saved
    parish.notes = "revisado"
    save_checked(users["tecnico"], parish)
    assert Parish.objects.get(pk=parish.pk).notes == "revisado"
    new = Parish(code="119999", name="Nueva", canton=parish.canton, kind=parish.kind)
    with pytest.raises(PermissionDenied):
        save_checked(users["tecnico"], new)
    save_checked(users["admin"], new)
    assert Parish.objects.filter(code="119999").exists()


def test_the_callers_rule_refuses_before_the_save(users, parish):
    def no_future(obj):
        if obj.year > 2030:
            raise ValidationError("censo futuro")

    with pytest.raises(ValidationError, match="censo futuro"):
        save_checked(
            users["tecnico"], ParishPopulation(parish=parish, year=2099, population=10, source="INEC"), no_future
        )
    assert not ParishPopulation.objects.filter(year=2099).exists()


def test_the_models_validation_and_constraints_refuse_before_the_save(users, parish):
    save_checked(users["tecnico"], ParishPopulation(parish=parish, year=2099, population=10, source="INEC"))
    with pytest.raises(ValidationError) as caught:
        save_checked(users["tecnico"], ParishPopulation(parish=parish, year=2099, population=20, source="INEC"))
    assert "__all__" in caught.value.message_dict  # the one-population-per-census constraint, not an IntegrityError
    with pytest.raises(ValidationError) as caught:
        save_checked(users["tecnico"], ParishPopulation(parish=parish, year=2098, population=-1, source="INEC"))
    assert list(caught.value.message_dict) == ["population"]
    assert list(ParishPopulation.objects.filter(year__gte=2098).values_list("population", flat=True)) == [10]
