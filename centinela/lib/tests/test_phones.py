"""One normal form for Ecuadorian phone numbers, however they are typed, and a database expression that compares
them by their digits on both databases (the search for a person's data relies on both)."""

import pytest
from django.db.models import F

from centinela.lib.phones import digits_only, e164, national_digits


@pytest.mark.parametrize(
    "typed",
    [
        "0991112233",
        "099 111 2233",
        "099-111-2233",
        "(099) 111 2233",
        "+593 99 111 2233",
        "593991112233",
        "+593991112233",
    ],
)
def test_every_way_of_writing_a_mobile_number_is_one_number(typed):
    assert e164(typed) == "+593991112233"
    assert national_digits(typed) == "991112233"


def test_a_landline_and_what_is_not_a_phone():
    assert national_digits("07-257-0123") == "72570123" == national_digits("+593 7 257 0123")
    assert national_digits("12") == "" == national_digits("1101234567") == national_digits("")


@pytest.mark.django_db
def test_digits_only_strips_separators_in_the_database():
    from centinela.partners.models import ContactPerson, Institution

    police = Institution.objects.create(name="Policía Nacional (prueba)", kind="public")
    contact = ContactPerson.objects.create(institution=police, name="Ana", phone="+593 (99) 111-22.33")
    digits = ContactPerson.objects.filter(pk=contact.pk).annotate(d=digits_only(F("phone"))).get().d
    assert digits == "593991112233"
