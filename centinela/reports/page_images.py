"""The report's PDF pages as images, drawn by a real PDF rasteriser (poppler's `pdftoppm`, Debian package
poppler-utils), and what the layout checks measure on their pixels: how far down the text box the ink goes, ink outside
the text box (the header and footer bands excepted), a page with no ink. Used by the layout tests
(reports/tests/test_report_layout.py) and by scripts/report_pages.py, which writes the images for a person to look at.

The geometry is render_pdf's: an A4 page, a text box 2.2 cm from the left and right edges, 2 cm from the top and 2.2 cm
from the foot; the demo notice is drawn in the band above it and the footer (institution, slogan, page number) in the
band below it, both within the side margins.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

CM_PER_INCH = 2.54
A4_CM = (21.0, 29.7)
MARGIN_X_CM, MARGIN_TOP_CM, MARGIN_BOTTOM_CM = 2.2, 2.0, 2.2
INK = 200  # a grey level below this (0 black, 255 white) is ink; the tables' pale shading (~240) is not
SLACK_PX = 1  # anti-aliasing lets a glyph's edge bleed a pixel past where it is drawn

INSTALL_HINT = "Install poppler-utils (`sudo apt-get install poppler-utils`) for pdftoppm."


def pdftoppm() -> str | None:
    return shutil.which("pdftoppm")


def rasterise(pdf: bytes, dpi: int = 50) -> list[Image.Image]:
    """Every page of `pdf` as a greyscale image, drawn by pdftoppm at `dpi`."""
    tool = pdftoppm()
    if tool is None:
        raise FileNotFoundError("pdftoppm not found. " + INSTALL_HINT)
    with tempfile.TemporaryDirectory(prefix="centinela-pages-") as tmp:
        source = Path(tmp) / "report.pdf"
        source.write_bytes(pdf)
        subprocess.run([tool, "-r", str(dpi), "-gray", "-png", str(source), str(Path(tmp) / "p")], check=True)
        # pdftoppm numbers the files p-1.png or p-01.png ... as the page count needs: sort by the number
        files = sorted(Path(tmp).glob("p-*.png"), key=lambda f: int(f.stem.rsplit("-", 1)[1]))
        images = []
        for f in files:
            with Image.open(f) as im:
                images.append(im.convert("L"))
        return images


@dataclass
class PageMeasure:
    number: int
    fill: float  # how far down the text box the ink reaches: 0 none, 1 its foot
    body_ink: float  # the share of the text box's pixels that are ink
    outside: int  # ink pixels outside the text box, the header and footer bands left out
    header_ink: int  # ink pixels in the band above the text box
    footer_ink: int  # ink pixels in the band below it


def measure(image: Image.Image, number: int) -> PageMeasure:
    ink = np.asarray(image.convert("L")) < INK
    height, width = ink.shape
    px_per_cm_y, px_per_cm_x = height / A4_CM[1], width / A4_CM[0]
    top = round(MARGIN_TOP_CM * px_per_cm_y)
    bottom = height - round(MARGIN_BOTTOM_CM * px_per_cm_y)
    left = round(MARGIN_X_CM * px_per_cm_x) - SLACK_PX
    right = width - round(MARGIN_X_CM * px_per_cm_x) + SLACK_PX
    body = ink[top:bottom, left:right]
    rows = np.flatnonzero(body.any(axis=1))
    fill = 0.0 if rows.size == 0 else (rows[-1] + 1) / body.shape[0]
    outside = ink.copy()
    outside[:top, left:right] = False  # the header band, between the side margins
    outside[bottom:, left:right] = False  # the footer band
    outside[top:bottom, left:right] = False  # the text box
    return PageMeasure(
        number=number,
        fill=float(fill),
        body_ink=float(body.mean()),
        outside=int(outside.sum()),
        header_ink=int(ink[:top, left:right].sum()),
        footer_ink=int(ink[bottom:, left:right].sum()),
    )


def measure_pdf(pdf: bytes, dpi: int = 50) -> tuple[list[Image.Image], list[PageMeasure]]:
    images = rasterise(pdf, dpi)
    return images, [measure(im, n) for n, im in enumerate(images, 1)]


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
