"""lib/tables.py, the one reader of uploaded spreadsheets: CSV in any encoding (byte-order marks, UTF-16/32 without
one, UTF-8, the single-byte encodings told from a sample even past the first 64 KiB) and with any delimiter, XLSX
recognised by its content, dates and whole numbers as text, a formula without a saved result refused naming its
cell, the apostrophe our exports put before formula text removed again, and every unreadable file refused with a
Spanish message, never read with replaced characters. Real files in tmp_path, real workbooks written by openpyxl."""

import codecs
import csv
import zipfile
from datetime import date, datetime

import pytest
from django.utils import translation
from openpyxl import Workbook

from centinela.lib.tables import (
    SAMPLE,
    UnreadableTable,
    decode_text,
    is_workbook,
    normalise,
    read_rows,
    read_table,
    read_text_table,
)

TEXT = "Código;Dirección;Parroquia\r\n1;Calle Ñandú y Av. Loja;San Sebastián\r\n2;Pasaje Güiña;El Valle\r\n"
CELLS = [
    ["Código", "Dirección", "Parroquia"],
    ["1", "Calle Ñandú y Av. Loja", "San Sebastián"],
    ["2", "Pasaje Güiña", "El Valle"],
]


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es-ec"):
        yield


def workbook(path, *rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def refusal(path) -> UnreadableTable:
    with pytest.raises(UnreadableTable) as caught:
        read_table(path)
    return caught.value


@pytest.mark.parametrize(
    "header, name",
    [
        ("Dirección Exacta", "direccion_exacta"),
        ("  Fecha-Hora ", "fecha_hora"),
        ("AÑO", "ano"),
        (None, ""),
        (3, "3"),
    ],
)
def test_headers_are_normalised(header, name):
    assert normalise(header) == name


@pytest.mark.parametrize(
    "encoding, bom",
    [
        ("utf-8", b""),
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-16-le", b""),
        ("utf-16-be", b""),
        ("utf-32-le", b""),
        ("utf-32-be", b""),
        ("cp1252", b""),
        ("mac_roman", b""),
        ("cp850", b""),
    ],
)
def test_a_csv_is_read_in_its_encoding_with_or_without_a_byte_order_mark(tmp_path, encoding, bom):
    path = tmp_path / "tabla.csv"
    path.write_bytes(bom + TEXT.encode(encoding))
    assert read_table(path) == CELLS
    text, found, delimiter = read_text_table(path)
    assert text == TEXT and delimiter == ";"
    assert codecs.lookup(found).name == codecs.lookup(encoding).name


def test_the_encoding_is_told_by_the_accented_lines_even_far_past_the_sample(tmp_path):
    ascii_part = "".join(f"{n};Calle {n};Centro\r\n" for n in range(SAMPLE // 8))  # far more than SAMPLE bytes
    text = "Codigo;Direccion;Parroquia\r\n" + ascii_part + "99;Calle Ñandú;San Sebastián\r\n"
    assert len(ascii_part) > 2 * SAMPLE
    assert decode_text(text.encode("cp1252")) == (text, "cp1252")
    assert decode_text(text.encode("cp850")) == (text, "cp850")


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_each_delimiter_is_read(tmp_path, delimiter):
    path = tmp_path / "tabla.txt"
    with open(path, "w", encoding="utf-8", newline="") as out:
        csv.writer(out, delimiter=delimiter).writerows([["nombre", "valor"], ["Ana María", "2,5"]])
    assert read_rows(path) == [(2, {"nombre": "Ana María", "valor": "2,5"})]


def test_rows_keep_the_spreadsheets_numbers_skip_empty_rows_and_unnamed_columns(tmp_path):
    path = tmp_path / "tabla.csv"
    path.write_text("Nombre,,Edad\nAna,x,30\n,,\n\nLuis,y, 41 \n", encoding="utf-8")
    assert read_rows(path) == [(2, {"nombre": "Ana", "edad": "30"}), (5, {"nombre": "Luis", "edad": "41"})]


def test_an_empty_file_has_no_rows(tmp_path):
    path = tmp_path / "vacio.csv"
    path.write_bytes(b"")
    assert read_table(path) == [] and read_rows(path) == []


def test_a_stray_byte_in_a_utf8_file_is_refused_naming_its_row(tmp_path):
    path = tmp_path / "mezcla.csv"
    path.write_bytes("nombre;barrio\nJosé;Centro\n".encode() + b"Mar\xeda;El Valle\n" + "Ñusta;Sur\n".encode())
    error = refusal(path)
    assert list(error.rows) == [3]
    assert str(error).startswith("fila 3: el byte 0xED no se puede leer como texto UTF-8"), str(error)


def test_many_bad_rows_are_counted_in_the_plural_and_cut_after_five(tmp_path):
    path = tmp_path / "mezcla.csv"
    # a UTF-8 file (its accented letters outnumber the stray bytes) with seven Windows-1252 bytes pasted in
    lines = ["nombre;barrio", "José Ñúñez Peña;Güiña Cañar Ñandú"] + [f"Mar\udced{n};Sur" for n in range(7)]
    path.write_bytes("\n".join(lines).encode("utf-8", errors="surrogateescape"))
    error = refusal(path)
    assert sorted(error.rows) == list(range(3, 10))
    assert str(error).startswith("filas 3, 4, 5, 6, 7 ...: el byte 0xED"), str(error)


@pytest.mark.parametrize(
    "raw, message",
    [
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "es un libro de Excel antiguo (.xls): guárdelo como XLSX o CSV",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "es un archivo binario"),
        (b"%PDF-1.4\n" + bytes(range(1, 32)) * 40, "es un archivo binario"),
    ],
)
def test_binary_files_are_refused_in_spanish(tmp_path, raw, message):
    path = tmp_path / "tabla.csv"
    path.write_bytes(raw)
    error = refusal(path)
    assert str(error).startswith(message) and error.rows == {}


def test_a_workbook_is_recognised_by_its_content_whatever_its_name(tmp_path):
    path = workbook(tmp_path / "no-soy.csv", ["Nombre", "Cantidad"], ["Ana", 3])
    assert is_workbook(path)
    assert read_rows(path) == [(2, {"nombre": "Ana", "cantidad": "3"})]


def test_workbook_cells_keep_their_type_and_read_as_text_in_rows(tmp_path):
    path = workbook(
        tmp_path / "tipos.xlsx",
        ["fecha", "hora", "entero", "decimal", "texto"],
        [date(2024, 3, 2), datetime(2024, 3, 2, 10, 30), 7.0, 2.5, "  con espacios  "],
    )
    assert read_table(path)[1] == [datetime(2024, 3, 2), datetime(2024, 3, 2, 10, 30), 7, 2.5, "  con espacios  "]
    assert read_rows(path) == [
        (
            2,
            {
                "fecha": "2024-03-02 00:00",
                "hora": "2024-03-02 10:30",
                "entero": "7",
                "decimal": "2.5",
                "texto": "con espacios",
            },
        )
    ]


def test_a_formula_without_a_saved_result_is_refused_naming_its_cells(tmp_path):
    path = workbook(tmp_path / "formulas.xlsx", ["a", "b", "c"], [1, 2, 3], [1, "=A3*2", "=SUM(A3:B3)"], [4, 5, 6])
    error = refusal(path)
    assert list(error.rows) == [3]
    assert str(error) == (
        "fila 3: las fórmulas de B3 (=A3*2), C3 (=SUM(A3:B3)) no tienen un resultado guardado; "
        "abra el archivo en un programa de hojas de cálculo, deje que calcule y guárdelo de nuevo "
        "(o pegue los valores)"
    ), str(error)


def test_formulas_without_results_on_several_rows_name_every_row(tmp_path):
    path = workbook(tmp_path / "formulas.xlsx", ["a"], ["=1+1"], [5], ["=2+2"])
    error = refusal(path)
    assert sorted(error.rows) == [2, 4] and str(error).startswith("filas 2, 4: la fórmula de A2 (=1+1)"), str(error)


def test_the_apostrophe_before_formula_text_is_removed_and_any_other_kept(tmp_path):
    texts = ["'=SUMA(A1)", "'+593 99", "'-5 grados", "'@usuario", "'hola", "'", "O'Brien", "''=doble"]
    path = tmp_path / "textos.csv"
    path.write_text("texto\n" + "\n".join(texts) + "\n", encoding="utf-8")
    assert [row[0] for row in read_table(path)[1:]] == [
        "=SUMA(A1)",
        "+593 99",
        "-5 grados",
        "@usuario",
        "'hola",
        "'",
        "O'Brien",
        "''=doble",
    ]
    book = workbook(tmp_path / "textos.xlsx", ["texto"], *[[t] for t in texts])
    assert [row[0] for row in read_table(book)[1:]] == [row[0] for row in read_table(path)[1:]]


def test_a_zip_that_is_no_workbook_is_refused_in_spanish(tmp_path):
    path = tmp_path / "tabla.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hola.txt", "no soy una hoja")
    assert str(refusal(path)) == "es un archivo comprimido pero no un libro XLSX"


def test_a_damaged_zip_is_refused_in_spanish(tmp_path):
    path = tmp_path / "roto.xlsx"
    path.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 8)
    assert str(refusal(path)).startswith("es un archivo comprimido dañado")


