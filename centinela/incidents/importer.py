"""Incident files (CSV/XLSX from ECU 911, the police, ...) through the one import pipeline, mapped by an
ImportProfile. Parishes and barrios are assigned in bulk; re-importing a file adds nothing (source + source_ref, or a
hash of the row when the source gives no id).

Built for a million rows: a CSV is read column-wise by the analysis engine's reader (analysis.io.read_text_columns,
pyarrow's multithreaded CSV reader; the csv module only for files it would read otherwise: `_read_columnar`), the
file is kept as columns (one list per field), dates and numbers are parsed with numpy
(parsing.py), the whole file is located in one call, and rows are written without ORM objects: on PostgreSQL as
COPY's CSV, built by pyarrow outside any transaction and COPYed straight into the live table in one transaction; on
SQLite by executemany of plain tuples to a temporary staging table outside any transaction, then moved into the live
table by INSERT ... SELECT in short slices (nothing is ever half-imported, and the site stays up meanwhile: see
"writing" below).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import logging
import re
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

import numpy as np
import shapely
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.incidents import parsing
from centinela.incidents.cache import held_during_import
from centinela.incidents.models import Category, ImportProfile, Incident
from centinela.incidents.signals import incidents_created
from centinela.lib.exports import choice_value
from centinela.lib.imports import Importer, Problem, Row, run_import
from centinela.lib.tables import (
    ENCODING_NAMES,
    FORMULA_STARTS,
    UnreadableTable,
    _text,
    is_workbook,
    normalise,
    read_text_table,
    read_workbook,
)

FIELDS = ("source_ref", "occurred_at", "reported_at", "category", "lon", "lat", "address", "precision")
# mapped too, but not a column of its own: the time, when the file keeps it apart from the date (it is joined to
# the date column as the file is read; FIELDS, and so the row hash, stay as they were)
TIME = "occurred_time"
TIME_KNOWN = "time_known"  # Table.cols: whether each row gives the time (a date alone is not midnight)
MAPPED = (*FIELDS, TIME)
REQUIRED = ("occurred_at", "category", "lon", "lat")
# what the interface calls each field (the upload page, the profile form): messages name the file's column and this
FIELD_NAMES = {
    "source_ref": gettext_lazy("Source reference"),
    "occurred_at": gettext_lazy("Date and time"),
    TIME: gettext_lazy("Time"),
    "reported_at": gettext_lazy("Report date"),
    "category": gettext_lazy("Category"),
    "lon": gettext_lazy("Longitude"),
    "lat": gettext_lazy("Latitude"),
    "address": gettext_lazy("Address"),
    "precision": gettext_lazy("Precision"),
}
CLOCK = re.compile(r"(?:\d{4}-\d{2}-\d{2}[ T])?(\d{1,2})[:.h](\d{2})(?:[:.](\d{2}))?")  # 8:05, 08:05:00, 08h05
REF_MAX = Incident._meta.get_field("source_ref").max_length
LOOKUP = 5000  # ids per IN (...) query: under SQLite's 32,766 variables

Progress = Callable[[float, str], None]
log = logging.getLogger(__name__)
DELIMITER_NAMES = {
    ",": gettext_lazy("comma"),
    ";": gettext_lazy("semicolon"),
    "\t": gettext_lazy("tab"),
    "|": gettext_lazy("vertical bar"),
}


def _quiet(fraction: float, message: str = "") -> None:
    pass


def rows_message(done: int, total: int) -> str:
    return _("%(done)s of %(total)s rows") % {
        "done": number_format(done, force_grouping=True),
        "total": number_format(total, force_grouping=True),
    }


# --- reading ---------------------------------------------------------------------------------------------------


def read_columns(
    path: Path, wanted: set[str] | None = None, info: dict | None = None
) -> tuple[list[str], list[int], list[list[str]]]:
    """(normalised headers, spreadsheet row numbers, one list of stripped cell texts per header), skipping empty
    rows: lib.tables's rules (XLSX by content; CSV in any encoding and with `,` `;` tab or `|`, told from a sample:
    lib.tables.decode_text and sniff_delimiter; apostrophe before a formula character removed), read column-wise
    so a million rows build no per-row dict. Only the `wanted` columns (normalised names; default all) are cleaned.
    `info`, when given, receives the file's own headers, its encoding and its delimiter (None for XLSX).
    Raises lib.tables.UnreadableTable for files that are no table."""
    path = Path(path)
    info = {} if info is None else info
    if is_workbook(path):
        values = [[_text(c) for c in row] for row in read_workbook(path)]
        apostrophes = False
        info.update(encoding=None, delimiter=None)
    else:
        text, encoding, delimiter = read_text_table(path)
        info.update(encoding=encoding, delimiter=delimiter)
        apostrophes = "'" in text
        read = _read_columnar(path, text, encoding, delimiter)
        if read is not None:
            headers, numbers, columns, lengths = read
            info["headers"] = headers
            return _finish(headers, numbers, columns, apostrophes, wanted, lengths)
        values = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        del text
    if not values:
        info["headers"] = []
        return [], [], []
    headers = values[0]
    info["headers"] = [str(h) for h in headers]
    body = values[1:]
    del values
    numbers = list(range(2, len(body) + 2))
    columns = [list(c) for c in itertools.zip_longest(*body, fillvalue="")] if body else []
    del body
    return _finish(headers, numbers, columns, apostrophes, wanted)


def _read_columnar(path: Path, text: str, encoding: str, delimiter: str):
    """The CSV read by the analysis engine's reader (analysis.io.read_text_columns: pyarrow's multithreaded CSV
    reader, every cell as text): (raw headers, row numbers, columns as lists of str, the cells' lengths per column).
    The same records and cells as the csv module reads (quotes, doubled quotes, delimiters and line breaks inside
    quotes; a blank line is a record of empty cells, dropped as an empty row); None for what it would read
    otherwise, which the csv module then reads as before: a record with more or fewer cells than the header, a
    line ending in a lone carriage return (the csv module refuses it, and so does the import), a header cell with
    a line break. A UTF-8 file is read from the disk; one in another encoding (or with a byte-order mark) is read
    from its text, as lib.tables decoded it."""
    import pyarrow as pa

    from analysis.io import read_text_columns

    if text.count("\r") != text.count("\r\n"):
        return None
    first = next(csv.reader(io.StringIO(text[: text.find("\n") + 1 or len(text)]), delimiter=delimiter), [])
    if not first or any("\r" in h or "\n" in h for h in first):
        return None
    with open(path, "rb") as handle:
        plain_utf8 = encoding == "utf-8" and not handle.read(3).startswith(codecs.BOM_UTF8)
    try:
        arrays, sizes = read_text_columns(
            path if plain_utf8 else text.encode("utf-8"),
            delimiter=delimiter,
            width=len(first),
            quoted='"' in text,
        )
    except (pa.ArrowInvalid, OSError):
        return None
    if len(arrays) != len(first) or not len(arrays[0]):
        return None
    headers = [str(a[0]) for a in arrays]
    columns = [a[1:].tolist() for a in arrays]
    lengths = [size[1:] for size in sizes]  # bytes, not characters: only compared with 0
    return headers, list(range(2, len(columns[0]) + 2)), columns, lengths


def _finish(raw_headers, numbers, columns, apostrophes, wanted, lengths=None):
    """Headers normalised, the `wanted` columns cleaned (cells stripped, the apostrophe before a formula character
    removed), rows with no cell left dropped. `lengths`: each column's cell lengths, when the reader has them (a
    column that cleaning leaves as it was keeps them: the empty rows are then found without a pass over every
    row's cells)."""
    headers = [normalise(h) for h in raw_headers]
    columns = columns[: len(headers)] + [[""] * len(numbers)] * max(0, len(headers) - len(columns))
    changed = set()
    for k, column in enumerate(columns):
        if not headers[k] or (wanted is not None and headers[k] not in wanted):
            continue
        cleaned = list(map(str.strip, column))
        if apostrophes:
            cleaned = [c[1:] if len(c) > 1 and c[0] == "'" and c[1] in FORMULA_STARTS else c for c in cleaned]
        if cleaned != column:
            changed.add(k)
        columns[k] = cleaned
    headed = [k for k, h in enumerate(headers) if h]
    if headed:
        n = len(numbers)
        keep = np.zeros(n, dtype=bool)
        for k in headed:
            if lengths is not None and k not in changed and k < len(lengths):
                keep |= lengths[k] > 0
            else:
                keep |= np.fromiter(map(bool, columns[k]), dtype=bool, count=n)
        if not keep.all():
            keep_list = keep.tolist()
            numbers = list(itertools.compress(numbers, keep_list))
            columns = [list(itertools.compress(c, keep_list)) for c in columns]
    return headers, numbers, columns


class Table:
    """The file's rows as columns: `cols[field]` is the list of the stripped texts of that field (every FIELD is
    present, empty where the profile maps no column), `numbers` the spreadsheet row numbers. Behaves as the list of
    rows the pipeline expects (len, iteration yields lib.imports.Row), without building them unless asked."""

    def __init__(self, numbers: list[int], cols: dict[str, list[str]]):
        self.numbers = numbers
        self.cols = cols
        self.unused: list[str] = []  # the file's columns the profile does not map (shown in the preview)
        self.encoding: str | None = None  # how the CSV was read (None for XLSX), for the preview
        self.delimiter: str | None = None
        self.parsed: dict[str, np.ndarray] = {}
        self.timings: dict[str, float] = {}

    def __len__(self):
        return len(self.numbers)

    def __bool__(self):
        return bool(self.numbers)

    def data(self, i: int) -> dict:
        return {f: self.cols[f][i] for f in FIELDS}

    def __iter__(self):
        for i, number in enumerate(self.numbers):
            yield Row(number=number, label=self.cols["source_ref"][i], data=self.data(i))

    def __getitem__(self, i):
        return Row(number=self.numbers[i], label=self.cols["source_ref"][i], data=self.data(i))

    def sample(self, k: int = 10) -> list[dict]:
        """The first rows as they will be saved, for the preview (after validation)."""
        from datetime import datetime

        from centinela.territory.models import Barrio, Parish

        p = self.parsed
        if not p:
            return []
        k = min(k, len(self))
        names = {
            "category": dict(Category.objects.filter(pk__in=p["category"][:k].tolist()).values_list("id", "name")),
            "parish": dict(Parish.objects.filter(pk__in=p["parish"][:k].tolist()).values_list("id", "name")),
            "barrio": dict(Barrio.objects.filter(pk__in=p["barrio"][:k].tolist()).values_list("id", "name")),
        }
        new = getattr(self, "new", None)
        return [
            {
                "number": self.numbers[i],
                "ref": self.cols["source_ref"][i],
                "occurred": datetime.fromtimestamp(int(p["occurred"][i]), UTC),
                "time_known": bool(self.cols[TIME_KNOWN][i]),
                "category": names["category"].get(int(p["category"][i]), ""),
                "parish": names["parish"].get(int(p["parish"][i]), ""),
                "barrio": names["barrio"].get(int(p["barrio"][i]), ""),
                "old": bool(new is not None and not new[i]),
            }
            for i in range(k)
        ]


def _with_times(dates: list[str], times: list[str]) -> tuple[list[str], list[bool]]:
    """The date column joined with the time column ("03/02/2021" and "8:05" -> "03/02/2021 08:05:00"): a time is
    read as H:MM or H:MM:SS (also 08h05, or an XLSX time cell); a date cell of an XLSX ("2021-02-03 00:00") loses
    its empty time first. A time that cannot be read is joined as it is, so the date check names both columns.
    Also whether each row's time is known: not where the time cell is empty (and the date cell has no time)."""
    joined, known = [], []
    for day, clock in zip(dates, times):
        if day.endswith(" 00:00") and len(day) == 16:
            day = day[:10]
        match = CLOCK.fullmatch(clock)
        if match:
            clock = f"{int(match[1]):02d}:{match[2]}:{match[3] or '00'}"
        joined.append(f"{day} {clock}" if day and clock else day)
        known.append(bool(clock) or ":" in day)
    return joined, known


def _times_known(dates: list[str], date_format: str) -> list[bool]:
    """Whether each date cell gives the time: it holds a clock (08:05), or the profile's format reads an hour
    without a colon (%Y%m%d%H%M). A date alone ("03/02/2021") has no time: it is not midnight."""
    if "%H" in date_format and ":" not in date_format:
        return [True] * len(dates)
    return [":" in day for day in dates]


def row_hash(source_id: int, data: dict) -> str:
    key = "|".join(str(data.get(f) or "") for f in FIELDS)
    return hashlib.sha256(f"{source_id}|{key}".encode()).hexdigest()


def _hashes(source_id: int, cols: dict[str, list[str]], which: np.ndarray) -> list[str]:
    """The row hash (as row_hash) of the rows in `which`, "" elsewhere."""
    out = [""] * len(which)
    prefix = f"{source_id}|"
    sha = hashlib.sha256
    columns = [cols[f] for f in FIELDS]
    for i in np.flatnonzero(which).tolist():
        out[i] = sha((prefix + "|".join(c[i] for c in columns)).encode()).hexdigest()
    return out


# --- the importer ------------------------------------------------------------------------------------------------


class IncidentImporter(Importer):
    """Incidents mapped by `profile`, the file kept as columns: `parse` returns a Table (not a list of Row), and
    `validate` checks every row at once, a column at a time, in named steps; each step records its messages per row
    (`_bad`), so the problems come out by row, in the order the steps run. `progress(fraction, message)` is told
    how far the import has come (the job's progress bar)."""

    columns = FIELDS
    required = REQUIRED
    atomic = False  # apply_staged keeps all or nothing with transactions of its own (short bursts of SQLite's lock)
    audits_itself = True  # in the last of those transactions (apply_staged's `audit`)

    def __init__(self, profile: ImportProfile, *, progress: Progress | None = None, skip: frozenset[int] = frozenset()):
        super().__init__(skip=skip)
        self.profile = profile
        self.progress = progress or _quiet
        self.mapping = {f: normalise(c) for f, c in profile.columns.items() if f in MAPPED and c}  # field -> column
        # field -> the column's header as the user wrote it (the file's own, once read; the profile's until then)
        self.header_of = {f: str(c).strip() for f, c in profile.columns.items() if f in self.mapping}
        # with a time column, the profile's format reads the date column alone; the time is read as H:MM[:SS]
        self.date_format = profile.date_format
        if TIME in self.mapping:
            self.date_format = f"{profile.date_format or '%Y-%m-%d'} %H:%M:%S"
        self.categories: dict[str, int] = {}
        for c in Category.objects.filter(active=True).only("id", "code", "name"):
            self.categories[c.code.lower()] = c.id
            self.categories[c.name.strip().lower()] = c.id
        self.category_values = {
            str(k).strip().lower(): str(v).strip().lower() for k, v in profile.category_values.items()
        }
        self.precisions = set(Incident.Precision.values)
        self.source_id = profile.source_id
        self._new_of: tuple[Table, np.ndarray] | None = None
        self._found: dict[int, list[str]] = {}

    # --- reading ---

    def parse(self, path):
        self.progress(0.0, _("Reading the file"))
        info: dict = {}
        try:
            headers, numbers, cells = read_columns(Path(path), set(self.mapping.values()), info)
        except UnreadableTable as exc:
            if exc.rows:  # bytes no encoding reads: name the rows
                return [], [Problem(row, "", detail) for row, detail in sorted(exc.rows.items())]
            return [], [Problem(None, "", _("The file cannot be read as CSV or XLSX: %(e)s") % {"e": exc})]
        except (ValueError, OSError, csv.Error) as exc:
            return [], [Problem(None, "", _("The file cannot be read as CSV or XLSX: %(e)s") % {"e": exc})]
        if not numbers:
            return [], [Problem(None, "", _("The file has no rows."))]
        problems = self._check_mapping(headers)
        if problems:
            return [], problems
        self.progress(0.1, rows_message(0, len(numbers)))
        return self._table(headers, numbers, cells, info), []

    def _check_mapping(self, headers: list[str]) -> list[Problem]:
        """The profile maps every required field, and the file has every column it maps (named as the profile
        writes them, with what the interface calls their field)."""
        missing = [f for f in self.required if f not in self.mapping]
        absent = [f for f in MAPPED if f in self.mapping and self.mapping[f] not in headers]
        problems = []
        if missing:
            names = ", ".join(str(self.field_name(f)) for f in missing)
            problems.append(Problem(None, "", _("The profile does not say which column holds: %(f)s") % {"f": names}))
        if absent:
            names = ", ".join(self.column(f) for f in absent)
            problems.append(Problem(None, "", _("Not in the file: %(c)s") % {"c": names}))
        return problems

    def field_name(self, field: str):
        if field == "occurred_at" and TIME in self.mapping:
            return _("Date")
        return FIELD_NAMES[field]

    def column(self, field: str) -> str:
        """How a message names a field: the file's column as the file calls it, and the field as the interface
        does, e.g. column "Fecha del hecho" (Date and time)."""
        return _('column "%(column)s" (%(field)s)') % {
            "column": self.header_of.get(field, ""),
            "field": self.field_name(field),
        }

    def _table(self, headers: list[str], numbers: list[int], cells: list[list[str]], info: dict) -> Table:
        position = {h: k for k, h in reversed(list(enumerate(headers))) if h}  # first column of a repeated name
        raw_headers = info.get("headers", [])
        for f, c in self.mapping.items():  # messages name the column as the file writes it
            k = position[c]
            if k < len(raw_headers) and str(raw_headers[k]).strip():
                self.header_of[f] = str(raw_headers[k]).strip()
        empty = [""] * len(numbers)
        cols = {f: cells[position[self.mapping[f]]] if f in self.mapping else empty for f in FIELDS}
        if TIME in self.mapping:
            cols["occurred_at"], known = _with_times(cols["occurred_at"], cells[position[self.mapping[TIME]]])
        else:
            known = _times_known(cols["occurred_at"], self.profile.date_format)
        cols[TIME_KNOWN] = known  # not a FIELD: carried with the rows (without), never hashed
        table = Table(numbers, cols)
        used = set(self.mapping.values())
        table.unused = [str(raw).strip() for raw, h in zip(info.get("headers", []), headers) if h and h not in used]
        table.encoding = ENCODING_NAMES.get(info.get("encoding"), info.get("encoding"))
        table.delimiter = str(DELIMITER_NAMES.get(info.get("delimiter"), info.get("delimiter") or "")) or None
        return table

    def without(self, table: Table, skip: frozenset[int]) -> Table:
        """The table without the rows numbered in `skip` (the rows the user chose to leave out)."""
        keep = [number not in skip for number in table.numbers]
        if all(keep):
            return table
        kept = Table(
            list(itertools.compress(table.numbers, keep)),
            {f: list(itertools.compress(c, keep)) for f, c in table.cols.items()},
        )
        kept.unused, kept.encoding, kept.delimiter = table.unused, table.encoding, table.delimiter
        return kept

    # --- checking: the steps over the whole file ---

    def validate(self, table: Table):
        n = len(table)
        self._found = {}  # row index -> messages, in the order the checks run
        checked = self._check_required(table)
        occurred, reported, has_reported = self._parse_dates(table, checked)
        category = self._match_category(table, checked)
        lon, lat, located = self._parse_coordinates(table, checked)
        precision = self._read_precision(table, located)
        self.progress(0.15, _("Locating %(n)s points") % {"n": number_format(int(located.sum()), force_grouping=True)})
        parish, barrio = self._locate(table, lon, lat, located)
        with_ref = self._check_refs(table)
        table.parsed = {
            "occurred": occurred,
            "reported": reported,
            "reported_ok": has_reported,
            "category": category,
            "lon": lon,
            "lat": lat,
            "parish": parish,
            "barrio": barrio,
            "precision": precision,
            "with_ref": with_ref,
            "hash": _hashes(self.source_id, table.cols, ~with_ref),
        }
        self.progress(0.2, _("Checked %(n)s rows") % {"n": number_format(n, force_grouping=True)})
        numbers, refs = table.numbers, table.cols["source_ref"]
        return [Problem(numbers[i], refs[i], message) for i in sorted(self._found) for message in self._found[i]]

    def _bad(self, i: int, message: str) -> None:
        self._found.setdefault(i, []).append(message)

    def _check_required(self, table: Table) -> np.ndarray:
        """Rows with every required value: the only ones the later steps check."""
        n, cols = len(table), table.cols
        missing = np.zeros(n, dtype=bool)
        empties = {}
        for f in self.required:
            empties[f] = np.fromiter(map(len, cols[f]), dtype=np.int64, count=n) == 0
            missing |= empties[f]
        for i in np.flatnonzero(missing).tolist():
            columns = ", ".join(self.column(f) for f in self.required if empties[f][i])
            self._bad(i, _("Empty: %(columns)s") % {"columns": columns})
        return ~missing

    def _parse_dates(self, table: Table, checked: np.ndarray):
        """(occurred, reported, rows with a reported date) as UTC seconds, in the profile's format or ISO."""
        n, cols = len(table), table.cols
        tz = timezone.get_default_timezone()
        occurred, ok = parsing.parse_datetimes(cols["occurred_at"], self.date_format, tz, required=checked)
        if TIME in self.mapping:  # a date with its time cell empty: the date alone, in the profile's format
            date_only = checked & ~ok & ~np.fromiter(cols[TIME_KNOWN], dtype=bool, count=n)
            if date_only.any():
                alone, alone_ok = parsing.parse_datetimes(
                    cols["occurred_at"], self.profile.date_format, tz, required=date_only
                )
                occurred[alone_ok] = alone[alone_ok]
                ok |= alone_ok
        where = self.column("occurred_at")
        if TIME in self.mapping:
            where = _("%(date)s and %(time)s") % {"date": where, "time": self.column(TIME)}
        for i in np.flatnonzero(checked & ~ok).tolist():
            self._bad(i, _("%(column)s: unreadable date: %(v)s") % {"column": where, "v": cols["occurred_at"][i]})
        has_reported = checked & np.fromiter(map(bool, cols["reported_at"]), dtype=bool, count=n)
        reported, ok = parsing.parse_datetimes(cols["reported_at"], self.profile.date_format, tz, required=has_reported)
        for i in np.flatnonzero(has_reported & ~ok).tolist():
            self._bad(
                i,
                _("%(column)s: unreadable date: %(v)s")
                % {"column": self.column("reported_at"), "v": cols["reported_at"][i]},
            )
        return occurred, reported, has_reported

    def _match_category(self, table: Table, checked: np.ndarray) -> np.ndarray:
        """Category ids (0: unknown) by code or name, through the profile's own values first."""
        values = table.cols["category"]
        lookup = {}
        for value in dict.fromkeys(values):
            key = value.lower()
            lookup[value] = self.categories.get(self.category_values.get(key, key), 0)
        category = np.fromiter(map(lookup.__getitem__, values), dtype=np.int64, count=len(table))
        for i in np.flatnonzero(checked & (category == 0)).tolist():
            self._bad(i, _("%(column)s: unknown category: %(v)s") % {"column": self.column("category"), "v": values[i]})
        return category

    def _parse_coordinates(self, table: Table, checked: np.ndarray):
        """(lon, lat, rows to locate: checked and with numbers for both)."""
        cols = table.cols
        lon, lon_ok = parsing.parse_numbers(cols["lon"])
        lat, lat_ok = parsing.parse_numbers(cols["lat"])
        numeric = lon_ok & lat_ok
        for i in np.flatnonzero(checked & ~numeric).tolist():
            self._bad(
                i,
                _("%(columns)s: the coordinates are not numbers: %(lon)s, %(lat)s")
                % {"columns": self.coordinate_columns(), "lon": cols["lon"][i], "lat": cols["lat"][i]},
            )
        return lon, lat, checked & numeric

    def _read_precision(self, table: Table, located: np.ndarray) -> list[str]:
        """Each row's precision (the profile's default where empty), checked on the rows being located."""
        values = table.cols["precision"]
        default = (self.profile.default_precision or "exact").lower()
        # a code ("exact") or the label an export writes ("Exacta"), in any language of the site
        precision_of = {
            v: (choice_value(Incident.Precision.choices, v) or v.lower()) if v else default
            for v in dict.fromkeys(values)
        }
        precision = list(map(precision_of.__getitem__, values))
        unknown = {v for v in precision_of.values() if v not in self.precisions}
        if unknown:
            for i in np.flatnonzero(located).tolist():
                if precision[i] in unknown:
                    self._bad(
                        i,
                        _("%(column)s: unknown precision: %(v)s")
                        % {"column": self.column("precision"), "v": precision[i]},
                    )
        return precision

    def _locate(self, table: Table, lon: np.ndarray, lat: np.ndarray, located: np.ndarray):
        """(parish ids, barrio ids), 0 where none: one bulk point-in-polygon for the whole file; once the canton
        has parishes, a point in none of them is outside the canton."""
        n = len(table)
        parish = np.zeros(n, dtype=np.int64)
        barrio = np.zeros(n, dtype=np.int64)
        if located.any():
            idx = np.flatnonzero(located)
            p, b = locate_ids(lon[idx], lat[idx])
            parish[idx], barrio[idx] = p, b
            if has_parishes():
                outside = located & (parish == 0)
                if outside.any():
                    self._outside(table, lon, lat, outside)
        return parish, barrio

    def coordinate_columns(self) -> str:
        return _("%(lon)s and %(lat)s") % {"lon": self.column("lon"), "lat": self.column("lat")}

    def _outside(self, table: Table, lon: np.ndarray, lat: np.ndarray, outside: np.ndarray) -> None:
        """Name the points outside the canton; say the coordinates look swapped only when swapping them puts the
        point in the canton (located again, in one call, with longitude and latitude exchanged)."""
        cols = table.cols
        in_ecuador = parsing.in_box(lon, lat)
        idx = np.flatnonzero(outside)
        swapped_in = np.zeros(len(table), dtype=bool)
        swapped_parish, _swapped_barrio = locate_ids(lat[idx], lon[idx])
        swapped_in[idx] = swapped_parish != 0
        where = self.coordinate_columns()
        for i in idx.tolist():
            values = {"columns": where, "lon": cols["lon"][i], "lat": cols["lat"][i]}
            if swapped_in[i]:
                message = (
                    _(
                        "%(columns)s: the point %(lon)s, %(lat)s is outside the canton; with longitude and latitude "
                        "exchanged it is inside: they look swapped"
                    )
                    % values
                )
            elif not in_ecuador[i]:
                message = _("%(columns)s: the point %(lon)s, %(lat)s is outside the canton and Ecuador") % values
            else:
                message = _("%(columns)s: the point %(lon)s, %(lat)s is outside the canton") % values
            self._bad(i, message)

    def _check_refs(self, table: Table) -> np.ndarray:
        """Source ids fit the column and are not repeated in the file; returns the rows that have one."""
        n, refs, numbers = len(table), table.cols["source_ref"], table.numbers
        ref_length = np.fromiter(map(len, refs), dtype=np.int64, count=n)
        for i in np.flatnonzero(ref_length > REF_MAX).tolist():
            self._bad(
                i,
                _("%(column)s: longer than %(n)s characters") % {"column": self.column("source_ref"), "n": REF_MAX},
            )
        with_ref = ref_length > 0
        if with_ref.any():
            ref_list = list(itertools.compress(refs, with_ref))
            if len(set(ref_list)) < len(ref_list):
                first: dict[str, int] = {}
                for i in np.flatnonzero(with_ref).tolist():
                    seen = first.setdefault(refs[i], i)
                    if seen != i:
                        self._bad(
                            i,
                            _("%(column)s: %(v)s is repeated in the file (also row %(n)s)")
                            % {"column": self.column("source_ref"), "v": refs[i], "n": numbers[seen]},
                        )
        return with_ref

    # --- what is new, and saving it ---

    def audit_target(self):
        return self.profile.source  # one entry per applied import, on the source (the rows are written in bulk)

    def _new(self, table: Table) -> np.ndarray:
        # preview and apply both need the new rows: look them up once per table
        if self._new_of is None or self._new_of[0] is not table:
            self._new_of = (table, self._lookup_new(table))
            table.new = self._new_of[1]
        return self._new_of[1]

    def _lookup_new(self, table: Table) -> np.ndarray:
        """Mask of the rows not yet in the registry (nor earlier in the file, for rows without an id)."""
        source_id = self.source_id
        refs, hashes, with_ref = table.cols["source_ref"], table.parsed["hash"], table.parsed["with_ref"]
        qs = Incident.objects.filter(source_id=source_id)
        ref_set = set(itertools.compress(refs, with_ref))
        hash_set = {h for h in hashes if h}
        existing_refs, existing_hashes = set(), set()
        stored = qs.count()
        if stored and ref_set:
            if stored <= 4 * len(ref_set):  # most of the source is in the file: read its ids once
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT source_ref FROM {connection.ops.quote_name(Incident._meta.db_table)} "
                        "WHERE source_id = %s AND source_ref <> ''",
                        [source_id],
                    )
                    existing_refs = {r for (r,) in cursor.fetchall()} & ref_set
            else:
                ref_list = list(ref_set)
                for i in range(0, len(ref_list), LOOKUP):
                    existing_refs.update(
                        qs.filter(source_ref__in=ref_list[i : i + LOOKUP]).values_list("source_ref", flat=True)
                    )
        if stored and hash_set:
            hash_list = list(hash_set)
            for i in range(0, len(hash_list), LOOKUP):
                existing_hashes.update(stored_hashes(source_id, hash_list[i : i + LOOKUP]))
        new = np.ones(len(table), dtype=bool)
        if existing_refs:
            new &= np.fromiter((r not in existing_refs for r in refs), dtype=bool, count=len(table))
        if hash_set:
            seen = set(existing_hashes)
            for i in np.flatnonzero(~with_ref).tolist():
                h = hashes[i]
                if h in seen:
                    new[i] = False
                seen.add(h)
        return new

    def preview(self, table: Table):
        new = self._new(table)
        return {
            "rows": len(table),
            "new": int(new.sum()),
            "already_imported": int(len(table) - new.sum()),
            "without_parish": int((new & (table.parsed["parish"] == 0)).sum()),
            # rows whose date comes without its time: not a problem, a note of the preview
            "without_time": int((new & ~np.fromiter(table.cols[TIME_KNOWN], dtype=bool, count=len(table))).sum()),
        }

    def stage(self, table: Table):
        return staged(table, self._new(table), self.source_id, self.progress)

    def apply(self, table: Table):
        ids = apply_staged(
            table,
            self.progress,
            audit=lambda ids: self.audit(
                len(table), {"import profile": self.profile.name, "rows": len(table), "created": len(ids)}
            ),
        )
        table.created_ids = ids
        return {"created": len(ids), "already_imported": len(table) - len(ids)}

    def applied(self, table: Table, counts):
        # after the commit, in short transactions of its own: the camera links are derived data (made again by
        # `manage.py link_camera_incidents`), so a failure here is logged and the committed import stands
        try:
            incidents_created.send(sender=Incident, ids=table.created_ids)
        except Exception:  # noqa: BLE001
            log.exception("linking %s imported incidents to cameras failed", len(table.created_ids))
        self.progress(1.0, rows_message(len(table), len(table)))


