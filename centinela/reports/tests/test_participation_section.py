"""The yearly report's citizen participation section comes from the observatory's figures (observatory.participation):
reports received, by status, merged, never answered, the median response and resolution times and the share resolved
within the time limit, and a row per category; a year without reports has no such section."""

import pytest

from centinela.activities.tests.factories import plan
from centinela.observatory.tests.participation_fixture import YEAR, build
from centinela.reports.selectors import annual_report


@pytest.fixture
def made(users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    plan(YEAR)  # a year with a plan is a year the report page offers
    return build(users)


def test_the_section_states_the_years_figures(made):
    section = annual_report(YEAR).participation
    rows = dict(section.rows)
    assert rows["Reportes ciudadanos recibidos"] == "5"
    assert rows["Reportes en estado «Resuelto»"] == "2"
    assert rows["Reportes en estado «No procede»"] == "1"
    assert rows["Reportes fusionados como duplicados"] == "1"
    assert rows["Reportes nunca respondidos"] == "1"
    assert rows["Mediana del tiempo hasta la primera respuesta (horas)"] == "14,50"
    assert rows["Mediana del tiempo hasta la resolución (días)"] == "25"
    assert rows["Porcentaje resuelto dentro del plazo"] == "25,0 %"
    light = next(r for r in section.categories if r[0] == "Alumbrado deficiente")
    assert light == ["Alumbrado deficiente", "2", "1", "1", "50,0 %"]


def test_the_section_is_on_the_page_and_in_the_documents(made, client_for):
    from centinela.reports import documents
    from centinela.reports.tests.reading import docx_text, pdf_text

    page = client_for("directora").get("/informes/anual/", {"year": YEAR, "format": "html"}).content.decode()
    assert 'id="participation"' in page and "Participación ciudadana" in page
    assert "Reportes ciudadanos recibidos" in page and "25,0 %" in page
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        text = read(documents.build(YEAR, fmt).content)
        assert "Participación ciudadana" in text and "Reportes ciudadanos recibidos" in text


def test_a_president_reads_their_parishs_figures(made, users):
    rows = dict(annual_report(YEAR, users["presidente.valle"]).participation.rows)
    assert rows["Reportes ciudadanos recibidos"] == "1"


def test_a_year_without_reports_has_no_section(db):
    plan(2019)
    assert not annual_report(2019).participation
