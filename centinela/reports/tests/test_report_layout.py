"""The 2020 report's PDF, page by page, as a reader sees it: a cover with the slogan, a table of contents whose page
numbers are right, the chapters of the CPCCS format in order, every page numbered with the slogan in its footer, no
word broken, no heading left alone at the foot of a page and no page half empty but a chapter's last.

Two readings of each page: its text, lines and boxes where they are placed (pdf_pages, our reader of reportlab's
content streams: words, headings, table borders), and its pixels as poppler's pdftoppm draws it (page_images: how far
down the ink goes, ink outside the text box, a blank page). Without pdftoppm the pixel checks are skipped, or fail
under CI=true. Set CENTINELA_REPORT_PAGES=/some/dir to keep the drawn pages for a look (or run
scripts/report_pages.py on a PDF)."""

import os
import re
from pathlib import Path

import pytest

from centinela.reports import page_images
from centinela.reports.tests import pdf_pages

pytestmark = pytest.mark.django_db

CM = 72 / 2.54
BODY_BOTTOM, BODY_TOP = 2.2 * CM, pdf_pages.A4[1] - 2 * CM
CHAPTERS = [
    "1. Presentación",
    "2. Base legal y competencias",
    "3. Objetivos",
    "4. Cumplimiento del plan anual",
    "5. Presupuesto y su ejecución",
    "6. Participación ciudadana",
    "7. Convenios y aliados",
    "8. Dificultades",
    "9. Conclusiones y retos para el siguiente año",
    "Anexo. Registro fotográfico",
]
MIN_FILL = 0.4  # of the text box's height, measured on the text and boxes placed (pdf_pages)
MIN_INK_FILL = 0.5  # the same on the pixels: the ink of a page goes at least half way down its text box


def _need_pdftoppm():
    if page_images.pdftoppm() is None:
        message = "pdftoppm not found: the checks on the pages drawn as images need it."
        if os.environ.get("CI") == "true":
            pytest.fail(message + " CI must provide it (.ci/run installs poppler-utils).", pytrace=False)
        pytest.skip(message + " " + page_images.INSTALL_HINT)


@pytest.fixture(scope="module")
def pages(built):
    return pdf_pages.pages(built.content["pdf"])


@pytest.fixture(scope="module")
def drawn(built):
    """The pages as pdftoppm draws them, and what page_images measures on each."""
    _need_pdftoppm()
    images, measures = page_images.measure_pdf(built.content["pdf"], dpi=50)
    keep = os.environ.get("CENTINELA_REPORT_PAGES")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for image, m in zip(page_images.rasterise(built.content["pdf"], dpi=80), measures):
            image.save(Path(keep) / f"pagina-{m.number:02}.png")
    return measures


def _is_chapter(line) -> bool:
    return line.font == "Helvetica-Bold" and line.size >= 15


def _heading(line) -> bool:
    return line.font == "Helvetica-Bold" and line.size >= 10


def _chapter_pages(pages) -> dict[str, int]:
    return {ln.text: p.number for p in pages[2:] for ln in p.lines if _is_chapter(ln)}


def test_the_chapters_of_the_cpcs_format_come_in_order_one_each(pages):
    headings = [ln.text for p in pages[2:] for ln in p.lines if _is_chapter(ln)]
    assert headings == CHAPTERS


def test_the_cover_carries_institution_title_period_and_slogan(pages):
    cover = " ".join(ln.text for ln in pages[0].lines)
    for text in (
        "CONCEJO CANTONAL DE SEGURIDAD CIUDADANA DE LOJA",
        "Rendición de cuentas 2020",
        "Periodo: enero a diciembre de 2020",
        "«Una Loja para todos»",
    ):
        assert text in cover
    assert not any("Página" in ln.text for ln in pages[0].lines), "the cover has no page number"


def test_every_page_after_the_cover_is_numbered_and_carries_the_slogan(pages):
    total = len(pages)
    for page in pages[1:]:
        footer = [ln.text for ln in page.lines if ln.y < BODY_BOTTOM]
        assert f"Página {page.number} de {total}" in footer, (page.number, footer)
        assert "«Una Loja para todos»" in footer


