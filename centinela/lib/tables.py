"""Reading spreadsheets users upload (CSV or XLSX), for the import pipeline: one reader for every importer.

`read_table` gives the raw cells; `read_rows` gives rows of {normalised header: text} with the spreadsheet's own row
numbers (header = row 1). A leading apostrophe that our exports put before =, +, - or @ (so spreadsheet programs do
not run it as a formula) is removed again, so exports re-import to the same values.
"""
from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, datetime
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def normalise(header) -> str:
    text = unicodedata.normalize("NFKD", str(header or "")).encode("ascii", "ignore").decode()
    return "_".join(text.strip().lower().replace("-", " ").split())


def _unescape(value):
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


def read_table(path: Path) -> list[list]:
    """All cells of the first sheet (XLSX) or of the CSV (UTF-8, else Windows-1252 as a Spanish Excel saves it;
    delimiter `;`, `,` or tab, whichever the header line uses most). Raises for files that are neither."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True, data_only=True)
        try:
            return [[_unescape(c) for c in row] for row in book.active.iter_rows(values_only=True)]
        finally:
            book.close()
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise ValueError("binary file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first.count)
    return [[_unescape(c) for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """[(spreadsheet row number, {normalised header: cell text})], skipping empty rows. Raises ValueError when the
    file is neither CSV nor XLSX."""
    try:
        values = read_table(path)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException for non-workbooks
        raise ValueError(str(exc) or type(exc).__name__) from exc
    if not values:
        return []
    headers = [normalise(h) for h in values[0]]
    rows = []
    for number, cells in enumerate(values[1:], start=2):
        row = {h: _text(c) for h, c in zip(headers, cells) if h}
        if any(row.values()):
            rows.append((number, row))
    return rows
