"""Notices: an assignment tells the assignee at once, the bell counts the unread ones, "Mis avisos" lists them with
what is assigned and overdue (each linking to its item), and a notice is marked read by its owner only."""

from datetime import timedelta

import pytest
from django.urls import reverse

from centinela.accounts.models import Role
from centinela.notifications import services
from centinela.notifications.models import Notice
from centinela.notifications.tests.conftest import TODAY, citizen_report, resolution, ticket

pytestmark = pytest.mark.django_db


def test_an_assignment_tells_the_assignee_at_once_and_only_once(users):
    made = ticket(users["tecnico"], users["tecnico"])
    notice = Notice.objects.get(user=users["tecnico"])
    assert (notice.kind, notice.source, notice.object_id) == ("assigned", "tickets", made.pk)
    assert notice.url == made.get_absolute_url() and "CAM-N-1" in notice.title
    made.save()
    assert services.sync(users["tecnico"]) == 0
    assert Notice.objects.filter(user=users["tecnico"]).count() == 1


def test_an_item_that_becomes_overdue_is_told_by_the_next_sync(users):
    coming = resolution(users["tecnico"], due_in_days=2)
    kinds = lambda: set(Notice.objects.filter(user=users["tecnico"]).values_list("kind", flat=True))  # noqa: E731
    assert kinds() == {"assigned"}
    assert services.sync(users["tecnico"], TODAY + timedelta(days=2)) == 0  # due that day: not yet overdue
    assert services.sync(users["tecnico"], TODAY + timedelta(days=3)) == 1
    assert kinds() == {"assigned", "overdue"}
    overdue = Notice.objects.get(user=users["tecnico"], kind="overdue")
    assert overdue.object_id == coming.pk and overdue.title.startswith("Resolución R-1")


def test_the_bell_counts_unread_notices_and_links_to_my_notices(users, client_for):
    client = client_for("tecnico")
    page = client.get(reverse("home")).content.decode()
    assert 'id="notice-bell"' in page and 'id="notice-count"' not in page
    ticket(users["tecnico"], users["tecnico"])
    resolution(users["tecnico"], due_in_days=-1)
    page = client.get(reverse("home")).content.decode()
    assert 'id="notice-count">3<' in page and reverse("notifications:inbox") in page


def test_my_notices_lists_notices_overdue_and_assigned_items_with_their_links(users, client_for):
    made = ticket(users["tecnico"], users["tecnico"])
    late = resolution(users["tecnico"], due_in_days=-2)
    report = citizen_report(users["tecnico"], users["tecnico"])
    page = client_for("tecnico").get(reverse("notifications:inbox")).content.decode()
    overdue = page[page.index('id="overdue"') : page.index('id="assigned"')]
    assigned = page[page.index('id="assigned"') : page.index('id="digest"')]
    assert late.get_absolute_url() in overdue and made.get_absolute_url() not in overdue
    assert made.get_absolute_url() in assigned and report.get_absolute_url() in assigned
    assert "Rosa Quizhpe" not in page and "rosa@example.ec" not in page


def test_marking_read_one_notice_or_all_and_never_anothers(users, client_for):
    ticket(users["tecnico"], users["tecnico"], code="CAM-N-1")
    ticket(users["tecnico"], users["tecnico"], code="CAM-N-2")
    theirs = ticket(users["tecnico"], users["directora"], code="CAM-N-3")
    mine = list(Notice.objects.filter(user=users["tecnico"]).order_by("pk"))
    other = Notice.objects.get(user=users["directora"], object_id=theirs.pk)
    client = client_for("tecnico")
    url = reverse("notifications:mark_read")
    assert client.post(url, {"notice": [mine[0].pk, other.pk]}).status_code == 302
    assert Notice.objects.get(pk=mine[0].pk).read_at and not Notice.objects.get(pk=mine[1].pk).read_at
    assert Notice.objects.get(pk=other.pk).read_at is None
    client.post(url)
    assert not Notice.objects.filter(user=users["tecnico"], read_at__isnull=True).exists()
    assert Notice.objects.get(pk=other.pk).read_at is None
    page = client.get(reverse("home")).content.decode()
    assert 'id="notice-count"' not in page


def test_a_notice_of_an_item_i_may_no_longer_open_is_not_shown_nor_counted(users, client_for):
    report = citizen_report(users["tecnico"], users["presidente.sagrario"])
    assert Notice.objects.filter(user=users["presidente.sagrario"], object_id=report.pk).exists()
    president = users["presidente.sagrario"]
    president.role = Role.LIAISON  # a liaison reads only the reports of their institution
    president.parish = None
    president.save()
    client = client_for("presidente.sagrario")
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert report.get_absolute_url() not in page and report.code not in page
    assert 'id="notice-count"' not in client.get(reverse("home")).content.decode()
