"""The daily e-mail digest: in Spanish, plain text and HTML, to each user who has not turned it off, only when there
is something to say, once a day, without citizens' contact data (LOPDP); the choice is the user's and audited."""

from collections import Counter
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centinela.jobs import services as jobs
from centinela.notifications import services
from centinela.notifications.models import Preference
from centinela.notifications.sources import SOURCES
from centinela.notifications.tests import test_job_notices  # noqa: F401  (registers its job kind)
from centinela.notifications.tests.conftest import TODAY, citizen_report, resolution, ticket

pytestmark = pytest.mark.django_db
BASE = "https://centinela.example.org"


@pytest.fixture
def emails(users):
    for user in users.values():
        user.email = f"{user.username}@ccsc.example.ec"
        user.save()
    return users


def _digest_to(username):
    found = [m for m in mail.outbox if m.to == [f"{username}@ccsc.example.ec"]]
    assert len(found) == 1, [m.to for m in mail.outbox]
    return found[0]


def test_the_digest_lists_overdue_and_assigned_items_in_spanish_text_and_html(emails):
    late = resolution(emails["tecnico"], due_in_days=-2)
    made = ticket(emails["tecnico"], emails["tecnico"])
    report = citizen_report(emails["tecnico"], emails["tecnico"], days_ago=20)
    assert services.send_digests(TODAY, base_url=BASE) == ["tecnico"]
    message = _digest_to("tecnico")
    assert message.subject == f"Centinela: 3 avisos del {TODAY:%d/%m/%Y}"
    text = message.body
    assert text.startswith("Hola") and "Vencidos" in text and "Asignado a usted" in text
    assert text.index(BASE + late.get_absolute_url()) < text.index("Asignado a usted")
    assert BASE + report.get_absolute_url() in text.split("Asignado a usted")[0]  # overdue
    assert BASE + made.get_absolute_url() in text.split("Asignado a usted")[1]
    assert BASE + reverse("notifications:inbox") in text
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and f'href="{BASE}{made.get_absolute_url()}"' in html
    for personal in ("Rosa Quizhpe", "0991112233", "rosa@example.ec"):  # the reporter's contact (LOPDP)
        assert personal not in text and personal not in html


def test_a_job_that_ended_is_in_its_askers_digest(emails):
    job = jobs.submit(emails["directora"], "test.notices", {"fail": True})
    jobs.run_pending()
    assert services.send_digests(TODAY, base_url=BASE) == ["directora"]
    assert BASE + reverse("jobs:job_detail", args=[job.pk]) in _digest_to("directora").body


def test_nothing_to_say_sends_nothing(emails):
    resolution(emails["tecnico"], number="R-9").delete()
    assert services.send_digests(TODAY, base_url=BASE) == [] and mail.outbox == []


def test_never_two_digests_on_one_day_and_again_the_next(emails):
    resolution(emails["tecnico"], due_in_days=-2)
    assert services.send_digests(TODAY) == ["tecnico"]
    assert services.send_digests(TODAY) == []
    assert services.send_digests(TODAY + timedelta(days=1)) == ["tecnico"]
    assert len(mail.outbox) == 2


def test_a_user_who_turned_it_off_gets_none_and_the_change_is_audited(emails, client_for):
    resolution(emails["tecnico"], due_in_days=-2)
    client = client_for("tecnico")
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert 'name="daily_digest" id="id_daily_digest" checked' in page  # on by default
    assert client.post(reverse("notifications:preferences"), {}).status_code == 302
    preference = Preference.objects.get(user=emails["tecnico"])
    assert preference.daily_digest is False
    entry = LogEntry.objects.get_for_object(preference).order_by("-timestamp").first()
    assert entry.actor == emails["tecnico"] and entry.changes_dict["daily_digest"] == ["True", "False"]
    assert services.send_digests(TODAY) == [] and mail.outbox == []
    assert 'id="id_daily_digest" checked' not in client.get(reverse("notifications:inbox")).content.decode()
    client.post(reverse("notifications:preferences"), {"daily_digest": "on"})
    assert services.send_digests(TODAY) == ["tecnico"]


def test_the_command_sends_todays_digests_once(emails):
    from io import StringIO

    resolution(emails["tecnico"], due_in_days=-2)
    out = StringIO()
    call_command("send_digests", "--once", "--base-url", BASE, stdout=out)
    assert out.getvalue().strip() == "1 digest(s) sent: tecnico"
    call_command("send_digests", "--once", stdout=out)
    assert len(mail.outbox) == 1


