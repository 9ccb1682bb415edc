"""A data-protection request finds one person's records in every holder (attendances, report contacts, committee
members, partner contacts, user accounts) by cédula with or without its dash, by e-mail in another case, by phone in
the national and the international form; people who are not her are not found; each search is audited with the
terms masked; only administrators and the director open the page, and only they see its menu link."""

import json

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from centinela.accounts.data_requests import selectors
from centinela.accounts.data_requests.registry import Query

from .data_request_fixtures import *  # noqa: F403
from .data_request_fixtures import ROSA

URL = "/cuenta/datos-personales/"
HOLDERS = {
    "accounts.user",
    "activities.person",
    "participation.report",
    "participation.committeemember",
    "partners.contactperson",
}


def found_pks(user, query):
    return {group.holder.key: {f.record.pk for f in group.found} for group in selectors.find(user, query)}


def expected(rosa):
    return {
        "accounts.user": {rosa.account.pk},
        "activities.person": {rosa.person.pk},
        "participation.report": {rosa.report.pk},
        "participation.committeemember": {rosa.member.pk},
        "partners.contactperson": {rosa.contact.pk},
    }


def test_every_holder_is_registered(db):
    from centinela.accounts.data_requests.registry import holders

    assert HOLDERS <= {h.key for h in holders()}


@pytest.mark.parametrize("typed", [ROSA["cedula"], ROSA["cedula"][:9] + "-" + ROSA["cedula"][9], " " + ROSA["cedula"]])
def test_the_cedula_finds_her_with_or_without_the_dash(rosa, users, typed):
    found = found_pks(users["directora"], Query.parse(cedula=typed))
    wanted = expected(rosa)
    # reports and partner contacts hold no cédula
    assert found == {**wanted, "participation.report": set(), "partners.contactperson": set()}


def test_the_email_finds_her_in_another_case(rosa, users):
    found = found_pks(users["admin"], Query.parse(email="  rOSA@EXAMPLE.ec "))
    assert found == {**expected(rosa), "participation.committeemember": set(), "partners.contactperson": set()}


@pytest.mark.parametrize("typed", ["0991112233", "099 111 2233", "+593 99 111 2233", "593991112233"])
def test_the_phone_finds_her_in_both_forms(rosa, users, typed):
    found = found_pks(users["admin"], Query.parse(phone=typed))
    assert found == {**expected(rosa), "accounts.user": set()}  # her account has no phone


def test_all_three_together_find_everything_and_nobody_else(rosa, users):
    query = Query.parse(cedula=ROSA["cedula"], email=ROSA["email"], phone=ROSA["phone"])
    assert found_pks(users["admin"], query) == expected(rosa)


def test_terms_that_are_not_one_are_refused(db):
    from django.core.exceptions import ValidationError

    for bad in ({"cedula": "11012345"}, {"email": "rosa"}, {"phone": "12"}, {}):
        with pytest.raises(ValidationError):
            Query.parse(**bad)


def test_the_page_finds_her_and_the_search_is_audited_masked(rosa, users, client_for):
    director = users["directora"]
    before = LogEntry.objects.count()
    response = client_for("directora").post(URL, {**ROSA, "cedula": ROSA["cedula"], "reference": "Solicitud 2026-014"})
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Quizhpe", rosa.report.code, "Comité Centro Histórico", "rquizhpe", "Enlace barrial"):
        assert text in body
    assert "Ordóñez" not in body
    # the director reads the account listed, without a link to the user pages (administrators only)
    assert reverse("user_detail", args=[rosa.account.pk]) not in body
    entry = LogEntry.objects.order_by("-pk").first()
    assert LogEntry.objects.count() == before + 1
    assert entry.actor == director and entry.action == LogEntry.Action.ACCESS
    assert entry.object_pk == str(director.pk)
    text = json.dumps(entry.changes_dict)
    assert ROSA["cedula"] not in text and ROSA["cedula"][-5:] in text and "Solicitud 2026-014" in text


def test_the_search_never_puts_the_terms_in_the_address(rosa, client_for):
    response = client_for("admin").get(URL, {"cedula": ROSA["cedula"]})
    assert response.status_code == 200
    assert "Quizhpe" not in response.content.decode()  # a GET shows the empty form: searches are posted


@pytest.mark.parametrize("username", ["tecnico", "enlace.policia", "enlace.ecu911", "presidente.sagrario"])
def test_other_roles_get_403_and_no_menu_link(rosa, client_for, username):
    client = client_for(username)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"cedula": ROSA["cedula"]}).status_code == 403
    assert client.post(URL, {"cedula": ROSA["cedula"], "action": "export"}).status_code == 403
    assert URL not in client.get("/").content.decode()


@pytest.mark.parametrize("username", ["admin", "directora"])
def test_administrators_and_the_director_see_the_menu_link(db, client_for, username):
    assert URL in client_for(username).get("/").content.decode()


def test_the_export_holds_every_record_and_is_audited(rosa, client_for, users):
    response = client_for("admin").post(
        URL,
        {
            "cedula": ROSA["cedula"],
            "email": ROSA["email"],
            "phone": ROSA["phone"],
            "reference": "Sol-1",
            "action": "export",
        },
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(b"".join(response) if response.streaming else response.content)
    assert data["request"] == "Sol-1" and data["query"]["cedula"] == ROSA["cedula"]
    records = {group["key"]: group["records"] for group in data["holders"]}
    assert {key: len(records[key]) for key in HOLDERS} == {key: 1 for key in HOLDERS}
    person = records["activities.person"][0]
    values = {item["field"]: item["value"] for item in person["personal_data"]}
    assert values["cedula"] == ROSA["cedula"] and values["last_names"] == "Quizhpe"
    assert rosa.training.topic in person["context"][0]["value"]
    account = records["accounts.user"][0]
    assert account["erasable"] is False and account["not_erasable_because"]
    entry = LogEntry.objects.order_by("-pk").first()
    assert entry.actor == users["admin"] and "data_request_export" in entry.changes_dict


def test_the_results_and_the_export_are_never_cached(rosa, client_for):
    client = client_for("admin")
    for action in ("search", "export"):
        response = client.post(URL, {**ROSA, "action": action})
        assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"], action