def test_the_contents_give_the_page_each_chapter_starts_on(pages):
    contents = pages[1].body(BODY_BOTTOM, BODY_TOP)
    assert contents.lines[0].text == "Índice"
    found = _chapter_pages(pages)
    listed = {}
    for ln in contents.lines:
        # an entry: its title, and on the same baseline the leader dots ending in its page number
        leader = [o for o in contents.lines if abs(o.y - ln.y) < 0.5 and o.x > ln.x and re.search(r"\.\s*\d+$", o.text)]
        if leader and ln.text.strip() in found:
            listed[ln.text.strip()] = int(re.search(r"(\d+)$", leader[0].text).group(1))
    assert listed == found


def test_no_word_is_broken_across_lines(built, pages):
    """Every word on the PDF's lines is a whole word of the same report as the web version prints it."""
    words = set(re.findall(r"\w+", built.text["html"].lower()))
    furniture = {"página", "de", "índice", "cifra", "valor"}  # page furniture; the PDF's tables have headers
    broken = []
    for page in pages:
        for ln in page.lines:
            if ln.text.rstrip().endswith("-") and re.search(r"\w-$", ln.text.rstrip()):
                broken.append((page.number, ln.text))
            for word in re.findall(r"\w+", ln.text.lower()):
                if word not in words and word not in furniture and not word.isdigit():
                    broken.append((page.number, word, ln.text))
    assert not broken


def heading_left_alone(page) -> str | None:
    """The heading a page ends with, if nothing is drawn below it."""
    body = page.body(BODY_BOTTOM, BODY_TOP)
    last = min(body.lines, key=lambda ln: ln.y)
    below = [b for b in body.boxes if b.y < last.y] + [r for r in body.rules if min(r[1], r[3]) < last.y]
    return last.text if _heading(last) and not below else None


def fill(page) -> float:
    """How much of the body's height is used, from its top to the lowest thing drawn."""
    lowest = page.body(BODY_BOTTOM, BODY_TOP).lowest()
    return 0 if lowest is None else (BODY_TOP - lowest) / (BODY_TOP - BODY_BOTTOM)


