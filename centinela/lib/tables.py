"""Reading spreadsheets users upload (CSV or XLSX) into rows of {header: text}, for the import pipeline.
Headers are matched case- and accent-insensitively; the row number is the spreadsheet's own (header = row 1)."""
from __future__ import annotations

import csv
import io
import unicodedata
from datetime import date, datetime
from pathlib import Path


def normalise(header) -> str:
    text = unicodedata.normalize("NFKD", str(header or "")).encode("ascii", "ignore").decode()
    return "_".join(text.strip().lower().replace("-", " ").split())


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
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException for non-workbooks
            raise ValueError(str(exc)) from exc
        values = list(book.active.iter_rows(values_only=True))
    else:
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("latin-1")
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        values = list(csv.reader(io.StringIO(text), dialect))
    if not values:
        return []
    headers = [normalise(h) for h in values[0]]
    rows = []
    for number, cells in enumerate(values[1:], start=2):
        row = {h: _text(c) for h, c in zip(headers, cells) if h}
        if any(row.values()):
            rows.append((number, row))
    return rows
