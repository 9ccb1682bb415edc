"""Reading spreadsheets users upload (CSV or XLSX), for the import pipeline: one reader for every importer.

`read_table` gives the raw cells; `read_rows` gives rows of {normalised header: text} with the spreadsheet's own row
numbers (header = row 1). An XLSX is recognised by its content; a CSV may come in any text encoding (`decode_text`:
byte-order marks, UTF-16 without one, UTF-8, the single-byte encodings of Spanish offices) and with any of the
delimiters , ; tab | (`sniff_delimiter`), both told from a sample so a million-row file pays nothing more. Nothing is
ever replaced silently: a file that cannot be read raises UnreadableTable with a message for the user (Spanish). A
leading apostrophe that our exports put before =, +, - or @ (so spreadsheet programs do
not run it as a formula) is removed again, so exports re-import to the same values.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def normalise(header) -> str:
    text = unicodedata.normalize("NFKD", str(header or "")).encode("ascii", "ignore").decode()
    return "_".join(text.strip().lower().replace("-", " ").split())


def _unescape(value):
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in FORMULA_STARTS:
        return value[1:]
    return value


class UnreadableTable(ValueError):
    """A file that is not a readable table. The message is for the user (translated); when the reason is bytes no
    text encoding reads, `rows` maps each spreadsheet row holding them (the file's line number) to what is wrong
    there, so an importer can report them row by row (the message names them too, for those that do not)."""

    def __init__(self, message: str, rows: dict[int, str] | None = None):
        super().__init__(message)
        self.rows = rows or {}


ZIP_MAGIC = b"PK\x03\x04"  # an XLSX workbook is a zip archive, whatever its name says
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old Excel .xls (or .doc)
BOMS = (  # UTF-32 before UTF-16: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# the single-byte encodings files from Ecuadorian offices come in, the most likely first (ties go to the first)
WESTERN = ("cp1252", "iso8859_15", "latin_1", "mac_roman", "cp850")
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "utf-32-le": "UTF-32",
    "utf-32-be": "UTF-32",
    "cp1252": "Windows-1252",
    "iso8859_15": "ISO-8859-15",
    "latin_1": "ISO-8859-1",
    "mac_roman": "MacRoman",
    "cp850": "DOS (CP850)",
}
SAMPLE = 64 * 1024  # bytes looked at to tell the encoding and the delimiter: a sample, never the whole file
DELIMITERS = ",;\t|"
SPANISH = set("áéíóúñüÁÉÍÓÚÑÜ¿¡")
TYPOGRAPHY = set("°ºª“”‘’–—«»€\xa0")  # common in real Spanish office text, neither evidence for nor against
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1f]")
C1_BYTES = bytes(range(0x80, 0xA0))  # ISO-8859-1/-15 read these as invisible control characters


def is_workbook(path: Path) -> bool:
    with open(path, "rb") as handle:
        return handle.read(4) == ZIP_MAGIC


def _undecodable(raw: bytes, positions: list[int], encoding: str) -> UnreadableTable:
    """The error for bytes at `positions` that `encoding` does not read, naming their rows (line numbers)."""
    name = ENCODING_NAMES.get(encoding, encoding)
    rows: dict[int, str] = {}
    for at in positions:
        rows.setdefault(
            raw.count(b"\n", 0, at) + 1,
            _(
                "byte 0x%(byte)02X cannot be read as %(encoding)s text (the file mixes text encodings; save it again "
                "as "
                "UTF-8 CSV)"
            )
            % {"byte": raw[at], "encoding": name},
        )
    numbers = sorted(rows)
    where = ", ".join(map(str, numbers[:5])) + (" ..." if len(numbers) > 5 else "")
    message = ngettext("row %(rows)s: %(detail)s", "rows %(rows)s: %(detail)s", len(numbers)) % {
        "rows": where,
        "detail": rows[numbers[0]],
    }
    return UnreadableTable(message, rows)


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 or UTF-32 saved without a byte-order mark (mostly ASCII text: one or three zero bytes per letter, always
    on the same side): the encoding, or None."""
    n = len(sample) // 4 * 4
    if n < 8:
        return None
    zero = [sample[k:n:4].count(0) / (n // 4) for k in range(4)]
    if min(zero[1:]) > 0.9 and zero[0] < 0.1:
        return "utf-32-le"
    if min(zero[:3]) > 0.9 and zero[3] < 0.1:
        return "utf-32-be"
    even, odd = (zero[0] + zero[2]) / 2, (zero[1] + zero[3]) / 2
    if odd > 0.3 and even < 0.05:
        return "utf-16-le"
    if even > 0.3 and odd < 0.05:
        return "utf-16-be"
    return None


def _strict(raw: bytes, encoding: str, skip: int = 0) -> str:
    try:
        return raw[skip:].decode(encoding)
    except UnicodeDecodeError as exc:
        raise _undecodable(raw, [exc.start + skip], encoding) from exc


def _spanish_score(text: str) -> int:
    """How much a decoded sample looks like Spanish office text: its letters with accents count for, symbols and
    foreign letters where accented letters would be (what a wrong encoding produces) count against."""
    score = 0
    for char in text:
        if char < "\x80" or char in TYPOGRAPHY:
            continue
        if char in SPANISH:
            score += 2
        elif "\x80" <= char <= "\x9f":
            score -= 5  # a control character: not this encoding
        elif char.isalpha():
            score -= 1
        else:
            score -= 2
    return score


def _high_lines(raw: bytes, around: int) -> bytes:
    """A sample of the lines holding non-ASCII bytes near byte `around` (where UTF-8 first failed): what tells the
    encodings apart, at most SAMPLE bytes of it whatever the file's size."""
    window = raw[max(0, around - 8 * SAMPLE) : around + 8 * SAMPLE]
    return b"\n".join(re.findall(rb"[^\n]*[\x80-\xff][^\n]*", window))[:SAMPLE] or window[:SAMPLE]


def _guess_single_byte(sample: bytes) -> str:
    """The encoding of a file that is not UTF-8, from a sample of its lines holding non-ASCII bytes: the Western
    encoding whose reading looks most like Spanish, else charset-normalizer's guess over all encodings."""
    best, best_score = None, 0
    for encoding in WESTERN:
        try:
            score = _spanish_score(sample.decode(encoding))
        except UnicodeDecodeError:
            continue
        if best is None or score > best_score:
            best, best_score = encoding, score
    if best is not None and best_score > 0:
        return best
    from charset_normalizer import from_bytes

    match = from_bytes(sample).best()
    if match is not None:
        return match.encoding
    if best is not None:
        return best
    raise UnreadableTable(_("its text encoding cannot be recognised; save it again as UTF-8 CSV"))


def decode_text(raw: bytes) -> tuple[str, str]:
    """The text of an uploaded CSV and the encoding it was read with. In order: a byte-order mark (UTF-8, UTF-16,
    UTF-32), UTF-16/32 without one (zero bytes on one side), UTF-8, then a single-byte encoding guessed from a
    sample (Windows-1252, ISO-8859-15/-1, MacRoman, DOS; charset-normalizer for anything else). Never replaces
    what it cannot read: bytes no reading accepts raise UnreadableTable naming their rows, and a binary file (an
    image, a PDF, an old .xls) raises UnreadableTable saying so."""
    for bom, encoding in BOMS:
        if raw.startswith(bom):
            return _strict(raw, encoding, len(bom)), encoding
    head = raw[:SAMPLE]
    if b"\x00" in head:
        wide = _utf16_without_bom(head)
        if wide is None:
            if raw.startswith(OLE_MAGIC):
                raise UnreadableTable(_("it is an old Excel workbook (.xls): save it as XLSX or CSV"))
            raise UnreadableTable(_("it is a binary file (an image, a PDF, a compressed file...), not a table"))
        return _strict(raw, wide), wide
    if len(CONTROL_BYTES.findall(head)) > max(2, len(head) // 100):
        raise UnreadableTable(_("it is a binary file (an image, a PDF, a compressed file...), not a table"))
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        sample = _high_lines(raw, exc.start)
    # a UTF-8 file with a few stray bytes pasted from elsewhere, or a file in another encoding? Told on the sample
    looked = sample.decode("utf-8", errors="surrogateescape")
    bad = len(re.findall("[\udc80-\udcff]", looked))
    if len(re.findall("[\x80-\ud7ff\ue000-\U0010ffff]", looked)) >= bad:
        text = raw.decode("utf-8", errors="surrogateescape")
        positions, previous, at = [], 0, 0
        for match in itertools.islice(re.finditer("[\udc80-\udcff]", text), 50):  # characters -> bytes, one pass
            at += len(text[previous : match.start()].encode("utf-8", errors="surrogateescape"))
            positions.append(at)
            previous = match.start()
        raise _undecodable(raw, positions, "utf-8")
    encoding = _guess_single_byte(sample)
    text = _strict(raw, encoding)
    if encoding in ("latin_1", "iso8859_15") and len(raw.translate(None, C1_BYTES)) != len(raw):
        # ISO-8859-1 reads every byte, but 0x80-0x9F as invisible control characters: not text
        raise _undecodable(raw, [min(at for at in map(raw.find, (bytes([b]) for b in C1_BYTES)) if at >= 0)], encoding)
    return text, encoding


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV: csv.Sniffer over its first lines with the candidates , ; tab |, kept only when the
    header line holds it; else the candidate the header line uses most."""
    lines = text[:SAMPLE].splitlines()[:20]
    header = lines[0] if lines else ""
    try:
        delimiter = csv.Sniffer().sniff("\n".join(lines), delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ""
    if delimiter and delimiter in header:
        return delimiter
    return max(DELIMITERS, key=header.count)


def read_text_table(path: Path) -> tuple[str, str, str]:
    """(text, encoding, delimiter) of a CSV file: see decode_text and sniff_delimiter."""
    text, encoding = decode_text(Path(path).read_bytes())
    return text, encoding, sniff_delimiter(text)


def _has_formulas(handle) -> bool:
    """Whether any worksheet of the workbook holds a formula (an <f> element), told by scanning the XML as it is
    decompressed, far faster than a second parse by openpyxl; the archive has been checked (lib.archives)."""
    import zipfile

    try:
        with zipfile.ZipFile(handle) as archive:
            for name in archive.namelist():
                if not (name.startswith("xl/worksheets/") and name.endswith(".xml")):
                    continue
                with archive.open(name) as member:
                    tail = b""
                    while chunk := member.read(1 << 20):
                        if re.search(rb"<(?:\w+:)?f[ >/]", tail + chunk):
                            return True
                        tail = chunk[-16:]
        return False
    finally:
        handle.seek(0)


def _uncached_formulas(handle, values: list[list]) -> dict[int, str]:
    """{spreadsheet row: message} for the cells holding a formula but no saved result: openpyxl (like any reader
    that does not compute) reads them as empty, so a workbook written by a program that does not calculate (or
    saved without recalculating) would import blanks where the user sees values."""
    from openpyxl import load_workbook

    book = load_workbook(handle, read_only=True, data_only=False)
    found: dict[int, list[str]] = {}
    try:
        for number, (formulas, row) in enumerate(zip(book.active.iter_rows(values_only=True), values), start=1):
            for column, (formula, value) in enumerate(zip(formulas, row), start=1):
                text = getattr(formula, "text", formula)  # array formulas are objects with the formula as text
                if value is None and isinstance(text, str) and text.startswith("="):
                    found.setdefault(number, []).append(f"{_column_letter(column)}{number} ({text[:60]})")
    finally:
        book.close()
    return {
        number: ngettext(
            "the formula in %(cells)s has no saved result; open the file in a spreadsheet program, let it calculate "
            "and save it again (or paste the values)",
            "the formulas in %(cells)s have no saved result; open the file in a spreadsheet program, let it calculate "
            "and save it again (or paste the values)",
            len(cells),
        )
        % {"cells": ", ".join(cells)}
        for number, cells in found.items()
    }


def _column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(column)


def read_workbook(path: Path) -> list[list]:
    """The cells of the workbook's first sheet, as last saved (formula results). Refuses a zip bomb before
    reading (lib.archives) and a formula without a saved result (UnreadableTable naming its rows)."""
    from openpyxl import load_workbook

    from centinela.lib.archives import UnsafeArchive, check_zip

    with open(path, "rb") as handle:  # a handle, not the name: openpyxl refuses names not ending in .xlsx
        try:
            check_zip(handle)
        except UnsafeArchive as exc:
            raise UnreadableTable(str(exc)) from exc
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zipfile/KeyError/InvalidFileException for non-workbooks
            raise UnreadableTable(_("it is a compressed file but not an XLSX workbook")) from exc
        try:
            values = [list(row) for row in book.active.iter_rows(values_only=True)]
        finally:
            book.close()
        handle.seek(0)
        if _has_formulas(handle):
            uncached = _uncached_formulas(handle, values)
            if uncached:
                numbers = sorted(uncached)
                where = ", ".join(map(str, numbers[:5])) + (" ..." if len(numbers) > 5 else "")
                raise UnreadableTable(
                    ngettext("row %(rows)s: %(detail)s", "rows %(rows)s: %(detail)s", len(numbers))
                    % {"rows": where, "detail": uncached[numbers[0]]},
                    uncached,
                )
        return [[_unescape(c) for c in row] for row in values]


def read_table(path: Path) -> list[list]:
    """All cells of the first sheet (XLSX: recognised by content, not by name) or of the CSV (any encoding, see
    decode_text; delimiter `,`, `;`, tab or `|`, see sniff_delimiter). Raises UnreadableTable (a ValueError with a
    message for the user) for files that are neither."""
    path = Path(path)
    if is_workbook(path):
        return read_workbook(path)
    text, _encoding, delimiter = read_text_table(path)
    return [[_unescape(c) for c in row] for row in _csv_rows(text, delimiter)]


SWALLOWED_LINE = re.compile(r"[\r\n]\s*\S")  # a line break in a cell with text after it


def _open_quote(number: int) -> UnreadableTable:
    detail = _(
        'a quote (") opened in this row is never closed, so the rows after it would be read as one cell; '
        "close it or remove it"
    )
    return UnreadableTable(
        ngettext("row %(rows)s: %(detail)s", "rows %(rows)s: %(detail)s", 1) % {"rows": number, "detail": detail},
        {number: detail},
    )


def _csv_rows(text: str, delimiter: str) -> Iterator[list[str]]:
    """The rows of a CSV text. The csv module reads everything after a quote that is never closed into one cell
    (or fails past its field limit): that is refused naming the row (spreadsheet rows: header = 1), never read."""
    number = 0
    row: list[str] | None = None
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            number += 1
            yield row
    except csv.Error as exc:
        raise _open_quote(number + 1) from exc
    if row is not None and any(SWALLOWED_LINE.search(cell) for cell in row):
        # still inside the quote at the end of the file? Then a closing quote added there changes nothing
        source = io.StringIO(text, newline="")
        reader, start = csv.reader(source, delimiter=delimiter), 0
        for _number in range(number - 1):  # rare (the last row holds a line break): read again to find it
            next(reader)
            start = source.tell()
        if list(csv.reader(io.StringIO(text[start:] + '"', newline=""), delimiter=delimiter)) == [row]:
            raise _open_quote(number)


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(path: Path, aliases: dict[str, str] | None = None) -> list[tuple[int, dict[str, str]]]:
    """[(spreadsheet row number, {normalised header: cell text})], skipping empty rows; with `aliases` ({normalised
    header: key}, lib.exports.column_aliases) a header the file spells as a column's label comes out as its key.
    Raises UnreadableTable (a ValueError) when the file is neither CSV nor XLSX."""
    try:
        values = read_table(path)
    except ValueError:
        raise
    except Exception as exc:  # a workbook corrupt past its first bytes, a file that vanished
        raise UnreadableTable(str(exc) or type(exc).__name__) from exc
    if not values:
        return []
    headers = [normalise(h) for h in values[0]]
    if aliases:
        headers = [aliases.get(h, h) for h in headers]
    rows = []
    for number, cells in enumerate(values[1:], start=2):
        row = {h: cell_text(c) for h, c in zip(headers, cells) if h}
        if any(row.values()):
            rows.append((number, row))
    return rows


def original_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """(the file's own header cells, an iterator of (spreadsheet row number, cells as the file holds them)) read a
    row at a time, so that the rows of a large file can be handed back (the rejected rows of an import) without
    keeping them: the numbers are those every importer gives its rows (header = row 1). A CSV's text is decoded
    once to learn its encoding and delimiter, then streamed from the file; an XLSX is read in openpyxl's read-only
    mode. Raises UnreadableTable for a file that is no table."""
    path = Path(path)
    if is_workbook(path):
        from openpyxl import load_workbook

        handle = open(path, "rb")  # noqa: SIM115 - closed when the rows have been read (or the iterator is dropped)
        try:
            book = load_workbook(handle, read_only=True, data_only=True)
            rows = book.active.iter_rows(values_only=True)
            header = [cell_text(c) for c in next(rows, ())]
        except Exception as exc:
            handle.close()
            raise UnreadableTable(str(exc) or type(exc).__name__) from exc

        def workbook_body():
            try:
                for number, cells in enumerate(rows, start=2):
                    yield number, [_unescape(c) for c in cells]
            finally:
                book.close()
                handle.close()

        return header, workbook_body()
    text, encoding, delimiter = read_text_table(path)
    del text
    encoding = "utf-8-sig" if encoding == "utf-8" else encoding
    text_handle = open(path, encoding=encoding, newline="")  # noqa: SIM115 - closed when the rows have been read
    reader = csv.reader(text_handle, delimiter=delimiter)
    header = [h.lstrip("\ufeff") for h in next(reader, [])]

    def text_body():
        try:
            for number, cells in enumerate(reader, start=2):
                yield number, [_unescape(c) for c in cells]
        finally:
            text_handle.close()

    return header, text_body()
