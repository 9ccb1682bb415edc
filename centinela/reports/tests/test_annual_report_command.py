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