def incident_importer(
    profile: ImportProfile, *, progress: Progress | None = None, skip: frozenset[int] = frozenset()
) -> IncidentImporter:
    """The entry point of the upload page, the job and the management command (through import_incidents); `skip`:
    the rows the user chose to leave out (those the preview showed with problems)."""
    return IncidentImporter(profile, progress=progress, skip=skip)


# --- writing -----------------------------------------------------------------------------------------------------
# The site stays up while a million rows go in. Everything that can be done before the write is done outside any
# transaction (`staged`). PostgreSQL: the new rows are built as COPY's CSV (pyarrow, a batch at a time); the apply
# COPYs them into the live table in one transaction, which takes only the ROW EXCLUSIVE lock of any insert (readers
# and other writers go on; nobody sees the rows before the commit); on a unique conflict (another import stored a
# row since the preview) it is rolled back and done again through a temporary table and INSERT ... ON CONFLICT DO
# NOTHING. SQLite: the new rows are written in batches to a temporary staging table, this connection's own, in its
# temporary database (outside the main file's write lock), then moved into the live table by INSERT ... SELECT in
# slices, each a short burst of the one write lock, with pauses between them. No index is dropped or built. A
# failure or a crash leaves the live table as it was (SQLite: see apply_staged); the staging table is dropped on the
# way out, or goes with the connection.

