"""Staff triage: a status change with a public update, an internal note, an assignment, the public text. Each public
change e-mails a reporter who left an e-mail (after the commit); an internal note's text is never sent; a status a
report cannot reach is refused with a message."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from centinela.participation import services
from centinela.participation.models import Report, ReportUpdate
from centinela.partners.models import Institution

from .conftest import file_report, solved


def test_a_status_change_on_the_page_emails_the_reporter_with_the_private_link(
    client_for, report, django_capture_on_commit_callbacks
):
    c = client_for("tecnico")
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            report.get_absolute_url() + "actualizar/",
            {"status": "in_progress", "visibility": "public", "text": "La empresa eléctrica irá el jueves"},
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.IN_PROGRESS
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["rosa@example.ec"]
    assert report.code in sent.subject and "En proceso" in sent.subject
    assert "La empresa eléctrica irá el jueves" in sent.body
    assert "http://testserver" + report.tracking_path() in sent.body
    assert "911" in sent.body


def test_an_internal_note_is_not_emailed(report, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(users["tecnico"], report, status=report.status, text="NOTA-INTERNA", public=False)
    assert mail.outbox == []


def test_a_status_change_with_an_internal_note_tells_the_status_without_the_note(
    report, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(users["tecnico"], report, status="in_review", text="NOTA-INTERNA", public=False)
    assert len(mail.outbox) == 1 and "NOTA-INTERNA" not in mail.outbox[0].body
    assert "En revisión" in mail.outbox[0].body


def test_an_anonymous_reporter_gets_no_email(categories, sagrario_point, users, django_capture_on_commit_callbacks):
    anonymous = file_report(categories["otro"], sagrario_point)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(users["tecnico"], anonymous, status="resolved", text="Arreglado", public=True)
    assert mail.outbox == []


def test_assigning_moves_the_report_and_tells_the_reporter_the_institution(
    client_for, report, users, django_capture_on_commit_callbacks
):
    company = Institution.objects.create(name="Empresa Eléctrica Regional del Sur", kind="public")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("directora").post(
            report.get_absolute_url() + "asignar/", {"institution": company.pk, "person": users["tecnico"].pk}
        )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == Report.Status.ASSIGNED
    assert (report.assigned_institution, report.assigned_to) == (company, users["tecnico"])
    assert len(mail.outbox) == 1 and "Empresa Eléctrica Regional del Sur" in mail.outbox[0].body
    assert "Técnico" not in mail.outbox[0].body  # the person stays internal


def test_not_applicable_needs_a_public_reason(client_for, report):
    response = client_for("tecnico").post(
        report.get_absolute_url() + "actualizar/", {"status": "not_applicable", "visibility": "public", "text": ""}
    )
    assert response.status_code == 400
    assert "Explique el motivo al ciudadano en una actualización pública" in response.content.decode()
    report.refresh_from_db()
    assert report.status == Report.Status.RECEIVED


def test_a_closed_report_can_only_be_reopened(report, users):
    staff = users["tecnico"]
    services.post_update(staff, report, status="resolved", text="Listo", public=True)
    with pytest.raises(ValidationError) as caught:
        services.post_update(staff, report, status="in_progress", text="", public=True)
    assert "status" in caught.value.message_dict
    services.post_update(staff, report, status="in_review", text="Se reabre", public=True)
    report.refresh_from_db()
    assert report.status == Report.Status.IN_REVIEW


def test_an_update_without_text_or_new_status_is_refused(client_for, report):
    response = client_for("tecnico").post(
        report.get_absolute_url() + "actualizar/", {"status": "received", "visibility": "public", "text": ""}
    )
    assert response.status_code == 400
    assert "Escriba la actualización o elija un nuevo estado" in response.content.decode()
    assert ReportUpdate.objects.filter(report=report, author__isnull=False).count() == 0


def test_moderation_edits_the_public_text_and_keeps_the_reporters_words(client_for, report):
    original = report.description
    response = client_for("tecnico").post(
        report.get_absolute_url() + "texto-publico/", {"public_text": "Poste sin luz en la esquina"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.public_text == "Poste sin luz en la esquina" and report.description == original


def test_each_change_is_in_the_audit_trail(report, users):
    from auditlog.models import LogEntry

    services.edit_public_text(users["tecnico"], report, "Texto moderado")
    entries = LogEntry.objects.get_for_object(report)
    assert entries.filter(action=LogEntry.Action.UPDATE).exists()
    created = entries.get(action=LogEntry.Action.CREATE)
    assert "rosa@example.ec" not in str(created.changes) and "token" not in created.changes


def test_staff_read_internal_notes_on_the_report_page(client_for, report, users):
    services.post_update(users["tecnico"], report, status=report.status, text="NOTA-INTERNA", public=False)
    page = client_for("presidente.sagrario").get(report.get_absolute_url()).content.decode()
    assert "NOTA-INTERNA" in page and "nota interna" in page


def test_a_reporter_with_an_email_gets_the_code_and_private_link_when_filing(
    client, categories, sagrario_point, django_capture_on_commit_callbacks
):
    data = {
        "category": categories["vehiculo-abandonado"].pk,
        "lon": sagrario_point[0],
        "lat": sagrario_point[1],
        "description": "Un carro sin placas lleva un mes en la calle",
        "contact_email": "rosa@example.ec",
        "consent": "on",
        **solved(),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post("/participa/reportar/", data).status_code == 302
    report = Report.objects.get()
    assert len(mail.outbox) == 1
    assert report.code in mail.outbox[0].subject and "Recibido" in mail.outbox[0].subject
    assert "http://testserver" + report.tracking_path() in mail.outbox[0].body


def test_the_report_page_shows_the_categorys_time_limit_and_whether_it_is_overdue(client_for, report):
    from datetime import timedelta

    from django.utils import timezone

    page = client_for("tecnico").get(report.get_absolute_url()).content.decode()
    assert report.due_on.strftime("%d/%m/%Y") in page and "15 días" in page and "vencido" not in page
    Report.objects.filter(pk=report.pk).update(created_at=timezone.now() - timedelta(days=40))
    page = client_for("tecnico").get(report.get_absolute_url()).content.decode()
    assert "vencido" in page


def test_a_liaison_of_another_institution_cannot_be_the_assigned_person(client_for, report, users):
    police = Institution.objects.create(name="Policía Nacional", kind="public")
    firemen = Institution.objects.create(name="Cuerpo de Bomberos de Loja", kind="public")
    liaison = users["enlace.policia"]
    liaison.institution = police
    liaison.save()
    response = client_for("tecnico").post(
        report.get_absolute_url() + "asignar/", {"institution": firemen.pk, "person": liaison.pk}
    )
    assert response.status_code == 400
    assert "no pertenece a Cuerpo de Bomberos de Loja" in response.content.decode()
    report.refresh_from_db()
    assert report.assigned_institution is None and report.status == Report.Status.RECEIVED


def test_an_empty_assignment_is_refused(client_for, report):
    response = client_for("tecnico").post(report.get_absolute_url() + "asignar/", {})
    assert response.status_code == 400
    assert "Elija una institución o una persona" in response.content.decode()
