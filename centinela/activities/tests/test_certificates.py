"""Certificates: issued only for people who attended a training that was held, each with a unique random code; a
PDF with the name, topic, date, hours, institution and code; a public page that verifies the code without a
login and without showing the cédula."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from centinela.activities import certificates
from centinela.activities.models import Attendance
from centinela.activities.services import training as services
from centinela.activities.tests.test_training_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(users, make_training, make_person):
    """A training marked done with two people present and one who registered but did not come."""
    training = make_training("Prevención de extorsiones", status="done", hours=3)
    a = Attendance.objects.create(training=training, person=make_person("Rosa Elena", "Guamán", cedula="1710034065"))
    b = Attendance.objects.create(training=training, person=make_person("Jorge", "Pineda"))
    absent = Attendance.objects.create(training=training, person=make_person("Nadia", "Ruiz"), attended=False)
    return training, a, b, absent


def test_codes_are_random_unambiguous_and_ten_characters():
    codes = {certificates.new_code() for _ in range(500)}
    assert len(codes) == 500
    assert all(re.fullmatch(r"[A-HJKMNP-Z2-9]{10}", c) for c in codes)


def test_issued_only_for_attendees_of_a_training_that_was_held(users, make_training, make_person, held):
    planned = make_training("Aún no realizada")
    Attendance.objects.create(training=planned, person=make_person("Ana", "Luna"))
    with pytest.raises(ValidationError):
        services.issue_certificates(users["tecnico"], planned)
    training, a, b, absent = held
    assert services.issue_certificates(users["tecnico"], training) == 2
    for x in (a, b, absent):
        x.refresh_from_db()
    assert a.certificate_code and b.certificate_code and a.certificate_code != b.certificate_code
    assert absent.certificate_code is None
    first = a.certificate_code
    assert services.issue_certificates(users["tecnico"], training) == 0  # issuing again changes no code
    a.refresh_from_db()
    assert a.certificate_code == first and a.certificate_issued_at is not None


def test_pdf_holds_name_topic_hours_institution_and_code_but_not_the_cedula(client_for, users, held):
    training, a, _b, _absent = held
    services.issue_certificates(users["tecnico"], training)
    a.refresh_from_db()
    response = client_for("tecnico").get(reverse("activities:training_certificate", args=[a.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert a.certificate_code.encode() in pdf
    for text in (
        b"Rosa Elena Guam",
        b"Prevenci",
        b"3 horas",
        b"Polic",
        b"/certificados/" + a.certificate_code.encode(),
    ):
        assert text in pdf, text
    assert b"1710034065" not in pdf


def test_no_pdf_before_issuing_or_outside_ones_parish(
    client_for, users, training_data, make_training, make_person, held
):
    training, a, _b, _absent = held
    assert client_for("tecnico").get(reverse("activities:training_certificate", args=[a.pk])).status_code == 404
    services.issue_certificates(users["tecnico"], training)
    assert (
        client_for("presidente.valle").get(reverse("activities:training_certificate", args=[a.pk])).status_code == 404
    )
    assert (
        client_for("presidente.sagrario").get(reverse("activities:training_certificate", args=[a.pk])).status_code
        == 200
    )


def test_public_page_verifies_a_code_without_login_and_without_the_cedula(users, held):
    training, a, _b, _absent = held
    services.issue_certificates(users["tecnico"], training)
    a.refresh_from_db()
    anonymous = Client()
    page = anonymous.get(reverse("activities:training_verify_code", args=[a.certificate_code]))
    body = page.content.decode()
    assert page.status_code == 200 and 'id="certificate-valid"' in body
    assert "Rosa Elena Guamán" in body and "Prevención de extorsiones" in body
    assert "1710034065" not in body and "17******65" not in body
    typed = anonymous.get(
        reverse("activities:training_verify"),
        {"codigo": f" {a.certificate_code[:5].lower()}-{a.certificate_code[5:]} "},
    )
    assert typed.status_code == 200 and 'id="certificate-valid"' in typed.content.decode()  # as a person types it


def test_unknown_code_is_not_found(db):
    response = Client().get(reverse("activities:training_verify_code", args=["ABCDEFGHJK"]))
    assert response.status_code == 404 and 'id="certificate-not-found"' in response.content.decode()
    form = Client().get(reverse("activities:training_verify"))
    assert form.status_code == 200 and 'id="verify-form"' in form.content.decode()


def test_an_unmarked_attendance_no_longer_verifies(users, held):
    training, a, _b, _absent = held
    services.issue_certificates(users["tecnico"], training)
    a.refresh_from_db()
    with pytest.raises(ValidationError):
        services.set_attended(users["tecnico"], a, False)  # refused while a certificate exists ...
    Attendance.objects.filter(pk=a.pk).update(attended=False)  # ... and if it happened anyway, the page says no
    assert Client().get(reverse("activities:training_verify_code", args=[a.certificate_code])).status_code == 404


def test_issue_button_through_the_page(client_for, held):
    training, a, _b, _absent = held
    response = client_for("tecnico").post(
        reverse("activities:training_issue_certificates", args=[training.pk]), follow=True
    )
    assert response.status_code == 200
    a.refresh_from_db()
    assert a.certificate_code and a.certificate_code in response.content.decode()
