"""The bell and "Mis avisos" in a real Chromium: a technician with an overdue resolution and a ticket assigned sees
the count on the bell (on a phone too, without opening the menu), opens their notices, finds each item under
overdue or assigned with its link, marks one notice read and then all, and the bell empties. Assertions use ids,
classes and URLs rather than Spanish text."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def items(site):
    from django.utils import timezone

    from centinela.accounts.models import User
    from centinela.activities.models import CouncilSession, Resolution
    from centinela.cameras import services
    from centinela.cameras.tests.test_inventory_factories import make_device

    tecnico = User.objects.get(username="tecnico")
    session = CouncilSession.objects.create(
        number=7, kind="ordinary", held_at=timezone.now() - timedelta(days=30), agenda="1. Varios"
    )
    late = Resolution.objects.create(
        session=session,
        number="R-7",
        text="Revisar luminarias",
        owner=tecnico,
        due_on=timezone.localdate() - timedelta(days=2),
    )
    ticket = services.open_ticket(tecnico, make_device(code="CAM-B-1"), "Imagen borrosa")
    ticket = services.assign_ticket(tecnico, ticket, tecnico)
    return late, ticket


def _count(page):
    badge = page.locator("#notice-bell #notice-count")
    return int(badge.inner_text()) if badge.count() else 0


def test_the_bell_counts_and_my_notices_lists_links_and_marks_read(page, site, login, items):
    late, ticket = items
    login(page, "tecnico")
    assert _count(page) == 3  # the ticket assigned, the resolution assigned and overdue
    with page.expect_navigation():
        page.click("#notice-bell")
    assert urlsplit(page.url).path == "/avisos/"
    assert page.locator(f'#overdue a[href="{late.get_absolute_url()}"]').is_visible()
    assert page.locator(f'#assigned a[href="{ticket.get_absolute_url()}"]').is_visible()
    assert page.locator("#notices li.notice.unread").count() == 3

    with page.expect_navigation():
        page.locator("#notices li.notice.unread").first.locator("button").click()
    assert page.locator("#notices li.notice.unread").count() == 2 and _count(page) == 2
    with page.expect_navigation():
        page.click("#mark-all-read")
    assert page.locator("#notices li.notice.unread").count() == 0 and _count(page) == 0
    assert page.locator("#no-unread").is_visible()

    with page.expect_navigation():
        page.click(f'#assigned a[href="{ticket.get_absolute_url()}"]')
    assert urlsplit(page.url).path == ticket.get_absolute_url()
    assert not site.errors


def test_the_bell_shows_on_a_phone_without_opening_the_menu(phone_page, site, login, items):
    login(phone_page, "tecnico")
    assert phone_page.locator("#notice-bell").is_visible() and _count(phone_page) == 3
    assert not phone_page.locator("nav.mainnav").is_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