def test_no_digest_to_an_account_without_an_address_or_inactive(emails):
    resolution(emails["tecnico"], due_in_days=-2, number="R-1")
    resolution(emails["directora"], due_in_days=-2, number="R-2")
    emails["tecnico"].email = ""
    emails["tecnico"].save()
    emails["directora"].is_active = False
    emails["directora"].save()
    assert services.send_digests(TODAY) == [] and mail.outbox == []


def test_a_day_with_nothing_to_say_is_done_the_rest_comes_the_next_morning(emails):
    """The digest loop runs every few minutes after its hour: a user with nothing to say was worked out again on
    every run, all day, and got a "morning" digest at 15:00 for what was assigned at 15:00."""
    assert services.send_digests(TODAY) == []
    assert Preference.objects.get(user=emails["tecnico"]).last_digest_on == TODAY
    resolution(emails["tecnico"], due_in_days=-2)  # assigned later that day
    assert services.send_digests(TODAY) == [] and mail.outbox == []
    assert services.send_digests(TODAY + timedelta(days=1)) == ["tecnico"]


def test_each_user_gets_the_digest_in_their_own_language_chosen_on_my_notices(emails, client_for):
    resolution(emails["tecnico"], due_in_days=-2, number="R-1")
    resolution(emails["directora"], due_in_days=-2, number="R-2")
    client = client_for("tecnico")
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert 'name="language"' in page and "Idioma de los correos" in page
    assert (
        client.post(reverse("notifications:preferences"), {"daily_digest": "on", "language": "en"}).status_code == 302
    )
    emails["tecnico"].refresh_from_db()
    assert emails["tecnico"].language == "en"
    entry = LogEntry.objects.get_for_object(emails["tecnico"]).order_by("-pk").first()
    assert entry.actor == emails["tecnico"] and entry.changes_dict["language"] == ["", "en"]
    assert sorted(services.send_digests(TODAY)) == ["directora", "tecnico"]
    english, spanish = _digest_to("tecnico"), _digest_to("directora")
    assert english.subject == f"Centinela: 1 notice for {TODAY:%d/%m/%Y}"
    assert english.body.startswith("Hello") and "Overdue items" in english.body and "Resolution R-1" in english.body
    assert '<html lang="en">' in english.alternatives[0][0]
    assert spanish.subject == f"Centinela: 1 aviso del {TODAY:%d/%m/%Y}"
    assert spanish.body.startswith("Hola") and "Resolución R-2" in spanish.body
    assert '<html lang="es-ec">' in spanish.alternatives[0][0]


def test_a_jobs_notice_is_in_one_digest_only(emails):
    job = jobs.submit(emails["directora"], "test.notices", {})
    jobs.run_pending()
    resolution(emails["directora"], due_in_days=-2)  # something to say on the second day too
    link = BASE + reverse("jobs:job_detail", args=[job.pk])
    assert services.send_digests(TODAY, base_url=BASE) == ["directora"]
    assert link in mail.outbox[0].body and "Prueba de avisos terminó" in mail.outbox[0].body
    assert services.send_digests(TODAY + timedelta(days=1), base_url=BASE) == ["directora"]
    assert link not in mail.outbox[1].body and len(mail.outbox) == 2


def test_each_source_is_read_once_per_user_to_tell_and_to_list(emails):
    """Whether there is anything new to tell and what the digest lists come from one read of the sources: the
    digest read every source twice for each recipient (once to write the notices, once to say them)."""
    resolution(emails["tecnico"], due_in_days=-2)
    ticket(emails["tecnico"], emails["tecnico"])
    citizen_report(emails["tecnico"], emails["tecnico"], days_ago=20)
    tables = {s.model._meta.db_table for s in SOURCES.values() if s.model is not None and s.assignee_fields}
    with CaptureQueriesContext(connection) as queries:
        assert services.send_digest(emails["tecnico"], TODAY, base_url=BASE) is True
    reads = Counter(
        table
        for query in queries.captured_queries
        if query["sql"].lstrip().upper().startswith("SELECT")
        for table in tables
        if f'FROM "{table}"' in query["sql"]
    )
    assert reads == dict.fromkeys(tables, 1), reads
    assert "Resolución R-1" in _digest_to("tecnico").body
