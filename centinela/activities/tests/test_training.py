"""Trainings: one form saving the activity and its training, the list, the detail page with personal data masked,
and who may do what (staff edit, liaisons read, a parish president only in their own parish)."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from centinela.activities.models import Activity, ActivityPartner, Attendance, Speaker, Training
from centinela.activities.services import training as services
from centinela.activities.tests.test_training_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


def may(d):
    return timezone.make_aware(datetime.combine(date(d.year, 5, 10), time(9)))


def form_data(d, **overrides):
    data = {
        "programme": d.programme.pk,
        "topic": "Prevención de violencia intrafamiliar",
        "title": "",
        "audience": "Dirigentes barriales",
        "starts_at": f"{d.year}-05-10T09:00",
        "ends_at": f"{d.year}-05-10T11:00",
        "hours": "2",
        "place": d.salon.pk,
        "parish": "",
        "barrios": [d.centro.pk],
        "institutions": [d.fire.pk],
        "description": "",
        "speakers-TOTAL_FORMS": "2",
        "speakers-INITIAL_FORMS": "0",
        "speakers-MIN_NUM_FORMS": "0",
        "speakers-MAX_NUM_FORMS": "1000",
        "speakers-0-institution": d.police.pk,
        "speakers-0-name": "Sgto. Pedro Castillo",
        "speakers-0-subject": "Rutas seguras",
        "speakers-1-institution": "",
        "speakers-1-name": "",
        "speakers-1-subject": "",
    }
    data.update(overrides)
    return data


# --- the service ------------------------------------------------------------------------------------------------


def test_save_training_creates_activity_training_speakers_and_invited_institutions(users, training_data):
    d = training_data
    activity = Activity(programme=d.programme, starts_at=may(d), place=d.salon)
    training = Training(topic="Alarmas comunitarias", hours=3)
    services.save_training(
        users["tecnico"],
        activity,
        training,
        barrios=[d.centro],
        speakers=[{"institution": d.police, "name": "Cbop. Ana Torres", "subject": ""}],
        institutions=[d.fire],
    )
    activity.refresh_from_db()
    assert activity.kind == Activity.Kind.TRAINING
    assert activity.title == "Alarmas comunitarias"  # the topic, when no title is given
    assert activity.parish == d.sagrario  # from the Salón de los Alcaldes
    assert list(activity.barrios.all()) == [d.centro]
    assert training.activity == activity and Speaker.objects.filter(training=training).count() == 1
    invited = set(
        activity.partner_roles.filter(role=ActivityPartner.Role.SPEAKER).values_list("institution__name", flat=True)
    )
    assert invited == {"Policía Nacional", "Cuerpo de Bomberos de Loja"}  # the speaker's institution is invited too


def test_editing_keeps_other_partner_roles(users, training_data, make_training):
    d = training_data
    training = make_training()
    host = ActivityPartner.objects.create(
        activity=training.activity, institution=d.fire, role=ActivityPartner.Role.HOST
    )
    services.save_training(users["tecnico"], training.activity, training, speakers=[], institutions=[d.police])
    assert ActivityPartner.objects.filter(pk=host.pk).exists()  # the host role belongs to the activity pages
    assert training.activity.partner_roles.filter(role="speaker").get().institution == d.police


def test_a_programme_that_is_not_training_or_education_is_refused_and_nothing_is_saved(users, training_data):
    d = training_data
    activity = Activity(programme=d.cameras, starts_at=may(d), place=d.salon)
    training = Training(topic="Uso de cámaras", hours=1)
    with pytest.raises(ValidationError) as info:
        services.save_training(users["tecnico"], activity, training)
    assert "programme" in info.value.message_dict
    assert activity.pk is None and not Training.objects.exists()


def test_barrio_outside_the_parish_rolls_everything_back(users, training_data):
    d = training_data
    activity = Activity(programme=d.programme, starts_at=may(d), place=d.salon)
    training = Training(topic="Alarmas", hours=1)
    with pytest.raises(ValidationError) as info:
        services.save_training(users["tecnico"], activity, training, barrios=[d.jipiro])
    assert "barrios" in info.value.message_dict
    assert activity.pk is None and training.pk is None  # the form may be shown again as a new record
    assert not Activity.objects.filter(title="Alarmas").exists() and not Training.objects.exists()


def test_parish_president_cannot_save_a_training_of_another_parish(users, training_data):
    d = training_data
    activity = Activity(programme=d.programme, starts_at=may(d), parish=d.valle)
    with pytest.raises(PermissionDenied):
        services.save_training(users["presidente.sagrario"], activity, Training(topic="X", hours=1))
    assert not Training.objects.exists()


# --- the form ---------------------------------------------------------------------------------------------------


def test_technician_creates_a_training_through_the_form(client_for, training_data):
    d = training_data
    response = client_for("tecnico").post(reverse("activities:training_create"), form_data(d))
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    training = Training.objects.get()
    assert response["Location"] == reverse("activities:training_detail", args=[training.pk])
    assert training.topic == "Prevención de violencia intrafamiliar" and training.activity.parish == d.sagrario
    assert training.speakers.get().name == "Sgto. Pedro Castillo"


def test_form_errors_are_spanish_and_keep_what_was_typed(client_for, training_data):
    d = training_data
    response = client_for("tecnico").post(
        reverse("activities:training_create"),
        form_data(d, starts_at=f"{d.year + 1}-02-01T09:00", **{"speakers-1-name": "Sin institución"}),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "fuera del periodo del plan" in body.lower() or "fuera del período del plan" in body.lower()
    assert 'value="Prevención de violencia intrafamiliar"' in body  # what was typed is kept
    assert 'value="Sin institución"' in body
    assert not Training.objects.exists()


def test_programme_choices_are_limited_to_training_and_education(client_for, training_data):
    d = training_data
    response = client_for("tecnico").get(reverse("activities:training_create"))
    choices = {p.pk for p in response.context["form"].fields["programme"].queryset}
    assert choices == {d.programme.pk, d.education.pk}


def test_editing_a_training(client_for, training_data, make_training):
    d = training_data
    training = make_training()
    c = client_for("tecnico")
    page = c.get(reverse("activities:training_edit", args=[training.pk]))
    assert page.context["form"]["topic"].value() == training.topic
    data = form_data(d, topic="Tema corregido", **{"speakers-0-name": "Otra persona"})
    response = c.post(reverse("activities:training_edit", args=[training.pk]), data)
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.topic == "Tema corregido" and training.activity_id == Activity.objects.get().pk
    assert [s.name for s in training.speakers.all()] == ["Otra persona"]


# --- list and detail --------------------------------------------------------------------------------------------


def test_list_filters_and_exports(client_for, training_data, make_training):
    make_training("Seguridad en el mercado")
    make_training("Prevención de incendios", parish=training_data.valle)
    c = client_for("tecnico")
    response = c.get(reverse("activities:training_list"), {"q": "mercado"})
    assert response.context["page"].paginator.count == 1
    export = c.get(reverse("activities:training_list"), {"export": "csv"})
    text = export.getvalue().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Fecha,Tema,Programa,Parroquia")  # in Spanish (issue 13 item 1)
    assert "Seguridad en el mercado" in text and "Prevención de incendios" in text
    xlsx = c.get(reverse("activities:training_list"), {"export": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.getvalue()[:2] == b"PK"


def test_personal_data_masked_unless_director(client_for, training_data, make_training, make_person):
    training = make_training()
    person = make_person(cedula="1710034065", phone="0991234589")
    Attendance.objects.create(training=training, person=person)
    url = reverse("activities:training_detail", args=[training.pk])
    tecnico = client_for("tecnico").get(url).content.decode()
    assert "1710034065" not in tecnico and "17******65" in tecnico
    assert "0991234589" not in tecnico and "09******89" in tecnico
    directora = client_for("directora").get(url).content.decode()
    assert "1710034065" in directora and "0991234589" in directora
    export = client_for("tecnico").get(url, {"export": "csv"}).getvalue().decode("utf-8-sig")
    assert "1710034065" not in export and "17******65" in export  # exports follow the same rule


# --- permissions per role ---------------------------------------------------------------------------------------


def test_liaison_reads_but_does_not_change(client_for, training_data, make_training, make_person):
    training = make_training()
    person = make_person()
    c = client_for("enlace.policia")
    assert c.get(reverse("activities:training_list")).status_code == 200
    detail = c.get(reverse("activities:training_detail", args=[training.pk]))
    assert detail.status_code == 200 and 'id="take-attendance"' not in detail.content.decode()
    assert c.get(reverse("activities:training_create")).status_code == 403
    assert c.get(reverse("activities:training_edit", args=[training.pk])).status_code == 403
    assert c.get(reverse("activities:training_attendance", args=[training.pk])).status_code == 403
    assert (
        c.post(reverse("activities:training_mark_present", args=[training.pk]), {"person": person.pk}).status_code
        == 403
    )
    assert c.post(reverse("activities:training_issue_certificates", args=[training.pk])).status_code == 403
    assert c.post(reverse("activities:training_checkin_toggle", args=[training.pk]), {"open": "1"}).status_code == 403
    assert not Attendance.objects.exists()


def test_parish_president_sees_only_their_parish(client_for, training_data, make_training):
    own = make_training("Seguridad en El Sagrario")
    other = make_training("Seguridad en El Valle", parish=training_data.valle)
    c = client_for("presidente.sagrario")
    listing = c.get(reverse("activities:training_list"))
    assert [t.pk for t in listing.context["page"].object_list] == [own.pk]
    assert c.get(reverse("activities:training_detail", args=[own.pk])).status_code == 200
    for name in ("training_detail", "training_edit", "training_attendance", "training_attendance_import"):
        assert c.get(reverse(f"activities:{name}", args=[other.pk])).status_code == 404, name
    assert c.post(reverse("activities:training_issue_certificates", args=[other.pk])).status_code == 404
    export = c.get(reverse("activities:training_list"), {"export": "csv"}).getvalue().decode("utf-8-sig")
    assert "El Sagrario" in export and "El Valle" not in export


def test_parish_president_creates_a_training_only_in_their_parish(client_for, training_data):
    d = training_data
    c = client_for("presidente.sagrario")
    form = c.get(reverse("activities:training_create")).context["form"]
    assert list(form.fields["parish"].queryset) == [d.sagrario]
    assert d.programme in form.fields["programme"].queryset  # the cantonal programme is offered
    refused = c.post(reverse("activities:training_create"), form_data(d, place="", parish=d.valle.pk, barrios=[]))
    assert refused.status_code == 200 and "parish" in refused.context["form"].errors
    done = c.post(reverse("activities:training_create"), form_data(d, place="", parish=d.sagrario.pk))
    assert done.status_code == 302
    assert Training.objects.get().activity.parish == d.sagrario


# --- status -----------------------------------------------------------------------------------------------------


def test_marking_done_closes_self_check_in(client_for, make_training):
    training = make_training(checkin_open=True)
    response = client_for("tecnico").post(reverse("activities:training_status", args=[training.pk]), {"status": "done"})
    assert response.status_code == 302
    training.refresh_from_db()
    assert training.activity.status == "done" and not training.checkin_open


def test_cancelling_needs_a_reason(client_for, make_training):
    training = make_training()
    c = client_for("tecnico")
    response = c.post(reverse("activities:training_status", args=[training.pk]), {"status": "cancelled"}, follow=True)
    training.refresh_from_db()
    assert training.activity.status == "planned"
    assert "por qué la actividad se postergó o canceló" in response.content.decode()
