"""Who was trained and who came to support (issue 13): the police officers and firefighters the council asks to come
with the speakers "to give the attendees important security information" are present, not trained. An attendance
says which (`participation`); "people trained", "women trained", coverage and certificates count the trainees only."""

from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from centinela.activities import indicators
from centinela.activities.models import Attendance, Indicator
from centinela.activities.selectors import training as selectors
from centinela.activities.services import training as services
from centinela.activities.tests.test_training_attendance import new_person
from centinela.activities.tests.test_training_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


def _actual(d, metric):
    indicator = Indicator.objects.create(programme=d.programme, code=metric[:10], name=metric, metric=metric)
    return indicators.actual(indicator, date(d.year, 1, 1), date(d.year, 12, 31))


@pytest.fixture
def held(training_data, make_training, make_person, users, client_for):
    """A training held in El Sagrario: three residents (two women) trained, and a policewoman and a police officer
    registered on the attendance page as support to the speakers."""
    d = training_data
    training = make_training(status="done", day=date(d.year, 3, 10))
    for first, sex in (("Rosa", "F"), ("Carmen", "F"), ("Jorge", "M")):
        services.mark_present(users["tecnico"], training, make_person(first, "Guamán", sex=sex, barrio=d.centro))
    c = client_for("tecnico")
    page = reverse("activities:training_attendance", args=[training.pk])
    for first, sex, number in (("Ana", "F", "1710034065"), ("Luis", "M", "1104680135")):
        response = c.post(
            page,
            new_person(
                d,
                **{
                    "new-first_names": first,
                    "new-last_names": "Torres",
                    "new-cedula": number,
                    "new-sex": sex,
                    "new-barrio": "",
                    "new-role": "police",
                    "new-institution": d.police.pk,
                    "new-participation": "support",
                },
            ),
        )
        assert response.status_code == 302, response.context["form"].errors
    return training


def test_support_to_the_speakers_is_not_counted_among_the_people_trained(training_data, held, users):
    d = training_data
    assert Attendance.objects.filter(training=held, attended=True).count() == 5  # all were there
    assert set(Attendance.objects.filter(role="police").values_list("participation", flat=True)) == {"support"}
    assert _actual(d, "people_trained") == Decimal(3)
    assert _actual(d, "women_trained") == Decimal(2)
    coverage = selectors.coverage(users["tecnico"], date(d.year, 1, 1), date(d.year, 12, 31))
    assert coverage["canton"].people == 3
    assert next(r for r in coverage["rows"] if r.parish == d.sagrario and r.barrio is None).people == 3


def test_certificates_go_to_the_trainees_only(held, users):
    assert services.issue_certificates(users["tecnico"], held) == 3
    assert not Attendance.objects.filter(participation="support").exclude(certificate_code=None).exists()


def test_the_training_page_says_who_took_part_as_what_and_changes_it_with_an_audit_entry(client_for, held, users):
    from auditlog.models import LogEntry

    c = client_for("tecnico")
    page = c.get(reverse("activities:training_detail", args=[held.pk])).content.decode()
    assert 'id="trained-total" data-trained="3"' in page
    assert page.count('data-participation="support"') == 2 and "Apoyo a los expositores" in page
    luis = Attendance.objects.get(person__first_names="Luis")
    url = reverse("activities:training_participation", args=[held.pk, luis.pk])
    response = c.post(url, {"participation": "trainee"}, follow=True)
    assert "Luis Torres participó como: capacitado/a." in response.content.decode()
    luis.refresh_from_db()
    assert luis.participation == "trainee"
    entry = LogEntry.objects.get_for_object(luis).latest("timestamp")
    assert entry.actor == users["tecnico"] and entry.changes_dict["participation"] == ["support", "trainee"]
    assert c.post(url, {"participation": "speaker"}).status_code == 302  # refused with a message
    luis.refresh_from_db()
    assert luis.participation == "trainee"
    assert client_for("presidente.valle").post(url, {"participation": "support"}).status_code in (403, 404)


