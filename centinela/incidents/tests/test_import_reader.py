"""The incident import reads CSV files with the analysis engine's reader (analysis.io.read_text_columns: pyarrow's
multithreaded CSV reader) and gets what the csv module got before: the same headers, row numbers and cells, and
so the same incidents and the same rejected rows with the same messages. Files it would read otherwise (records
of another length than the header, lone carriage returns) still go through the csv module."""

import numpy as np
import pytest

from centinela.incidents import importer
from centinela.incidents.importer import incident_importer, read_columns

TEXTS = [
    "a;b;c\r\n1;2;3\r\n4; 5 ;6\r\n",  # Windows line ends, spaces to strip
    "a;b;c\n1;2;3\n\n;;\n4;5;6\n",  # a blank line and a row of empty cells: dropped, numbers kept
    'a;b;c\n1;"2;x";3\n4;"dice ""sí""";6\n',  # quotes: delimiter and doubled quote inside
    'a,b,c\n1,"dos\nlíneas",3\r\n4,5,6',  # a line break inside quotes, no line end at the end
    "a\tb\tc\n'=1\t2\t3\n'x\t'+4\t6\n",  # tabs; the apostrophe before a formula character removed
    "A;;A\n1;2;3\n;x;\n",  # a repeated header and an empty one (its cells count for no row)
    'a,b\nab"c,2\n"ab"c,3\n',  # quotes inside a cell, and after a closing quote, as the csv module reads them
]


def csv_module(path, wanted=None):
    """read_columns through the csv module, as the import read every file before."""
    saved = importer._read_columnar
    importer._read_columnar = lambda *args: None
    try:
        return read_columns(path, wanted, {})
    finally:
        importer._read_columnar = saved


@pytest.mark.parametrize("text", TEXTS)
def test_the_engine_reader_reads_what_the_csv_module_reads(tmp_path, text):
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8", newline="")
    from centinela.lib.tables import read_text_table

    body, encoding, delimiter = read_text_table(path)
    assert importer._read_columnar(path, body, encoding, delimiter) is not None  # the engine's reader took it
    for wanted in (None, {"a", "c"}):
        assert read_columns(path, wanted, {}) == csv_module(path, wanted)


@pytest.mark.parametrize(
    "text",
    [
        "a,b,c\n1,2,3\n4,5\n",  # a short record: the csv module pads it
        "a,b\n1,2,3\n",  # a long one
        "a,b\r1,2\r",  # lone carriage returns: unreadable, as before
    ],
)
def test_files_the_engine_reader_reads_otherwise_go_through_the_csv_module(tmp_path, text):
    path = tmp_path / "f.csv"
    path.write_text(text, encoding="utf-8", newline="")
    from centinela.lib.tables import read_text_table

    body, encoding, delimiter = read_text_table(path)
    assert importer._read_columnar(path, body, encoding, delimiter) is None


def bad_file(points):
    """An ECU 911 file in Windows-1252 with good rows and every kind of bad one."""
    (lon, lat), (lon2, lat2) = points["110101"], points["110104"]
    rows = [
        f"E-1;03/02/2021 22:15;Robo a personas (DMCS);{lon};{lat};Bolívar y Rocafuerte",
        f"E-2;;robo-motos;{lon};{lat};sin fecha",
        f"E-3;31/02/2021 10:00;robo-motos;{lon};{lat};fecha imposible",
        f"E-4;03/02/2021 10:00;Abigeato;{lon};{lat};categoría desconocida",
        f"E-5;03/02/2021 10:00;robo-motos;x;{lat};no es número",
        f"E-6;03/02/2021 10:00;robo-motos;{lat};{lon};invertidas",
        f"E-1;04/02/2021 10:00;robo-motos;{lon2};{lat2};repetido",
        "",
        f' E-7 ;04/02/2021 11:00; robo-motos ;{lon2};{lat2};"con ; punto y coma"',
        "E-8;04/02/2021 12:00;robo-motos;-78,5;-0,2;Quito",
        f";05/02/2021 12:00;robo-motos;{lon2};{lat2};sin id",
    ]
    return "ID Incidente;Fecha;Servicio;Longitud;Latitud;Dirección\r\n" + "\r\n".join(rows) + "\r\n"


@pytest.mark.django_db
@pytest.mark.parametrize("encoding", ["cp1252", "utf-8"])
def test_the_same_file_gives_the_same_incidents_and_rejected_rows_through_both_readers(
    tmp_path, points, ecu911_profile, encoding
):
    path = tmp_path / "ecu911.csv"
    path.write_bytes(bad_file(points).encode(encoding))

    def checked(engine: bool):
        saved = importer._read_columnar
        if not engine:
            importer._read_columnar = lambda *args: None
        try:
            imp = incident_importer(ecu911_profile)
            table, problems = imp.parse(path)
            assert not problems
            problems = imp.validate(table)
            return table, [(p.row, p.label, str(p.message)) for p in problems], imp.preview(table)
        finally:
            importer._read_columnar = saved

    new_table, new_problems, new_preview = checked(engine=True)
    old_table, old_problems, old_preview = checked(engine=False)
    assert new_problems == old_problems
    assert sorted({row for row, _label, _message in new_problems}) == [3, 4, 5, 6, 7, 8, 11]
    assert new_preview == old_preview and new_preview["rows"] == 10
    assert new_table.numbers == old_table.numbers and new_table.cols == old_table.cols
    assert new_table.encoding == old_table.encoding and new_table.delimiter == old_table.delimiter
    for key, value in new_table.parsed.items():
        if isinstance(value, np.ndarray):
            np.testing.assert_array_equal(value, old_table.parsed[key], err_msg=key)
        else:
            assert value == old_table.parsed[key], key