STAGING = "incident_import_staging"
CONSTANT = ("source_id", "status", "created_at")  # the same in every row of an import
STAGE_BATCH = 20_000  # rows per staging write (a short transaction each) and per progress report
COPY_BATCH = 50_000  # PostgreSQL: rows per COPY statement (and progress report)
# SQLite: the staged rows are moved in slices, each a transaction of its own (a burst of the one write lock) sized to
# last about APPLY_BURST seconds at the pace of the slice before (the first: APPLY_BATCH rows), with APPLY_PAUSE
# seconds between them: longer than the longest sleep of SQLite's busy handler (100 ms), so a writer waiting in it
# tries again inside the pause and gets the lock; a writer waits at most about one burst
APPLY_BATCH = 20_000
APPLY_BATCH_MIN, APPLY_BATCH_MAX = 1_000, 200_000
APPLY_BURST = 0.3
APPLY_PAUSE = 0.12
# PostgreSQL: one import of a source writes at a time (`_wait_for_other_imports`): the advisory lock's first key,
# "inc" in ASCII, marks the incident imports' locks; the second is the source's id
IMPORT_LOCK = 0x696E63
IMPORT_LOCK_POLL = 0.5  # seconds between tries while another import of the source writes


def stored_hashes(source_id: int, hashes: list[str]):
    """Which of `hashes` the rows of the source without an id already have: a query the unique index on (source,
    row hash) of those rows answers (its condition, `source_ref = '' AND row_hash <> ''`, said in full: neither
    database infers it from a long IN list), so row_hash needs no index of its own."""
    return (
        Incident.objects.filter(source_id=source_id, source_ref="", row_hash__in=hashes)
        .exclude(row_hash="")
        .values_list("row_hash", flat=True)
    )


