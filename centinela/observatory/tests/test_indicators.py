"""Incident indicators: exact counts, rates and changes on hand-made incidents, local time, downloads, charts and
what each role sees."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from centinela.incidents.models import Category, Incident, Source
from centinela.observatory import indicators
from centinela.observatory.indicators import Period, month_period, quarter_period, year_period
from centinela.territory.models import Parish, ParishPopulation

LOJA = ZoneInfo("America/Guayaquil")
URL = "/observatorio/indicadores/"
CHART = "/observatorio/indicadores/grafico/"
SAGRARIO, CISNE = "110101", "110153"  # El Cisne gets a census figure of 1,628 for 2010 in the fixture `march`


def add(rows, source="ecu911"):
    """rows: (parish code, category code, local datetime tuple[, status])"""
    src = Source.objects.get_or_create(code=source, defaults={"name": source})[0]
    parishes = {p.code: p for p in Parish.objects.all()}
    cats = {c.code: c for c in Category.objects.all()}
    objs = []
    for row in rows:
        code, cat, when = row[:3]
        parish = parishes[code] if code else None
        objs.append(
            Incident(
                source=src,
                category=cats[cat],
                occurred_at=datetime(*when, tzinfo=LOJA),
                lon=-79.2,
                lat=-4.0,
                parish=parish,
                status=row[3] if len(row) > 3 else "reported",
            )
        )
    Incident.objects.bulk_create(objs)


def rows_by_key(result):
    return {r.key: r for r in result.rows}


def test_counts_rates_and_changes_by_parish(users, march):
    result = indicators.breakdown(users["directora"], month_period(2024, 3), "parish")
    sagrario = Parish.objects.get(code=SAGRARIO)
    cisne = Parish.objects.get(code=CISNE)
    rows = rows_by_key(result)
    assert (rows[sagrario.pk].count, rows[sagrario.pk].previous, rows[sagrario.pk].year_before) == (3, 1, 0)
    assert rows[sagrario.pk].change_previous == (2, 200.0)
    assert rows[sagrario.pk].change_year == (3, None)  # no base: "n/d"
    assert rows[sagrario.pk].population is None and rows[sagrario.pk].rate is None  # "sin población"
    assert (rows[cisne.pk].count, rows[cisne.pk].previous, rows[cisne.pk].year_before) == (2, 0, 4)
    assert rows[cisne.pk].change_year == (-2, -50.0)
    assert rows[cisne.pk].population.year == 2010
    assert rows[cisne.pk].rate == pytest.approx(2 * 100_000 / 1628)
    assert result.total.count == 5 and result.total.previous == 1 and result.total.year_before == 4
    assert result.total.rate is None  # urban parishes have no census figure: no canton rate
    assert "2010 (INEC (test figure))" in result.population_note and "El Sagrario" in result.missing_population
    assert rows[Parish.objects.get(code="110104").pk].count == 0  # every parish is listed, zeros included


def test_the_population_nearest_the_period_gives_the_rate_and_the_note_says_which(users, march):
    cisne = Parish.objects.get(code=CISNE)
    ParishPopulation.objects.create(parish=cisne, year=2022, population=2000, source="INEC 2022")
    now = rows_by_key(indicators.breakdown(users["directora"], month_period(2024, 3), "parish"))[cisne.pk]
    assert now.population.year == 2022 and now.rate == pytest.approx(100.0)
    # 2019 is 3 years from the 2022 census and 9 from 2010's: the nearer one
    assert (
        rows_by_key(indicators.breakdown(users["directora"], year_period(2019), "parish"))[cisne.pk].population.year
        == 2022
    )
    # equally near (2016: six years from each): the earlier count
    assert (
        rows_by_key(indicators.breakdown(users["directora"], year_period(2016), "parish"))[cisne.pk].population.year
        == 2010
    )
    # a census before an estimate of the same year
    ParishPopulation.objects.create(parish=cisne, year=2022, population=4000, kind="estimate", source="Municipio")
    assert (
        rows_by_key(indicators.breakdown(users["directora"], year_period(2022), "parish"))[
            cisne.pk
        ].population.population
        == 2000
    )
    # an estimate nearer than any census is used, and the page says which figure and from whom
    ParishPopulation.objects.create(
        parish=cisne, year=2024, population=2500, kind="estimate", source="Municipio de Loja"
    )
    result = indicators.breakdown(users["directora"], month_period(2024, 3), "parish")
    assert rows_by_key(result)[cisne.pk].rate == pytest.approx(2 * 100_000 / 2500)
    assert "2024 (Municipio de Loja)" in result.population_note


def test_an_unverified_figure_is_never_used_for_a_rate(users, march):
    sagrario = Parish.objects.get(code=SAGRARIO)
    ParishPopulation.objects.create(
        parish=sagrario, year=2024, population=30000, kind="unverified", source="German Wikipedia article on the parish"
    )
    result = indicators.breakdown(users["directora"], month_period(2024, 3), "parish")
    assert rows_by_key(result)[sagrario.pk].rate is None and "El Sagrario" in result.missing_population


def test_urban_parishes_with_an_entered_estimate_get_a_rate_and_barrios_too(users, march):
    from centinela.territory.models import Barrio, BarrioPopulation

    sagrario = Parish.objects.get(code=SAGRARIO)
    ParishPopulation.objects.create(parish=sagrario, year=2024, population=30000, kind="estimate", source="Municipio")
    rows = rows_by_key(indicators.breakdown(users["directora"], month_period(2024, 3), "parish"))
    assert rows[sagrario.pk].rate == pytest.approx(3 * 100_000 / 30000)
    barrio = Barrio.objects.filter(parish=sagrario).first()
    Incident.objects.filter(parish=sagrario).update(barrio=barrio)
    BarrioPopulation.objects.create(barrio=barrio, year=2023, population=1500, kind="estimate", source="Comité")
    by_barrio = indicators.breakdown(users["directora"], month_period(2024, 3), "barrio")
    row = rows_by_key(by_barrio)[barrio.pk]
    assert row.count == 3 and row.rate == pytest.approx(3 * 100_000 / 1500) and row.population.year == 2023
    others = [r for r in by_barrio.rows if r.key not in (barrio.pk, None)]
    assert others and all(r.rate is None for r in others)
    assert others[0].label in by_barrio.missing_population and barrio.name not in by_barrio.missing_population


def test_an_incident_at_2330_local_time_counts_on_its_local_day_and_hour(users, march):
    director = users["directora"]
    assert indicators.breakdown(director, month_period(2024, 4), "parish").total.count == 0
    day = indicators.breakdown(director, Period(date(2024, 3, 31), date(2024, 3, 31)), "parish")
    assert day.total.count == 1
    heat = indicators.heat(director, month_period(2024, 3))
    assert heat.cells[6][23] == 1  # Sunday (ISO 7), 23 h local; in UTC it would be Monday 04 h
    assert heat.cells[0][4] == 0
    assert heat.cells[5][10] == 1  # Saturday 2 March, 10 h
    assert heat.total == 5
    trend = indicators.trend(director, month_period(2024, 3), "group")
    assert trend.months[-1] == date(2024, 3, 1) and len(trend.months) == 12
    by = {s.key: s.values for s in trend.series}
    assert by["contravention"][-1] == 1 and by["dmcs"][-1] == 4 and by["dmcs"][-2] == 1


def test_groups_and_categories_with_a_rate_for_one_parish(users, march):
    director = users["directora"]
    groups = rows_by_key(indicators.breakdown(director, month_period(2024, 3), "group"))
    assert (
        groups["dmcs"].count == 4 and groups["contravention"].count == 1 and groups["violence_gender_family"].count == 0
    )
    assert groups["dmcs"].year_before == 3
    cisne = Parish.objects.get(code=CISNE)
    cats = indicators.breakdown(director, year_period(2023), "category", parish=cisne)
    robbery = next(r for r in cats.rows if r.label == "Robo a personas")
    assert robbery.count == 3 and robbery.rate == pytest.approx(3 * 100_000 / 1628)
    assert cats.total.count == 4 and cats.total.rate == pytest.approx(4 * 100_000 / 1628)
    only_dmcs = indicators.breakdown(director, month_period(2024, 3), "parish", group="dmcs")
    assert only_dmcs.total.count == 4


def test_previous_period_and_same_period_a_year_before():
    assert month_period(2024, 1).previous() == month_period(2023, 12)
    assert month_period(2024, 3).previous().end == date(2024, 2, 29)
    assert month_period(2024, 2).year_before() == month_period(2023, 2)
    assert quarter_period(2024, 1).previous() == quarter_period(2023, 4)
    assert quarter_period(2024, 3).year_before() == quarter_period(2023, 3)
    assert year_period(2024).previous() == year_period(2023)
    span = Period(date(2024, 3, 1), date(2024, 3, 10))
    assert span.previous() == Period(date(2024, 2, 20), date(2024, 2, 29))
    assert Period(date(2024, 2, 29), date(2024, 3, 1)).year_before() == Period(date(2023, 2, 28), date(2023, 3, 1))


def read_csv(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_every_table_downloads_as_csv(client_for, march):
    client = client_for("directora")
    q = "?period=month&year=2024&month=3&by=parish&series=group"
    rows = read_csv(client.get(URL + q + "&table=breakdown&export=csv"))
    # the headers are the columns' labels in Spanish (issue 13 item 1), each its own
    assert list(rows[0]) == [
        "Parroquia",
        "Incidentes",
        "Población",
        "Año de la población",
        "Censo o estimación",
        "Tasa por 100.000",
        "Periodo anterior (febrero 2024)",
        "Variación frente al periodo anterior",
        "Variación frente al periodo anterior %",
        "Un año antes (marzo 2023)",
        "Variación frente a un año antes",
        "Variación frente a un año antes %",
    ]
    sagrario = next(r for r in rows if r["Parroquia"] == "El Sagrario")
    assert (sagrario["Incidentes"], sagrario["Periodo anterior (febrero 2024)"]) == ("3", "1")
    assert sagrario["Variación frente al periodo anterior %"] == "200.0"
    assert sagrario["Variación frente a un año antes %"] == "n/d" and sagrario["Tasa por 100.000"] == "sin población"
    cisne = next(r for r in rows if r["Parroquia"] == "El Cisne")
    assert float(cisne["Tasa por 100.000"]) == pytest.approx(122.85, abs=0.01)
    assert rows[-1]["Incidentes"] == "5"  # the total
    trend = read_csv(client.get(URL + q + "&table=trend&export=csv"))
    expected = {
        "Mes": "2024-03",
        "Grupo de categorías": "Delitos de mayor connotación social (DMCS)",
        "Incidentes": "4",
    }
    assert expected in trend
    heat = read_csv(client.get(URL + q + "&table=heat&export=csv"))
    assert len(heat) == 7 and heat[6]["23"] == "1" and list(heat[0])[0] == "Día"
    xlsx = client.get(URL + q + "&table=breakdown&export=xlsx")
    assert xlsx.status_code == 200 and xlsx.getvalue()[:2] == b"PK"


@pytest.mark.parametrize("name", ["breakdown", "trend", "heat"])
def test_every_chart_downloads_as_png_and_svg(client_for, march, name):
    client = client_for("directora")
    q = f"?period=month&year=2024&month=3&chart={name}"
    png = client.get(CHART + q + "&format=png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    svg = client.get(CHART + q + "&format=svg&download=1")
    assert svg["Content-Type"] == "image/svg+xml" and "attachment" in svg["Content-Disposition"]
    assert ET.fromstring(svg.content).tag.endswith("svg")


def test_the_page_shows_tables_and_charts_in_spanish(client_for, march):
    page = client_for("directora").get(URL + "?period=month&year=2024&month=3")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Indicadores de incidentes" in html and "marzo 2024" in html.lower()
    assert 'id="breakdown-table"' in html and 'id="heat-table"' in html and 'id="trend-table"' in html
    assert "chart=breakdown&amp;format=png" in html and "sin población" in html and "n/d" in html
    assert "Variación %: n/d cuando el periodo base no tuvo incidentes." in html


def test_a_parish_president_sees_only_their_parish(client_for, users, march):
    president = users["presidente.sagrario"]
    result = indicators.breakdown(president, month_period(2024, 3), "parish")
    assert [r.label for r in result.rows] == ["El Sagrario"] and result.total.count == 3
    assert indicators.breakdown(president, month_period(2023, 3), "group").total.count == 0  # El Cisne's are not theirs
    assert indicators.heat(president, month_period(2024, 3)).total == 3
    client = client_for("presidente.sagrario")
    rows = read_csv(client.get(URL + "?period=month&year=2024&month=3&by=group&table=breakdown&export=csv"))
    assert rows[-1]["Incidentes"] == "3"
    other = client.get(URL + f"?period=month&year=2024&month=3&parish={CISNE}")
    assert "Parroquia desconocida: 110153." in other.content.decode()
    assert client.get(CHART + f"?parish={CISNE}").status_code == 400
    valle = indicators.breakdown(users["presidente.valle"], month_period(2024, 3), "parish")
    assert valle.total.count == 0


def test_liaisons_read_and_anonymous_visitors_meet_the_login(client, client_for, march):
    liaison = client_for("enlace.policia")
    assert liaison.get(URL + "?period=month&year=2024&month=3").status_code == 200
    assert (
        read_csv(liaison.get(URL + "?period=month&year=2024&month=3&table=breakdown&export=csv"))[-1]["Incidentes"]
        == "5"
    )
    response = client.get(URL)
    assert response.status_code == 302 and "/cuenta/ingresar/" in response["Location"]
    assert client.get(CHART).status_code == 302


@pytest.mark.parametrize(
    "query, message",
    [
        (
            "?period=range&start=2024-03-10&end=2024-03-01",
            "La fecha final (01/03/2024) es anterior a la inicial (10/03/2024).",
        ),
        ("?period=range&start=2024-03-10&end=", "Indique una fecha inicial y una final para un rango de fechas."),
        ("?period=month&year=2024&month=", "Elija un mes."),
        ("?period=year&year=2999", "Asegúrese de que este valor es menor o igual a 2100."),
        ("?period=year&year=2099", "El periodo empieza después de hoy: todavía no hay nada que contar."),
        ("?parish=999999", "Parroquia desconocida: 999999."),
        ("?group=nada", "Grupo de categorías desconocido: nada."),
    ],
)
def test_parameters_out_of_range_get_a_clear_spanish_message(client_for, march, query, message):
    response = client_for("tecnico").get(URL + query)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'id="breakdown-table"' not in response.content.decode()


def test_an_empty_period_says_so(client_for, march):
    html = client_for("tecnico").get(URL + "?period=month&year=2022&month=7").content.decode()
    assert "No hay incidentes en este periodo." in html


def test_the_filter_fragment_answers_htmx(client_for, march):
    response = client_for("tecnico").get(URL + "?period=month&year=2024&month=3", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'id="breakdown-table"' in html and "<html" not in html


def test_synthetic_data_is_announced(client_for, march):
    client = client_for("directora")
    assert "Datos sintéticos de demostración" not in client.get(URL).content.decode()
    add([(SAGRARIO, "robo-motos", (2024, 3, 3, 3))], source="sintetico")
    assert "Datos sintéticos de demostración" in client.get(URL).content.decode()


@pytest.mark.parametrize("table", ["breakdown", "trend", "heat"])
def test_downloads_of_synthetic_data_say_so_in_the_name_and_a_last_column(client_for, march, table):
    from openpyxl import load_workbook

    client = client_for("directora")
    q = f"?period=month&year=2024&month=3&by=parish&series=group&table={table}"
    real = client.get(URL + q + "&export=csv")
    assert "sinteticos" not in real["Content-Disposition"]
    assert "Datos sintéticos" not in read_csv(real)[0]
    add([(SAGRARIO, "robo-motos", (2024, 3, 3, 3))], source="sintetico")
    response = client.get(URL + q + "&export=csv")
    assert (
        'filename="indicadores-' in response["Content-Disposition"]
        and "-sinteticos-" in response["Content-Disposition"]
    )
    rows = read_csv(response)
    assert list(rows[0])[-1] == "Datos sintéticos" and {r["Datos sintéticos"] for r in rows} == {"sí"}
    xlsx = client.get(URL + q + "&export=xlsx")
    assert "-sinteticos-" in xlsx["Content-Disposition"]
    sheet = list(load_workbook(io.BytesIO(xlsx.getvalue())).active.values)
    assert sheet[0][-1] == "Datos sintéticos" and {r[-1] for r in sheet[1:]} == {"sí"}


def test_a_year_is_compared_once_with_the_year_before_not_in_two_equal_columns(users, march, client):
    from centinela.observatory.views.indicators import breakdown_columns

    year = indicators.breakdown(users["directora"], year_period(2024), "parish")
    assert year.one_comparison
    names = [c.key for c in breakdown_columns(year)]
    assert "previous_period" in names and "year_before" not in names
    month = indicators.breakdown(users["directora"], month_period(2024, 3), "parish")
    assert not month.one_comparison
    headers = {c.key: str(c.label) for c in breakdown_columns(month)}
    assert "2024" in headers["previous_period"] and "2023" in headers["year_before"]  # each says which period
    client.force_login(users["directora"])
    page = client.get(URL, {"period": "year", "year": "2024", "by": "parish", "series": "group"})
    table = page.content.decode().split('id="breakdown-table"')[1].split("</thead>")[0]
    assert table.count("2023") == 1  # the one comparison, named once


@pytest.mark.parametrize("year", ["²", "٢٠٢٠"])
def test_a_year_in_other_digits_is_a_form_error_not_a_server_error(client_for, year):
    """str.isdigit() holds for "²", which int() refuses: the page answered 500."""
    response = client_for("directora").get(URL, {"period": "year", "year": year})
    assert response.status_code in (200, 400)
