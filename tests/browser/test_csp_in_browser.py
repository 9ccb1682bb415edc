"""The strict Content-Security-Policy (centinela/lib/csp.py) in a real browser: the home map, an incident list with
its map, the public report form and the login page load without a single refusal (in the console, "Refused to …"
or, in newer Chromium, "… violates the following Content Security Policy directive", and as a
securitypolicyviolation event) or script error, the maps draw (tiles requested — the policy lets them out to the
tile server, the browser-test harness then aborts them off-site — and the vector layers), and what moved from
inline code to static files still works: the htmx list filter, the language switcher, a plan's progress bars, the
heat table's shades, the incident's own point."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.browser


# The console's refusals reach site.errors (tests/browser/conftest.py, in both of Chromium's wordings: "Refused to
# …", and Chromium 156's "… violates the following Content Security Policy directive …"). Every violation also fires
# a securitypolicyviolation event, whatever the console says: recorded by a script the browser runs before the
# page's own (Playwright's init scripts are not subject to the page's policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(
    e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sourceFile || "") + ":" + e.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    """The page, recording the policy's violation events."""
    page.add_init_script(RECORD_VIOLATIONS)
    return page


def assert_clean(page, site):
    """No refusal in the console, no script error, none of the current page's violation events."""
    assert site.errors == []
    assert page.evaluate("() => window.__cspViolations") == []


def assert_map_drawn(page, container, tiles_from="tile.openstreetmap.org", site=None, layers=True):
    """Leaflet drew the map: its tiles (requested; the policy let them out, the harness aborts them off-site) and,
    on maps that have any, the vector layers or markers."""
    page.wait_for_selector(f"{container}.leaflet-container")
    page.wait_for_function(f"() => document.querySelectorAll('{container} .leaflet-tile').length > 0")
    if layers:
        drawn = f"{container} .leaflet-overlay-pane path, {container} .leaflet-marker-pane *"
        page.wait_for_function(f"() => document.querySelectorAll('{drawn}').length > 0")
    if site is not None:
        assert any(tiles_from in url for url in site.blocked), site.blocked[:3]


@pytest.fixture
def incidents(five_incidents):
    return five_incidents


def test_the_console_catches_a_refusal(watched, site):
    """The check below can fail: inline code added to a page is refused and the refusal reaches the console."""
    watched.goto(site.url("/cuenta/ingresar/"))
    watched.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; document.body.append(s);"
        " const d = document.createElement('div'); d.innerHTML = '<p style=\"color: red\">x</p>';"
        " document.body.append(d); }"
    )
    watched.wait_for_timeout(200)
    assert watched.evaluate("() => window.ran") is None
    assert any(e.startswith("CSP:") and "inline script" in e for e in site.errors), site.errors
    assert any(e.startswith("CSP:") and "inline style" in e for e in site.errors), site.errors
    violations = watched.evaluate("() => window.__cspViolations")
    assert any(v.startswith("script-src") for v in violations) and any(v.startswith("style-src") for v in violations)


def test_login_page_and_its_language_switcher(watched, site):
    page = watched
    page.goto(site.url("/cuenta/ingresar/"))
    assert page.get_attribute("html", "lang") == "es-ec"
    with page.expect_navigation():
        page.select_option("select[name=language]", "en")  # data-autosubmit (was onchange=)
    assert page.get_attribute("html", "lang") == "en"
    assert_clean(page, site)


def test_public_report_form_draws_its_map(watched, site):
    page = watched
    page.goto(site.url("/participa/reportar/"))
    page.wait_for_selector("#map[data-ready='1']")
    assert_map_drawn(page, "#map", site=site, layers=False)  # a picker: no layers until a point is chosen
    page.locator("#map").click()  # the point picker still fills the form
    assert page.input_value("#id_lat") and page.input_value("#id_lon")
    assert_map_drawn(page, "#map")  # and draws the chosen point
    assert_clean(page, site)


def test_home_map_as_staff_and_as_a_president(watched, site, login):
    page = watched
    login(page, "tecnico")
    page.wait_for_selector("#map[data-ready='1']")
    assert_map_drawn(page, "#map", site=site)
    assert_clean(page, site)
    page.context.clear_cookies()
    login(page, "presidente.sagrario")
    page.wait_for_selector("#map[data-ready='1']")
    assert_map_drawn(page, "#map")
    assert_clean(page, site)


