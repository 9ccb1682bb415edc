"""Bad input on barrio committees: a clear Spanish message next to the field, nothing saved half-way, never a 500:
an invalid cédula, a meeting without a date or in the future, a member of another committee ticked as present, an
agreement due before its meeting, a follow-up without a note, and a president changing another parish's committee."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from centinela.participation.committees import services
from centinela.participation.committees.models import (
    AgreementFollowUp,
    CommitteeAgreement,
    CommitteeMeeting,
    CommitteeMember,
)


def _members(committee):
    return list(committee.members.order_by("name"))


def test_an_invalid_cedula_is_refused_in_spanish_and_nothing_is_saved(committees, users):
    committee = committees["sagrario"]
    before = CommitteeMember.objects.count()
    with pytest.raises(ValidationError) as caught:
        services.save_member(
            users["tecnico"], CommitteeMember(committee=committee, name="Ana Torres", cedula="1103756135")
        )
    assert "no es una cédula válida" in " ".join(caught.value.message_dict["cedula"])
    assert CommitteeMember.objects.count() == before


def test_the_member_page_answers_an_invalid_cedula_next_to_the_field(client_for, committees):
    committee = committees["sagrario"]
    c = client_for("presidente.sagrario")
    url = f"/participa/comites/{committee.pk}/miembros/nuevo/"
    data = {"name": "Ana Torres", "role": "member", "cedula": "12345", "joined_on": "2020-02-01"}
    response = c.post(url, data)
    assert response.status_code == 200  # the form again, with the message
    assert "no es una cédula válida" in response.content.decode()
    assert not committee.members.filter(name="Ana Torres").exists()
    data |= {"cedula": "1103756134"}  # the coordinator's: a current member already has it
    assert "ya tiene esta cédula" in c.post(url, data).content.decode()
    data |= {"cedula": "", "phone": "llámame"}
    assert "solo con dígitos" in c.post(url, data).content.decode()
    data |= {"phone": "0987654321", "left_on": "2019-12-31"}
    assert "anterior a la de ingreso" in c.post(url, data).content.decode()
    assert not committee.members.filter(name="Ana Torres").exists()


def test_a_meeting_without_a_date_or_in_the_future_is_refused(committees, users):
    committee = committees["sagrario"]
    for held_on, message in (
        (None, "Indique qué día se realizó la reunión."),
        (timezone.localdate() + timedelta(days=2), "no puede ser futura"),
        (date(2019, 5, 1), "anterior a la fundación del comité (01/01/2020)"),
    ):
        with pytest.raises(ValidationError) as caught:
            services.save_meeting(
                users["tecnico"],
                CommitteeMeeting(committee=committee, held_on=held_on),
                present=_members(committee),
                agreements=[services.AgreementDraft("Pedir luminarias")],
            )
        assert message in " ".join(caught.value.message_dict["held_on"])
    assert not CommitteeMeeting.objects.exists() and not CommitteeAgreement.objects.exists()


def test_the_meeting_page_without_a_date_answers_400_in_spanish(client_for, committees):
    committee = committees["sagrario"]
    member = _members(committee)[0]
    response = client_for("tecnico").post(
        f"/participa/comites/{committee.pk}/reuniones/nueva/",
        {
            "held_on": "",
            "guests": "3",
            "present": [member.pk],
            "acuerdos-TOTAL_FORMS": "3",
            "acuerdos-INITIAL_FORMS": "0",
            "acuerdos-0-text": "Pedir luminarias",
        },
    )
    assert response.status_code == 400
    assert "Indique qué día se realizó la reunión." in response.content.decode()
    assert not CommitteeMeeting.objects.exists() and not CommitteeAgreement.objects.exists()


def test_a_member_of_another_committee_cannot_be_present_and_nothing_is_saved(committees, users):
    mine, other = committees["sagrario"], committees["valle"]
    stranger = _members(other)[0]
    with pytest.raises(ValidationError) as caught:
        services.save_meeting(
            users["tecnico"],
            CommitteeMeeting(committee=mine, held_on=date(2020, 3, 7)),
            present=[*_members(mine), stranger],
            agreements=[services.AgreementDraft("Pedir luminarias")],
        )
    assert caught.value.message_dict["present"] == [f"No son miembros de este comité: {stranger.name}."]
    assert not CommitteeMeeting.objects.exists() and not CommitteeAgreement.objects.exists()


def test_the_meeting_page_refuses_a_member_of_another_committee(client_for, committees):
    mine, other = committees["sagrario"], committees["valle"]
    response = client_for("tecnico").post(
        f"/participa/comites/{mine.pk}/reuniones/nueva/",
        {
            "held_on": "2020-03-07",
            "guests": "0",
            "present": [_members(other)[0].pk],
            "acuerdos-TOTAL_FORMS": "3",
            "acuerdos-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert "Escoja una opción válida" in response.content.decode()
    assert not CommitteeMeeting.objects.exists()


def test_a_member_who_had_left_or_not_joined_cannot_be_present(committees, users):
    committee = committees["sagrario"]
    late = services.save_member(
        users["tecnico"], CommitteeMember(committee=committee, name="Recién Llegada", joined_on=date(2020, 6, 1))
    )
    with pytest.raises(ValidationError) as caught:
        services.save_meeting(
            users["tecnico"], CommitteeMeeting(committee=committee, held_on=date(2020, 3, 7)), present=[late]
        )
    assert "No eran miembros del comité el 07/03/2020: Recién Llegada." in caught.value.message_dict["present"]
    assert not CommitteeMeeting.objects.exists()


def test_an_agreement_due_before_its_meeting_or_without_text_is_refused_with_its_number(committees, users):
    committee = committees["sagrario"]
    with pytest.raises(ValidationError) as caught:
        services.save_meeting(
            users["tecnico"],
            CommitteeMeeting(committee=committee, held_on=date(2020, 3, 7)),
            present=[],
            agreements=[
                services.AgreementDraft("Pedir luminarias", due_on=date(2020, 3, 1)),
                services.AgreementDraft("", responsible="Rosa"),
            ],
        )
    assert caught.value.message_dict["agreements"] == [
        "Acuerdo 1: la fecha límite es anterior a la reunión (07/03/2020).",
        "Acuerdo 2: escriba lo que se acordó.",
    ]
    assert not CommitteeMeeting.objects.exists()


@pytest.fixture
def agreement(committees, users):
    meeting = services.save_meeting(
        users["tecnico"],
        CommitteeMeeting(committee=committees["valle"], held_on=date(2020, 3, 7)),
        present=_members(committees["valle"]),
        agreements=[services.AgreementDraft("Poda de árboles", "Segundo", date(2020, 4, 1))],
    )
    return meeting.agreements.get()


def test_a_follow_up_on_another_parishs_committee_is_refused_and_nothing_is_saved(agreement, users):
    with pytest.raises(PermissionDenied) as caught:
        services.follow_up(users["presidente.sagrario"], agreement, on=date(2020, 3, 20), note="Hecho", status="done")
    assert "pertenece a otra parroquia" in str(caught.value)
    agreement.refresh_from_db()
    assert agreement.status == "pending" and not AgreementFollowUp.objects.exists()


def test_a_follow_up_without_a_note_or_out_of_dates_is_refused(agreement, users):
    for on, note, field, message in (
        (date(2020, 3, 20), "  ", "note", "Escriba qué se hizo o qué se encontró."),
        (None, "Hecho", "on", "Indique qué día."),
        (date(2020, 3, 1), "Hecho", "on", "anterior a la reunión (07/03/2020)"),
        (timezone.localdate() + timedelta(days=1), "Hecho", "on", "no puede ser futura"),
    ):
        with pytest.raises(ValidationError) as caught:
            services.follow_up(users["presidente.valle"], agreement, on=on, note=note, status="done")
        assert message in " ".join(caught.value.message_dict[field])
    agreement.refresh_from_db()
    assert agreement.status == "pending" and not AgreementFollowUp.objects.exists()


def test_the_follow_up_page_answers_a_missing_note_in_spanish(client_for, agreement):
    response = client_for("presidente.valle").post(
        f"/participa/comites/acuerdos/{agreement.pk}/seguimiento/", {"on": "2020-03-20", "status": "done"}
    )
    assert response.status_code == 400
    assert "Escriba qué se hizo o qué se encontró." in response.content.decode()
    assert not AgreementFollowUp.objects.exists()


def test_a_committee_with_the_same_name_in_the_barrio_is_refused(client_for, committees):
    committee = committees["sagrario"]
    response = client_for("tecnico").post(
        "/participa/comites/nuevo/", {"name": "comité san cayetano bajo", "barrio": committee.barrio_id}
    )
    assert response.status_code == 200
    assert "Este barrio ya tiene un comité con ese nombre." in response.content.decode()
