"""lib/exports.py, the one export helper: text a spreadsheet would run as a formula gets an apostrophe (OWASP CSV
injection) while numbers written as text stay as they are, numbers and dates keep their type (aware times in the
local time zone), the CSV starts with a BOM and is sent in batches, the XLSX is a real workbook with typed cells,
both re-import through lib/tables.py to the values exported, querysets are read in chunks (never cached whole), and
an unknown format is refused."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

from centinela.accounts.models import User
from centinela.jobs.tests.follow import confirm
from centinela.lib.exports import (
    Column,
    cell,
    csv_chunks,
    export_response,
    rows,
    safe_rows,
    safe_text,
    table_response,
    write_csv,
    xlsx_file,
)
from centinela.lib.tables import read_table

FORMULAS = ["=1+1", "+593 99", "-2+3", "@SUMA(A1)", "\tpestaña", "\rretorno", '=HYPERLINK("http://x")', "-", "+"]
NUMBERS_AS_TEXT = ["-12,5", "+3", "1e-3", "-.5", "-1.234.567,89", "12", "-0"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_text_gets_an_apostrophe(text):
    assert safe_text(text) == "'" + text


@pytest.mark.parametrize("text", NUMBERS_AS_TEXT + ["hola", "a=b", "", "'=ya escapado", "Calle 10 - Sur"])
def test_numbers_as_text_and_plain_text_stay_as_they_are(text):
    assert safe_text(text) == text


@pytest.mark.parametrize(
    "value", [7, -7, 2.5, -0.25, Decimal("-3.10"), date(2024, 3, 2), datetime(2024, 3, 2, 10, 5), True]
)
def test_numbers_and_dates_keep_their_type(value):
    assert cell(value) is value


def test_an_aware_time_is_written_in_the_local_time_zone_without_its_zone():
    assert cell(datetime(2024, 3, 2, 15, 30, tzinfo=UTC)) == datetime(2024, 3, 2, 10, 30)  # Guayaquil: UTC-5


class Named:
    def __str__(self):
        return "@persona"


def test_anything_else_becomes_safe_text():
    assert cell(None) == "" and cell("=1+1") == "'=1+1" and cell(Named()) == "'@persona" and cell(["=x"]) == "['=x']"
    assert list(safe_rows([("=a", -1, None), ("b", date(2024, 1, 1), "@c")])) == [
        ["'=a", -1, ""],
        ["b", date(2024, 1, 1), "'@c"],
    ]


def test_the_csv_has_a_bom_a_safe_header_and_goes_out_in_batches():
    body = ([n, f"=fila {n}"] for n in range(1201))
    chunks = list(csv_chunks(["numero", "=texto"], body))
    assert chunks[0] == "\ufeff" and chunks[1] == "numero,'=texto\r\n"
    assert len(chunks) == 2 + 3  # 1201 rows: 500 + 500 + 201
    parsed = list(csv.reader(io.StringIO("".join(chunks[1:]))))
    assert len(parsed) == 1202 and parsed[1] == ["0", "'=fila 0"] and parsed[-1] == ["1200", "'=fila 1200"]
    assert list(csv_chunks(["a"], [], bom=False)) == ["a\r\n"]


def test_a_csv_file_re_imports_to_the_values_exported(tmp_path):
    texts = FORMULAS[:4] + NUMBERS_AS_TEXT[:2] + ['Ñandú, "Loja"']
    path = tmp_path / "entrega.csv"
    write_csv(path, ["texto"], [[t] for t in texts])
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert [row[0] for row in read_table(path)[1:]] == texts


def test_the_xlsx_is_a_workbook_with_typed_and_safe_cells(tmp_path):
    out = xlsx_file(
        ["=cabecera", "numero", "fecha"],
        [["=1+1", -3, date(2024, 3, 2)], ["-12,5", 2.5, None]],
        "una hoja con un nombre de más de treinta y un caracteres",
    )
    path = tmp_path / "tabla.xlsx"
    path.write_bytes(out.read())
    book = load_workbook(path)
    sheet = book.active
    assert sheet.title == "una hoja con un nombre de más d"
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["'=cabecera", "numero", "fecha"],
        ["'=1+1", -3, datetime(2024, 3, 2)],
        ["-12,5", 2.5, None],
    ]
    assert read_table(path)[1][0] == "=1+1"  # and back through the importers' reader
    assert load_workbook(xlsx_file(["a"], [], "")).active.title == "datos"


@pytest.mark.django_db
def test_a_queryset_is_read_in_chunks_never_cached_whole():
    users = User.objects.order_by("username")
    columns = [Column("usuario", "Usuario", lambda u: u.username), Column("id", "Id", lambda u: u.pk)]
    written = list(rows(users, columns))
    assert written == [[u.username, u.pk] for u in User.objects.order_by("username")] and len(written) >= 5
    assert users._result_cache is None  # iterator(): the queryset never held every row


@pytest.mark.django_db
def test_an_export_is_named_after_its_list_and_streams_its_csv():
    columns = [Column("usuario", "Usuario", lambda u: "=" + u.username)]
    response = export_response(User.objects.filter(username="tecnico"), columns, "csv", "usuarios")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="usuarios-')
    assert response["Content-Disposition"].endswith('.csv"')
    assert b"".join(response.streaming_content).decode("utf-8") == "\ufeffUsuario\r\n'=tecnico\r\n"


def test_a_table_response_sends_an_xlsx_from_a_file():
    response = table_response(["a"], [[1]], "xlsx", "tabla")
    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"] == 'attachment; filename="tabla.xlsx"'
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.active.title == "tabla" and book.active["A2"].value == 1


@pytest.mark.parametrize("fmt", ["pdf", "", "CSV"])
def test_an_unknown_format_is_refused(fmt):
    with pytest.raises(ValueError):
        table_response(["a"], [], fmt, "tabla")
    with pytest.raises(ValueError):
        export_response([], [], fmt, "tabla")


@pytest.mark.parametrize("value", FORMULAS + NUMBERS_AS_TEXT + ["'=ya escapado", "'hola", "", -3, date(2024, 1, 1)])
def test_making_a_cell_safe_twice_changes_nothing(value):
    # a list export's rows are made safe by rows() and again by csv_chunks/xlsx_file (safe_rows)
    assert cell(cell(value)) == cell(value)


@pytest.mark.django_db
def test_headers_keys_and_codes_keep_a_published_data_set_as_its_documentation_says():
    columns = [Column("status", "Estado", lambda u: "done", display=lambda u: "Terminado")]
    users = User.objects.filter(username="tecnico")
    labelled = b"".join(export_response(users, columns, "csv", "x").streaming_content).decode("utf-8")
    assert labelled == "\ufeffEstado\r\nTerminado\r\n"
    kept = export_response(users, columns, "csv", "x", headers="keys", codes=True)
    assert b"".join(kept.streaming_content).decode("utf-8") == "\ufeffstatus\r\ndone\r\n"
    with pytest.raises(ValueError):
        export_response(users, columns, "csv", "x", headers="labelz")


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_list_export_speaks_spanish_and_reimports_through_its_import_page(client_for, tmp_path, fmt):
    """Issue 13 item 1: the technician's activity list downloads with Spanish headers and the codes as the page
    shows them, and the very file (CSV or XLSX, untouched) imports back through the activity import page."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from centinela.activities.models import Activity
    from centinela.activities.tests import factories as f

    a = f.activity(
        title="Feria de seguridad",
        kind="campaign",
        status="postponed",
        status_reason="Lluvia",
        budget_executed=Decimal("12.5"),
    )
    client = client_for("tecnico")
    response = client.get(reverse("activities:activity_list"), {"export": fmt})
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.getvalue()
    path = tmp_path / f"actividades.{fmt}"
    path.write_bytes(content)
    header, *body = read_table(path)
    assert header[:4] == ["N.º", "Título", "Programa", "Tipo"] and "Estado" in header
    assert "id" not in header and "kind" not in header and "status" not in header
    row = dict(zip(header, body[0], strict=True))
    assert row["Tipo"] == "Campaña informativa" and row["Estado"] == "Postergada"
    assert row["Parroquia"] == a.parish.name  # the parish's name, as the page shows it, not its code
    # someone changes the activity meanwhile; importing the file puts back what it says
    Activity.objects.filter(pk=a.pk).update(status="planned", budget_executed=0, parish=None)
    preview = client.post(reverse("activities:activity_import"), {"file": SimpleUploadedFile(path.name, content)})
    result = preview.context["result"]
    assert not result.problems and result.preview == {"update": 1, "create": 0, "repaired": 0}
    confirm(client, reverse("activities:activity_import"), {"token": preview.context["token"]})
    a.refresh_from_db()
    assert (a.kind, a.status, a.budget_executed, a.parish.code) == ("campaign", "postponed", Decimal("12.5"), "110101")
