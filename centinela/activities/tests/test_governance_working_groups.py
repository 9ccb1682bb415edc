import csv
import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centinela.activities.models import Activity, Evidence, WorkingGroup, WorkingGroupMember
from centinela.partners.tests import factories as f

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def group(db):
    """'Yo Aprendo Seguridad' with the security actors, as the council runs it."""
    g = WorkingGroup.objects.create(
        programme=f.programme(), name="Mesa Yo Aprendo Seguridad", purpose="Coordinar charlas en escuelas"
    )
    WorkingGroupMember.objects.create(
        group=g,
        institution=f.institution("Policía Nacional", council=True),
        representative="Cap. Juan Pérez",
        role="Coordinador",
    )
    WorkingGroupMember.objects.create(
        group=g, institution=f.institution("SIS ECU 911", council=True), representative="Ing. Ana Ruiz"
    )
    return g


@pytest.fixture
def parish_group(db):
    prog = f.programme("YAS-VALLE", f.plan("110104"))
    return WorkingGroup.objects.create(programme=prog, name="Mesa de El Valle")


def test_list_filters_and_exports(client_for, group, parish_group):
    c = client_for("tecnico")
    url = reverse("activities:working_group_list")
    page = c.get(url, {"q": "ECU 911"})
    assert [g.name for g in page.context["page"].object_list] == ["Mesa Yo Aprendo Seguridad"]
    page = c.get(url, {"programme": parish_group.programme.pk})
    assert [g.name for g in page.context["page"].object_list] == ["Mesa de El Valle"]
    rows = list(csv.DictReader(io.StringIO(c.get(url, {"export": "csv"}).getvalue().decode("utf-8-sig"))))
    # the headers in Spanish (issue 13 item 1)
    assert {(r["Nombre"], r["Miembros"]) for r in rows} == {
        ("Mesa Yo Aprendo Seguridad", "2"),
        ("Mesa de El Valle", "0"),
    }


def test_detail_shows_members_with_representatives_and_meetings_with_minutes(client_for, group):
    meeting = f.activity(
        "Primera reunión de la mesa",
        kind="meeting",
        working_group=group,
        description="Se acordó el calendario de charlas.",
    )
    f.activity("Otra actividad del programa", working_group=None)
    Evidence.objects.create(
        activity=meeting,
        kind="minutes",
        title="Acta firmada",
        file="evidence/acta.pdf",
        content_type="application/pdf",
        size=10,
    )
    page = client_for("enlace.policia").get(group.get_absolute_url())
    assert [m.representative for m in page.context["members"]] == ["Cap. Juan Pérez", "Ing. Ana Ruiz"]
    assert [m.title for m in page.context["meetings"]] == ["Primera reunión de la mesa"]
    body = page.content.decode()
    assert "Coordinador" in body and "Se acordó el calendario de charlas." in body and "Acta firmada" in body
    assert reverse("activities:working_group_member_add", args=[group.pk]) not in body  # liaisons only read


