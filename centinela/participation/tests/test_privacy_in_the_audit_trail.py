"""Privacy in the audit trail and in moderation (issue 12, item 8). The reporter's contact is masked in full in the
audit trail (django-auditlog's default kept half: `*****12233`); the retention command also masks the contact values
that earlier entries of the reports it anonymises still hold; text the reporter adds later (information, answers to
a question) is checked for a cédula or a phone number and sends the report to moderation like the first text; each
moderation act (publish, reject, merge, hide) is in the trail with the member of staff who did it."""

from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command

from centinela.participation import services
from centinela.participation.models import Report

from .conftest import file_report
from .test_retention import closed_days_ago

SECRETS = ("Rosa", "Quizhpe", "0991112233", "12233", "rosa@", "example.ec")


def trail_of(report) -> str:
    return " ".join(str(e.changes) + e.changes_text for e in LogEntry.objects.get_for_object(report))


def test_the_contact_is_masked_in_full_in_the_audit_trail(report):
    created = LogEntry.objects.get_for_object(report).get(action=LogEntry.Action.CREATE)
    assert created.changes["contact_phone"][1] == "*****"
    assert created.changes["contact_email"][1] == "*****"
    text = trail_of(report)
    assert not any(secret in text for secret in SECRETS), text


def test_the_retention_command_masks_the_contact_in_the_reports_earlier_entries(settings, report, users):
    # entries written before the masking was full (the library's default kept the second half of each value)
    created = LogEntry.objects.get_for_object(report).get(action=LogEntry.Action.CREATE)
    created.changes = {
        **created.changes,
        "contact_name": ["None", "******uizhpe"],
        "contact_phone": ["None", "*****12233"],
        "contact_email": ["None", "********example.ec"],
    }
    created.save()
    other = file_report(
        report.category, (report.lon, report.lat), contact=services.Contact(phone="0987654321", consent=True)
    )
    LogEntry.objects.filter(pk=LogEntry.objects.get_for_object(other).get().pk).update(
        changes={"contact_phone": ["None", "*****54321"]}
    )
    closed_days_ago(report, 800, users)
    settings.PARTICIPATION_RETENTION_MONTHS = 24
    call_command("anonymise_reports", stdout=StringIO())
    assert Report.objects.get(pk=report.pk).contact_phone == ""
    text = trail_of(report)
    assert not any(secret in text for secret in SECRETS), text
    assert "contact_phone" in text  # the trail still says a contact was there, and was erased
    assert "54321" in trail_of(other)  # an open report is not the command's to touch


@pytest.mark.parametrize("text", ["Mi celular es 0991234567, llámenme", "Mi cédula es 1710034065"])
def test_information_the_reporter_adds_later_with_a_phone_or_a_cedula_goes_to_moderation(client, report, text):
    assert not report.flagged
    response = client.post(report.tracking_path(), {"info-text": text})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.flagged
    assert LogEntry.objects.get_for_object(report).filter(changes__has_key="flagged").exists()


def test_an_answer_to_a_question_with_a_phone_goes_to_moderation(report, users):
    services.post_update(
        users["tecnico"], report, status="in_review", text="¿Dónde exactamente?", public=True, question=True
    )
    update = services.add_reporter_information(report, "Frente a mi casa, llame al 072 571 234")
    assert update.answers is not None
    report.refresh_from_db()
    assert report.flagged


def test_plain_information_does_not_flag_the_report(report):
    services.add_reporter_information(report, "Hoy tampoco hubo luz desde las 19:30 del 12/03/2020")
    report.refresh_from_db()
    assert not report.flagged


def test_each_moderation_act_is_in_the_trail_with_its_actor(client_for, report, categories, sagrario_point, users):
    staff, tecnico = client_for("tecnico"), users["tecnico"]
    base = f"/participa/reportes/{report.pk}/"

    def last_change(field, obj=report):
        entry = LogEntry.objects.get_for_object(obj).filter(changes__has_key=field).order_by("-timestamp").first()
        assert entry is not None, field
        return entry

    # publish
    assert staff.post(base + "publicar/", {"published": "on"}).status_code == 302
    entry = last_change("published")
    assert entry.actor == tecnico and entry.changes["published"] == ["False", "True"]
    # hide: the personal data in the public text edited out, and the report off the public map
    assert staff.post(base + "texto-publico/", {"public_text": "Poste sin luz en la esquina"}).status_code == 302
    assert last_change("public_text").actor == tecnico
    assert staff.post(base + "publicar/", {}).status_code == 302
    entry = last_change("published")
    assert entry.actor == tecnico and entry.changes["published"] == ["True", "False"]
    # reject (no procede) with its reason
    spam = file_report(categories["otro"], sagrario_point, description="Compre seguidores baratos aquí")
    response = staff.post(
        f"/participa/reportes/{spam.pk}/actualizar/",
        {"status": "not_applicable", "visibility": "public", "text": "No es un problema de seguridad: publicidad."},
    )
    assert response.status_code == 302
    entry = last_change("status", spam)
    assert entry.actor == tecnico and entry.changes["status"][1] == "not_applicable"
    reason = spam.updates.get(status_to="not_applicable")
    assert LogEntry.objects.get_for_object(reason).get(action=LogEntry.Action.CREATE).actor == tecnico
    # merge
    twin = file_report(report.category, sagrario_point, description="El mismo poste sin luz")
    response = staff.post(f"/participa/reportes/{twin.pk}/fusionar/", {"keep": report.pk})
    assert response.status_code == 302
    entry = last_change("duplicate_of", twin)
    assert entry.actor == tecnico and entry.changes["status"][1] == "duplicate"
