"""Taking attendance on a phone: search within one's scope, one tap to mark present (idempotent), add a person with
a checked cédula (optional for minors) and consent."""

import pytest
from django.urls import reverse

from centinela.activities.models import Attendance, Person
from centinela.activities.services import training as services
from centinela.activities.tests.test_training_fixtures import *  # noqa: F401,F403
from centinela.activities.tests.test_training_fixtures import cedula

pytestmark = pytest.mark.django_db


def new_person(d, **overrides):
    data = {
        "new-first_names": "Rosa Elena",
        "new-last_names": "Guamán Quizhpe",
        "new-cedula": "1710034065",
        "new-age_band": "30-44",
        "new-sex": "F",
        "new-barrio": d.centro.pk,
        "new-phone": "",
        "new-role": "barrio_leader",
        "new-institution": "",
        "new-consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def test_mark_present_is_idempotent(users, make_training, make_person):
    training, person = make_training(), make_person()
    first = services.mark_present(users["tecnico"], training, person)
    again = services.mark_present(users["tecnico"], training, person)
    assert first[1] is True and again[1] is False
    assert Attendance.objects.filter(training=training, person=person).count() == 1


def test_marking_again_after_unmarking_marks_present(users, make_training, make_person):
    training, person = make_training(), make_person()
    attendance, _ = services.mark_present(users["tecnico"], training, person)
    services.set_attended(users["tecnico"], attendance, False)
    attendance, newly = services.mark_present(users["tecnico"], training, person)
    assert newly and attendance.attended


def test_no_attendance_for_a_cancelled_training(users, make_training, make_person):
    from django.core.exceptions import ValidationError

    training = make_training(status="cancelled")
    with pytest.raises(ValidationError):
        services.mark_present(users["tecnico"], training, make_person())


def test_search_by_cedula_or_names_masks_the_cedula(client_for, make_training, make_person):
    training = make_training()
    person = make_person("Rosa Elena", "Guamán Quizhpe", cedula="1710034065")
    make_person("Carlos", "Ordóñez")
    c = client_for("tecnico")
    url = reverse("activities:training_person_search", args=[training.pk])
    by_cedula = c.get(url, {"q": "1710034065"})
    assert [p.pk for p, _c, _present in by_cedula.context["results"]] == [person.pk]
    body = by_cedula.content.decode()
    assert "1710034065" not in body and "17******65" in body
    by_names = c.get(url, {"q": "rosa guam"})
    assert [p.pk for p, _c, _present in by_names.context["results"]] == [person.pk]
    assert c.get(url, {"q": "r"}).context["results"] == []  # one letter: nothing yet


@pytest.mark.parametrize("username", ["tecnico", "presidente.sagrario"])
def test_a_masked_cedula_cannot_be_spelled_out_by_searching_its_start(
    client_for, training_data, make_training, make_person, username
):
    """Whoever reads cédulas masked (11******89) could otherwise learn the hidden digits one at a time: the search
    answers for "1710" and not for "1711", and so on, a few dozen searches for a whole cédula."""
    training = make_training()
    person = make_person("Rosa Elena", "Guamán Quizhpe", cedula="1710034065", barrio=training_data.centro)
    url = reverse("activities:training_person_search", args=[training.pk])
    c = client_for(username)
    assert "17******65" in c.get(url, {"q": "1710034065"}).content.decode()  # the whole number finds the person
    for start in ("17", "1710", "171003406"):
        assert c.get(url, {"q": start}).context["results"] == [], start
    # those who may read cédulas (the director) still find people as they type
    results = client_for("directora").get(url, {"q": "17100"}).context["results"]
    assert [p.pk for p, _c, _present in results] == [person.pk]


def test_search_stays_within_the_parish_of_a_president(client_for, training_data, make_training, make_person):
    training = make_training()
    make_person("Lucía", "Armijos", barrio=training_data.jipiro)  # El Valle
    own = make_person("Lucía", "Aguirre", barrio=training_data.centro)  # El Sagrario
    results = (
        client_for("presidente.sagrario")
        .get(reverse("activities:training_person_search", args=[training.pk]), {"q": "Lucía"})
        .context["results"]
    )
    assert [p.pk for p, _c, _present in results] == [own.pk]


def test_one_tap_mark_present_with_htmx(client_for, make_training, make_person):
    training, person = make_training(), make_person()
    c = client_for("tecnico")
    url = reverse("activities:training_mark_present", args=[training.pk])
    response = c.post(url, {"person": person.pk}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and "is-present" in body and 'id="present-count" hx-swap-oob="true">1<' in body
    c.post(url, {"person": person.pk}, HTTP_HX_REQUEST="true")
    assert Attendance.objects.filter(training=training, person=person, attended=True).count() == 1
    without_htmx = c.post(url, {"person": person.pk})
    assert without_htmx.status_code == 302  # works without JavaScript too


def test_cannot_mark_someone_outside_ones_scope(client_for, training_data, make_training, make_person):
    training = make_training()
    stranger = make_person(barrio=training_data.jipiro)
    response = client_for("presidente.sagrario").post(
        reverse("activities:training_mark_present", args=[training.pk]), {"person": stranger.pk}
    )
    assert response.status_code == 404 and not Attendance.objects.exists()


def test_add_person_and_mark_present(client_for, training_data, make_training):
    training = make_training()
    response = client_for("tecnico").post(
        reverse("activities:training_attendance", args=[training.pk]), new_person(training_data)
    )
    assert response.status_code == 302
    attendance = Attendance.objects.get()
    person = attendance.person
    assert (person.cedula, person.barrio, person.parish, person.consent) == (
        "1710034065",
        training_data.centro,
        training_data.sagrario,
        True,
    )
    assert person.consent_at is not None and attendance.role == "barrio_leader" and attendance.via == "staff"


def test_invalid_cedula_is_refused_and_typing_is_kept(client_for, training_data, make_training):
    training = make_training()
    response = client_for("tecnico").post(
        reverse("activities:training_attendance", args=[training.pk]),
        new_person(training_data, **{"new-cedula": "1710034066"}),
    )
    assert response.status_code == 200 and "cedula" in response.context["form"].errors
    body = response.content.decode()
    assert "no es una cédula válida" in body and 'value="Rosa Elena"' in body
    assert not Person.objects.exists()


def test_cedula_required_for_adults_optional_for_minors(client_for, training_data, make_training):
    training = make_training()
    c = client_for("tecnico")
    url = reverse("activities:training_attendance", args=[training.pk])
    adult = c.post(url, new_person(training_data, **{"new-cedula": ""}))
    assert "cedula" in adult.context["form"].errors
    minor = c.post(
        url, new_person(training_data, **{"new-cedula": "", "new-age_band": "0-17", "new-first_names": "Mateo"})
    )
    assert minor.status_code == 302
    assert Person.objects.get().cedula is None
    again = c.post(
        url, new_person(training_data, **{"new-cedula": "", "new-age_band": "0-17", "new-first_names": "Mateo"})
    )
    assert again.status_code == 302 and Person.objects.count() == 1  # same child in the same training: marked once
    assert Attendance.objects.count() == 1


def test_without_consent_nothing_is_stored(client_for, training_data, make_training):
    training = make_training()
    response = client_for("tecnico").post(
        reverse("activities:training_attendance", args=[training.pk]),
        new_person(training_data, **{"new-consent": None}),
    )
    assert "consent" in response.context["form"].errors
    assert "consentimiento" in response.content.decode()
    assert not Person.objects.exists() and not Attendance.objects.exists()


def test_known_cedula_reuses_the_person(client_for, training_data, make_training, make_person):
    training = make_training()
    known = make_person("Rosa", "Guamán", cedula="1710034065", sex="", age_band="")
    response = client_for("tecnico").post(
        reverse("activities:training_attendance", args=[training.pk]), new_person(training_data)
    )
    assert response.status_code == 302
    assert Person.objects.count() == 1 and Attendance.objects.get().person == known
    known.refresh_from_db()
    assert known.first_names == "Rosa" and known.sex == "F"  # names kept, blanks filled


def test_president_may_register_people_of_their_parish(client_for, training_data, make_training):
    training = make_training()
    c = client_for("presidente.sagrario")
    page = c.get(reverse("activities:training_attendance", args=[training.pk]))
    assert set(page.context["form"].fields["barrio"].queryset) == {training_data.centro, training_data.cayetano}
    response = c.post(
        reverse("activities:training_attendance", args=[training.pk]),
        new_person(training_data, **{"new-cedula": cedula(77)}),
    )
    assert response.status_code == 302 and Attendance.objects.count() == 1


def test_a_known_cedula_with_other_last_names_is_refused(client_for, training_data, make_training, make_person):
    training = make_training()
    make_person("Carmen", "Sarango", cedula="1710034065")
    response = client_for("tecnico").post(
        reverse("activities:training_attendance", args=[training.pk]), new_person(training_data)
    )
    assert response.status_code == 200 and "cedula" in response.context["form"].errors  # likely a mistyped number
    assert not Attendance.objects.exists()


def test_registration_ahead_of_the_session_then_present(client_for, make_training):
    from django.urls import reverse

    from centinela.activities.models import Attendance

    training = make_training()
    c = client_for("tecnico")
    data = {
        "new-first_names": "Rosa",
        "new-last_names": "Jaramillo",
        "new-cedula": "1104680135",
        "new-age_band": "30-44",
        "new-sex": "F",
        "new-role": "resident",
        "new-consent": "on",
        "new-present_shown": "1",  # box shown, left unticked
    }
    c.post(reverse("activities:training_attendance", args=[training.pk]), data)
    attendance = Attendance.objects.get(training=training)
    assert attendance.attended is False
    page = c.get(reverse("activities:training_attendance", args=[training.pk]))
    assert [a.pk for a in page.context["registered_list"]] == [attendance.pk]
    c.post(reverse("activities:training_mark_present", args=[training.pk]), {"person": attendance.person_id})
    attendance.refresh_from_db()
    assert attendance.attended is True
