"""QR self check-in: a public page reachable by the training's secret token, only while check-in is open, which
does not register anyone twice, does not attach a name to someone else's cédula, and is capped per device."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from centinela.activities.models import Attendance, Person
from centinela.activities.services import training as services
from centinela.activities.tests.test_training_fixtures import *  # noqa: F401,F403
from centinela.activities.tests.test_training_fixtures import cedula

pytestmark = pytest.mark.django_db


def checkin(d, **overrides):
    data = {
        "c-first_names": "Jorge",
        "c-last_names": "Pineda Ríos",
        "c-cedula": "1104680135",
        "c-age_band": "45-64",
        "c-sex": "M",
        "c-barrio": d.centro.pk,
        "c-role": "resident",
        "c-consent": "on",
        "c-website": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def url(training):
    return reverse("activities:training_checkin", args=[training.checkin_token])


def test_public_page_registers_attendance_while_open(training_data, make_training):
    training = make_training(checkin_open=True)
    anonymous = Client()
    page = anonymous.get(url(training))
    assert page.status_code == 200 and 'id="checkin-form"' in page.content.decode()
    response = anonymous.post(url(training), checkin(training_data))
    assert response.status_code == 200 and 'id="checkin-done"' in response.content.decode()
    attendance = Attendance.objects.get()
    assert attendance.via == "self" and attendance.person.consent and attendance.person.parish == training_data.sagrario


def test_closed_check_in_registers_nobody(training_data, make_training):
    training = make_training(checkin_open=False)
    anonymous = Client()
    assert 'id="checkin-closed"' in anonymous.get(url(training)).content.decode()
    assert anonymous.post(url(training), checkin(training_data)).status_code == 403
    done = make_training("Otra", checkin_open=True, status="done")  # open flag left on, but the training is over
    assert anonymous.post(url(done), checkin(training_data)).status_code == 403
    assert not Attendance.objects.exists()


def test_unknown_token_is_404(training_data):
    assert Client().get(reverse("activities:training_checkin", args=["not-a-token"])).status_code == 404


def test_registering_twice_keeps_one_attendance(training_data, make_training):
    training = make_training(checkin_open=True)
    anonymous = Client()
    anonymous.post(url(training), checkin(training_data))
    again = anonymous.post(url(training), checkin(training_data))
    assert 'id="checkin-done"' in again.content.decode() and again.context["created"] is False
    assert Attendance.objects.count() == 1 and Person.objects.count() == 1


def test_a_known_cedula_needs_the_same_names_and_the_refusal_reveals_nothing(training_data, make_training, make_person):
    training = make_training(checkin_open=True)
    make_person("Diana", "Pineda", cedula="1104680135")
    for wrong in ({"c-last_names": "Otro Apellido"}, {"c-first_names": "Cualquiera"}):
        refused = Client().post(url(training), checkin(training_data, **{"c-first_names": "Diana", **wrong}))
        body = refused.content.decode()
        assert refused.status_code == 429 and not Attendance.objects.exists()
        assert "Diana" not in body.replace('value="Diana"', "") and "Pineda" not in body.replace('value="Pineda', "")
    accepted = Client().post(url(training), checkin(training_data, **{"c-first_names": "Diana"}))
    assert accepted.context["done"] and Attendance.objects.get().person.last_names == "Pineda"  # record not overwritten


def test_public_form_offers_no_official_roles(training_data, make_training):
    training = make_training(checkin_open=True)
    page = Client().get(url(training))
    assert {value for value, _ in page.context["form"].fields["role"].choices} == {"resident", "barrio_leader", "other"}
    Client().post(url(training), checkin(training_data, **{"c-role": "parish_president"}))
    assert not Attendance.objects.filter(role="parish_president").exists()


def test_invalid_cedula_and_missing_consent_are_refused(training_data, make_training):
    training = make_training(checkin_open=True)
    bad = Client().post(url(training), checkin(training_data, **{"c-cedula": "1104680136"}))
    assert "cedula" in bad.context["form"].errors
    no_consent = Client().post(url(training), checkin(training_data, **{"c-consent": None}))
    assert "consent" in no_consent.context["form"].errors
    minor = Client().post(url(training), checkin(training_data, **{"c-cedula": "", "c-age_band": "0-17"}))
    assert minor.context["done"]
    assert Attendance.objects.count() == 1


def test_robots_filling_the_hidden_field_are_ignored(training_data, make_training):
    training = make_training(checkin_open=True)
    Client().post(url(training), checkin(training_data, **{"c-website": "http://spam.example"}))
    assert not Attendance.objects.exists()


def test_too_many_registrations_from_one_device_are_refused(training_data, make_training, monkeypatch):
    monkeypatch.setattr(services, "SELF_CHECKIN_PER_DEVICE", 3)
    training = make_training(checkin_open=True)
    phone = Client()
    codes = [phone.post(url(training), checkin(training_data, **{"c-cedula": cedula(n)})).status_code for n in range(5)]
    assert codes == [200, 200, 200, 429, 429]
    assert Attendance.objects.count() == 3
    other_phone = Client()  # at the same venue, behind the same address: not affected
    assert other_phone.post(url(training), checkin(training_data, **{"c-cedula": cedula(9)})).status_code == 200


def test_cap_per_training(training_data, make_training, monkeypatch):
    monkeypatch.setattr(services, "SELF_CHECKIN_CAP", 2)
    training = make_training(checkin_open=True)
    for n in range(3):
        Client().post(url(training), checkin(training_data, **{"c-cedula": cedula(n)}))
    assert Attendance.objects.filter(via="self").count() == 2


def test_staff_open_and_close_check_in(client_for, make_training):
    training = make_training()
    c = client_for("tecnico")
    c.post(reverse("activities:training_checkin_toggle", args=[training.pk]), {"open": "1"})
    training.refresh_from_db()
    assert training.checkin_open
    detail = c.get(reverse("activities:training_detail", args=[training.pk])).content.decode()
    assert "<svg" in detail and training.checkin_token in detail  # the QR code and the address it holds
    poster = c.get(reverse("activities:training_checkin_poster", args=[training.pk]))
    assert poster.status_code == 200 and "<svg" in poster.content.decode()
    c.post(reverse("activities:training_checkin_toggle", args=[training.pk]), {"open": "0"})
    training.refresh_from_db()
    assert not training.checkin_open


def test_check_in_does_not_open_for_a_cancelled_training(client_for, make_training):
    training = make_training()
    training.activity.status, training.activity.status_reason = "cancelled", "lluvia"
    training.activity.save()
    client_for("tecnico").post(reverse("activities:training_checkin_toggle", args=[training.pk]), {"open": "1"})
    training.refresh_from_db()
    assert not training.checkin_open


def test_support_staff_say_so_at_check_in_and_are_not_counted_as_trained(training_data, make_training):
    """A police officer or firefighter who came with the speakers checks in with the QR code too: the page asks how
    they attend, and their attendance is recorded (and audited) as support, outside the people trained."""
    from auditlog.models import LogEntry

    training = make_training(checkin_open=True)
    page = Client().get(url(training)).content.decode()
    assert 'id="field-c-participation"' in page and "Personal de apoyo (Policía, Bomberos, ECU 911…)" in page
    response = Client().post(url(training), checkin(training_data, **{"c-participation": "support"}))
    assert response.context["done"] and not response.context["participation_kept"]
    attendance = Attendance.objects.get()
    assert (attendance.participation, attendance.via, attendance.attended) == ("support", "self", True)
    assert not Attendance.objects.trained().exists() and Attendance.objects.supporting().count() == 1
    entry = LogEntry.objects.get_for_object(attendance).get()
    assert entry.action == LogEntry.Action.CREATE and entry.changes_dict["participation"] == ["None", "support"]


def test_check_in_offers_trainee_first_and_records_it_by_default(training_data, make_training):
    training = make_training(checkin_open=True)
    page = Client().get(url(training))
    assert [value for value, _ in page.context["form"].fields["participation"].choices] == ["trainee", "support"]
    radios = dict(
        re.findall(r'<input type="radio" name="c-participation" value="(\w+)"([^>]*)>', page.content.decode())
    )
    assert (
        set(radios) == {"trainee", "support"} and "checked" in radios["trainee"] and "checked" not in radios["support"]
    )
    Client().post(url(training), checkin(training_data, **{"c-participation": "trainee"}))
    Client().post(url(training), checkin(training_data, **{"c-cedula": cedula(3)}))  # a page without the choice
    assert set(Attendance.objects.values_list("participation", flat=True)) == {"trainee"}
    assert Attendance.objects.trained().count() == 2


def test_checking_in_again_with_the_other_participation_changes_nothing_and_says_so(
    training_data, make_training, make_person, users
):
    training = make_training(checkin_open=True)
    phone = Client()
    phone.post(url(training), checkin(training_data))  # a trainee
    again = phone.post(url(training), checkin(training_data, **{"c-participation": "support"}))
    body = again.content.decode()
    assert again.context["created"] is False and 'id="checkin-participation-kept"' in body
    assert "«Personal de apoyo (Policía, Bomberos, ECU 911…)»); no se cambió" in body
    assert Attendance.objects.get().participation == "trainee"
    same = phone.post(url(training), checkin(training_data))  # the same choice: the usual "already registered"
    assert same.context["created"] is False and 'id="checkin-participation-kept"' not in same.content.decode()
    # registered ahead by staff as support: checking in marks them present, as support still, and says so
    officer = make_person("Ana", "Torres", cedula="1710034065")
    services.add_attendee(
        users["tecnico"],
        training,
        services.PersonData("Ana", "Torres", "1710034065", consent=True),
        present=False,
        participation="support",
    )
    arrived = Client().post(
        url(training),
        checkin(training_data, **{"c-first_names": "Ana", "c-last_names": "Torres", "c-cedula": "1710034065"}),
    )
    assert arrived.context["created"] is True and 'id="checkin-participation-kept"' in arrived.content.decode()
    attendance = Attendance.objects.get(person=officer)
    assert (attendance.attended, attendance.participation) == (True, "support")