def _live_fields():
    return [f for f in Incident._meta.concrete_fields if not f.primary_key]


def _columns_of(table: Table, new: np.ndarray, source_id: int) -> dict[str, list]:
    """The values of the new rows, one list per column of the incident table."""
    p, cols = table.parsed, table.cols
    idx = np.flatnonzero(new)
    n = len(idx)

    def pick(values):
        return [values[i] for i in idx.tolist()] if n != len(new) else list(values)

    def ids(array):
        picked = array[idx]
        return [v or None for v in picked.tolist()]

    occurred = parsing.sql_datetimes(p["occurred"][idx])
    has_reported = p["reported_ok"][idx]
    if has_reported.any():
        reported = [
            r if has else None for r, has in zip(parsing.sql_datetimes(p["reported"][idx]), has_reported.tolist())
        ]
    else:
        reported = [None] * n
    addresses = pick(cols["address"])
    if any(len(a) > 255 for a in addresses):
        addresses = [a[:255] for a in addresses]
    now = timezone.now().astimezone(timezone.get_fixed_timezone(0)).replace(tzinfo=None)
    return {
        "source_id": [source_id] * n,
        "source_ref": pick(cols["source_ref"]),
        "occurred_at": occurred,
        "time_known": [int(k) for k in pick(cols[TIME_KNOWN])],  # 1/0: SQLite's and COPY's booleans alike
        "reported_at": reported,
        "category_id": p["category"][idx].tolist(),
        "lon": p["lon"][idx].tolist(),
        "lat": p["lat"][idx].tolist(),
        "address": addresses,
        "precision": pick(p["precision"]),
        "parish_id": ids(p["parish"]),
        "barrio_id": ids(p["barrio"]),
        "status": [Incident.Status.REPORTED.value] * n,
        "row_hash": pick(p["hash"]),
        "created_at": [now.strftime("%Y-%m-%d %H:%M:%S.%f")] * n,
    }


