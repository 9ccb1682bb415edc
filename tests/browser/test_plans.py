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


def test_an_activity_file_is_applied_by_the_queue_and_the_job_page_goes_on_to_the_counts(page, site, login, tmp_path):
    """Issue 10, item 3: the confirmation queues a job (nothing saved in the request); once the worker has run it,
    the job's page goes on by itself to the activity list with the counts, as the import said in the request."""
    from django.urls import reverse

    from centinela.activities.models import Activity
    from centinela.activities.tests import factories as f
    from centinela.jobs.services import run_pending

    prog = f.programme()
    year = prog.plan.starts_on.year
    path = tmp_path / "actividades.csv"
    path.write_text(
        "title,programme,kind,starts_at,status\n"
        f"Minga,{prog.code},other,{year}-04-01 10:00,planned\nFeria,{prog.code},other,{year}-04-02 10:00,planned\n",
        encoding="utf-8",
    )
    login(page, "tecnico")
    page.goto(site.url(reverse("activities:activity_import")))
    assert page.locator(".no-worker").is_visible()  # no worker runs in this test: the page says so
    page.set_input_files("#id_file", str(path))
    page.click("form.form button[type=submit]")
    page.locator("#import-preview").wait_for()
    page.click("#confirm-import")
    page.wait_for_url("**/trabajos/*/?follow=1")
    assert not Activity.objects.exists()  # queued, not applied in the request
    assert run_pending() == 1  # the worker's loop, run here
    page.wait_for_url(f"**{reverse('activities:activity_list')}", timeout=15_000)
    assert "2 actividades guardadas." in page.content()
    assert sorted(Activity.objects.values_list("title", flat=True)) == ["Feria", "Minga"]
    assert site.errors == []
