"""The one export helper for every list and every table a user downloads: the same columns the page shows, as CSV
or XLSX, and the one place where cells are made safe for spreadsheet programs.

Callers pass the already filtered and permission-scoped queryset, so an export never shows more than the page.
Exports are streamed: CSV row by row (StreamingHttpResponse), XLSX in openpyxl's write-only mode into a temporary
file, and querysets are read in chunks, so memory stays bounded whatever the number of rows.
"""
from __future__ import annotations

import csv
import re
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, Sequence

from django.db.models.query import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from centinela.lib.tables import FORMULA_STARTS

FORMATS = {"csv", "xlsx"}
CHUNK_ROWS = 2000  # rows read from the database at a time while streaming
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A plain number written as text ("-12,5", "+3", "1e-3"): a spreadsheet reads it as a number, never as a formula.
NUMBER_TEXT = re.compile(r"[+-]?(?:\d[\d.,]*|[.,]\d+)(?:[eE][+-]?\d+)?\Z")


@dataclass(frozen=True)
class Column:
    key: str  # stable machine name: the CSV/XLSX header row uses it, so exports re-import cleanly
    label: Any  # shown on the page (translated)
    value: Callable[[Any], Any]
    link: bool = False  # the page links this cell to the row's detail
    display: Callable[[Any], Any] | None = None  # what the page shows, when it differs from the exported value
    on_page: bool = True  # False: exported only (long texts)

    def shown(self, obj):
        return (self.display or self.value)(obj)


def safe_text(text: str) -> str:
    """A text a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return: OWASP's CSV
    injection guidance) gets an apostrophe, so it is shown as text and never executed; plain numbers written as
    text ("-3,5") stay as they are. lib.tables removes the apostrophe again on import."""
    if text.startswith(FORMULA_STARTS) and not NUMBER_TEXT.match(text):
        return "'" + text
    return text


def cell(value):
    """One exported cell: numbers and dates keep their type (a negative number stays a number), everything else
    becomes safe text."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, Decimal, date)):
        return value
    return safe_text(str(value))


def rows(objects: Iterable, columns: list[Column]) -> Iterator[list]:
    if isinstance(objects, QuerySet):  # in chunks: a million rows never sit in memory at once
        objects = objects.iterator(chunk_size=CHUNK_ROWS)
    for obj in objects:
        yield [cell(c.value(obj)) for c in columns]


def safe_rows(body: Iterable[Sequence]) -> Iterator[list]:
    """Rows of plain values (tables that are no list of objects) made safe cell by cell."""
    for row in body:
        yield [cell(v) for v in row]


class _Line:
    """A file-like object for csv.writer that hands back what it was given, so each row is encoded and sent on."""

    def write(self, text):
        return text


def csv_chunks(header: Sequence, body: Iterable[Sequence], *, bom: bool = True) -> Iterator[str]:
    """The CSV text in pieces: a BOM (so spreadsheet programs read accents right), the header, then every row made
    safe (see cell)."""
    writer = csv.writer(_Line())
    if bom:
        yield "\ufeff"
    yield writer.writerow([safe_text(str(h)) for h in header])
    batch = []
    for row in safe_rows(body):
        batch.append(writer.writerow(row))
        if len(batch) >= 500:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def write_csv(path, header: Sequence, body: Iterable[Sequence], *, bom: bool = True) -> None:
    """A CSV file on disk (hand-overs such as the ECU 911's), made the same way as a download."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        for chunk in csv_chunks(header, body, bom=bom):
            out.write(chunk)


def xlsx_file(header: Sequence, body: Iterable[Sequence], sheet_name: str):
    """An XLSX workbook written in openpyxl's write-only mode (rows go straight to disk) into a temporary file,
    returned open and rewound."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet((sheet_name or "datos")[:31])
    sheet.append([safe_text(str(h)) for h in header])
    for row in safe_rows(body):
        sheet.append(row)
    out = tempfile.TemporaryFile()
    book.save(out)
    out.seek(0)
    return out


def table_response(header: Sequence, body: Iterable[Sequence], fmt: str, filename: str, *, sheet_name: str = ""):
    """A download of any table (`filename` without extension): CSV streamed row by row, XLSX from a temporary
    file; `body` may be a generator and is read once."""
    if fmt == "csv":
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in csv_chunks(header, body)), content_type="text/csv; charset=utf-8"
        )
    elif fmt == "xlsx":
        response = FileResponse(xlsx_file(header, body, sheet_name or filename), content_type=XLSX_TYPE)
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def export_response(objects: Iterable, columns: list[Column], fmt: str, basename: str):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    return table_response([c.key for c in columns], rows(objects, columns), fmt, f"{basename}-{stamp}",
                          sheet_name=basename)
