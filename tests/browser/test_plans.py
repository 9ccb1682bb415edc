"""The director reads the plan dashboard; the calendar and the activity map show the work; a parish president
sees only their parish's activities."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def plan_with_work(site):
    from centinela.activities.tests import factories as f

    prog = f.programme("training", code="CAP")
    f.activity(
        title="Capacitación El Sagrario",
        kind="training",
        parish_code="110101",
        status="done",
        prog=prog,
        month=2,
        day=11,
    )
    f.activity(
        title="Capacitación El Valle",
        kind="training",
        parish_code="110104",
        status="planned",
        prog=prog,
        month=2,
        day=18,
    )
    f.indicator(prog, "trainings_held", 6)
    return prog


def test_director_reads_the_plan_dashboard(page, site, login, plan_with_work):
    login(page, "directora")
    page.goto(site.url(f"/actividades/planes/{plan_with_work.plan.pk}/"))
    card = page.locator('section.programme-card[data-programme="CAP"]')
    card.wait_for()
    assert "1 de 2 actividades realizadas" in card.inner_text()
    row = card.locator("table.indicators tbody tr").first
    cells = row.locator("td").all_inner_texts()
    assert cells[2] == "1" and cells[3] == "6" and cells[4] == "17"
    assert site.errors == []


def test_calendar_month_shows_the_activities_on_their_days(page, site, login, plan_with_work):
    login(page, "tecnico")
    year = plan_with_work.plan.starts_on.year
    page.goto(site.url(f"/actividades/calendario/?fecha={year}-02-01"))
    assert "Capacitación El Sagrario" in page.locator(f'td[data-date="{year}-02-11"]').inner_text()
    assert "Capacitación El Valle" in page.locator(f'td[data-date="{year}-02-18"]').inner_text()
    page.click("a[rel=next]")
    page.wait_for_url(f"**fecha={year}-03-01**")
    assert page.locator("a.cal-item").count() == 0


def test_parish_president_sees_only_their_parish_activities(page, site, login, plan_with_work):
    login(page, "presidente.sagrario")
    page.goto(site.url("/actividades/"))
    assert page.locator("span.total").get_attribute("data-total") == "1"
    assert "Capacitación El Sagrario" in page.locator("table.list").inner_text()
    page.goto(site.url("/actividades/mapa/"))
    page.wait_for_selector('#map[data-ready="1"]')
    assert page.locator(".activity-marker").count() == 1
