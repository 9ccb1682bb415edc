"""The interface as people use it, in a real Chromium against the live server.

Assertions rely on ids, classes, URLs and data attributes rather than on Spanish text (translations may still
be in progress). Off-site requests (map tiles) are aborted by the `page` fixture.
"""

import csv
import io
from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = [
    pytest.mark.browser,
    # Whitenoise warns that STATIC_ROOT was never collected; the live server serves static files itself.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PLACES = "/territorio/lugares/"
PARISHES = "/territorio/parroquias/"
BANKS = {"Banco de Guayaquil (matriz Loja)", "Banco Pichincha (agencia centro)", "Banco de Loja (matriz)"}


def _total(page) -> int:
    return int(page.get_attribute("span.total", "data-total"))


def _column(page, index: int) -> list[str]:
    """The text of one column of the list table (0-based), one entry per data row."""
    return [
        t.strip()
        for t in page.locator("table.list tbody tr").evaluate_all(
            f"rows => rows.map(r => r.cells[{index}] ? r.cells[{index}].innerText : '')"
        )
    ]


# --- 1. the home map ------------------------------------------------------------------------------------------


def test_home_map_draws_parishes_barrios_and_places_without_tiles(page, site, login):
    from centinela.territory.models import Barrio, Parish, Place

    n_parishes, n_barrios, n_places = Parish.objects.count(), Barrio.objects.count(), Place.objects.count()
    assert (n_parishes, n_barrios) == (19, 7)
    assert n_places > 0

    login(page, "tecnico")
    assert urlsplit(page.url).path == "/"
    page.wait_for_selector('#map[data-ready="1"]')

    # One SVG path per parish and barrio polygon plus one circle marker per place, nothing more or less.
    paths = page.locator(".leaflet-overlay-pane svg path")
    assert paths.count() == n_parishes + n_barrios + n_places
    # ... and they are really drawn: a non-empty outline with a visible box on the page.
    drawn = paths.evaluate_all(
        "ps => ps.filter(p => { const b = p.getBoundingClientRect(); "
        "return (p.getAttribute('d') || '').length > 10 && b.width > 0 && b.height > 0; }).length"
    )
    assert drawn >= n_parishes + n_barrios
    markers = page.evaluate(
        "() => { let n = 0; window.centinelaMap.eachLayer(l => { if (l instanceof L.CircleMarker) n++; }); return n; }"
    )
    assert markers == n_places

    assert page.inner_text("#count-parishes").strip() == "19"
    assert page.inner_text("#count-barrios").strip() == str(n_barrios)
    assert page.inner_text("#count-places").strip() == str(n_places)

    # The tile server was asked for tiles and every such request was cut off: the layers above drew without them.
    assert any("tile.openstreetmap.org" in url for url in site.blocked)
    assert page.locator(".leaflet-tile-loaded").count() == 0
    assert site.errors == []
    # On a wide screen the menu is shown in full, without the phone toggle.
    assert page.locator("nav.mainnav").is_visible()
    assert not page.locator("label.nav-toggle-label").is_visible()


# --- 2. a wrong password ---------------------------------------------------------------------------------------


def test_wrong_password_shows_the_form_again_and_does_not_log_in(page, site, login):
    login(page, "tecnico", password="not-the-password")

    assert urlsplit(page.url).path == "/cuenta/ingresar/"
    assert page.locator("form.form #id_password").is_visible()
    assert page.input_value("#id_username") == "tecnico"  # what was typed is kept
    assert page.input_value("#id_password") == ""  # the password is not sent back
    assert page.locator("form.form .errors").is_visible()
    assert page.inner_text("form.form .errors").strip() != ""
    assert not any(c["name"] == "sessionid" for c in page.context.cookies())
    assert page.locator("nav.mainnav").count() == 0

    # Still anonymous: the home page sends the visitor back to the login form.
    page.goto(site.url("/"))
    assert urlsplit(page.url).path == "/cuenta/ingresar/"
    assert parse_qs(urlsplit(page.url).query).get("next") == ["/"]


# --- 3. filtering a list as you type ---------------------------------------------------------------------------


def test_typing_in_the_search_box_filters_the_list_in_place(page, site, login):
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    from centinela.territory.models import Place

    login(page, "tecnico")
    page.goto(site.url(PLACES))
    before = _total(page)
    assert before == Place.objects.count() > 3
    page.evaluate("window.__samePage = true")  # gone if the browser loaded a whole new page

    search = page.locator("form.filters input[name=q]")
    try:
        with page.expect_response(
            lambda r: (
                urlsplit(r.url).path == PLACES and "q=Banco" in r.url and r.request.headers.get("hx-request") == "true"
            ),
            timeout=5_000,
        ) as info:
            search.press_sequentially("Banco", delay=30)  # typing only: no Enter, no click on the button
    except PlaywrightTimeoutError:
        pytest.fail(
            "Typing in the search box sent no htmx request within 5 s. The form's hx-trigger listens for "
            f"`input` from input[type=search], but the box renders as {search.evaluate('e => e.outerHTML')}",
            pytrace=False,
        )
    assert info.value.status == 200
    page.wait_for_selector('span.total[data-total="3"]')

    assert _total(page) == 3
    names = _column(page, 0)
    assert len(names) == 3
    assert all("Banco" in name for name in names), names
    assert set(names) == BANKS
    assert page.evaluate("window.__samePage") is True  # swapped in place by htmx, not a full reload
    assert page.locator("#results table.list").count() == 1  # the fragment went into #results, once
    # hx-push-url: the address bar holds the filter, so the view can be bookmarked or shared.
    assert urlsplit(page.url).path == PLACES
    assert parse_qs(urlsplit(page.url).query).get("q") == ["Banco"]


# --- 4. exporting the filtered list ----------------------------------------------------------------------------


def test_export_of_the_filtered_list_holds_exactly_the_banks(page, site, login, tmp_path):
    import openpyxl

    login(page, "tecnico")
    page.goto(site.url(PLACES + "?q=Banco"))
    assert _total(page) == 3

    with page.expect_download() as info:
        page.click('a.export[href$="export=csv"]')
    download = info.value
    assert download.suggested_filename.startswith("lugares-") and download.suggested_filename.endswith(".csv")
    raw = open(download.path(), "rb").read()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, for spreadsheet programs
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, rows = table[0], table[1:]
    assert "Nombre" in header  # the headers in Spanish (issue 13 item 1)
    assert {row[header.index("Nombre")] for row in rows} == BANKS
    assert len(rows) == 3

    with page.expect_download() as info:
        page.click('a.export[href$="export=xlsx"]')
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    sheet = openpyxl.load_workbook(path, read_only=True).active
    xrows = list(sheet.iter_rows(values_only=True))
    assert "Nombre" in xrows[0]
    assert len(xrows) - 1 == 3
    assert {row[xrows[0].index("Nombre")] for row in xrows[1:]} == BANKS


# --- 5. a parish president sees only their parish --------------------------------------------------------------


def test_parish_president_sees_only_their_own_parish(page, site, login):
    from centinela.territory.models import Parish, Place

    sagrario = Parish.objects.get(code="110101")
    valle = Parish.objects.get(name="El Valle")
    own_places = Place.objects.filter(parish=sagrario).count()
    assert 0 < own_places < Place.objects.count()  # otherwise the places check below proves nothing

    login(page, "presidente.sagrario")

    page.goto(site.url(PARISHES))
    assert _total(page) == 1
    assert page.locator("table.list tbody tr").count() == 1
    link = page.locator("table.list tbody tr a").first
    assert link.inner_text().strip() == sagrario.name
    assert urlsplit(link.get_attribute("href")).path == f"{PARISHES}{sagrario.pk}/"

    response = page.goto(site.url(f"{PARISHES}{sagrario.pk}/"))
    assert response.status == 200
    response = page.goto(site.url(f"{PARISHES}{valle.pk}/"))
    assert response.status == 404

    page.goto(site.url(PLACES))
    assert _total(page) == own_places
    parishes = _column(page, 2)  # Name, Type, Parish, ...
    assert len(parishes) == own_places
    assert set(parishes) == {sagrario.name}


# --- 6. a phone ------------------------------------------------------------------------------------------------


def test_phone_viewport_renders_map_and_menu_toggle(phone_page, site, login):
    page = phone_page
    login(page, "tecnico")
    page.wait_for_selector('#map[data-ready="1"]')

    map_box = page.locator("#map").bounding_box()
    assert map_box["width"] > 300 and map_box["height"] > 200
    assert map_box["x"] >= 0 and map_box["x"] + map_box["width"] <= 390
    assert page.locator(".leaflet-overlay-pane svg path").count() >= 19 + 7
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scrolling

    toggle = page.locator("label.nav-toggle-label")
    assert toggle.is_visible()
    menu = page.locator("nav.mainnav")
    assert not menu.is_visible()  # folded away until asked for
    toggle.click()
    assert menu.is_visible()
    page.locator("nav.mainnav details.nav-more summary").click()  # territory pages are folded under one entry
    assert page.locator(f'nav.mainnav a[href="{PLACES}"]').is_visible()
    assert site.errors == []


# --- 7. a liaison only reads -----------------------------------------------------------------------------------


def test_liaison_cannot_add_places(browser, page, site, login):
    login(page, "enlace.policia")
    response = page.goto(site.url(PLACES))
    assert response.status == 200
    assert _total(page) > 0  # the list itself is there
    assert page.locator('a.button[href$="/nuevo/"]').count() == 0

    response = page.goto(site.url(PLACES + "nuevo/"))
    assert response.status == 403
    assert page.locator("form #id_name").count() == 0


def test_technician_does_see_the_add_button(page, site, login):
    """The counterpart of the liaison test: the button exists for someone who may add."""
    login(page, "tecnico")
    page.goto(site.url(PLACES))
    add = page.locator('a.button[href$="/nuevo/"]')
    assert add.count() == 1
    assert urlsplit(add.get_attribute("href")).path == PLACES + "nuevo/"
    response = page.goto(site.url(PLACES + "nuevo/"))
    assert response.status == 200


def test_back_after_an_htmx_history_cache_miss_restores_the_whole_page(page, site, login):
    login(page, "tecnico")
    page.goto(site.url(PLACES))
    page.locator("input[name=q]").press_sequentially("Banco")
    page.wait_for_selector('span.total[data-total="3"]')
    page.locator("input[name=q]").press_sequentially(" de")
    page.wait_for_selector('span.total[data-total="2"]')
    page.evaluate("sessionStorage.removeItem('htmx-history-cache')")
    with page.expect_response(lambda r: r.request.headers.get("hx-history-restore-request") == "true"):
        page.go_back()
    page.wait_for_selector('span.total[data-total="3"]')
    assert page.locator("header.topbar").count() == 1 and page.locator("form.filters").count() == 1
