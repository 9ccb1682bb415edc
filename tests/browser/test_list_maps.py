"""The incident list and the activity list draw their filtered rows on a map: the markers follow the filters, and a
parish president's map of incidents shows counts by barrio or parish, never an incident's own point."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def incidents(five_incidents):
    return five_incidents


def markers(page):
    page.wait_for_function(
        "() => { const m = document.getElementById('list-map'); return m && m.dataset.markers && !m.dataset.loading; }"
    )
    return int(page.get_attribute("#list-map", "data-markers")), page.locator("#list-map .list-marker").count()


def test_the_incident_map_follows_the_list_filter(page, site, login, incidents):
    sagrario, valle = incidents
    login(page, "tecnico")
    page.goto(site.url("/incidentes/"))
    assert markers(page) == (5, 5)
    page.select_option("select[name=parish]", str(valle.pk))
    page.wait_for_function("() => document.getElementById('list-map').dataset.markers === '2'")
    assert markers(page) == (2, 2)
    assert page.locator("#results tbody tr").count() == 2  # the list and its map: the same rows
    page.select_option("select[name=parish]", str(sagrario.pk))
    page.wait_for_function("() => document.getElementById('list-map').dataset.markers === '3'")
    assert markers(page) == (3, 3)
    assert not site.errors


def test_a_parish_president_sees_counts_not_points(page, site, login, incidents):
    login(page, "presidente.sagrario")
    page.goto(site.url("/incidentes/"))
    assert markers(page) == (1, 1)  # the three incidents of El Sagrario as one count at the parish's centre
    assert page.locator("#list-map .list-count").inner_text() == "3"
    assert page.get_attribute("#list-map", "data-total") == "3"


def test_the_activity_map_follows_the_list_filter(page, site, login):
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
    login(page, "tecnico")
    page.goto(site.url("/actividades/"))
    assert markers(page) == (2, 2)
    page.select_option("select[name=status]", "planned")
    page.wait_for_function("() => document.getElementById('list-map').dataset.markers === '1'")
    assert markers(page) == (1, 1)
    page.locator("#list-map .list-marker").first.click()
    assert "Capacitación El Valle" in page.locator(".leaflet-popup-content").inner_text()


def test_the_incident_map_draws_the_open_citizen_reports_beside_the_incidents(page, site, login, incidents):
    """Issue 12: reports are a map layer beside incidents. The staff's incident map has both, and a layer switcher."""
    from centinela.participation import services
    from centinela.participation.categories import ensure_categories
    from centinela.participation.models import ReportCategory

    sagrario, _valle = incidents
    ensure_categories(ReportCategory)
    report = services.file_report(
        category=ReportCategory.objects.get(code="alumbrado-deficiente"),
        lon=sagrario.centre_lon + 0.002,
        lat=sagrario.centre_lat,
        description="Poste sin luz junto al parque",
    )
    login(page, "tecnico")
    page.goto(site.url("/incidentes/"))
    assert markers(page) == (5, 5)
    assert page.get_attribute("#list-map", "data-shared-markers") == "1"
    assert page.locator("#list-map .shared-reports").count() == 1
    assert page.locator("#list-map .leaflet-control-layers").count() == 1
    page.locator("#list-map .shared-reports").dispatch_event("click")
    assert page.locator(".leaflet-popup-content").inner_text().startswith(report.code)
    assert not site.errors
