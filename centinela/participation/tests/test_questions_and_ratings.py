"""The feedback loop's other half: staff ask the reporter a question (a public update, e-mailed), the reporter
answers it on the tracking page and staff read the answer as such; once the report is closed the reporter rates the
resolution (1 to 5, with a comment), which staff see on the report. Bad input: a clear Spanish message, nothing
changed."""

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from centinela.participation import selectors, services
from centinela.participation.models import Report, ReportUpdate


def test_staff_ask_the_reporter_answers_and_staff_read_the_answer(
    client, client_for, report, users, django_capture_on_commit_callbacks
):
    staff = client_for("tecnico")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            f"/participa/reportes/{report.pk}/actualizar/",
            {
                "status": "in_review",
                "visibility": "question",
                "text": "¿Desde qué hora está apagado?",
            },
        )
    assert response.status_code == 302, re.findall(r"errorlist.*?</ul>", response.content.decode(), re.S)
    asked = ReportUpdate.objects.get(report=report, question=True)
    assert asked.public and selectors.open_question(report) == asked
    assert "¿Desde qué hora está apagado?" in mail.outbox[-1].body

    page = client.get(report.tracking_path()).content.decode()
    assert 'id="open-question"' in page and "El concejo le pregunta" in page and "Su respuesta" in page
    response = client.post(report.tracking_path(), {"info-text": "Desde las 7 de la noche"})
    assert response.status_code == 302
    answer = ReportUpdate.objects.get(report=report, by_reporter=True, text="Desde las 7 de la noche")
    assert answer.answers == asked
    assert selectors.open_question(report) is None
    page = client.get(report.tracking_path()).content.decode()
    assert 'id="open-question"' not in page and "Su respuesta:" in page

    detail = staff.get(f"/participa/reportes/{report.pk}/").content.decode()
    assert "pregunta a quien reportó" in detail and "respuesta a la pregunta" in detail
    # information added later is not an answer
    services.add_reporter_information(report, "Hoy tampoco hubo luz")
    assert ReportUpdate.objects.get(text="Hoy tampoco hubo luz").answers is None


def test_a_question_needs_a_text_and_an_open_report(report, users):
    staff = users["tecnico"]
    with pytest.raises(ValidationError) as exc:
        services.post_update(staff, report, status=report.status, text="  ", public=True, question=True)
    assert "Escriba la pregunta." in str(exc.value)
    services.post_update(staff, report, status="resolved", text="Se cambió la luminaria", public=True)
    with pytest.raises(ValidationError) as exc:
        services.post_update(staff, report, status="resolved", text="¿Funciona?", public=True, question=True)
    assert "reábralo" in str(exc.value)
    assert not ReportUpdate.objects.filter(question=True).exists()


def test_the_reporter_rates_a_resolved_report_and_staff_see_it(client, client_for, report, users):
    page = client.get(report.tracking_path()).content.decode()
    assert 'id="rating-form"' not in page  # not before it is closed
    response = client.post(report.tracking_path(), {"rating-rating": "5"})
    assert response.status_code == 400 and "cuando el reporte esté cerrado" in response.content.decode()
    assert Report.objects.get(pk=report.pk).rating is None

    services.post_update(users["tecnico"], report, status="resolved", text="Se cambió la luminaria", public=True)
    page = client.get(report.tracking_path()).content.decode()
    assert 'id="rating-form"' in page and "¿Cómo se atendió su reporte?" in page and "5 · Muy buena" in page
    response = client.post(report.tracking_path(), {"rating-rating": "4", "rating-comment": "Tardaron, pero bien"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.rating, report.rating_comment) == (4, "Tardaron, pero bien") and report.rated_at
    assert "Usted la calificó con 4 de 5" in client.get(report.tracking_path()).content.decode()
    detail = client_for("tecnico").get(f"/participa/reportes/{report.pk}/").content.decode()
    assert 'id="report-rating"' in detail and "4/5" in detail and "Tardaron, pero bien" in detail


@pytest.mark.parametrize(
    "data, message",
    [
        ({"rating-rating": "9"}, "Elija una calificación del 1 al 5."),
        ({"rating-rating": ""}, "Elija una calificación del 1 al 5."),
        ({"rating-rating": "3", "rating-comment": "x" * 501}, "menos de 500 caracteres"),
    ],
)
def test_bad_ratings_are_refused_in_spanish(client, report, users, data, message):
    services.post_update(users["tecnico"], report, status="resolved", text="Listo", public=True)
    response = client.post(report.tracking_path(), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Report.objects.get(pk=report.pk).rating is None


def test_a_robot_rating_is_dropped(client, report, users):
    services.post_update(users["tecnico"], report, status="resolved", text="Listo", public=True)
    response = client.post(report.tracking_path(), {"rating-rating": "1", "rating-website": "http://spam"})
    assert response.status_code == 400
    assert Report.objects.get(pk=report.pk).rating is None
