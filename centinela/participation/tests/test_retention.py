"""Retention (LOPDP): manage.py anonymise_reports erases the reporter's contact data from reports closed more than
PARTICIPATION_RETENTION_MONTHS months ago, keeps the report for the statistics, records the erasure in the audit log
with the values masked, and leaves open reports and recently closed ones alone."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.utils import timezone

from centinela.participation import services
from centinela.participation.models import Report, ReportUpdate

from .conftest import file_report

CONTACT = services.Contact(name="Rosa Quizhpe", phone="0991112233", email="rosa@example.ec", consent=True)


def closed_days_ago(report, days, users):
    services.post_update(users["tecnico"], report, status="resolved", text="Listo", public=True)
    ReportUpdate.objects.filter(report=report, status_to="resolved").update(
        created_at=timezone.now() - timedelta(days=days)
    )


@pytest.fixture
def reports(categories, sagrario_point, users):
    old = file_report(categories["alumbrado-deficiente"], sagrario_point, contact=CONTACT)
    recent = file_report(categories["alumbrado-deficiente"], sagrario_point, contact=CONTACT)
    still_open = file_report(categories["alumbrado-deficiente"], sagrario_point, contact=CONTACT)
    anonymous = file_report(categories["otro"], sagrario_point)
    closed_days_ago(old, 800, users)
    closed_days_ago(recent, 300, users)
    closed_days_ago(anonymous, 800, users)
    Report.objects.filter(pk=still_open.pk).update(created_at=timezone.now() - timedelta(days=900))
    return {"old": old, "recent": recent, "open": still_open, "anonymous": anonymous}


def test_the_command_erases_only_old_closed_reports_contacts_and_audits_it(settings, reports):
    settings.PARTICIPATION_RETENTION_MONTHS = 24
    out = StringIO()
    call_command("anonymise_reports", "--dry-run", stdout=out)
    assert reports["old"].code in out.getvalue() and "would erase" in out.getvalue()
    assert Report.objects.get(pk=reports["old"].pk).contact_email == "rosa@example.ec"  # dry run changes nothing

    out = StringIO()
    call_command("anonymise_reports", stdout=out)
    assert f"erased the contact data of 1 report(s): {reports['old'].code}" in out.getvalue()
    old = Report.objects.get(pk=reports["old"].pk)
    assert (old.contact_name, old.contact_phone, old.contact_email, old.contact_consent) == ("", "", "", False)
    assert old.anonymised_at is not None and old.status == "resolved" and old.description
    for key in ("recent", "open"):
        assert Report.objects.get(pk=reports[key].pk).contact_email == "rosa@example.ec"
    entry = LogEntry.objects.get_for_object(old).order_by("-timestamp").first()
    assert "contact_email" in entry.changes_dict
    assert "rosa@example.ec" not in str(entry.changes_dict)  # masked in the audit log
    # run again: nothing left to do
    out = StringIO()
    call_command("anonymise_reports", stdout=out)
    assert "of 0 report(s)" in out.getvalue()


def test_a_shorter_period_reaches_the_recent_ones_too(reports):
    out = StringIO()
    call_command("anonymise_reports", "--months", "6", stdout=out)
    assert Report.objects.get(pk=reports["recent"].pk).contact_email == ""
    assert Report.objects.get(pk=reports["open"].pk).contact_email == "rosa@example.ec"


def test_a_period_under_a_month_is_refused(reports):
    with pytest.raises(CommandError, match="al menos un mes"):
        call_command("anonymise_reports", "--months", "0")
    assert Report.objects.filter(anonymised_at__isnull=False).count() == 0


@pytest.mark.parametrize(
    "moment, months, expected",
    [
        (datetime(2022, 3, 31, 10, 0), 1, datetime(2022, 2, 28, 10, 0)),
        (datetime(2024, 3, 31, 10, 0), 1, datetime(2024, 2, 29, 10, 0)),
        (datetime(2022, 1, 15, 8, 30), 24, datetime(2020, 1, 15, 8, 30)),
        (datetime(2022, 1, 15, 8, 30), 13, datetime(2020, 12, 15, 8, 30)),
    ],
)
def test_months_are_calendar_months(moment, months, expected):
    aware = timezone.make_aware(moment)
    assert services.months_before(aware, months).replace(tzinfo=None) == expected
