import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from centinela.territory.models import Place

pytestmark = pytest.mark.django_db


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


def test_list_filters_search_and_type(client_for):
    c = client_for("tecnico")
    page = c.get(reverse("territory:place_list"), {"kind": "bank"})
    assert page.context["page"].paginator.count == 3
    page = c.get(reverse("territory:place_list"), {"q": "mercado"})
    assert {o.name for o in page.context["page"].paginator.object_list} == set(
        Place.objects.filter(name__icontains="mercado").values_list("name", flat=True)
    )


def test_htmx_request_returns_only_the_table(client_for):
    response = client_for("tecnico").get(reverse("territory:place_list"), {"q": "Banco"}, HTTP_HX_REQUEST="true")
    body = response.getvalue().decode()
    assert "<table" in body and "<html" not in body


def test_csv_export_respects_the_filters(client_for):
    response = client_for("tecnico").get(reverse("territory:place_list"), {"kind": "bank", "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    # the headers in Spanish (issue 13 item 1)
    assert sorted(r["Nombre"] for r in rows) == sorted(Place.objects.filter(kind="bank").values_list("name", flat=True))
    assert set(rows[0]) >= {"Nombre", "Tipo", "Parroquia", "Latitud", "Longitud"}


def test_xlsx_export_respects_the_users_parish(client_for, users):
    response = client_for("presidente.valle").get(reverse("territory:place_list"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active
    header, *data = list(sheet.values)
    parish_col = header.index("Parroquia")
    assert data and {row[parish_col] for row in data} == {"El Valle"}
    assert len(data) == Place.objects.filter(parish__code="110104").count()


def test_parish_export_has_every_parish_for_staff(client_for):
    rows = read_csv(client_for("directora").get(reverse("territory:parish_list"), {"export": "csv"}))
    assert len(rows) == 19 and {"Código", "Nombre", "Tipo"} <= set(rows[0])


def test_interface_speaks_spanish_by_default_and_english_on_request(client_for):
    c = client_for("tecnico")
    page = c.get(reverse("territory:parish_list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Parroquias" in page and 'lang="es-ec"' in page  # an English browser still gets Spanish first
    c.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Parishes" in c.get(reverse("territory:parish_list")).content.decode()


def test_exports_never_carry_live_formulas_and_reimport_the_same_text(client_for, tmp_path):
    from centinela.lib.exports import column_aliases
    from centinela.lib.tables import read_rows
    from centinela.territory import columns

    Place.objects.create(name='=HYPERLINK("http://x","clic")', kind="other", lon=-79.2017, lat=-3.996)
    c = client_for("tecnico")
    xlsx = c.get(reverse("territory:place_list"), {"q": "HYPERLINK", "export": "xlsx"}).getvalue()
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value.startswith("'=")
    path = tmp_path / "lugares.xlsx"
    path.write_bytes(xlsx)
    assert sheet.cell(row=1, column=1).value == "Nombre"  # the header in Spanish (issue 13 item 1)
    aliases = column_aliases(columns.PLACE)  # how importers read a file's labelled headers back to the keys
    assert read_rows(path, aliases=aliases)[0][1]["name"] == '=HYPERLINK("http://x","clic")'
    text = c.get(reverse("territory:place_list"), {"q": "HYPERLINK", "export": "csv"}).getvalue().decode("utf-8-sig")
    assert "\"'=HYPERLINK" in text
