"""`accounts.services.acting`, the one helper every app's services use to name the audit trail's actor. auditlog's
`set_actor` leaves its value in the context when it ends (it only disconnects its receiver): a later `acting` must
not take that stale value for a live one, or the change is recorded without an actor (reports.services had a copy
of the helper that kept the stale value when it named the same user)."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry

from centinela.accounts.services import acting
from centinela.territory.models import Place

pytestmark = pytest.mark.django_db


def _edit_as(actor):
    place = Place.objects.get(name="Teatro Bolívar")
    place.notes = f"{place.notes} ·"
    with acting(actor):
        place.save()
    return LogEntry.objects.get_for_object(place).order_by("-pk").first()


@pytest.mark.parametrize("earlier", ["directora", "tecnico"])
def test_an_ended_set_actor_leaves_no_stale_actor(users, earlier):
    with set_actor(users[earlier]):  # a job the worker ran earlier (for another user, or this one)
        pass
    assert _edit_as(users["tecnico"]).actor == users["tecnico"]
    assert _edit_as(users["directora"]).actor == users["directora"]


def test_a_live_actor_is_kept_and_the_context_is_left_as_found(users):
    with set_actor(users["directora"]):  # the request's, set by auditlog's middleware
        assert _edit_as(users["tecnico"]).actor == users["directora"]
    assert _edit_as(users["tecnico"]).actor == users["tecnico"]
    assert _edit_as(users["directora"]).actor == users["directora"]  # nested: the outer actor came back, then ended


def test_reports_use_the_accounts_helper():
    from centinela.reports import services as report_services

    assert report_services.acting is acting and not hasattr(report_services, "_acting")
