"""The one export helper for every list and every table a user downloads: the same columns the page shows, as CSV
or XLSX, and the one place where cells are made safe for spreadsheet programs.

Callers pass the already filtered and permission-scoped queryset, so an export never shows more than the page.
Exports are streamed: CSV row by row (StreamingHttpResponse), XLSX in openpyxl's write-only mode into a temporary
file, and querysets are read in chunks, so memory stays bounded whatever the number of rows.
"""

from __future__ import annotations

import csv
import json
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models.query import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.safestring import SafeData
from django.utils.text import capfirst

from centinela.lib.tables import FORMULA_STARTS, normalise

FORMATS = {"csv", "xlsx"}
CHUNK_ROWS = 2000  # rows read from the database at a time while streaming
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A plain number written as text ("-12,5", "+3", "1e-3"): a spreadsheet reads it as a number, never as a formula.
NUMBER_TEXT = re.compile(r"[+-]?(?:\d[\d.,]*|[.,]\d+)(?:[eE][+-]?\d+)?\Z")


@dataclass(frozen=True)
class Column:
    key: str  # stable machine name: importers map a file's headers (labels in any language, or keys) to it
    label: Any  # shown on the page (translated)
    value: Callable[[Any], Any]
    link: bool = False  # the page links this cell to the row's detail
    display: Callable[[Any], Any] | None = None  # what the page shows, when it differs from the exported value
    on_page: bool = True  # False: exported only (long texts)
    # what a file writes for a code whose `display` is HTML (a badge): its label as plain text (issue 13 item 1)
    text: Callable[[Any], Any] | None = None

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


def exported(column: Column, obj, *, codes: bool = False):
    """What a file holds for one cell: the value, except that a code (a choice, a parish code) is written as the
    page shows it ("Realizada", not "done"; issue 13, item 1). The importers read either back. `codes=True` keeps
    the value unchanged: a published data set whose codes its documentation defines (open data, OSM tags)."""
    value = column.value(obj)
    if not codes and column.text is not None:
        return column.text(obj)
    if not codes and column.display is not None and isinstance(value, str) and value:
        shown = column.display(obj)
        if isinstance(shown, str) and not isinstance(shown, SafeData):
            return shown
    return value


def rows(objects: Iterable, columns: list[Column], *, codes: bool = False) -> Iterator[list]:
    if isinstance(objects, QuerySet):  # in chunks: a million rows never sit in memory at once
        objects = objects.iterator(chunk_size=CHUNK_ROWS)
    for obj in objects:
        yield [cell(exported(c, obj, codes=codes)) for c in columns]


def header_of(column: Column) -> str:
    """A column's header in a file: its label as the page shows it, in the user's language."""
    return str(capfirst(column.label))


def column_aliases(columns: Sequence[Column]) -> dict[str, str]:
    """{normalised header: column key} for every name a file may give a column: its key (files exported before
    headers were labels, scripts) and its label in each language of the site."""
    aliases: dict[str, str] = {}
    for c in columns:
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                aliases.setdefault(normalise(header_of(c)), c.key)
    for c in columns:
        aliases[normalise(c.key)] = c.key
    return aliases


def choice_lookup(choices) -> dict[str, str]:
    """{a choice's code or label in any language of the site, normalised: its code}, the codes first, then the
    labels language by language (the first that matches wins, as in choice_value): built once for a whole file."""
    lookup: dict[str, str] = {}
    for value, _label in choices:
        lookup.setdefault(normalise(value), value)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            for value, name in choices:
                lookup.setdefault(normalise(str(name)), value)
    return lookup


def choice_value(choices, text: str) -> str | None:
    """The code of a choice written as its code or as its label in any language of the site; None if none."""
    return choice_lookup(choices).get(normalise(text))


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


CACHED_DOWNLOAD_MAX_BYTES = 8 * 1024 * 1024
CHUNK_BYTES = 64 * 1024


def geojson_stream_response(features: Iterable[dict], filename: str, *, cache_key: str = "", cache_seconds: int = 60):
    """A GeoJSON download of any size, streamed feature by feature (`filename` without extension): the whole
    collection never sits in memory. With `cache_key` (which must change whenever the features would), a download
    up to CACHED_DOWNLOAD_MAX_BYTES is also kept in the Django cache as it is sent, and the next ones are sent from
    there without reading the features again; a larger one is only streamed."""
    cached = cache.get(cache_key) if cache_key else None

    def encoded():
        yield b'{"type": "FeatureCollection", "features": ['
        first = True
        for feature in features:
            yield (("" if first else ",\n") + json.dumps(feature, ensure_ascii=False)).encode()
            first = False
        yield b"]}\n"

    def kept_as_sent():
        parts, size = [], 0
        for chunk in encoded():
            if parts is not None:
                size += len(chunk)
                if size <= CACHED_DOWNLOAD_MAX_BYTES:
                    parts.append(chunk)
                else:
                    parts = None  # too large to keep: only streamed
            yield chunk
        if parts is not None:
            cache.set(cache_key, b"".join(parts), cache_seconds)

    if cached is not None:
        body = (cached[i : i + CHUNK_BYTES] for i in range(0, len(cached), CHUNK_BYTES))
    else:
        body = kept_as_sent() if cache_key else encoded()
    response = StreamingHttpResponse(body, content_type="application/geo+json")
    response["Content-Disposition"] = f'attachment; filename="{filename}.geojson"'
    return response


def export_response(
    objects: Iterable, columns: list[Column], fmt: str, basename: str, *, headers: str = "labels", codes: bool = False
):
    """A list's download. Headers are the columns' labels in the user's language, unless `headers="keys"`: the
    stable machine names of a published data set (open data), which programs read. Codes are written as the page
    shows them, unless `codes=True`: the codes a published data set's documentation defines, unchanged."""
    if headers not in ("labels", "keys"):
        raise ValueError(f"unknown headers {headers!r}")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    header = [c.key for c in columns] if headers == "keys" else [header_of(c) for c in columns]
    return table_response(header, rows(objects, columns, codes=codes), fmt, f"{basename}-{stamp}", sheet_name=basename)
