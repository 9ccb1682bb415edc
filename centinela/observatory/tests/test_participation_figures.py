"""The observatory's citizen participation figures (/observatorio/participacion/): reports per category, barrio and
month, time to first response and to resolution, the share resolved within the time limit; checked against figures
worked out by hand on a small year (participation_fixture), with its edge cases: no reports, never answered,
resolved late, not applicable, merged, and a report received on New Year's Eve local time."""

import csv
import io
from datetime import date

import pytest

from centinela.observatory import participation
from centinela.observatory.tests.participation_fixture import EXPECTED, YEAR, build
from centinela.territory.models import Parish

URL = "/observatorio/participacion/"


@pytest.fixture
def made(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return build(users)


def test_the_year_figures_match_the_hand_count(made):
    figures = participation.year_figures(None, YEAR)
    total = figures.total
    assert figures.duplicates == EXPECTED["duplicates"]
    for name in ("reports", "unanswered", "resolved", "resolved_in_time"):
        assert getattr(total, name) == EXPECTED[name], name
    for name in (
        "median_response_hours",
        "mean_response_hours",
        "median_resolution_days",
        "mean_resolution_days",
        "share_in_time",
    ):
        assert getattr(total, name) == pytest.approx(EXPECTED[name]), name


def test_per_category_barrio_and_month(made):
    figures = participation.year_figures(None, YEAR)
    by_category = {r.label: r for r in figures.by_category}
    light = by_category["Alumbrado deficiente"]
    assert (light.reports, light.resolved, light.resolved_in_time, light.unanswered) == (2, 1, 1, 1)
    assert light.share_in_time == pytest.approx(50.0)
    other = by_category["Otro"]
    assert (other.reports, other.resolved, other.resolved_in_time) == (1, 1, 0)  # resolved late
    assert other.share_in_time == 0 and other.median_resolution_days == pytest.approx(40)
    drugs = by_category["Consumo o venta de drogas en vía pública"]
    assert drugs.not_applicable == 1 and drugs.share_in_time is None  # nothing to measure against the limit
    assert [r.label for r in figures.by_category] == [
        "Alumbrado deficiente",
        "Lugar abandonado",
        "Consumo o venta de drogas en vía pública",
        "Otro",
    ]  # the council's order of categories
    assert {r.label: r.reports for r in figures.by_month} == {f"{YEAR}-03": 2, f"{YEAR}-04": 2, f"{YEAR}-06": 1}
    assert sum(r.reports for r in figures.by_barrio) == 5
    assert {r.parish for r in figures.by_barrio} == {"El Sagrario", "El Valle"}


def test_new_years_eve_local_time_counts_in_its_own_year(made):
    assert participation.year_figures(None, YEAR - 1).total.reports == 1
    assert participation.figures(None, date(YEAR, 1, 1), date(YEAR, 1, 31)).total.reports == 0


def test_a_parish_and_a_president_see_their_parish_only(made, users):
    valle = Parish.objects.get(code="110104")
    assert participation.year_figures(None, YEAR, parish=valle).total.reports == 1
    mine = participation.year_figures(users["presidente.sagrario"], YEAR)
    assert mine.total.reports == 4 and mine.duplicates == 1
    assert participation.year_figures(users["presidente.valle"], YEAR).total.reports == 1


def test_no_reports_no_figures(db):
    figures = participation.year_figures(None, 2019)
    assert figures.total.reports == 0 and figures.by_category == [] and figures.by_month == []
    assert figures.total.median_response_hours is None and figures.total.share_in_time is None


def test_the_page_shows_the_figures(made, client_for):
    page = client_for("directora").get(URL, {"period": "year", "year": YEAR}).content.decode()
    assert '<dd id="p-reports">5</dd>' in page
    assert '<dd id="p-duplicates">1</dd>' in page
    assert '<dd id="p-response">14,5</dd>' in page
    assert '<dd id="p-resolution">25,0</dd>' in page
    assert '<dd id="p-in-time">25,0 %</dd>' in page
    assert "Alumbrado deficiente" in page and 'id="table-barrio"' in page


def test_the_page_is_scoped_by_role(made, client_for):
    page = client_for("presidente.valle").get(URL, {"period": "year", "year": YEAR}).content.decode()
    assert '<dd id="p-reports">1</dd>' in page


def test_the_csv_download_has_the_same_figures(made, client_for):
    response = client_for("tecnico").get(URL, {"period": "year", "year": YEAR, "export": "csv", "table": "category"})
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    # the headers are the columns' labels in Spanish (issue 13 item 1)
    light = next(r for r in rows if r["Categoría"] == "Alumbrado deficiente")
    assert light["Reportes recibidos"] == "2" and light["Resueltos dentro del plazo"] == "1"
    assert light["Porcentaje resuelto dentro del plazo (%)"] == "50.0"
    total = rows[-1]
    assert (
        total["Reportes recibidos"] == "5" and total["Mediana del tiempo hasta la primera respuesta (horas)"] == "14.5"
    )
    months = client_for("tecnico").get(URL, {"period": "year", "year": YEAR, "export": "csv", "table": "month"})
    assert f"{YEAR}-06" in b"".join(months.streaming_content).decode("utf-8-sig")


def test_an_empty_period_says_so(db, client_for):
    page = client_for("tecnico").get(URL, {"period": "year", "year": 2019}).content.decode()
    assert '<dd id="p-reports">0</dd>' in page and "No hay reportes en el período." in page


@pytest.mark.parametrize(
    "query, message",
    [
        ({"period": "year", "year": "abc"}, "Introduzca un número entero"),
        (
            {"period": "range", "start": "2025-05-01", "end": "2025-04-01"},
            "La fecha final (01/04/2025) es anterior a la inicial (01/05/2025)",
        ),
        ({"period": "range", "start": "2025-05-01"}, "Indique una fecha inicial y una final"),
        ({"period": "year", "year": "2025", "parish": "999999"}, "Parroquia desconocida: 999999"),
    ],
)
def test_bad_filters_are_a_spanish_message(db, client_for, query, message):
    response = client_for("tecnico").get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()
