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
import_staging).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import itertools
import logging
import re
from datetime import UTC
from pathlib import Path

import numpy as np
import shapely
from django.db import connection
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.incidents import parsing
from centinela.incidents.import_staging import (
    LOOKUP,
    TIME_KNOWN,
    Progress,
    apply_staged,
    quiet,
    rows_message,
    staged,
    stored_hashes,
)
from centinela.incidents.models import Category, ImportProfile, Incident
from centinela.incidents.signals import incidents_created
from centinela.lib.exports import choice_value
from centinela.lib.imports import Importer, Problem, Row, run_import
from centinela.lib.tables import (
    ENCODING_NAMES,
    FORMULA_STARTS,
    UnreadableTable,
    cell_text,
    is_workbook,
    normalise,
    read_text_table,
    read_workbook,
)

FIELDS = ("source_ref", "occurred_at", "reported_at", "category", "lon", "lat", "address", "precision")
# mapped too, but not a column of its own: the time, when the file keeps it apart from the date (it is joined to
# the date column as the file is read; FIELDS, and so the row hash, stay as they were)
TIME = "occurred_time"
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

log = logging.getLogger(__name__)
DELIMITER_NAMES = {
    ",": gettext_lazy("comma"),
    ";": gettext_lazy("semicolon"),
    "\t": gettext_lazy("tab"),
    "|": gettext_lazy("vertical bar"),
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
        values = [[cell_text(c) for c in row] for row in read_workbook(path)]
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
        self.progress = progress or quiet
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
