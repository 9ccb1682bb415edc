"""Date pickers with month and year that open on the period being viewed (issue 13, item 5), in a real Chromium: on
the activity list filtered from a day of 2020 the "to" picker opens on that month of 2020 and one tap picks its end;
on the calendar, 2020 is reached from today in four taps (year, month, day); on a phone the picker fits the screen;
the yearly indicators' dates open on the year viewed."""

from datetime import datetime

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


@pytest.fixture
def work_2020(site):
    from centinela.activities.models import Activity
    from centinela.activities.tests import factories as f

    prog = f.programme("operations", code="OPE", the_plan=f.plan(2020))
    made = {}
    for title, month, day in (("Minga de marzo", 3, 20), ("Minga de abril", 4, 2), ("Minga de febrero", 2, 11)):
        activity = f.activity(title=title, prog=prog)
        Activity.objects.filter(pk=activity.pk).update(starts_at=timezone.make_aware(datetime(2020, month, day, 10)))
        made[title] = activity
    return made


def _titles(page):
    return set(page.locator("#results table.list tbody tr td:first-child").all_inner_texts())


def test_the_to_date_of_a_list_filtered_in_2020_opens_on_that_month_and_takes_one_tap(page, site, login, work_2020):
    login(page, "tecnico")
    page.goto(site.url("/actividades/?starts_at_after=2020-03-01"))
    after, before = page.locator("#id_starts_at_0"), page.locator("#id_starts_at_1")
    assert after.input_value() == "01/03/2020"  # the ISO of a link shown as Ecuador writes it
    assert before.get_attribute("placeholder") == "dd/mm/aaaa"
    page.locator("#id_starts_at_1 + button.dp-open").click()
    panel = page.locator(".dp-panel")
    assert panel.get_attribute("data-shown") == "2020-03"  # not today's month: the period being viewed
    assert panel.locator("select.dp-year").input_value() == "2020"
    assert panel.locator("select.dp-month option:checked").inner_text() == "marzo"
    assert panel.locator("thead th").first.inner_text().lower().startswith("lu")  # weeks start on Monday
    with page.expect_response(lambda r: "starts_at_before=31%2F03%2F2020" in r.url):
        panel.locator('button[data-day="2020-03-31"]').click()
    assert before.input_value() == "31/03/2020"
    assert panel.count() == 0
    page.wait_for_function(
        "() => [...document.querySelectorAll('#results tbody tr')].every(r => !r.innerText.includes('abril'))"
    )
    assert "starts_at_before=31%2F03%2F2020" in page.url
    text = page.locator("#results").inner_text()
    assert "Minga de marzo" in text and "Minga de abril" not in text and "Minga de febrero" not in text
    # the "from" picker opens on its own date; Escape closes it
    page.locator("#id_starts_at_0 + button.dp-open").click()
    assert page.locator(".dp-panel").get_attribute("data-shown") == "2020-03"
    page.keyboard.press("Escape")
    assert page.locator(".dp-panel").count() == 0
    assert site.errors == []


def test_the_calendar_reaches_february_2020_from_today_in_four_taps(page, site, login, work_2020):
    login(page, "tecnico")
    page.goto(site.url("/actividades/calendario/"))
    today = timezone.localdate()
    page.locator("#cal-fecha + button.dp-open").click()
    panel = page.locator(".dp-panel")
    assert panel.get_attribute("data-shown") == f"{today.year:04d}-{today.month:02d}"
    panel.locator("select.dp-year").select_option("2020")
    panel.locator("select.dp-month").select_option(label="febrero")
    assert panel.get_attribute("data-shown") == "2020-02"
    with page.expect_navigation():
        panel.locator('button[data-day="2020-02-11"]').click()
    assert "fecha=11%2F02%2F2020" in page.url
    assert "febrero 2020" in page.locator("h1").inner_text().lower()
    assert "Minga de febrero" in page.locator('td[data-date="2020-02-11"]').inner_text()
    # the picker now opens on the month shown, with the day picked marked
    page.locator("#cal-fecha + button.dp-open").click()
    assert page.locator(".dp-panel").get_attribute("data-shown") == "2020-02"
    assert page.locator(".dp-panel .dp-picked").inner_text() == "11"
    assert site.errors == []


def test_on_a_phone_the_picker_fits_the_screen_and_a_typed_date_filters(phone_page, site, login, work_2020):
    page = phone_page
    page.set_viewport_size({"width": 360, "height": 740})
    login(page, "tecnico")
    page.goto(site.url("/actividades/?starts_at_after=2020-04-01"))
    page.locator("#id_starts_at_1 + button.dp-open").click()
    box = page.locator(".dp-panel").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360 and box["y"] + box["height"] <= 740
    day = page.locator('.dp-panel button[data-day="2020-04-30"]').bounding_box()
    assert day["height"] >= 36  # a finger can hit it
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator(".dp-panel .dp-close").click()
    with page.expect_response(lambda r: "starts_at_after=1%2F2%2F2020" in r.url):
        page.fill("#id_starts_at_0", "1/2/2020")
    page.wait_for_function("() => document.querySelector('#results').innerText.includes('febrero')")
    text = page.locator("#results").inner_text()
    assert "Minga de febrero" in text and "Minga de marzo" in text and "Minga de abril" in text
    assert site.errors == []


def test_the_yearly_indicators_dates_open_on_the_year_viewed(page, site, login):
    login(page, "directora")
    page.goto(site.url("/observatorio/indicadores/?period=year&year=2020"))
    page.select_option("#id_period", "range")
    page.locator("#id_start + button.dp-open").click()
    assert page.locator(".dp-panel").get_attribute("data-shown") == "2020-01"
    assert site.errors == []
