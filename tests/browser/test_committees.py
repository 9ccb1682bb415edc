"""Barrio committees on a 390 px phone, in a real Chromium: a parish president opens their committee from the list,
records a meeting with its attendance (checkboxes of the current members) and an agreement, and then follows the
agreement up; no page scrolls sideways. Assertions use ids, classes and URLs rather than Spanish text."""

from datetime import date

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

PHONE_WIDTH = 390


@pytest.fixture
def committee(site):
    from centinela.accounts.models import User
    from centinela.participation.committees import services
    from centinela.participation.committees.models import Committee, CommitteeMember
    from centinela.territory.models import Barrio

    staff = User.objects.get(username="tecnico")
    committee = services.save_committee(
        staff,
        Committee(barrio=Barrio.objects.get(code="LOJA-B-SAN-CAYETANO-BAJO"), name="Comité San Cayetano Bajo"),
    )
    for name, role in (("Rosa Jaramillo", "coordinator"), ("Luis Cueva", "secretary"), ("Marcia Ordóñez", "member")):
        services.save_member(
            staff, CommitteeMember(committee=committee, name=name, role=role, joined_on=date(2020, 1, 1))
        )
    return committee


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_a_president_records_a_meeting_with_attendance_and_an_agreement_on_a_phone(phone_page, site, login, committee):
    from centinela.participation.committees.models import CommitteeMeeting

    page = phone_page
    login(page, "presidente.sagrario")
    page.goto(site.url("/participa/comites/"))
    assert _no_sideways_scroll(page)
    with page.expect_navigation():
        page.click(f"a[href='{committee.get_absolute_url()}']")
    assert _no_sideways_scroll(page)
    with page.expect_navigation():
        page.click("#record-meeting")
    assert _no_sideways_scroll(page)

    members = {m.name: m.pk for m in committee.members.all()}
    page.fill("#id_held_on", "2020-03-07")
    page.fill("#id_starts_at", "17:00")
    page.fill("#id_place", "Casa comunal")
    page.fill("#id_guests", "6")
    page.locator(f"#attendance input[value='{members['Rosa Jaramillo']}']").tap()
    page.locator(f"#attendance input[value='{members['Luis Cueva']}']").tap()
    page.fill("#id_acuerdos-0-text", "Pedir a la EERSSA cinco luminarias en la calle principal")
    page.fill("#id_acuerdos-0-responsible", "Rosa Jaramillo")
    page.fill("#id_acuerdos-0-due_on", "2020-04-01")
    with page.expect_navigation():
        page.click("#meeting-form button[type=submit]")

    meeting = CommitteeMeeting.objects.get(committee=committee)
    assert page.url.endswith(committee.get_absolute_url() + f"#reunion-{meeting.pk}")
    assert set(meeting.present.values_list("name", flat=True)) == {"Rosa Jaramillo", "Luis Cueva"}
    assert meeting.guests == 6 and meeting.created_by.username == "presidente.sagrario"
    agreement = meeting.agreements.get()
    card = page.locator(f"#reunion-{meeting.pk}")
    assert card.is_visible() and "2" in card.locator(".attendance-count").inner_text()
    row = page.locator(f"#acuerdo-{agreement.pk}")
    assert "overdue" in row.get_attribute("class")  # due in 2020, still pending
    assert _no_sideways_scroll(page)

    with page.expect_navigation():
        row.locator("a.follow-up-link").click()
    assert _no_sideways_scroll(page)
    page.fill("#id_on", "2020-03-20")
    page.select_option("#id_status", "done")
    page.fill("#id_note", "Luminarias repuestas")
    with page.expect_navigation():
        page.click("#follow-up-form button[type=submit]")
    agreement.refresh_from_db()
    assert agreement.status == "done" and agreement.follow_ups.count() == 1
    row = page.locator(f"#acuerdo-{agreement.pk}")
    assert "overdue" not in (row.get_attribute("class") or "")
    assert row.locator(".badge.agreement-done").is_visible()