def crossings(page) -> list[str]:
    """Lines that cross a vertical rule (a table column's border) they do not start at."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    verticals = [r for r in page.rules if abs(r[0] - r[2]) < 0.1]
    out = []
    for ln in page.lines:
        end = ln.x + stringWidth(ln.text.rstrip(), ln.font, ln.size)
        if any(ln.x + 1 < x < end - 0.5 and min(y0, y1) <= ln.y <= max(y0, y1) for x, y0, _x, y1 in verticals):
            out.append(ln.text)
    return out


def test_no_heading_is_left_alone_at_the_foot_of_a_page(pages):
    for page in pages[2:-1]:
        assert heading_left_alone(page) is None, f"page {page.number} ends with a heading"


def test_no_page_is_half_empty_but_the_last_of_a_chapter(pages):
    """A page is filled to at least 40 % of its body, unless the next page starts a chapter (or it is the end)."""
    starts = set(_chapter_pages(pages).values())
    for page in pages[2:-1]:
        if page.number + 1 not in starts:
            assert fill(page) >= MIN_FILL, f"page {page.number} is only {fill(page):.0%} full"


def test_the_checks_catch_a_bad_page():
    """The three checks above on pages made up to fail them: they are not checks that always pass."""
    top = BODY_TOP - 20
    short = pdf_pages.Page(1, [pdf_pages.Line(62, top, "Helvetica", 9.5, "Una línea sola")])
    assert fill(short) < MIN_FILL
    alone = pdf_pages.Page(
        2,
        [
            pdf_pages.Line(62, top, "Helvetica", 9.5, "Texto"),
            pdf_pages.Line(62, BODY_BOTTOM + 10, "Helvetica-Bold", 15, "3. Objetivos"),
        ],
    )
    assert heading_left_alone(alone) == "3. Objetivos" and fill(alone) > 0.9
    cell = pdf_pages.Page(3, [pdf_pages.Line(100, 400, "Helvetica", 8, "Organización")], rules=[(130, 380, 130, 420)])
    assert crossings(cell) == ["Organización"]


def test_every_page_drawn_has_ink_on_it(pages):
    for page in pages:
        assert pdf_pages.ink(pdf_pages.draw(page, dpi=30)) > 0.01, f"page {page.number} looks blank"


# --- the pages as pdftoppm draws them ---------------------------------------------------------------------------


def half_empty(measures, chapter_starts) -> list[str]:
    """Pages whose ink ends above half their text box, but the cover, a chapter's last page and the document's."""
    return [
        f"page {m.number}: ink down to {m.fill:.0%} of the text box"
        for m in measures[1:-1]
        if m.number + 1 not in chapter_starts and m.fill < MIN_INK_FILL
    ]


def off_the_text_box(measures) -> list[str]:
    return [f"page {m.number}: {m.outside} ink pixels outside the text box" for m in measures if m.outside]


def blank(measures) -> list[int]:
    return [m.number for m in measures if m.body_ink < 0.005]


def test_pdftoppm_draws_every_page_our_reader_finds(drawn, pages):
    assert [m.number for m in drawn] == [p.number for p in pages]


def test_no_page_drawn_ends_above_half_its_text_box_but_a_chapters_last(drawn, pages):
    assert not half_empty(drawn, set(_chapter_pages(pages).values()))


def test_no_ink_falls_outside_the_text_box_but_the_header_and_footer(drawn):
    assert not off_the_text_box(drawn)


def test_no_page_drawn_is_blank_and_every_page_after_the_cover_has_its_footer(drawn):
    assert not blank(drawn)
    assert all(m.footer_ink for m in drawn[1:])


def test_the_image_checks_catch_a_bad_pdf(tmp_path):
    """A PDF made with the defects, drawn by pdftoppm: a short page mid-chapter, a line in the margin, a blank page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    _need_pdftoppm()
    out = tmp_path / "bad.pdf"
    canvas = Canvas(str(out), pagesize=A4)
    for n in range(1, 6):
        canvas.setFont("Helvetica", 10)
        lines = {1: 60, 2: 60, 3: 8, 4: 60, 5: 0}[n]  # page 3 stops near the top; page 5 is blank
        for i in range(lines):
            canvas.drawString(2.4 * CM, A4[1] - 2.5 * CM - i * 12.5, "Texto de la página, de margen a margen " * 2)
        if n == 4:
            canvas.drawString(0.5 * CM, A4[1] / 2, "fuera")  # in the left margin
        canvas.setFont("Helvetica", 7.5)
        canvas.drawRightString(A4[0] - 2.2 * CM, 1.15 * CM, f"Página {n}")
        canvas.showPage()
    canvas.save()
    _images, measures = page_images.measure_pdf(out.read_bytes())
    assert [m.number for m in measures] == [1, 2, 3, 4, 5]
    assert [p.split(":")[0] for p in half_empty(measures[:-1], chapter_starts=set())] == ["page 3"]
    assert half_empty(measures[:-1], chapter_starts={4}) == []  # page 3 ends its chapter
    assert [p.split(":")[0] for p in off_the_text_box(measures)] == ["page 4"]
    assert blank(measures) == [5]


def test_the_web_and_word_versions_have_the_same_chapters_in_the_same_order(built):
    for fmt in ("html", "docx"):
        text, at = built.text[fmt], 0
        for title in CHAPTERS:
            found = text.find(title, at)
            assert found >= 0, f"{title!r} missing or out of order in the {fmt.upper()} report"
            at = found + len(title)


def test_no_text_runs_over_the_border_of_its_table_cell(pages):
    """A word too long for its column (words are never split) would cross the column's rule."""
    assert not [(page.number, text) for page in pages for text in crossings(page)]
