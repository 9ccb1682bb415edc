"""Who sees and manages barrio committees: the council's staff all of them; a parish president only their parish's
(another parish's answer 404 to every page and every POST, so their existence is not disclosed); liaisons none.
Members' cédula, phone and e-mail are personal data: only administrators and the director read them, on the page
and in the member form."""

from datetime import date

import pytest

from centinela.participation.committees import services
from centinela.participation.committees.models import (
    AgreementFollowUp,
    Committee,
    CommitteeAgreement,
    CommitteeMeeting,
    CommitteeMember,
)

LIST = "/participa/comites/"
CONTACT = ("1103756134", "0991112233", "coordinacion.sagrario@example.ec")


@pytest.fixture
def agreement(committees, users):
    committee = committees["sagrario"]
    meeting = services.save_meeting(
        users["tecnico"],
        CommitteeMeeting(committee=committee, held_on=date(2020, 3, 7)),
        present=list(committee.members.all()),
        agreements=[services.AgreementDraft("Pedir luminarias", "Rosa", date(2020, 4, 1))],
    )
    return meeting.agreements.get()


def test_a_president_lists_only_their_parishs_committees(client_for, committees):
    page = client_for("presidente.valle").get(LIST).content.decode()
    assert "Comité Ciudadela Zamora" in page and "Comité San Cayetano Bajo" not in page
    csv = b"".join(client_for("presidente.valle").get(LIST + "?export=csv").streaming_content).decode()
    assert "Comité Ciudadela Zamora" in csv and "San Cayetano" not in csv


def test_a_president_cannot_open_or_change_another_parishs_committee(client_for, committees, agreement):
    c = client_for("presidente.valle")
    other = committees["sagrario"]
    member = other.members.get(name__startswith="Rosa")
    meeting = agreement.meeting
    for url in (
        f"{LIST}{other.pk}/",
        f"{LIST}{other.pk}/editar/",
        f"{LIST}{other.pk}/miembros/nuevo/",
        f"{LIST}miembros/{member.pk}/editar/",
        f"{LIST}{other.pk}/reuniones/nueva/",
        f"{LIST}reuniones/{meeting.pk}/editar/",
        f"{LIST}acuerdos/{agreement.pk}/seguimiento/",
    ):
        assert c.get(url).status_code == 404, url
    posts = {
        f"{LIST}{other.pk}/editar/": {"name": "Tomado", "barrio": other.barrio_id},
        f"{LIST}{other.pk}/miembros/nuevo/": {"name": "Intruso", "role": "member", "joined_on": "2020-01-01"},
        f"{LIST}miembros/{member.pk}/editar/": {"name": "Cambiado", "role": "member", "joined_on": "2020-01-01"},
        f"{LIST}{other.pk}/reuniones/nueva/": {
            "held_on": "2020-05-01",
            "guests": "0",
            "acuerdos-TOTAL_FORMS": "1",
            "acuerdos-INITIAL_FORMS": "0",
            "acuerdos-0-text": "Acuerdo ajeno",
        },
        f"{LIST}acuerdos/{agreement.pk}/seguimiento/": {"on": "2020-04-02", "status": "done", "note": "Ajeno"},
    }
    for url, data in posts.items():
        assert c.post(url, data).status_code == 404, url
    other.refresh_from_db()
    member.refresh_from_db()
    agreement.refresh_from_db()
    assert other.name == "Comité San Cayetano Bajo" and member.name.startswith("Rosa")
    assert not CommitteeMember.objects.filter(name="Intruso").exists()
    assert CommitteeMeeting.objects.count() == 1 and not CommitteeAgreement.objects.filter(text="Acuerdo ajeno")
    assert agreement.status == "pending" and not AgreementFollowUp.objects.exists()


def test_a_president_cannot_move_their_committee_to_another_parish_nor_create_one_there(client_for, committees):
    c = client_for("presidente.valle")
    own, other = committees["valle"], committees["sagrario"]
    response = c.post(f"{LIST}{own.pk}/editar/", {"name": own.name, "barrio": other.barrio_id})
    assert response.status_code == 200 and "Escoja una opción válida" in response.content.decode()
    own.refresh_from_db()
    assert own.barrio_id != other.barrio_id
    response = c.post(f"{LIST}nuevo/", {"name": "Comité infiltrado", "barrio": other.barrio_id})
    assert response.status_code == 200
    assert not Committee.objects.filter(name="Comité infiltrado").exists()


