"""Erasing a person's data on request: after a confirmation step, the personal fields of the chosen records are
blanked in one transaction, the records and their counts stay (a training's attendance, the report), each erasure is
audited with the request's reference and the old values masked; no reference, a record the search did not find, or
a user account (listed, never erased here) is refused and nothing is erased."""

import json

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from centinela.accounts.audit_display import describe_changes
from centinela.accounts.data_requests import services
from centinela.accounts.data_requests.registry import Query
from centinela.activities.models import Attendance, Person
from centinela.participation.models import CommitteeMember, Report
from centinela.partners.models import ContactPerson

from .data_request_fixtures import *  # noqa: F403
from .data_request_fixtures import ROSA

URL = "/cuenta/datos-personales/"
REFERENCE = "Solicitud 2026-014"


def keys(rosa):
    return [
        f"activities.person:{rosa.person.pk}",
        f"participation.report:{rosa.report.pk}",
        f"participation.committeemember:{rosa.member.pk}",
        f"partners.contactperson:{rosa.contact.pk}",
    ]


def query():
    return Query.parse(**ROSA)


def test_the_page_asks_to_confirm_then_erases_keeping_the_records_and_counts(rosa, client_for, users):
    client = client_for("directora")
    attendance_before = rosa.training.attendances.count()
    trained_before = Attendance.objects.trained().filter(training=rosa.training).count()
    form = {**ROSA, "reference": REFERENCE, "records": keys(rosa)}

    confirm = client.post(URL, {**form, "action": "erase"})
    assert confirm.status_code == 200 and "Quizhpe" in confirm.content.decode()
    assert Person.objects.get(pk=rosa.person.pk).cedula == ROSA["cedula"]  # nothing erased before confirming

    done = client.post(URL, {**form, "action": "confirm"})
    assert done.status_code == 200
    person = Person.objects.get(pk=rosa.person.pk)
    assert (person.first_names, person.last_names, person.cedula, person.phone, person.email) == ("", "", None, "", "")
    assert (person.sex, person.age_band, person.parish_id) == ("F", "30-44", rosa.training.activity.parish_id)
    assert rosa.training.attendances.count() == attendance_before == 2
    assert Attendance.objects.trained().filter(training=rosa.training).count() == trained_before
    report = Report.objects.get(pk=rosa.report.pk)
    assert (report.contact_name, report.contact_phone, report.contact_email, report.contact_consent) == (
        "",
        "",
        "",
        False,
    )
    assert report.anonymised_at is not None and report.description == "Poste sin luz"
    member = CommitteeMember.objects.get(pk=rosa.member.pk)
    assert (member.name, member.cedula, member.phone, member.email) == ("", "", "", "")
    contact = ContactPerson.objects.get(pk=rosa.contact.pk)
    assert (contact.name, contact.phone, contact.position) == ("", "", "Enlace barrial")
    # the others are untouched, and her account (never erased here) too
    assert Person.objects.get(pk=rosa.other_person.pk).last_names == "Ordóñez"
    assert Report.objects.get(pk=rosa.other_report.pk).contact_email == "luis@example.ec"
    assert CommitteeMember.objects.get(pk=rosa.other_member.pk).name == "Luis Ordóñez"
    rosa.account.refresh_from_db()
    assert rosa.account.cedula == ROSA["cedula"] and rosa.account.email == ROSA["email"]
    # nothing about her is found any more but her account
    again = {g.holder.key: len(g.found) for g in services.selectors.find(users["directora"], query())}
    assert again == {
        "accounts.user": 1,
        "activities.person": 0,
        "participation.report": 0,
        "participation.committeemember": 0,
        "partners.contactperson": 0,
    }


def test_each_erasure_is_audited_with_the_reference_and_masked_values(rosa, users):
    services.erase(users["admin"], query(), keys(rosa), REFERENCE)
    for record in (rosa.person, rosa.report, rosa.member, rosa.contact):
        entries = list(LogEntry.objects.get_for_object(record).filter(additional_data__data_request=REFERENCE))
        assert len(entries) == 1, record
        entry = entries[0]
        assert entry.actor == users["admin"] and entry.changes_dict["data_request"] == ["", REFERENCE]
        text = json.dumps(entry.changes_dict, ensure_ascii=False)
        for held in (ROSA["cedula"], "rosa@example.ec", "Rosa@Example.EC", "0991112233", "099 111 2233", "Quizhpe"):
            assert held not in text, (record, held)
        assert REFERENCE in describe_changes(entry)
    person_changes = LogEntry.objects.get_for_object(rosa.person).latest("pk").changes_dict
    assert set(person_changes) == {"first_names", "last_names", "cedula", "phone", "email", "data_request"}
    assert person_changes["cedula"][0].endswith(ROSA["cedula"][5:]) and person_changes["cedula"][0].startswith("*")


def test_no_reference_no_erasure(rosa, users, client_for):
    with pytest.raises(ValidationError):
        services.erase(users["admin"], query(), keys(rosa), "  ")
    response = client_for("admin").post(URL, {**ROSA, "reference": "", "records": keys(rosa), "action": "confirm"})
    assert response.status_code == 400
    response = client_for("admin").post(URL, {**ROSA, "reference": "", "records": keys(rosa), "action": "erase"})
    assert response.status_code == 400
    assert Person.objects.get(pk=rosa.person.pk).cedula == ROSA["cedula"]
    assert Report.objects.get(pk=rosa.report.pk).contact_email == "ROSA@example.ec"


def test_user_accounts_are_listed_never_erased_and_nothing_else_is_then(rosa, users, client_for):
    account_key = f"accounts.user:{rosa.account.pk}"
    with pytest.raises(ValidationError):
        services.erase(users["admin"], query(), [*keys(rosa), account_key], REFERENCE)
    rosa.account.refresh_from_db()
    assert rosa.account.cedula == ROSA["cedula"]
    assert Person.objects.get(pk=rosa.person.pk).cedula == ROSA["cedula"]  # all or nothing
    page = client_for("admin").post(URL, {**ROSA, "reference": REFERENCE}).content.decode()
    assert "rquizhpe" in page and f'value="{account_key}"' not in page
    assert f'value="activities.person:{rosa.person.pk}"' in page


def test_a_record_the_search_did_not_find_is_not_erased(rosa, users):
    with pytest.raises(ValidationError):
        services.erase(users["admin"], query(), [f"activities.person:{rosa.other_person.pk}"], REFERENCE)
    assert Person.objects.get(pk=rosa.other_person.pk).last_names == "Ordóñez"


def test_only_those_who_see_personal_data_erase(rosa, users):
    from django.core.exceptions import PermissionDenied

    for username in ("tecnico", "presidente.sagrario", "enlace.policia"):
        with pytest.raises(PermissionDenied):
            services.erase(users[username], query(), keys(rosa), REFERENCE)
    assert Person.objects.get(pk=rosa.person.pk).cedula == ROSA["cedula"]