def test_a_certified_trainee_stays_a_trainee(held, users):
    services.issue_certificates(users["tecnico"], held)
    rosa = Attendance.objects.get(person__first_names="Rosa")
    with pytest.raises(ValidationError):
        services.set_participation(users["tecnico"], rosa, "support")


def test_an_attendance_sheet_says_support_in_its_own_words(client_for, training_data, make_training):
    from centinela.activities.tests.test_attendance_import import sheet, url
    from centinela.jobs.tests.follow import confirm

    training = make_training()
    rows = [
        "Rosa Elena,Guamán Quizhpe,1710034065,morador,capacitada,F,34,,sí",
        "Jorge,Pineda,1104680135,policía,apoyo,M,30,,sí",
        "Luis,Ochoa,0926687856,morador,,M,40,,sí",  # empty: a trainee
        "Pablo,Vega,0102030400,morador,ponente invitado,M,50,,sí",  # not a kind of participation
    ]
    header = "nombres,apellidos,cedula,rol,participo como,sexo,edad,barrio,consentimiento\n"
    c = client_for("tecnico")
    preview = c.post(url(training), {"file": sheet(rows, header=header)})
    [problem] = preview.context["result"].problems
    assert problem.row == 5 and "ponente invitado" in problem.message
    confirm(c, url(training), {"token": preview.context["token"], "apply_valid": "1"})
    got = dict(Attendance.objects.filter(training=training).values_list("person__first_names", "participation"))
    assert got == {"Rosa Elena": "trainee", "Jorge": "support", "Luis": "trainee"}


def test_the_migration_takes_the_speakers_colleagues_as_support_unless_they_were_the_audience(
    training_data, make_training, make_person
):
    """Rows recorded before the field existed: an attendee of a speaker's institution at a training with other
    attendees came with the speaker; a training whose attendees all belong to the speakers' institution (the police
    training its own officers) trained them."""
    import importlib

    migration = importlib.import_module("centinela.activities.migrations.0005_attendance_participation")
    d = training_data
    open_to_all, own_staff = make_training(), make_training("Uso progresivo de la fuerza")  # both: a police speaker
    resident = Attendance.objects.create(training=open_to_all, person=make_person("Rosa", "Guamán"))
    officer = Attendance.objects.create(
        training=open_to_all, person=make_person("Ana", "Torres"), role="police", institution=d.police
    )
    firefighter = Attendance.objects.create(  # the fire brigade gave no talk here: a trainee
        training=open_to_all, person=make_person("Luis", "Ochoa"), role="firefighter", institution=d.fire
    )
    trained_officer = Attendance.objects.create(
        training=own_staff, person=make_person("Jorge", "Pineda"), role="police", institution=d.police
    )
    migration.support_from_the_speakers_institutions(apps, None)
    got = {a.pk: a.participation for a in Attendance.objects.all()}
    assert got == {
        resident.pk: "trainee",
        officer.pk: "support",
        firefighter.pk: "trainee",
        trained_officer.pk: "trainee",
    }


def test_the_training_list_counts_the_trainees_apart_from_everyone_present(client_for, held):
    """The list and its export say how many were trained (the figure the indicators add up) beside how many were
    present: summing "Asistentes" of the export must not give a "people trained" that counts the police support."""
    c = client_for("tecnico")
    page = c.get(reverse("activities:training_list"))
    row = next(t for t in page.context["page"].object_list if t.pk == held.pk)
    assert (row.trained, row.present) == (3, 5)
    export = c.get(reverse("activities:training_list"), {"export": "csv"}).getvalue().decode("utf-8-sig")
    header, *lines = [line.split(",") for line in export.splitlines()]
    assert "Capacitados" in header and "Asistentes" in header
    line = next(line for line in lines if held.topic in line)
    assert (line[header.index("Capacitados")], line[header.index("Asistentes")]) == ("3", "5")
