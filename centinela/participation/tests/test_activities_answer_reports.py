"""An activity of the council answers a report (a training in the barrio that asked for it): staff link it on the
report's page, where the activities of the report's parish are suggested (its barrio's first); the reporter reads a
public update naming the activity and its day; the activity's page lists the reports it answered, each reader seeing
only those they may read."""

from django.core import mail
from django.utils import timezone

from centinela.activities.models import Training
from centinela.activities.tests.factories import activity
from centinela.participation import services
from centinela.participation.models import Report, ReportUpdate
from centinela.participation.selectors import activity_suggestions, public_history

from .conftest import file_report


def answer_url(report):
    return f"/participa/reportes/{report.pk}/actividades/"


def soon(days):
    """A month and day `days` from today (activities are built in the current year)."""
    when = timezone.localdate() + timezone.timedelta(days=days)
    return {"month": when.month, "day": when.day}


def test_the_activities_of_the_parish_are_suggested_the_barrios_first(users, categories, sagrario_point):
    report = file_report(categories["lugar-abandonado"], sagrario_point)
    assert report.barrio is not None
    elsewhere_in_parish = activity(title="Minga en otro barrio", parish_code="110101", **soon(3))
    in_barrio = activity(title="Capacitación en el barrio", kind="training", parish_code="110101", **soon(9))
    in_barrio.barrios.add(report.barrio)
    other_parish = activity(title="Operativo en El Valle", parish_code="110104", **soon(2))
    cancelled = activity(title="Charla cancelada", parish_code="110101", status="cancelled", **soon(4))

    suggested = list(activity_suggestions(users["tecnico"], report))
    assert suggested[:2] == [in_barrio, elsewhere_in_parish]
    assert other_parish not in suggested and cancelled not in suggested


def test_staff_link_an_activity_and_the_reporter_reads_which_one(
    client_for, users, categories, sagrario_point, django_capture_on_commit_callbacks
):
    report = file_report(
        categories["lugar-abandonado"],
        sagrario_point,
        contact=services.Contact(email="vecina@example.ec", consent=True),
    )
    mail.outbox.clear()
    training = activity(title="Capacitación en prevención", kind="training", **soon(5))
    client = client_for("tecnico")
    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="answer-form"' in page and "Capacitación en prevención" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(answer_url(report), {"activity": training.pk})
    assert response.status_code == 302
    assert list(Report.objects.get(pk=report.pk).answered_by.all()) == [training]
    day = timezone.localtime(training.starts_at).strftime("%d/%m/%Y")
    update = ReportUpdate.objects.filter(report=report, public=True).last()
    assert "Capacitación en prevención" in update.text and day in update.text
    assert any("Capacitación en prevención" in h["text"] for h in public_history(report))
    assert len(mail.outbox) == 1 and day in mail.outbox[0].body

    page = client.get(report.get_absolute_url()).content.decode()
    assert 'id="report-activities"' in page and training.get_absolute_url() in page


def test_the_activity_page_lists_the_reports_it_answered(client_for, users, categories, sagrario_point, valle_point):
    mine = file_report(categories["lugar-abandonado"], sagrario_point)
    theirs = file_report(categories["lugar-abandonado"], valle_point)
    op = activity(title="Minga de limpieza", parish_code="110101", **soon(5))
    services.answer_with(users["tecnico"], mine, op)
    services.answer_with(users["tecnico"], theirs, op)

    page = client_for("tecnico").get(op.get_absolute_url()).content.decode()
    assert 'id="answered-reports"' in page and mine.code in page and theirs.code in page
    # the president of El Sagrario reads the activity (their parish) but only their parish's report
    page = client_for("presidente.sagrario").get(op.get_absolute_url()).content.decode()
    assert mine.code in page and theirs.code not in page


def test_the_training_page_lists_the_reports_it_answered(client_for, users, categories, sagrario_point):
    report = file_report(categories["lugar-abandonado"], sagrario_point)
    talk = activity(title="Taller de seguridad barrial", kind="training", **soon(5))
    training = Training.objects.create(activity=talk, topic="Seguridad barrial")
    services.answer_with(users["tecnico"], report, talk)
    page = client_for("directora").get(training.get_absolute_url()).content.decode()
    assert 'id="answered-reports"' in page and report.code in page


def test_an_activity_is_linked_once_and_a_cancelled_one_never(users, categories, sagrario_point, client_for):
    report = file_report(categories["lugar-abandonado"], sagrario_point)
    op = activity(title="Minga", **soon(5))
    services.answer_with(users["tecnico"], report, op)
    response = client_for("tecnico").post(answer_url(report), {"activity": op.pk})
    assert response.status_code == 400  # no longer offered: already linked
    cancelled = activity(title="Charla cancelada", status="cancelled", **soon(6))
    response = client_for("tecnico").post(answer_url(report), {"activity": cancelled.pk})
    assert response.status_code == 400
    assert "Escoja una opción válida" in response.content.decode()
    assert list(report.answered_by.all()) == [op]


def test_bad_activity_input_is_a_spanish_message(client_for, categories, sagrario_point):
    report = file_report(categories["lugar-abandonado"], sagrario_point)
    client = client_for("tecnico")
    for data in ({}, {"activity": "abc"}, {"activity": "999999"}):
        response = client.post(answer_url(report), data)
        assert response.status_code == 400
        body = response.content.decode()
        assert "Este campo es obligatorio" in body or "Escoja una opción válida" in body
    assert not report.answered_by.exists()
    assert not ReportUpdate.objects.filter(report=report, public=True, author__isnull=False).exists()


def test_a_president_of_another_parish_cannot_link(client_for, categories, sagrario_point):
    report = file_report(categories["lugar-abandonado"], sagrario_point)
    op = activity(title="Minga", **soon(5))
    response = client_for("presidente.valle").post(answer_url(report), {"activity": op.pk})
    assert response.status_code == 404
    assert not report.answered_by.exists()


def test_unlinking_leaves_an_internal_note(client_for, users, categories, sagrario_point):
    report = file_report(categories["lugar-abandonado"], sagrario_point)
    op = activity(title="Minga", **soon(5))
    services.answer_with(users["tecnico"], report, op)
    response = client_for("tecnico").post(f"/participa/reportes/{report.pk}/actividades/{op.pk}/quitar/")
    assert response.status_code == 302
    assert not report.answered_by.exists()
    assert ReportUpdate.objects.filter(report=report, public=False, text__contains="Minga").exists()


def test_a_barrio_less_report_suggests_by_parish_and_date(users, categories, sagrario_point):
    report = file_report(categories["otro"], sagrario_point)
    Report.objects.filter(pk=report.pk).update(barrio=None)
    report.refresh_from_db()
    later = activity(title="Más tarde", **soon(20))
    sooner = activity(title="Antes", **soon(2))
    old = activity(title="Hace meses", **soon(-60))
    suggested = list(activity_suggestions(users["tecnico"], report))
    assert suggested == [sooner, later] and old not in suggested
