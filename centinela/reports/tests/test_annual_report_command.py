"""manage.py annual_report writes the report in each format, and a year without records still gives a report."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from centinela.reports.tests.reading import docx_text, html_text, pdf_text

pytestmark = pytest.mark.django_db
READERS = {"html": html_text, "docx": docx_text, "pdf": pdf_text}


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_command_writes_each_format(demo_2020, db, tmp_path, fmt):
    path = tmp_path / f"informe.{fmt}"
    out = StringIO()
    call_command("annual_report", "--year", "2020", "--format", fmt, "--output", str(path), stdout=out)
    assert str(path) in out.getvalue()
    text = READERS[fmt](path.read_bytes())
    assert (
        "Rendición de cuentas 2020" in text and "Reactivación de sistemas de videovigilancia en abandono (12)" in text
    )


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_a_year_without_records_says_so(db, tmp_path, fmt):
    path = tmp_path / f"vacio.{fmt}"
    call_command("annual_report", "--year", "2019", "--format", fmt, "--output", str(path), stdout=StringIO())
    text = READERS[fmt](path.read_bytes())
    assert "Rendición de cuentas 2019" in text and "No se registró un plan cantonal para este año." in text


def test_the_year_is_required():
    with pytest.raises(CommandError):
        call_command("annual_report", "--format", "pdf")


def test_the_html_file_carries_the_reports_style_inside(db, tmp_path):
    """The page links reports/annual_report.css (its Content-Security-Policy allows no inline style); the downloaded
    file is opened from disk, without the site, so the same rules travel inside it."""
    from django.contrib.staticfiles import finders

    path = tmp_path / "informe.html"
    call_command("annual_report", "--year", "2019", "--format", "html", "--output", str(path), stdout=StringIO())
    html = path.read_text(encoding="utf-8")
    rules = open(finders.find("reports/annual_report.css"), encoding="utf-8").read()
    assert ".annual-report h2 {" in rules
    style = html[html.index("<style>") : html.index("</style>")]
    assert rules.strip() in style  # whole, and not escaped as text (its comment's apostrophe would become &#x27;)
