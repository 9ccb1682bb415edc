"""The inbox's CSV/XLSX export goes through the one export helper: the same filtered, scoped rows, and a text a
resident typed as a spreadsheet formula is exported as text, never run."""

import csv
import io

from centinela.participation import services

from .conftest import file_report

FORMULA = '=HYPERLINK("http://x","y")'


def test_a_formula_typed_by_a_resident_is_exported_as_text(client_for, categories, sagrario_point):
    report = file_report(
        categories["otro"],
        sagrario_point,
        description=FORMULA,
        contact=services.Contact(name=FORMULA, email="a@example.ec", consent=True),
    )
    response = client_for("directora").get("/participa/reportes/?export=csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    # the headers in Spanish (issue 13 item 1)
    assert row[header.index("Código")] == report.code
    report.refresh_from_db()  # the status as the inbox's badge says it, not its code
    assert row[header.index("Estado")] == report.get_status_display() != report.status
    assert row[header.index("Estado")] in {"Recibido", "Asignado"}
    assert row[header.index("Texto público")] == "'" + FORMULA
    assert row[header.index("Nombre de contacto")] == "'" + FORMULA


def test_the_export_follows_the_filters(client_for, categories, sagrario_point):
    light = file_report(categories["alumbrado-deficiente"], sagrario_point)
    other = file_report(categories["otro"], sagrario_point)
    response = client_for("tecnico").get(f"/participa/reportes/?export=csv&category={light.category_id}")
    body = b"".join(response.streaming_content).decode()
    assert light.code in body and other.code not in body
