"""The one export helper for every list: the same columns the page shows, as CSV or XLSX.

Callers pass the already filtered and permission-scoped queryset, so an export never shows more than the page.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable, Iterable

from django.http import HttpResponse
from django.utils import timezone

from centinela.lib.tables import FORMULA_STARTS

FORMATS = {"csv", "xlsx"}


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


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, date)):
        return value
    text = str(value)
    # A text a spreadsheet would run as a formula (=, +, -, @) gets an apostrophe: shown as text, never executed.
    # lib.tables removes it again on import.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def rows(objects: Iterable, columns: list[Column]) -> Iterable[list]:
    for obj in objects:
        yield [_cell(c.value(obj)) for c in columns]


def export_response(objects: Iterable, columns: list[Column], fmt: str, basename: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # BOM: spreadsheet programs then read the accents right
        writer = csv.writer(buffer)
        writer.writerow([c.key for c in columns])
        writer.writerows(rows(objects, columns))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(basename[:31])
        sheet.append([c.key for c in columns])
        for row in rows(objects, columns):
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    else:
        raise ValueError(f"unknown export format {fmt!r}")
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.{fmt}"'
    return response