def test_a_zip_bomb_workbook_is_refused_before_it_is_read(tmp_path, settings):
    settings.ARCHIVE_MAX_EXPANDED_BYTES = 100_000
    path = workbook(tmp_path / "grande.xlsx", ["texto"], *[["x" * 1000] for _ in range(200)])
    assert str(refusal(path)).startswith("el archivo comprimido se expande a")


def test_read_rows_refuses_a_vanished_file_as_unreadable(tmp_path):
    with pytest.raises(UnreadableTable):
        read_rows(tmp_path / "no-existe.csv")


def test_a_csv_with_old_mac_line_endings_is_read(tmp_path):
    # Excel for Mac's "CSV (Macintosh)" ends lines with a carriage return alone
    path = tmp_path / "mac.csv"
    path.write_bytes('Nombre;Nota\r1;"dos\rlíneas"\rAna;ok\r'.encode("mac_roman"))
    assert read_table(path) == [["Nombre", "Nota"], ["1", "dos\rlíneas"], ["Ana", "ok"]]
    assert read_rows(path) == [(2, {"nombre": "1", "nota": "dos\rlíneas"}), (3, {"nombre": "Ana", "nota": "ok"})]


def test_a_quote_never_closed_is_refused_naming_its_row_not_read_as_one_cell(tmp_path):
    # the csv module, not strict, reads everything after such a quote into one cell: the rows after it vanished
    path = tmp_path / "comillas.csv"
    path.write_text('nombre;nota\nAna;bien\nLuis;"sin cerrar\nZoe;ok\nEva;ok\n', encoding="utf-8")
    error = refusal(path)
    assert list(error.rows) == [3]
    assert str(error) == (
        'fila 3: unas comillas (") abiertas en esta fila no se cierran, y las filas siguientes se '
        "leerían como una sola celda; ciérrelas o quítelas"
    ), str(error)
    with pytest.raises(UnreadableTable) as caught:
        read_rows(path)
    assert list(caught.value.rows) == [3]


def test_a_quote_never_closed_in_a_large_file_is_refused_the_same_way(tmp_path):
    path = tmp_path / "comillas.csv"
    path.write_text('nombre;nota\nLuis;"sin cerrar\n' + "Ana;ok\n" * 30000, encoding="utf-8")  # past csv's 128 KiB
    error = refusal(path)
    assert list(error.rows) == [2] and str(error).startswith('fila 2: unas comillas (") abiertas'), str(error)


@pytest.mark.parametrize(
    "text, last",
    [
        ('a;b\n1;"dos\nlíneas"\n', ["1", "dos\nlíneas"]),
        ('a;b\n1;"dos\nlíneas"', ["1", "dos\nlíneas"]),
        ('a;b\n1;"sin cerrar al final\n', ["1", "sin cerrar al final\n"]),  # nothing after it is lost
        ('a;b\n1;2 "pulgadas"\n', ["1", '2 "pulgadas"']),
        ('a;b\n1;"con ""comillas"" y\nsalto"\n', ["1", 'con "comillas" y\nsalto']),
    ],
)
def test_quoted_cells_that_end_are_read(tmp_path, text, last):
    path = tmp_path / "comillas.csv"
    path.write_text(text, encoding="utf-8")
    assert read_table(path)[-1] == last
