"""The report's PDF pages as a reader sees them, without a PDF library: a small interpreter of the content streams
reportlab writes (uncompressed: `render_pdf.render(..., compress=False)`) that places every line of text, rectangle,
rule and image on its page, and draws the page as an image (PIL) to measure how full it is and to look at it.

Only the operators reportlab emits are understood: q Q cm, BT ET Tf TL Tm Td T* Tj TJ ' ", re m l f S B n, Do.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from centinela.reports.tests.reading import _decode, _unescape

A4 = (595.2756, 841.8898)
OBJECT = re.compile(rb"(?m)^(\d+) 0 obj(.*?)endobj", re.S)
TOKEN = re.compile(
    rb"\s*(?:(?P<str>\((?:\\.|[^\\()])*\))|(?P<arr>\[)|(?P<arrend>\])|(?P<name>/[^\s/\[\]()<>]+)"
    rb"|(?P<num>[-+]?(?:\d+\.?\d*|\.\d+))|(?P<op>[A-Za-z'\"*]+)|(?P<other><<|>>|\S))",
    re.S,
)


@dataclass
class Line:
    x: float
    y: float  # baseline, PDF points from the page's foot
    font: str  # the base font, e.g. Helvetica-Bold
    size: float
    text: str


@dataclass
class Box:
    x: float
    y: float
    w: float
    h: float
    kind: str  # "image", "fill", "stroke"
    image: bytes | None = None  # an image's data as PIL opens it (PNG or JPEG)


@dataclass
class Page:
    number: int
    lines: list[Line] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    rules: list[tuple[float, float, float, float]] = field(default_factory=list)

    def body(self, bottom: float, top: float) -> Page:
        """Only what lies between the margins: the footer and header left out."""
        return Page(
            self.number,
            [ln for ln in self.lines if bottom <= ln.y <= top],
            [b for b in self.boxes if b.y + b.h >= bottom and b.y <= top],
            [r for r in self.rules if bottom <= min(r[1], r[3]) and max(r[1], r[3]) <= top],
        )

    def lowest(self) -> float | None:
        """The lowest point anything is drawn at (a line's descent counted), None for an empty page."""
        ys = [ln.y - 0.25 * ln.size for ln in self.lines] + [b.y for b in self.boxes]
        ys += [min(r[1], r[3]) for r in self.rules]
        return min(ys) if ys else None


def _stream(body: bytes) -> tuple[bytes, bytes]:
    start = body.find(b"stream")
    dictionary = body[:start]
    data = body[start + len(b"stream") : body.rindex(b"endstream")].strip(b"\r\n")
    return dictionary, _decode(dictionary, data)


def _image(dictionary: bytes, data: bytes) -> bytes:
    """The image as PNG or JPEG bytes PIL can open."""
    from PIL import Image

    if b"DCTDecode" in dictionary:
        return data
    w = int(re.search(rb"/Width (\d+)", dictionary).group(1))
    h = int(re.search(rb"/Height (\d+)", dictionary).group(1))
    mode = "L" if b"DeviceGray" in dictionary else "RGB"
    out = io.BytesIO()
    Image.frombytes(mode, (w, h), data).save(out, format="PNG")
    return out.getvalue()


def _mul(a, b):
    """Matrix product a·b of PDF matrices [a b c d e f]."""
    return [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]


def _apply(m, x, y):
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def _tokens(data: bytes):
    stack: list = []
    arrays: list[list] = []
    for m in TOKEN.finditer(data):
        kind = m.lastgroup
        raw = m.group(kind)
        if kind == "str":
            value = _unescape(raw[1:-1]).decode("cp1252", errors="replace")
        elif kind == "num":
            value = float(raw)
        elif kind == "name":
            value = raw.decode("latin-1")
        elif kind == "arr":
            arrays.append([])
            continue
        elif kind == "arrend":
            value = arrays.pop()
        elif kind == "op":
            yield raw.decode("latin-1"), stack
            stack = []
            continue
        else:
            continue
        (arrays[-1] if arrays else stack).append(value)


def pages(content: bytes) -> list[Page]:
    objects = {int(m.group(1)): m.group(2) for m in OBJECT.finditer(content)}
    fonts = {}
    for body in objects.values():
        if b"/Type /Font" in body:
            name = re.search(rb"/Name /(\S+)", body)
            base = re.search(rb"/BaseFont /(\S+)", body)
            if name and base:
                fonts["/" + name.group(1).decode()] = base.group(1).decode()
    xobjects = {}
    for body in objects.values():
        for name, ref in re.findall(rb"/([^\s/<>\[\]()]+) (\d+) 0 R", body):
            if int(ref) in objects and b"/Subtype /Image" in objects[int(ref)]:
                xobjects["/" + name.decode()] = int(ref)
    kids = re.search(rb"/Kids \[([^\]]*)\] /Type /Pages", b"".join(b for b in objects.values() if b"/Type /Pages" in b))
    order = [int(k) for k in re.findall(rb"(\d+) 0 R", kids.group(1))]
    out = []
    for number, ref in enumerate(order, 1):
        contents = re.search(rb"/Contents (\d+) 0 R", objects[ref])
        page = Page(number)
        if contents:
            _run(_stream(objects[int(contents.group(1))])[1], page, fonts, xobjects, objects)
        out.append(page)
    return out


def _run(data: bytes, page: Page, fonts, xobjects, objects) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    ctm = [1, 0, 0, 1, 0, 0]
    saved = []
    tm = line_m = [1, 0, 0, 1, 0, 0]
    font, size, leading = "", 0.0, 0.0
    path_start = None
    pending_rects, pending_lines = [], []

    def show(text):
        nonlocal tm
        x, y = _apply(_mul(tm, ctm), 0, 0)
        if text.strip():
            page.lines.append(Line(x, y, font, size, text))
        if font.startswith("Helvetica"):  # a run that follows on the same line starts where this one ends
            tm = _mul([1, 0, 0, 1, stringWidth(text, font, size), 0], tm)

    for op, args in _tokens(data):
        if op == "q":
            saved.append(ctm)
        elif op == "Q":
            ctm = saved.pop() if saved else ctm
        elif op == "cm":
            ctm = _mul(args, ctm)
        elif op == "BT":
            tm = line_m = [1, 0, 0, 1, 0, 0]
        elif op == "Tf":
            font, size = fonts.get(args[0], args[0]), args[1]
        elif op == "TL":
            leading = args[0]
        elif op == "Tm":
            tm = line_m = list(args)
        elif op == "Td":
            tm = line_m = _mul([1, 0, 0, 1, args[0], args[1]], line_m)
        elif op == "T*":
            tm = line_m = _mul([1, 0, 0, 1, 0, -leading], line_m)
        elif op == "Tj":
            show(args[0])
        elif op == "TJ":
            show("".join(a for a in args[0] if isinstance(a, str)))
        elif op in ("'", '"'):
            tm = line_m = _mul([1, 0, 0, 1, 0, -leading], line_m)
            show(args[-1])
        elif op == "re":
            x, y, w, h = args
            (x0, y0), (x1, y1) = _apply(ctm, x, y), _apply(ctm, x + w, y + h)
            pending_rects.append((min(x0, x1), min(y0, y1), abs(x1 - x0), abs(y1 - y0)))
        elif op == "m":
            path_start = _apply(ctm, *args)
        elif op == "l" and path_start is not None:
            end = _apply(ctm, *args)
            pending_lines.append((*path_start, *end))
            path_start = end
        elif op in ("f", "f*", "B", "S", "n"):
            if op != "n":
                kind = "stroke" if op == "S" else "fill"
                page.boxes.extend(Box(*r, kind) for r in pending_rects)
                page.rules.extend(pending_lines)
            pending_rects, pending_lines = [], []
        elif op == "Do" and args and args[0] in xobjects:
            x0, y0 = _apply(ctm, 0, 0)
            x1, y1 = _apply(ctm, 1, 1)
            dictionary, raw = _stream(objects[xobjects[args[0]]])
            page.boxes.append(Box(x0, y0, x1 - x0, y1 - y0, "image", _image(dictionary, raw)))


def _font(name: str, size: float, scale: float):
    import reportlab  # it ships the Vera fonts beside it
    from PIL import ImageFont

    fonts = Path(reportlab.__file__).parent / "fonts"
    file = "VeraBd.ttf" if "Bold" in name else ("VeraIt.ttf" if "Oblique" in name else "Vera.ttf")
    return ImageFont.truetype(str(fonts / file), max(1, round(size * scale * 0.92)))


def draw(page: Page, dpi: int = 60):
    """The page as a PIL image: text in Vera (close to Helvetica), tables' fills and rules, images in place."""
    from PIL import Image, ImageDraw

    scale = dpi / 72
    w, h = round(A4[0] * scale), round(A4[1] * scale)
    image = Image.new("RGB", (w, h), "white")
    pen = ImageDraw.Draw(image)

    def xy(x, y):
        return x * scale, h - y * scale

    for b in page.boxes:
        (x0, y1), (x1, y0) = xy(b.x, b.y), xy(b.x + b.w, b.y + b.h)
        if b.kind == "image" and b.image:
            picture = Image.open(io.BytesIO(b.image)).convert("RGB")
            size = (max(1, round(x1 - x0)), max(1, round(y1 - y0)))
            image.paste(picture.resize(size), (round(x0), round(y0)))
        elif b.kind == "fill":
            pen.rectangle([x0, y0, x1, y1], fill="#e8eef2")
        else:
            pen.rectangle([x0, y0, x1, y1], outline="#9aa5a6")
    for x0, y0, x1, y1 in page.rules:
        pen.line([xy(x0, y0), xy(x1, y1)], fill="#9aa5a6")
    from reportlab.pdfbase.pdfmetrics import stringWidth

    for ln in page.lines:
        x, y = xy(ln.x, ln.y)
        font = _font(ln.font, ln.size, scale)
        # Vera runs wider than Helvetica: squeeze the line to the width the PDF gives it
        wanted = stringWidth(ln.text, ln.font, ln.size) * scale if ln.font.startswith("Helvetica") else 0
        drawn = pen.textlength(ln.text, font=font)
        if wanted and drawn > wanted + 1:
            font = _font(ln.font, ln.size * wanted / drawn, scale)
        pen.text((x, y), ln.text, fill="black", font=font, anchor="ls")
    return image


def ink(image) -> float:
    """Share of the page's pixels that are not white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[245:]) / (grey.width * grey.height)
