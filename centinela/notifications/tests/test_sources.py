"""Each source tells a user of their own open items, overdue ones flagged, and only of what the permission check
lets them open."""

import pytest
from django.test import override_settings

from centinela.activities.models import Resolution
from centinela.notifications import selectors
from centinela.notifications.sources import SOURCES
from centinela.notifications.tests.conftest import TODAY, citizen_report, resolution, ticket

pytestmark = pytest.mark.django_db


def _by_source(user):
    return {(i.source, i.object_id): i for i in selectors.items(user, TODAY)}


def test_every_source_is_in_the_registry():
    assert set(SOURCES) == {"resolutions", "tickets", "reports", "committee_agreements", "jobs"}


def test_a_resolution_of_mine_is_assigned_and_overdue_once_its_day_has_passed(users):
    late = resolution(users["tecnico"], due_in_days=-1, number="R-1")
    coming = resolution(users["tecnico"], due_in_days=5, number="R-2")
    resolution(users["tecnico"], due_in_days=-9, number="R-3", status=Resolution.Status.DONE)
    resolution(users["directora"], due_in_days=-1, number="R-4")
    found = _by_source(users["tecnico"])
    assert set(found) == {("resolutions", late.pk), ("resolutions", coming.pk)}
    assert found[("resolutions", late.pk)].overdue and not found[("resolutions", coming.pk)].overdue
    assert found[("resolutions", late.pk)].url.endswith(f"#resolucion-{late.pk}")
    # overdue first
    assert [i.object_id for i in selectors.items(users["tecnico"], TODAY)] == [late.pk, coming.pk]


def test_a_ticket_is_overdue_after_the_days_set_for_tickets(users):
    old = ticket(users["tecnico"], users["tecnico"], opened_days_ago=8, code="CAM-N-1")
    new = ticket(users["tecnico"], users["tecnico"], opened_days_ago=2, code="CAM-N-2")
    found = _by_source(users["tecnico"])
    assert found[("tickets", old.pk)].overdue and not found[("tickets", new.pk)].overdue
    with override_settings(NOTIFICATIONS_TICKET_DAYS=1):
        assert _by_source(users["tecnico"])[("tickets", new.pk)].overdue


def test_a_citizen_report_is_overdue_past_its_categorys_limit_and_its_title_has_no_contact_data(users):
    late = citizen_report(users["tecnico"], users["tecnico"], days_ago=20)  # the category gives 15 days
    fresh = citizen_report(users["tecnico"], users["tecnico"])
    found = _by_source(users["tecnico"])
    assert found[("reports", late.pk)].overdue and not found[("reports", fresh.pk)].overdue
    title = found[("reports", late.pk)].title
    assert late.code in title and "Rosa" not in title and "0991112233" not in title and "rosa@" not in title


def test_an_item_assigned_to_someone_who_may_not_open_it_is_not_on_their_list(users):
    # a report of El Sagrario assigned to the president of El Valle: the permission check keeps it from them
    report = citizen_report(users["tecnico"], users["presidente.valle"])
    assert ("reports", report.pk) not in _by_source(users["presidente.valle"])
    assert SOURCES["reports"].visible(users["presidente.valle"], [report.pk]) == set()
    assert SOURCES["reports"].visible(users["presidente.sagrario"], [report.pk]) == {report.pk}


def test_overdue_committee_agreements_concern_the_president_of_their_parish_only(users, committees_with_agreement):
    agreement = committees_with_agreement
    assert ("committee_agreements", agreement.pk) in _by_source(users["presidente.sagrario"])
    assert ("committee_agreements", agreement.pk) not in _by_source(users["presidente.valle"])
    assert ("committee_agreements", agreement.pk) not in _by_source(users["tecnico"])


@pytest.fixture
def committees_with_agreement(users):
    from datetime import timedelta

    from centinela.participation.committees.models import Committee, CommitteeAgreement, CommitteeMeeting
    from centinela.territory.models import Barrio

    committee = Committee.objects.create(
        barrio=Barrio.objects.get(code="LOJA-B-SAN-CAYETANO-BAJO"), name="Comité San Cayetano", founded_on=TODAY
    )
    meeting = CommitteeMeeting.objects.create(committee=committee, held_on=TODAY - timedelta(days=40))
    CommitteeAgreement.objects.create(meeting=meeting, text="Pintar el muro", due_on=TODAY + timedelta(days=3))
    late = TODAY - timedelta(days=1)
    return CommitteeAgreement.objects.create(meeting=meeting, text="Limpiar el parque", due_on=late)
