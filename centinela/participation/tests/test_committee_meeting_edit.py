"""Correcting a recorded meeting: its attendance can change (a member who has since left still shows, ticked, on the
sheet of a meeting they came to), new agreements are added to those it had, which stay as they were."""

from datetime import date

from centinela.participation.committees import services
from centinela.participation.committees.models import CommitteeMeeting


def test_editing_a_meeting_changes_attendance_and_adds_agreements(client_for, committees, users):
    committee = committees["sagrario"]
    rosa, luis, marcia = (committee.members.get(name__startswith=n) for n in ("Rosa", "Luis", "Marcia"))
    meeting = services.save_meeting(
        users["tecnico"],
        CommitteeMeeting(committee=committee, held_on=date(2020, 3, 7)),
        present=[rosa, luis],
        agreements=[services.AgreementDraft("Pedir luminarias", "Rosa", date(2020, 4, 1))],
    )
    luis.left_on = date(2020, 5, 1)
    services.save_member(users["tecnico"], luis)
    c = client_for("presidente.sagrario")
    url = f"/participa/comites/reuniones/{meeting.pk}/editar/"
    form = c.get(url).content.decode()
    assert f'value="{luis.pk}"' in form and "checked" in form.split(f'value="{luis.pk}"')[1].split(">")[0]
    response = c.post(
        url,
        {
            "held_on": "2020-03-07",
            "guests": "5",
            "present": [rosa.pk, luis.pk, marcia.pk],
            "acuerdos-TOTAL_FORMS": "3",
            "acuerdos-INITIAL_FORMS": "0",
            "acuerdos-0-text": "Minga de limpieza",
            "acuerdos-0-due_on": "2020-04-30",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert set(meeting.present.all()) == {rosa, luis, marcia} and meeting.guests == 5
    assert list(meeting.agreements.order_by("id").values_list("text", "status")) == [
        ("Pedir luminarias", "pending"),
        ("Minga de limpieza", "pending"),
    ]
