"""Reading the text back out of the three formats, as a reader would find it.

PDF without a PDF library: reportlab writes each line in a standard font as a literal string in the page content
streams (Flate-compressed and ASCII85-wrapped), WinAnsi-encoded; zlib and base64 from the standard library suffice.
"""

import base64
import html
import io
import re
import zlib

OBJECT = re.compile(rb"\d+ \d+ obj(?P<body>.*?)endobj", re.S)
LITERAL = re.compile(rb"\((?P<s>(?:\\.|[^\\()])*)\)\s*(?:Tj|'|\")|\[(?P<a>[^\]]*)\]\s*TJ", re.S)
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


def _unescape(raw: bytes) -> bytes:
    def repl(m):
        esc = m.group(1)
        if esc[:1].isdigit():
            return bytes([int(esc, 8)])
        return ESCAPES.get(esc, esc)

    return re.sub(rb"\\([0-7]{1,3}|.)", repl, raw, flags=re.S)


def _decode(dictionary: bytes, data: bytes) -> bytes:
    if b"ASCII85Decode" in dictionary:
        data = data.strip()
        data = base64.a85decode(data.removeprefix(b"<~").removesuffix(b"~>"))
    if b"FlateDecode" in dictionary:
        data = zlib.decompress(data)
    return data


def pdf_text(content: bytes) -> str:
    """All the text shown on the pages, lines joined by spaces, whitespace collapsed."""
    parts = []
    for m in OBJECT.finditer(content):
        body = m.group("body")
        start = body.find(b"stream")
        if start < 0:
            continue
        dictionary = body[:start]
        if b"/Subtype" in dictionary:  # images and the like: not page text
            continue
        data = body[start + len(b"stream") : body.rindex(b"endstream")].strip(b"\r\n")
        stream = _decode(dictionary, data)
        for t in LITERAL.finditer(stream):
            if t.group("s") is not None:
                parts.append(_unescape(t.group("s")))
            else:
                parts.extend(_unescape(s) for s in re.findall(rb"\(((?:\\.|[^\\()])*)\)", t.group("a"), re.S))
    return _collapse(" ".join(p.decode("cp1252", errors="replace") for p in parts))


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def html_text(content: bytes) -> str:
    page = content.decode("utf-8")
    page = re.sub(r"<(style|script)\b.*?</\1>", " ", page, flags=re.S)
    return _collapse(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def docx_text(content: bytes) -> str:
    return _collapse(" ".join(docx_blocks(content)))


def docx_blocks(content: bytes) -> list[str]:
    """Paragraphs then every table cell, in document order within each kind."""
    from docx import Document

    doc = Document(io.BytesIO(content))
    blocks = [p.text for p in doc.paragraphs]
    blocks += [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return blocks


def docx_tables(content: bytes) -> list[list[list[str]]]:
    from docx import Document

    doc = Document(io.BytesIO(content))
    return [[[_collapse(cell.text) for cell in row.cells] for row in table.rows] for table in doc.tables]


def pdf_image_count(content: bytes) -> int:
    return len(re.findall(rb"/Subtype /Image", content))