def test_a_president_manages_their_own_parishs_committee(client_for, committees):
    c = client_for("presidente.sagrario")
    own = committees["sagrario"]
    assert c.get(own.get_absolute_url()).status_code == 200
    response = c.post(
        f"{LIST}{own.pk}/miembros/nuevo/", {"name": "Carmen Guamán", "role": "treasurer", "joined_on": "2020-02-01"}
    )
    assert response.status_code == 302
    assert own.members.filter(name="Carmen Guamán", role="treasurer").exists()


@pytest.mark.parametrize("role", ["enlace.policia", "enlace.ecu911"])
def test_liaisons_have_no_access_to_committees(client_for, committees, agreement, role):
    c = client_for(role)
    assert c.get(LIST).status_code == 403
    assert c.get(LIST + "acuerdos/").status_code == 403
    assert c.get(committees["sagrario"].get_absolute_url()).status_code == 404
    assert c.get(f"{LIST}nuevo/").status_code == 403
    assert "/participa/comites/" not in c.get("/").content.decode()  # no menu link either


@pytest.mark.parametrize("role", ["admin", "directora"])
def test_administrators_and_the_director_read_the_members_contact_data(client_for, committees, role):
    page = client_for(role).get(committees["sagrario"].get_absolute_url()).content.decode()
    assert all(value in page for value in CONTACT)


@pytest.mark.parametrize("role", ["tecnico", "presidente.sagrario"])
def test_others_read_neither_on_the_page_nor_in_the_member_form(client_for, committees, role):
    c = client_for(role)
    committee = committees["sagrario"]
    page = c.get(committee.get_absolute_url()).content.decode()
    assert "Rosa Jaramillo (sagrario)" in page
    assert not any(value in page for value in CONTACT)
    assert "datos de contacto registrados (ocultos)" in page
    member = committee.members.get(name__startswith="Rosa")
    form = c.get(f"{LIST}miembros/{member.pk}/editar/").content.decode()
    assert not any(value in form for value in CONTACT)
    assert "Déjelo vacío para conservarlo" in form
    # saving the form with the hidden fields left empty keeps them
    response = c.post(
        f"{LIST}miembros/{member.pk}/editar/",
        {"name": member.name, "role": "coordinator", "joined_on": "2020-01-01", "left_on": "2020-12-31"},
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.cedula, member.phone, member.email) == CONTACT and member.left_on == date(2020, 12, 31)


def test_the_menu_shows_the_committees_to_those_who_may_open_them(client_for, committees):
    for role in ("admin", "tecnico", "presidente.valle"):
        assert 'href="/participa/comites/"' in client_for(role).get("/").content.decode(), role


def test_the_permission_check_refuses_a_president_on_another_parishs_records(committees, agreement, users):
    from centinela.accounts.permissions import can

    valle = users["presidente.valle"]
    sagrario = users["presidente.sagrario"]
    for record in (committees["sagrario"], committees["sagrario"].members.first(), agreement.meeting, agreement):
        assert not can(valle, "change", record) and can(sagrario, "change", record)
        assert can(users["tecnico"], "change", record) and not can(users["enlace.policia"], "view", record)
        assert not can(users["admin"], "delete", record)  # history is kept: nothing is deleted


def test_the_services_refuse_a_president_moving_another_parishs_record_into_theirs(committees, users):
    from django.core.exceptions import PermissionDenied

    valle = users["presidente.valle"]
    other = Committee.objects.get(pk=committees["sagrario"].pk)
    other.barrio = committees["valle"].barrio  # now it would look like theirs
    with pytest.raises(PermissionDenied):
        services.save_committee(valle, other)
    member = CommitteeMember.objects.get(committee=committees["sagrario"], name__startswith="Rosa")
    member.committee = committees["valle"]
    member.name = "Movida"
    with pytest.raises(PermissionDenied):
        services.save_member(valle, member)
    assert Committee.objects.get(pk=other.pk).barrio_id == committees["sagrario"].barrio_id
    assert not CommitteeMember.objects.filter(name="Movida").exists()
