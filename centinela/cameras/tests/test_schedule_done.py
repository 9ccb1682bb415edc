"""Preventive maintenance can be done: "Marcar como realizado" records the day and a note (a resolved preventive
ticket, audited), moves the next due date on by the schedule's interval from that day, and the list shows the
last visit, the next due date and how late an overdue task is."""

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from centinela.cameras import services
from centinela.cameras.models import Device, Lifecycle, MaintenanceSchedule, MaintenanceTicket, Site, System
from centinela.territory.models import Parish

URL = "/camaras/mantenimiento/preventivo/"


@pytest.fixture
def schedule(db):
    parish = Parish.objects.get(code="110101")
    site = Site.objects.create(name="Centro de Abasto Gran Colombia", lon=-79.2, lat=-3.99, parish=parish)
    system = System.objects.create(site=site, name="DVR Mercado")
    cam = Device.objects.create(system=system, code="GC-1", name="Entrada", lifecycle=Lifecycle.OPERATIONAL)
    return MaintenanceSchedule.objects.create(
        device=cam, task="Limpieza del domo", every_days=90, next_due=timezone.localdate() - timedelta(days=20)
    )


def _done_url(schedule):
    return f"{URL}{schedule.pk}/realizado/"


def test_the_list_shows_an_overdue_task_and_offers_to_mark_it_done(schedule, client_for):
    page = client_for("tecnico").get(URL)
    assert page.status_code == 200
    assert [s.pk for s in page.context["overdue"]] == [schedule.pk]
    html = page.content.decode()
    assert "vencida hace 20 días" in html and "nunca registrada" in html
    assert "Marcar como realizado" in html and _done_url(schedule) in html


def test_marking_done_records_the_visit_and_moves_the_next_due_date(schedule, client_for, users):
    done_on = timezone.localdate() - timedelta(days=2)
    response = client_for("tecnico").post(
        _done_url(schedule), {"done_on": done_on.isoformat(), "note": "Domo limpio, lente sin rayas"}
    )
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert schedule.next_due == done_on + timedelta(days=90)
    visit = MaintenanceTicket.objects.get(device=schedule.device)
    assert visit.status == MaintenanceTicket.Status.RESOLVED and visit.opened_by == users["tecnico"]
    assert timezone.localdate(visit.resolved_at) == done_on and visit.notes == "Domo limpio, lente sin rayas"
    assert "Limpieza del domo" in visit.description
    # audited, with who did it
    assert LogEntry.objects.get_for_object(visit).filter(actor=users["tecnico"]).exists()
    assert (
        LogEntry.objects.get_for_object(schedule).filter(actor=users["tecnico"], action=LogEntry.Action.UPDATE).exists()
    )
    # the list: no longer overdue, with its last visit
    page = client_for("tecnico").get(URL)
    assert not page.context["overdue"] and [s.pk for s in page.context["later"]] == [schedule.pk]
    row = page.context["later"][0]
    assert row.last_visit == visit and row.days_overdue == 0
    html = page.content.decode()
    assert done_on.strftime("%d/%m/%Y") in html and (done_on + timedelta(days=90)).strftime("%d/%m/%Y") in html
    assert "Domo limpio" in html


def test_a_late_record_of_an_older_visit_does_not_move_the_date_back(schedule, users):
    tech = users["tecnico"]
    today = timezone.localdate()
    services.complete_schedule(tech, schedule, done_on=today)
    services.complete_schedule(tech, schedule, done_on=today - timedelta(days=30), note="registro atrasado")
    schedule.refresh_from_db()
    assert schedule.next_due == today + timedelta(days=90)
    assert services.preventive_visits([schedule])[schedule.pk].notes == ""  # the latest visit is today's
    assert MaintenanceTicket.objects.filter(device=schedule.device).count() == 2


def test_a_future_date_is_refused_and_nothing_is_saved(schedule, client_for):
    before = schedule.next_due
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client_for("tecnico").post(_done_url(schedule), {"done_on": future}, follow=True)
    assert "La fecha de realización no puede ser futura." in response.content.decode()
    schedule.refresh_from_db()
    assert schedule.next_due == before and not MaintenanceTicket.objects.exists()
    client_for("tecnico").post(_done_url(schedule), {"done_on": "no es fecha"})
    schedule.refresh_from_db()
    assert schedule.next_due == before and not MaintenanceTicket.objects.exists()


def test_only_those_who_may_change_the_schedule_mark_it_done(schedule, client_for):
    today = timezone.localdate().isoformat()
    assert client_for("enlace.policia").post(_done_url(schedule), {"done_on": today}).status_code == 403
    assert client_for("presidente.valle").post(_done_url(schedule), {"done_on": today}).status_code == 404
    assert not MaintenanceTicket.objects.exists()
    assert "Marcar como realizado" not in client_for("enlace.policia").get(URL).content.decode()
    assert client_for("tecnico").get(_done_url(schedule)).status_code == 405
    assert client_for("presidente.sagrario").post(_done_url(schedule), {"done_on": today}).status_code == 302
    assert MaintenanceTicket.objects.count() == 1


def test_done_on_is_the_projects_date_picker_shown_and_typed_as_day_month_year(schedule, client_for):
    """ "Hecho el" is the project's date picker (dd/mm/aaaa, with its calendar), not the browser's native date input
    (which shows the date in the browser's own order)."""
    client = client_for("tecnico")
    html = client.get(URL).content.decode()
    today = timezone.localdate()
    row = html[html.index(f'id="schedule-{schedule.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'type="date"' not in row
    assert "data-datepicker" in row and f'value="{today:%d/%m/%Y}"' in row and f'id="done-on-{schedule.pk}"' in row
    done_on = today - timedelta(days=3)
    assert client.post(_done_url(schedule), {"done_on": done_on.strftime("%d/%m/%Y")}).status_code == 302
    schedule.refresh_from_db()
    assert schedule.next_due == done_on + timedelta(days=90)
