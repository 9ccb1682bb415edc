"""A committee's page puts on one page its barrio, members, meetings with attendance counts, agreements with their
status and follow-up (overdue ones marked), and what happens in its barrio: the residents' reports and the council's
activities there; the list and the agreements board export what they show."""

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from centinela.participation.committees import services
from centinela.participation.committees.models import CommitteeAgreement
from centinela.participation.tests.conftest import file_report

LIST = "/participa/comites/"
BOARD = "/participa/comites/acuerdos/"


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.getvalue()


def _xlsx_rows(response):
    book = load_workbook(io.BytesIO(_body(response)), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.fixture
def meeting(committees, users):
    committee = committees["sagrario"]
    members = list(committee.members.order_by("name"))
    from centinela.participation.committees.models import CommitteeMeeting

    return services.save_meeting(
        users["tecnico"],
        CommitteeMeeting(committee=committee, held_on=date(2020, 3, 7), place="Casa comunal", guests=4),
        present=members[:2],
        agreements=[
            services.AgreementDraft("Pedir luminarias a la EERSSA", "Rosa", date(2020, 4, 1)),
            services.AgreementDraft("Minga de limpieza del parque", "Luis", timezone.localdate() + timedelta(days=30)),
        ],
    )


def test_the_page_shows_members_meetings_attendance_and_overdue_agreements(client_for, committees, meeting):
    page = client_for("tecnico").get(committees["sagrario"].get_absolute_url()).content.decode()
    assert "San Cayetano Bajo" in page and "El Sagrario" in page
    assert "Rosa Jaramillo (sagrario)" in page and "Coordinador" in page
    assert "2 miembros presentes" in page and "4 invitados" in page
    assert "Pedir luminarias a la EERSSA" in page and "Minga de limpieza del parque" in page
    late = meeting.agreements.get(text__startswith="Pedir")
    assert f'id="acuerdo-{late.pk}" class="agreement overdue"' in page
    assert 'id="overdue-count"' in page and "1 acuerdo vencido" in page


def test_the_page_lists_the_barrios_reports_and_the_councils_activities_there(
    client_for, committees, categories, users
):
    from centinela.activities.demo import load_demo_year_2020

    load_demo_year_2020()
    committee = committees["sagrario"]
    barrio = committee.barrio
    inside = file_report(categories["alumbrado-deficiente"], (barrio.centre_lon, barrio.centre_lat))
    assert inside.barrio_id == barrio.pk
    elsewhere = committees["valle"].barrio
    outside = file_report(categories["alumbrado-deficiente"], (elsewhere.centre_lon, elsewhere.centre_lat))
    page = client_for("tecnico").get(committee.get_absolute_url()).content.decode()
    reports = page[page.index('id="barrio-reports"') : page.index('id="barrio-activities"')]
    assert inside.code in reports and outside.code not in reports
    activities = page[page.index('id="barrio-activities"') :]
    # the demo year fumigated San Cayetano Bajo (named barrio) and reactivated its cameras (a place in it)
    assert "Fumigación con amonio cuaternario: barrio San Cayetano Bajo" in activities
    assert "Ciudadela Zamora" not in activities
    # a president reads the same for their own parish
    own = client_for("presidente.sagrario").get(committee.get_absolute_url()).content.decode()
    assert inside.code in own and "Fumigación con amonio cuaternario: barrio San Cayetano Bajo" in own


def test_the_list_filters_and_exports_csv_and_xlsx_with_the_same_rows(client_for, committees, meeting):
    c = client_for("directora")
    page = c.get(LIST).content.decode()
    assert "Comité San Cayetano Bajo" in page and "Comité Ciudadela Zamora" in page
    sagrario = committees["sagrario"].barrio.parish_id
    only = c.get(LIST, {"parish": sagrario}).content.decode()
    assert "Comité San Cayetano Bajo" in only and "Comité Ciudadela Zamora" not in only
    assert "Comité Ciudadela Zamora" in c.get(LIST, {"q": "ciudadela zamora"}).content.decode()
    csv = _body(c.get(LIST, {"export": "csv"})).decode("utf-8-sig")
    header = csv.splitlines()[0]
    # the headers in Spanish (issue 13 item 1)
    assert header.startswith("Comité,Parroquia,Barrio,Fundado el,Activo,Miembros,Reuniones,Última reunión")
    assert "Comité San Cayetano Bajo,El Sagrario,San Cayetano Bajo" in csv
    rows = _xlsx_rows(c.get(LIST, {"export": "xlsx", "parish": sagrario}))
    assert rows[0][0] == "Comité" and len(rows) == 2
    assert rows[1][:3] == ["Comité San Cayetano Bajo", "El Sagrario", "San Cayetano Bajo"]
    assert rows[1][5:10] == [3, 1, datetime(2020, 3, 7), 2, 1]  # members, meetings, last, open, overdue
    assert "1103756134" not in csv  # no member's personal data in the list


def test_the_agreements_board_filters_overdue_ones_and_exports_them(client_for, committees, meeting):
    c = client_for("tecnico")
    overdue = _body(c.get(BOARD, {"overdue": "true", "export": "csv"})).decode("utf-8-sig")
    assert "Pedir luminarias a la EERSSA" in overdue and "Minga de limpieza" not in overdue
    rows = _xlsx_rows(c.get(BOARD, {"export": "xlsx"}))
    assert rows[0][:3] == ["Acuerdo", "Comité", "Parroquia"] and len(rows) == 3
    page = c.get(BOARD, {"status": CommitteeAgreement.Status.PENDING}).content.decode()
    assert "Pedir luminarias" in page and "vencido" in page


def test_a_follow_up_changes_the_status_and_is_shown_with_its_author(client_for, committees, meeting):
    agreement = meeting.agreements.get(text__startswith="Pedir")
    c = client_for("presidente.sagrario")
    url = f"/participa/comites/acuerdos/{agreement.pk}/seguimiento/"
    assert c.get(url).status_code == 200
    response = c.post(url, {"on": "2020-04-10", "status": "done", "note": "Luminarias repuestas"})
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "done" and not agreement.is_overdue()
    entry = agreement.follow_ups.get()
    assert (entry.status_from, entry.status_to, entry.author.username) == ("pending", "done", "presidente.sagrario")
    page = c.get(committees["sagrario"].get_absolute_url()).content.decode()
    assert "Luminarias repuestas" in page and "Cumplido" in page


def test_every_change_is_in_the_audit_trail_with_personal_data_masked(committees, meeting, users):
    from auditlog.models import LogEntry

    member = committees["sagrario"].members.get(name__startswith="Rosa")
    entries = LogEntry.objects.get_for_object(member)
    assert entries.filter(action=LogEntry.Action.CREATE).exists()
    assert "1103756134" not in str(entries.first().changes)
    assert LogEntry.objects.get_for_object(meeting).filter(action=LogEntry.Action.CREATE).exists()
    assert LogEntry.objects.get_for_object(meeting).filter(changes__icontains="present").exists()
    agreement = meeting.agreements.first()
    services.follow_up(users["tecnico"], agreement, on=date(2020, 3, 20), note="En curso", status="in_progress")
    assert LogEntry.objects.get_for_object(agreement).filter(action=LogEntry.Action.UPDATE).exists()
    assert LogEntry.objects.filter(object_repr__contains="En curso").exists()


_ = UTC


def test_a_report_in_the_barrio_links_to_its_committee_for_those_who_may_read_it(
    client_for, committees, categories, users
):
    from centinela.participation import services as report_services
    from centinela.partners.models import Institution

    barrio = committees["sagrario"].barrio
    report = file_report(categories["alumbrado-deficiente"], (barrio.centre_lon, barrio.centre_lat))
    page = client_for("presidente.sagrario").get(report.get_absolute_url()).content.decode()
    assert 'id="report-committees"' in page and committees["sagrario"].get_absolute_url() in page
    police = Institution.objects.create(name="Policía Nacional", kind=Institution.Kind.PUBLIC)
    users["enlace.policia"].institution = police
    users["enlace.policia"].save()
    report_services.assign(users["admin"], report, institution=police, person=None)
    liaison = client_for("enlace.policia").get(report.get_absolute_url())
    assert liaison.status_code == 200 and 'id="report-committees"' not in liaison.content.decode()
