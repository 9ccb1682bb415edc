"""The yearly report's video-surveillance section comes from the camera inventory and the monitor's records."""

import pytest

from centinela.activities.demo import load_demo_year_2020
from centinela.cameras.demo import load_demo_cameras
from centinela.cameras.models import System
from centinela.reports.selectors import annual_report

pytestmark = pytest.mark.django_db


def test_report_states_the_camera_network_from_the_inventory(client_for):
    load_demo_year_2020()
    load_demo_cameras()
    report = annual_report(2020)
    rows = dict(report.surveillance.rows)
    assert rows["Sistemas de videovigilancia"] == str(System.objects.count())
    assert rows["Sistemas reactivados en el año"] == str(System.objects.filter(reactivated_on__year=2020).count())
    assert int(rows["Sistemas reactivados en el año"]) >= 12
    page = client_for("directora").get("/informes/anual/", {"year": 2020, "format": "html"}).content.decode()
    assert 'id="surveillance"' in page and "Sistemas reactivados en el año" in page


def test_the_section_is_in_the_docx_and_pdf_too():
    from centinela.reports import documents
    from centinela.reports.tests.reading import docx_text, pdf_text

    load_demo_year_2020()
    load_demo_cameras()
    for fmt, read in (("docx", docx_text), ("pdf", pdf_text)):
        text = read(documents.build(2020, fmt).content)
        assert "La red de videovigilancia" in text and "Sistemas reactivados en el año" in text
