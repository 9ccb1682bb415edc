"""The demo's two barrio committees of Loja 2020: members, three meetings each with attendance, agreements in every
state (some overdue, some followed up); loading again changes nothing."""

from centinela.participation.committees.demo import load_demo_committees
from centinela.participation.committees.models import (
    AgreementFollowUp,
    Committee,
    CommitteeAgreement,
    CommitteeMeeting,
    CommitteeMember,
)


def _counts():
    return [
        m.objects.count() for m in (Committee, CommitteeMember, CommitteeMeeting, CommitteeAgreement, AgreementFollowUp)
    ]


def test_the_demo_committees_are_loaded_once_with_meetings_and_agreements_in_every_state(db, client_for):
    stats = load_demo_committees()
    assert stats["committees"] == 2 and stats["meetings"] == 6
    first = _counts()
    assert load_demo_committees() == stats and _counts() == first  # idempotent
    for committee in Committee.objects.select_related("barrio__parish"):
        meetings = committee.meetings.all()
        assert meetings.count() >= 3
        assert all(m.present.exists() for m in meetings)
        assert all(m.member_on(meeting.held_on) for meeting in meetings for m in meeting.present.all())
        assert all(m.full_clean() is None for m in committee.members.all())  # valid cédulas
    statuses = set(CommitteeAgreement.objects.values_list("status", flat=True))
    assert statuses == set(CommitteeAgreement.Status.values)
    assert any(a.is_overdue() for a in CommitteeAgreement.objects.all())
    assert {c.barrio.parish.code for c in Committee.objects.all()} == {"110101", "110104"}
    page = client_for("presidente.sagrario").get("/participa/comites/").content.decode()
    assert "Comité de Seguridad San Cayetano Bajo" in page and "Ciudadela Zamora" not in page