def staging_exists() -> bool:
    """Whether this connection holds a staging table (left by an import that did not clean up)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"pg_temp.{STAGING}"])
        else:
            cursor.execute("SELECT COUNT(*) FROM sqlite_temp_master WHERE type = 'table' AND name = %s", [STAGING])
        return bool(cursor.fetchone()[0])


def drop_staging() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {'temp.' if connection.vendor == 'sqlite' else 'pg_temp.'}{STAGING}")


@contextmanager
def staged(table: Table, new: np.ndarray, source_id: int, progress: Progress = _quiet):
    """Prepare the `new` rows of `table` outside any transaction; undo on the way out, whatever happens.
    SQLite: write them to the staging table (see above), in batches, each its own short transaction when no
    transaction is open; the table is dropped on the way out. PostgreSQL: build COPY's CSV of them, a batch at a
    time, with pyarrow (no Python call per row or cell; nothing is written yet): the apply then COPYs it straight
    into the live table (`_copy_live`)."""
    started = time.perf_counter()
    timings = table.timings = {}  # for the benchmark: stage, apply
    table.copy_batches = None
    if connection.vendor == "postgresql":
        try:
            if new.any():
                table.copy_batches = _copy_batches(table, new, source_id, progress)
            timings["stage"] = time.perf_counter() - started
            yield
        finally:
            table.copy_batches = None
        return
    drop_staging()
    try:
        if new.any():
            _stage(table, new, source_id, progress)
        timings["stage"] = time.perf_counter() - started
        yield
    finally:
        drop_staging()


def _copy_batches(table: Table, new: np.ndarray, source_id: int, progress: Progress) -> dict:
    """The new rows as COPY's CSV format, built by pyarrow's writer from the columns (text quoted, "" for an empty
    text, an empty cell for NULL, floats in their shortest exact form, times in UTC; no Python call per row or
    cell), COPY_BATCH rows a piece: {"columns": the live table's columns, "batches": [(rows, CSV bytes)], "first":
    the unique key of the first row, by which the apply finds the ids the table gave the rows}."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    p, cols = table.parsed, table.cols
    idx = np.flatnonzero(new)
    n = len(idx)
    everything = n == len(new)

    def text(values):
        return pa.array(values if everything else [values[i] for i in idx.tolist()], type=pa.string())

    def stamps(seconds, valid=None):
        # UTC, said in the text (pyarrow writes a zoned timestamp a hundred times slower than this)
        naive = pa.array(seconds, type=pa.timestamp("s"), mask=None if valid is None else ~valid)
        return pc.binary_join_element_wise(pc.cast(naive, pa.string()), "+00", "")

    def constant(value):  # one value for every row: a dictionary of one entry
        return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array([value]))

    def ids(array):
        picked = array[idx]
        return pa.array(picked, type=pa.int64(), mask=picked == 0)

    address = text(cols["address"])
    if pc.any(pc.greater(pc.utf8_length(address), 255)).as_py():
        address = pc.utf8_slice_codeunits(address, 0, 255)
    now = timezone.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00")
    columns = {
        "source_id": constant(source_id),
        "source_ref": text(cols["source_ref"]),
        "occurred_at": stamps(p["occurred"][idx]),
        "time_known": pa.array(np.fromiter(cols[TIME_KNOWN], dtype=bool, count=len(new))[idx]),
        "reported_at": stamps(p["reported"][idx], valid=p["reported_ok"][idx]),
        "category_id": pa.array(p["category"][idx], type=pa.int64()),
        "lon": pa.array(p["lon"][idx], type=pa.float64()),
        "lat": pa.array(p["lat"][idx], type=pa.float64()),
        "address": address,
        "precision": text(p["precision"]),
        "parish_id": ids(p["parish"]),
        "barrio_id": ids(p["barrio"]),
        "status": constant(Incident.Status.REPORTED.value),
        "row_hash": text(p["hash"]),
        "created_at": constant(now),
    }
    fields = {f.attname: f.column for f in _live_fields()}
    assert set(fields) == set(columns), sorted(set(fields) ^ set(columns))  # a new model field must be written here
    arrow = pa.table(list(columns.values()), names=[fields[f] for f in columns])
    first_ref, first_hash = columns["source_ref"][0].as_py(), columns["row_hash"][0].as_py()
    del columns
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed", batch_size=COPY_BATCH)
    total, before = len(table), len(table) - n
    batches = []
    for first in range(0, n, COPY_BATCH):
        sink = pa.BufferOutputStream()
        pacsv.write_csv(arrow.slice(first, COPY_BATCH), sink, options)
        batches.append((min(n, first + COPY_BATCH) - first, sink.getvalue().to_pybytes()))
        _report_staged(progress, before + min(n, first + COPY_BATCH), total)
    return {
        "columns": list(arrow.column_names),
        "batches": batches,
        "first": ("source_ref", first_ref) if first_ref else ("row_hash", first_hash),
        "source_id": source_id,
    }


