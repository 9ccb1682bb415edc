import csv
import io
from datetime import datetime, timedelta

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from centinela.activities.models import CouncilSession, Resolution, SessionAttendance
from centinela.partners.tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def aware(d, hour=9):
    return timezone.make_aware(datetime(d.year, d.month, d.day, hour, 0))


@pytest.fixture
def members(db):
    return {
        "police": f.institution("Policía Nacional", council=True),
        "ecu": f.institution("SIS ECU 911", council=True),
        "fire": f.institution("Cuerpo de Bomberos", council=True),
        "bank": f.institution("Banco de Loja", "financial"),  # a partner, not on the council
    }


@pytest.fixture
def session(members):
    return CouncilSession.objects.create(
        number=1, kind="ordinary", held_at=aware(TODAY - timedelta(days=60)), agenda="1. Plan anual\n2. Varios"
    )


@pytest.fixture
def resolutions(session, members, users):
    def make(number, status="pending", due=None, **extra):
        return Resolution.objects.create(
            session=session, number=number, text=f"Resolución {number}", status=status, due_on=due, **extra
        )

    return {
        "overdue": make("R-01", due=TODAY - timedelta(days=10), owner_institution=members["police"]),
        "in_progress": make(
            "R-02",
            "in_progress",
            due=TODAY + timedelta(days=10),
            owner_institution=members["ecu"],
            owner=users["tecnico"],
        ),
        "undated": make("R-03"),
        "done": make("R-04", "done", due=TODAY - timedelta(days=20), done_on=TODAY - timedelta(days=25)),
        "cancelled": make("R-05", "cancelled", due=TODAY - timedelta(days=20)),
    }


def test_session_is_created_and_its_number_is_unique_per_type(client_for, session):
    c = client_for("directora")
    data = {"kind": "ordinary", "number": 1, "held_at": f"{TODAY.isoformat()}T15:00", "agenda": "1. Informe"}
    response = c.post(reverse("activities:session_create"), data)
    assert response.context["form"].errors["number"] == ["Ya hay una sesión de este tipo con ese número."]
    assert "1. Informe" in response.content.decode()
    data["kind"] = "extraordinary"
    response = c.post(reverse("activities:session_create"), data)
    created = CouncilSession.objects.get(kind="extraordinary")
    assert response["Location"] == created.get_absolute_url()
    assert timezone.localtime(created.held_at).hour == 15
    assert LogEntry.objects.get_for_object(created).get().action == LogEntry.Action.CREATE