def test_incident_list_map_htmx_filter_and_detail_point(watched, site, login, incidents):
    sagrario, valle = incidents
    page = watched
    login(page, "tecnico")
    page.goto(site.url("/incidentes/"))
    page.wait_for_function("() => document.getElementById('list-map').dataset.markers === '5'")
    assert_map_drawn(page, "#list-map", site=site)
    assert page.locator("#results tbody tr").count() == 5
    page.select_option("select[name=parish]", str(valle.pk))  # htmx swaps the rows, the map follows
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 2")
    page.wait_for_function("() => document.getElementById('list-map').dataset.markers === '2'")
    assert f"parish={valle.pk}" in page.url  # hx-push-url
    # the incident's own point (incident_point.js, was an inline script) on the detail page's map
    with page.expect_navigation():
        page.locator("#results tbody tr a").first.click()
    page.wait_for_selector("#map .incident-marker")
    assert_clean(page, site)


def test_a_configured_tile_server_is_let_through(watched, site, login, settings):
    from centinela.lib.csp import policy

    settings.MAP_TILE_URL = "https://{s}.teselas.municipio.example/{z}/{x}/{y}.png"
    settings.CONTENT_SECURITY_POLICY = policy(settings.MAP_TILE_URL)  # as settings.py builds it at start-up
    page = watched
    login(page, "tecnico")
    page.wait_for_selector("#map[data-ready='1']")
    assert_map_drawn(page, "#map", tiles_from=".teselas.municipio.example", site=site)
    assert_clean(page, site)


def test_bars_and_heat_cells_get_their_computed_styles(watched, site, login, incidents):
    """Values computed per row travel as data- attributes (a style= attribute would be refused): the indicators'
    results, swapped in by htmx, get their shades, and a plan's progress bar its width."""
    from centinela.activities.tests import factories as f

    sagrario, valle = incidents
    prog = f.programme("training", code="CAP")
    f.activity(title="Capacitación", kind="training", parish_code="110101", status="done", prog=prog, month=2, day=11)
    f.activity(title="Taller", kind="training", parish_code="110104", status="planned", prog=prog, month=2, day=18)
    page = watched
    login(page, "tecnico")
    page.goto(site.url(f"/actividades/planes/{prog.plan.pk}/"))
    widths = page.eval_on_selector_all(".bar span[data-width]", "els => els.map(e => [e.dataset.width, e.style.width])")
    assert widths and all(style == width.replace(",", ".") for width, style in widths), widths
    page.goto(site.url("/observatorio/indicadores/?period=year&year=2021"))
    shaded = "() => [...document.querySelectorAll('#heat-table td[data-bg]')].filter(e => e.style.background).length"
    assert page.evaluate(shaded) == 7 * 24
    page.evaluate("() => document.getElementById('heat-table').remove()")
    page.select_option("#indicator-filters select[name=parish]", valle.code)  # htmx swaps the results in
    page.wait_for_selector("#heat-table")
    assert page.evaluate(shaded) == 7 * 24
    assert page.locator("#heat-table td").filter(has_text="1").count() >= 1  # El Valle's two incidents
    assert_clean(page, site)


def test_removing_a_working_group_member_asks_first(watched, site, login):
    """data-confirm (was onclick="return confirm(…)"): dismissed, nothing is sent; accepted, the member goes."""
    from centinela.activities.models import WorkingGroup, WorkingGroupMember
    from centinela.activities.tests import factories as f
    from centinela.partners.tests.factories import institution

    group = WorkingGroup.objects.create(programme=f.programme(), name="Mesa Yo Aprendo Seguridad")
    member = WorkingGroupMember.objects.create(group=group, institution=institution("Policía Nacional", council=True))
    page = watched
    login(page, "tecnico")
    page.goto(site.url(reverse("activities:working_group_detail", args=[group.pk])))
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.click(f"tr[data-member='{member.pk}'] button")
    page.wait_for_timeout(300)
    assert asked == ["¿Quitar este miembro del grupo?"]
    assert WorkingGroupMember.objects.filter(pk=member.pk).exists()
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    with page.expect_navigation():
        page.click(f"tr[data-member='{member.pk}'] button")
    assert len(asked) == 2 and not WorkingGroupMember.objects.filter(pk=member.pk).exists()
    assert_clean(page, site)