def test_group_is_created_and_members_added_edited_and_removed_with_an_audit_trail(client_for, users):
    c = client_for("tecnico")
    prog = f.programme()
    response = c.post(
        reverse("activities:working_group_create"),
        {"programme": prog.pk, "name": "Mesa de seguridad escolar", "formed_on": "2026-02-01"},
    )
    group = WorkingGroup.objects.get(name="Mesa de seguridad escolar")
    assert response["Location"] == group.get_absolute_url()
    police = f.institution("Policía Nacional")
    add = reverse("activities:working_group_member_add", args=[group.pk])
    assert c.post(add, {"institution": police.pk, "representative": "Cap. Pérez", "role": "Vocal"}).status_code == 302
    response = c.post(add, {"institution": police.pk, "representative": "Otro"})
    assert response.context["form"].errors["institution"] == ["Esta institución ya es miembro del grupo."]
    assert 'value="Otro"' in response.content.decode()
    member = WorkingGroupMember.objects.get(group=group)
    c.post(
        reverse("activities:working_group_member_edit", args=[member.pk]),
        {"institution": police.pk, "representative": "Mayor Pérez", "role": "Coordinador"},
    )
    member.refresh_from_db()
    assert (member.representative, member.role) == ("Mayor Pérez", "Coordinador")
    assert c.get(reverse("activities:working_group_member_remove", args=[member.pk])).status_code == 405  # only by POST
    assert c.post(reverse("activities:working_group_member_remove", args=[member.pk])).status_code == 302
    assert not WorkingGroupMember.objects.filter(group=group).exists()
    actions = [
        e.action
        for e in LogEntry.objects.filter(object_pk=str(member.pk), content_type__model="workinggroupmember").order_by(
            "timestamp"
        )
    ]
    assert actions == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE]
    assert LogEntry.objects.get_for_object(group).get().actor == users["tecnico"]


def test_a_meeting_is_recorded_with_its_minutes_and_signed_minutes_file(client_for, group, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    c = client_for("tecnico")
    url = reverse("activities:meeting_create", args=[group.pk])
    year = f.YEAR
    data = {
        "title": "Segunda reunión",
        "starts_at": f"{year}-04-02T09:00",
        "ends_at": f"{year}-04-02T08:00",
        "status": "done",
        "description": "Acuerdos: 1. ...",
    }
    response = c.post(url, data)
    assert response.status_code == 200 and "ends_at" in response.context["form"].errors  # ends before it starts
    data["ends_at"] = f"{year}-04-02T11:00"
    data["minutes_file"] = SimpleUploadedFile("acta.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = c.post(url, data)
    assert "No se aceptan archivos de este tipo" in response.context["form"].errors["minutes_file"][0]
    data["minutes_file"] = SimpleUploadedFile("acta.pdf", PDF, content_type="application/pdf")
    data["minutes_title"] = "Acta 2 firmada"
    response = c.post(url, data)
    assert response.status_code == 302
    meeting = Activity.objects.get(title="Segunda reunión")
    assert (meeting.kind, meeting.working_group, meeting.programme, meeting.description) == (
        "meeting",
        group,
        group.programme,
        "Acuerdos: 1. ...",
    )
    assert meeting.evidence.get().kind == "minutes" and meeting.evidence.get().title == "Acta 2 firmada"
    response = c.post(
        reverse("activities:meeting_edit", args=[meeting.pk]),
        {
            **{k: v for k, v in data.items() if k != "minutes_file"},
            "starts_at": f"{year + 1}-04-02T09:00",
            "ends_at": "",
        },
    )
    assert response.status_code == 200 and "starts_at" in response.context["form"].errors  # outside the plan's year


def test_parish_presidents_see_and_run_only_their_parishs_groups(client_for, group, parish_group):
    c = client_for("presidente.valle")
    page = c.get(reverse("activities:working_group_list"))
    assert [g.name for g in page.context["page"].object_list] == ["Mesa de El Valle"]
    assert c.get(group.get_absolute_url()).status_code == 404
    assert c.get(parish_group.get_absolute_url()).status_code == 200
    assert client_for("presidente.sagrario").get(parish_group.get_absolute_url()).status_code == 404
    response = c.post(
        reverse("activities:meeting_create", args=[parish_group.pk]),
        {"title": "Reunión en El Valle", "starts_at": f"{f.YEAR}-05-05T18:00", "status": "planned"},
    )
    assert response.status_code == 302
    meeting = Activity.objects.get(title="Reunión en El Valle")
    assert meeting.parish.code == "110104" and meeting.working_group == parish_group
    # they may not put a group under a programme of the cantonal plan
    response = c.post(reverse("activities:working_group_create"), {"programme": group.programme.pk, "name": "Intrusa"})
    assert response.status_code == 200 and "programme" in response.context["form"].errors