def test_session_list_filters_and_exports(client_for, session):
    CouncilSession.objects.create(number=1, kind="extraordinary", held_at=aware(TODAY), agenda="Emergencia invernal")
    c = client_for("enlace.ecu911")
    url = reverse("activities:session_list")
    assert [s.kind for s in c.get(url, {"kind": "extraordinary"}).context["page"].object_list] == ["extraordinary"]
    assert [s.kind for s in c.get(url, {"q": "invernal"}).context["page"].object_list] == ["extraordinary"]
    response = c.get(url, {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(
        csv.DictReader(io.StringIO(c.get(url, {"export": "csv", "kind": "ordinary"}).getvalue().decode("utf-8-sig")))
    )
    # the headers and the type in Spanish, as the page shows them (issue 13 item 1)
    assert [(r["Tipo"], r["Número"], r["Orden del día"]) for r in rows] == [
        ("Ordinaria", "1", "1. Plan anual\n2. Varios")
    ]


def test_attendance_lists_council_members_and_records_who_came(client_for, session, members):
    c = client_for("tecnico")
    url = reverse("activities:session_attendance", args=[session.pk])
    page = c.get(url)
    listed = [institution.name for institution, _present, _rep in page.context["form"].lines()]
    assert listed == ["Cuerpo de Bomberos", "Policía Nacional", "SIS ECU 911"]  # council members only
    police, ecu = members["police"].pk, members["ecu"].pk
    response = c.post(
        url, {f"present_{police}": "on", f"representative_{police}": "Cap. Pérez", f"present_{ecu}": "on"}
    )
    assert response["Location"] == session.get_absolute_url()
    seats = {
        a.institution.name: (a.present, a.representative) for a in SessionAttendance.objects.filter(session=session)
    }
    assert seats == {
        "Policía Nacional": (True, "Cap. Pérez"),
        "SIS ECU 911": (True, ""),
        "Cuerpo de Bomberos": (False, ""),
    }
    c.post(url, {f"present_{police}": "on", f"representative_{police}": "Cap. Pérez"})  # ECU 911 left early: corrected
    assert not SessionAttendance.objects.get(session=session, institution=ecu).present
    seat = SessionAttendance.objects.get(session=session, institution=police)
    assert LogEntry.objects.get_for_object(seat).count() == 1  # unchanged seats are not written again
    page = c.get(session.get_absolute_url())
    assert page.context["attendance"][0].institution.name == "Policía Nacional"
    assert "ausente" in page.content.decode()
    assert session.pk == page.context["session"].pk and page.context["session"].present_count == 1


def test_resolution_dates_and_status_are_checked(client_for, session, members):
    c = client_for("tecnico")
    url = reverse("activities:resolution_create", args=[session.pk])
    held = timezone.localtime(session.held_at).date()
    base = {"number": "R-10", "text": "Instalar cámaras en el parque", "owner_institution": members["ecu"].pk}
    errors = lambda data: c.post(url, {**base, **data}).context["form"].errors  # noqa: E731
    assert errors({"due_on": (held - timedelta(days=1)).isoformat(), "status": "pending"})["due_on"] == [
        f"La fecha límite es anterior a la sesión ({held:%d/%m/%Y})."
    ]
    assert errors({"status": "done"})["done_on"] == ["Indique cuándo se cumplió."]
    assert errors({"status": "pending", "done_on": TODAY.isoformat()})["done_on"] == [
        "Solo una resolución realizada tiene fecha de cumplimiento."
    ]
    assert errors({"status": "done", "done_on": (TODAY + timedelta(days=1)).isoformat()})["done_on"] == [
        "La fecha de cumplimiento no puede ser futura."
    ]
    assert errors({"status": "done", "done_on": (held - timedelta(days=1)).isoformat()})["done_on"][0].startswith(
        "La fecha de cumplimiento es anterior"
    )
    assert not Resolution.objects.exists()
    response = c.post(url, {**base, "status": "pending", "due_on": (TODAY + timedelta(days=30)).isoformat()})
    assert response.status_code == 302
    response = c.post(url, {**base, "status": "pending"})
    assert response.context["form"].errors["number"] == ["Esta sesión ya tiene una resolución con ese número."]
    resolution = Resolution.objects.get()
    edit = reverse("activities:resolution_edit", args=[resolution.pk])
    assert (
        c.post(
            edit, {**base, "status": "done", "done_on": TODAY.isoformat(), "follow_up": "Cámaras instaladas"}
        ).status_code
        == 302
    )
    resolution.refresh_from_db()
    assert (resolution.status, resolution.done_on, resolution.follow_up) == ("done", TODAY, "Cámaras instaladas")
    assert LogEntry.objects.get_for_object(resolution).count() == 2


def test_board_lists_open_resolutions_most_urgent_first_and_highlights_overdue(client_for, resolutions):
    page = client_for("directora").get(reverse("activities:resolution_board"))
    assert [r.number for r in page.context["page"].object_list] == ["R-01", "R-02", "R-03"]
    assert page.context["counts"] == {"open": 3, "overdue": 1}
    body = page.content.decode()
    assert body.count('class="badge overdue"') == 2  # the count and R-01's row
    assert "10 días de retraso" in body


def test_board_filters_and_exports(client_for, resolutions, members):
    c = client_for("enlace.policia")
    url = reverse("activities:resolution_board")
    numbers = lambda params: [r.number for r in c.get(url, params).context["page"].object_list]  # noqa: E731
    assert numbers({"owner_institution": members["ecu"].pk}) == ["R-02"]
    assert numbers({"status": "in_progress"}) == ["R-02"]
    assert numbers({"overdue": "true"}) == ["R-01"]
    assert numbers({"overdue": "false"}) == ["R-02", "R-03"]
    rows = list(csv.DictReader(io.StringIO(c.get(url, {"export": "csv"}).getvalue().decode("utf-8-sig"))))
    assert [(r["Número"], r["Estado"], r["Vencida"], r["Institución responsable"]) for r in rows] == [
        ("R-01", "Pendiente", "10", "Policía Nacional"),
        ("R-02", "En curso", "", "SIS ECU 911"),
        ("R-03", "Pendiente", "", ""),
    ]
    assert rows[1]["Persona responsable"] == "Técnico del CCSC"


def test_session_detail_shows_agenda_resolutions_and_overdue(client_for, resolutions, session):
    page = client_for("tecnico").get(session.get_absolute_url())
    body = page.content.decode()
    assert "Plan anual" in body and f'id="resolucion-{resolutions["overdue"].pk}"' in body
    assert [r.number for r in page.context["resolutions"]] == ["R-01", "R-02", "R-03", "R-04", "R-05"]
    assert page.context["resolutions"][0].overdue == "10 días de retraso"
    assert page.context["resolutions"][1].overdue == ""
