"""One person, Rosa Quizhpe, held by every holder of personal data, her cédula, e-mail and phone written a
different way in each (as people type them), beside people who are not her. No tests here."""

import pytest
from django.utils import timezone

from centinela.activities.tests.test_training_fixtures import cedula, make_person, make_training, training_data

__all__ = ["ROSA", "rosa", "cedula", "make_person", "make_training", "training_data"]

ROSA = {"cedula": cedula(4242), "email": "rosa@example.ec", "phone": "0991112233"}


class Held:
    pass


@pytest.fixture
def rosa(make_training, make_person, training_data):
    from centinela.accounts.models import Role, User
    from centinela.activities.models import Attendance
    from centinela.participation import services
    from centinela.participation.categories import ensure_categories
    from centinela.participation.models import Committee, CommitteeMember, ReportCategory
    from centinela.partners.models import ContactPerson

    h = Held()
    h.training = make_training()
    h.person = make_person("Rosa", "Quizhpe", cedula=ROSA["cedula"], phone="099 111 2233", email="Rosa@Example.EC")
    h.other_person = make_person("Luis", "Ordóñez", phone="0991112234", email="luis@example.ec")
    for person in (h.person, h.other_person):
        Attendance.objects.create(training=h.training, person=person)

    ensure_categories(ReportCategory)
    category = ReportCategory.objects.get(code="alumbrado-deficiente")
    sagrario = training_data.sagrario
    point = (sagrario.centre_lon, sagrario.centre_lat)

    def report(name, phone, email):
        return services.file_report(
            category=category,
            lon=point[0],
            lat=point[1],
            description="Poste sin luz",
            photos=(),
            contact=services.Contact(name=name, phone=phone, email=email, consent=True),
        )

    h.report = report("Rosa Q.", "+593 99 111 2233", "ROSA@example.ec")
    h.other_report = report("Luis", "+593 99 111 2234", "luis@example.ec")

    committee = Committee.objects.create(barrio=training_data.centro, name="Comité Centro Histórico")
    h.member = CommitteeMember.objects.create(
        committee=committee,
        name="Rosa Quizhpe",
        cedula=ROSA["cedula"],
        phone="099-111-2233",
        joined_on=timezone.localdate(),
    )
    h.other_member = CommitteeMember.objects.create(
        committee=committee, name="Luis Ordóñez", cedula=cedula(777), phone="0991112234", joined_on=timezone.localdate()
    )
    h.contact = ContactPerson.objects.create(
        institution=training_data.police, name="Rosa Quizhpe", position="Enlace barrial", phone="593991112233"
    )
    h.other_contact = ContactPerson.objects.create(
        institution=training_data.police, name="Luis Ordóñez", email="luis@example.ec"
    )
    h.account = User.objects.create(
        username="rquizhpe", role=Role.TECHNICIAN, email="rosa@example.ec", cedula=ROSA["cedula"]
    )
    return h