def _stage(table: Table, new: np.ndarray, source_id: int, progress: Progress) -> None:
    values = _columns_of(table, new, source_id)
    fields = _live_fields()
    names = [f.attname for f in fields]
    assert set(names) == set(values), sorted(set(names) ^ set(values))  # a new model field must be written here
    n = len(values["source_id"])
    # the values every row shares are not staged: apply_staged writes them as parameters of its INSERT ... SELECT
    table.constants = {f: values.pop(f)[0] for f in CONSTANT if n}
    fields = [f for f in fields if f.attname not in CONSTANT]
    names = [f.attname for f in fields]
    total = len(table)
    before = total - n  # rows already imported count as done
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the driver's own cursor: no per-statement wrapping
        # SQLite: the temporary database takes no lock on the main file; each batch is one transaction of its own
        # (BEGIN DEFERRED: IMMEDIATE would take the main file's write lock too) unless the caller holds one
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGING} (line INTEGER PRIMARY KEY, {columns})")
        mark = "?"
        sql = (
            f"INSERT INTO {STAGING} (line, {', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join([mark] * (len(fields) + 1))})"
        )
        rows = zip(range(n), *(values[f] for f in names))
        own = not connection.in_atomic_block
        done = 0
        for batch in iter(lambda: list(itertools.islice(rows, STAGE_BATCH)), []):
            if own:
                cursor.execute("BEGIN DEFERRED")
            cursor.executemany(sql, batch)
            if own:
                cursor.execute("COMMIT")
            done += len(batch)
            _report_staged(progress, before + done, total)


