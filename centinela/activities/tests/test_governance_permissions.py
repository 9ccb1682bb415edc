"""Who may do what with working groups and council sessions, per role: staff edit, liaisons read, parish presidents
never see council sessions or resolutions (the council's own business) and see only their parish's groups."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from centinela.activities.models import CouncilSession, Resolution, WorkingGroup, WorkingGroupMember
from centinela.partners.tests import factories as f

pytestmark = pytest.mark.django_db

STAFF = ["admin", "directora", "tecnico"]
LIAISONS = ["enlace.policia", "enlace.ecu911"]
PRESIDENTS = ["presidente.sagrario", "presidente.valle"]


@pytest.fixture
def records(db):
    police = f.institution("Policía Nacional", council=True)
    group = WorkingGroup.objects.create(programme=f.programme(), name="Mesa Yo Aprendo Seguridad")
    member = WorkingGroupMember.objects.create(group=group, institution=police)
    session = CouncilSession.objects.create(
        number=3, held_at=timezone.now() - timedelta(days=3), agenda="Orden del día"
    )
    resolution = Resolution.objects.create(
        session=session, number="R-1", text="Informe", due_on=timezone.localdate() - timedelta(days=1)
    )
    return {"group": group, "member": member, "session": session, "resolution": resolution}


def urls(r):
    g, m, s, res = r["group"].pk, r["member"].pk, r["session"].pk, r["resolution"].pk
    council_read = [
        reverse("activities:session_list"),
        reverse("activities:session_detail", args=[s]),
        reverse("activities:resolution_board"),
        reverse("activities:resolution_board") + "?export=csv",
        reverse("activities:session_list") + "?export=xlsx",
    ]
    group_read = [
        reverse("activities:working_group_list"),
        reverse("activities:working_group_detail", args=[g]),
        reverse("activities:working_group_list") + "?export=csv",
    ]
    council_write = [
        reverse("activities:session_create"),
        reverse("activities:session_edit", args=[s]),
        reverse("activities:session_attendance", args=[s]),
        reverse("activities:resolution_create", args=[s]),
        reverse("activities:resolution_edit", args=[res]),
    ]
    group_write = [
        reverse("activities:working_group_create"),
        reverse("activities:working_group_edit", args=[g]),
        reverse("activities:working_group_member_add", args=[g]),
        reverse("activities:working_group_member_edit", args=[m]),
        reverse("activities:meeting_create", args=[g]),
    ]
    return council_read, group_read, council_write, group_write


@pytest.mark.parametrize("username", STAFF)
def test_staff_read_and_edit_everything(client_for, records, username):
    c = client_for(username)
    council_read, group_read, council_write, group_write = urls(records)
    for url in council_read + group_read + council_write + group_write:
        assert c.get(url).status_code == 200, url


@pytest.mark.parametrize("username", LIAISONS)
def test_liaisons_read_but_do_not_change(client_for, records, username):
    c = client_for(username)
    council_read, group_read, council_write, group_write = urls(records)
    for url in council_read + group_read:
        assert c.get(url).status_code == 200, url
    for url in council_write + group_write:
        assert c.get(url).status_code == 403, url
    assert c.post(reverse("activities:working_group_member_remove", args=[records["member"].pk])).status_code == 403
    assert WorkingGroupMember.objects.filter(pk=records["member"].pk).exists()
    c.post(
        reverse("activities:resolution_edit", args=[records["resolution"].pk]),
        {"number": "R-1", "text": "Cambiado", "status": "pending"},
    )
    assert Resolution.objects.get(pk=records["resolution"].pk).text == "Informe"


@pytest.mark.parametrize("username", PRESIDENTS)
def test_parish_presidents_never_see_council_sessions_or_cantonal_groups(client_for, records, username):
    c = client_for(username)
    s, res, g = records["session"].pk, records["resolution"].pk, records["group"].pk
    for url in [
        reverse("activities:session_list"),
        reverse("activities:resolution_board"),
        reverse("activities:resolution_board") + "?export=csv",
        reverse("activities:session_create"),
    ]:
        assert c.get(url).status_code == 403, url
    for url in [
        reverse("activities:session_detail", args=[s]),
        reverse("activities:session_edit", args=[s]),
        reverse("activities:session_attendance", args=[s]),
        reverse("activities:resolution_create", args=[s]),
        reverse("activities:resolution_edit", args=[res]),
        reverse("activities:working_group_detail", args=[g]),
        reverse("activities:working_group_member_edit", args=[records["member"].pk]),
    ]:
        assert c.get(url).status_code == 404, url
    page = c.get(reverse("activities:working_group_list"))
    assert page.status_code == 200 and page.context["page"].paginator.count == 0
