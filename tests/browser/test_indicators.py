"""The incident indicators in a real Chromium: the director opens the page, changes a filter, and the table updates
in place (htmx) with the new figures while the charts load as images (one after another: the page asks for them in
turn, which also keeps the live server's shared in-memory SQLite connection to one query at a time)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
LOJA = ZoneInfo("America/Guayaquil")


@pytest.fixture
def incidents(gazetteer):
    """A flushed live-server database has lost the taxonomy the migration loaded: put back what the test needs."""
    from centinela.incidents.models import Category, Incident, Source
    from centinela.incidents.taxonomy import CATEGORIES
    from centinela.territory.models import Parish

    for code, name, group in CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "group": group})
    source = Source.objects.get_or_create(code="ecu911", defaults={"name": "ECU 911"})[0]
    motos = Category.objects.get(code="robo-motos")
    violence = Category.objects.get(code="violencia-mujer-familia")
    sagrario, valle = Parish.objects.get(code="110101"), Parish.objects.get(code="110104")
    rows = [(sagrario, motos, (2024, 3, d, 21)) for d in range(1, 8)]  # 7 in March in El Sagrario
    rows += [(valle, violence, (2024, 3, d, 2)) for d in range(1, 4)]  # 3 in March in El Valle
    rows += [(valle, motos, (2024, 6, d, 12)) for d in range(1, 12)]  # 11 in June in El Valle
    Incident.objects.bulk_create(
        [
            Incident(
                source=source,
                category=c,
                parish=p,
                lon=p.centre_lon,
                lat=p.centre_lat,
                occurred_at=datetime(*t, tzinfo=LOJA),
            )
            for p, c, t in rows
        ]
    )


def cell(page, label):
    """The count in the breakdown table's row for `label`."""
    return page.inner_text(f"#breakdown-table tr:has(td:text-is('{label}')) td:nth-child(2)").strip()


def charts_loaded(page):
    page.wait_for_function(
        "() => ['breakdown', 'trend', 'heat'].every(n => document.querySelector('#chart-' + n).naturalWidth > 0)",
        timeout=60_000,
    )


def test_the_director_changes_a_filter_and_the_table_and_charts_follow(page, site, login, incidents):
    login(page, "directora")
    page.goto(site.url("/observatorio/indicadores/?period=month&year=2024&month=3"))
    assert page.inner_text("h1") == "Indicadores de incidentes"
    assert cell(page, "El Sagrario") == "7" and cell(page, "El Valle") == "3"
    charts_loaded(page)

    page.select_option("select[name=month]", "6")  # htmx replaces the results in place
    page.wait_for_function(
        "() => document.querySelector('#period-label')"
        " && document.querySelector('#period-label').innerText.includes('junio')"
    )
    assert cell(page, "El Valle") == "11" and cell(page, "El Sagrario") == "0"
    assert "month=6" in page.url
    charts_loaded(page)
    assert "month=6" in page.get_attribute("#chart-breakdown", "src")

    page.select_option("select[name=by]", "group")
    page.wait_for_selector("#breakdown-table td:text-is('Violencia contra la mujer o miembros del núcleo familiar')")
    charts_loaded(page)
    page.select_option("select[name=period]", "range")
    assert page.is_visible("input[name=start]")
    page.wait_for_function("() => document.querySelector('#period-label').innerText.includes('–')")
    charts_loaded(page)
    page.fill("input[name=start]", "2024-06-30")
    page.fill("input[name=end]", "2024-06-01")
    page.dispatch_event("input[name=end]", "change")
    page.wait_for_selector("#indicator-errors")
    assert "anterior a la inicial" in page.inner_text("#indicator-errors")
    assert site.errors == []