def _report_staged(progress: Progress, done: int, total: int) -> None:
    progress(0.2 + 0.7 * done / total, rows_message(done, total))


def apply_staged(
    table: Table, progress: Progress = _quiet, audit: Callable[[list[int]], None] = lambda ids: None
) -> list[int]:
    """Move the staged rows into the live table and return their ids. A row that another import stored since the
    preview (same source id, or same row hash for rows without one) is skipped by the unique constraints (ON CONFLICT
    DO NOTHING; on PostgreSQL after the COPY met it): re-importing adds nothing. `audit(ids)` runs in the
    transaction that completes the import.

    PostgreSQL: the rows prepared by `staged` are COPYed into the live table in one transaction (it blocks nobody;
    `_copy_live`), once no other import of the same source is writing (`_wait_for_other_imports`). SQLite: INSERT
    ... SELECT over slices of the staged rows, each in a transaction of its own and sized to last about
    APPLY_BURST seconds, APPLY_PAUSE seconds apart, so the one write lock is held for short bursts and other users'
    logins and saves go in between; if any slice fails, the slices already stored are
    deleted again (short transactions too) before the error goes on: all or nothing, though other readers may see a
    part for the seconds the apply lasts (and a crash in those seconds leaves that part: see docs/architecture.md)."""
    timings = getattr(table, "timings", {})
    started = time.perf_counter()
    message = _("Saving %(n)s rows") % {"n": number_format(len(table), force_grouping=True)}
    quote = connection.ops.quote_name
    live = quote(Incident._meta.db_table)
    column_sql = ", ".join(quote(f.column) for f in _live_fields())
    if connection.vendor == "postgresql":
        batches = getattr(table, "copy_batches", None)
        if not batches:
            with transaction.atomic():
                audit([])
            return []
        # the figures' data version is held until the commit (a progress report inside the transaction, on this
        # connection, sees the rows already copied), then changes once
        from psycopg import errors

        source_id = batches["source_id"]
        with held_during_import() as hold:
            try:
                with transaction.atomic():
                    _wait_for_other_imports(source_id, progress, hold.renew)
                    ids = _copy_live(batches, progress, message, hold.renew)
                    audit(ids)
            except errors.UniqueViolation:
                # another import stored some of these rows since the preview: all of this one's were rolled back;
                # again, through a temporary table and INSERT ... ON CONFLICT DO NOTHING, which skips those
                with transaction.atomic():
                    _wait_for_other_imports(source_id, progress, hold.renew)
                    ids = _copy_live(batches, progress, message, hold.renew, skip_stored=True)
                    audit(ids)
        timings["apply"] = time.perf_counter() - started
        return ids
    if not staging_exists():
        with transaction.atomic():
            audit([])
        return []
    ids: list[int] = []
    constants = getattr(table, "constants", {})
    fields = _live_fields()
    select_sql = ", ".join("?" if f.attname in constants else quote(f.column) for f in fields)
    parameters = [constants[f.attname] for f in fields if f.attname in constants]
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        n = cursor.execute(f"SELECT COALESCE(MAX(line) + 1, 0) FROM temp.{STAGING}").fetchone()[0]
        cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MB while a million index entries go in: shorter bursts
        try:
            # pages that read figures over every incident keep those from before the import until it ends (cache.py)
            with held_during_import() as hold:
                complete = False  # the last slice, with the audit entry, is committed: the import stands
                try:
                    first, size = 0, APPLY_BATCH
                    while first < n:
                        last = min(n, first + size)
                        began = time.perf_counter()
                        with transaction.atomic():
                            cursor.execute(
                                f"INSERT INTO {live} ({column_sql}) SELECT {select_sql} FROM "
                                f"temp.{STAGING} WHERE line >= ? AND line < ? ORDER BY line "
                                "ON CONFLICT DO NOTHING RETURNING id",
                                [*parameters, first, last],
                            )
                            batch = [r[0] for r in cursor.fetchall()]
                            if last >= n:
                                audit(ids + batch)
                        took = time.perf_counter() - began  # with any wait for the lock: then the next is shorter
                        complete = last >= n
                        ids += batch
                        hold.renew()
                        progress(0.9 + 0.09 * last / n, message)
                        first = last
                        if first < n:
                            # the next slice as long as APPLY_BURST at this one's pace (at most twice this one's rows)
                            size = min(2 * size, APPLY_BATCH_MAX, int(size * APPLY_BURST / max(took, 1e-6)))
                            size = max(min(APPLY_BATCH, APPLY_BATCH_MIN), size)
                            time.sleep(APPLY_PAUSE)  # without it the import takes the lock back at once: others starve
                            timings["pauses"] = timings.get("pauses", 0.0) + APPLY_PAUSE
                        timings["slices"] = timings.get("slices", 0) + 1
                except BaseException:
                    if complete:  # a failure after the last commit (a progress report): nothing is undone
                        raise
                    for i in range(0, len(ids), LOOKUP):  # undo what was stored, in short transactions as well
                        chunk = ids[i : i + LOOKUP]
                        with transaction.atomic():
                            cursor.execute(f"DELETE FROM {live} WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
                    raise
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")
    timings["apply"] = time.perf_counter() - started
    return sorted(ids)


def _wait_for_other_imports(source_id: int, progress: Progress, renew: Callable[[], None]) -> None:
    """PostgreSQL, first thing in the apply's transaction: wait until no other import of this source is writing,
    then keep the turn until this transaction ends (an advisory lock on the source, taken for the transaction: a
    killed worker's goes with its connection). Two imports of one source that share rows and meet them in
    different orders each waited for a row the other had written, a deadlock that PostgreSQL broke by cancelling
    one of them; one after the other, the second finds the first's rows stored and skips them. Imports of
    different sources never share a unique key (both keys start with the source) and go on side by side. While
    waiting, the figures' hold is kept and the progress says why nothing moves."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s::integer, %s::integer)", [IMPORT_LOCK, source_id])
            if cursor.fetchone()[0]:
                return
            renew()
            progress(0.91, _("Waiting for another import of the same source to finish"))
            time.sleep(IMPORT_LOCK_POLL)


def _copy_live(
    prepared: dict, progress: Progress, message: str, renew: Callable[[], None], *, skip_stored: bool = False
) -> list[int]:
    """PostgreSQL, inside the apply's transaction: COPY the prepared rows (`_copy_batches`) straight into the live
    table, a batch per COPY statement (progress between them), and return their ids. A COPY takes the same ROW
    EXCLUSIVE lock as any INSERT (readers and other writers go on; nobody sees the rows before the commit) and
    keeps every index and constraint as it goes; a row that another import stored since the preview breaks a
    unique constraint (psycopg's UniqueViolation: the caller rolls back and calls again with `skip_stored`, which
    COPYs into a temporary table and moves the rows by INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING id).
    COPY returns no ids: the table gives them from its sequence as any insert does, and they are read back as the
    rows of the live table from the first one's id up whose xmin is this (sub)transaction's (the first row found
    by its unique key): exactly the rows this COPY wrote, whatever other users saved meanwhile."""
    quote = connection.ops.quote_name
    live = quote(Incident._meta.db_table)
    column_sql = ", ".join(quote(c) for c in prepared["columns"])
    batches = prepared["batches"]
    n = sum(rows for rows, _csv in batches)
    progress(0.91, message)
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the driver's own cursor: COPY
        target = live
        if skip_stored:
            target = STAGING
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} ON COMMIT DROP AS SELECT {column_sql} FROM {live} WITH NO DATA"
            )
        done = 0
        for rows, data in batches:
            with cursor.copy(f"COPY {target} ({column_sql}) FROM STDIN WITH (FORMAT csv)") as copy:
                copy.write(data)
            done += rows
            renew()
            progress(0.91 + 0.08 * done / n, message)
        if skip_stored:
            cursor.execute(
                f"INSERT INTO {live} ({column_sql}) SELECT {column_sql} FROM {STAGING} "
                "ON CONFLICT DO NOTHING RETURNING id"
            )
            ids = sorted(r[0] for r in cursor.fetchall())
            cursor.execute(f"DROP TABLE {STAGING}")
            return ids
        key, value = prepared["first"]
        cursor.execute(
            f"SELECT id, xmin::text FROM {live} WHERE source_id = %s AND {quote(key)} = %s"
            + (" AND source_ref = '' AND row_hash <> ''" if key == "row_hash" else ""),  # the unique index's rows
            [prepared["source_id"], value],
        )
        first, xid = cursor.fetchone()
        cursor.execute(f"SELECT id FROM {live} WHERE id >= %s AND xmin = %s::xid ORDER BY id", [first, xid])
        ids = [r[0] for r in cursor.fetchall()]
    if len(ids) != n:  # never: every row COPYed is in the table, in this transaction's rows
        raise RuntimeError(f"{n} rows copied, {len(ids)} found")
    return ids


def locate_ids(lon, lat):
    """Parish and barrio ids (0 where none) of many points: territory.selectors.locate_ids's answer (same areas,
    same order, so a point on a shared border goes to the same area), found without a shapely point per incident,
    which costs more than the lookup itself at a million rows: the points are sorted by longitude once, each area
    takes the slice inside its bounding box and tests it with one prepared `intersects_xy`."""
    from centinela.territory.models import Barrio, Parish

    x = np.asarray(lon, dtype=float)
    y = np.asarray(lat, dtype=float)
    order = np.argsort(x, kind="stable")
    xs = x[order]

    def ids_of(model):
        out = np.zeros(len(x), dtype=np.int64)
        rows = list(model.objects.exclude(geometry=None).values_list("id", "geometry"))
        if not rows or not len(x):
            return out
        geometries = np.array([g for _pk, g in rows], dtype=object)
        shapely.prepare(geometries)
        for (pk, _geom), geom, (minx, miny, maxx, maxy) in zip(rows, geometries, shapely.bounds(geometries)):
            candidates = order[np.searchsorted(xs, minx, "left") : np.searchsorted(xs, maxx, "right")]
            candidates = candidates[(out[candidates] == 0) & (y[candidates] >= miny) & (y[candidates] <= maxy)]
            if candidates.size:
                out[candidates[shapely.intersects_xy(geom, x[candidates], y[candidates])]] = pk
        return out

    return ids_of(Parish), ids_of(Barrio)


def has_parishes() -> bool:
    from centinela.territory.models import Parish

    return Parish.objects.exists()


def import_incidents(
    path,
    profile: ImportProfile,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    skip: frozenset[int] = frozenset(),
    filename: str = "",
):
    return run_import(
        incident_importer(profile, progress=progress, skip=skip), path, dry_run=dry_run, filename=filename
    )
