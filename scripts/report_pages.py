"""Draw each page of a report PDF as a PNG to look at it, and print how full each page is.

    python scripts/report_pages.py informe.pdf /tmp/paginas [dpi]

Uses the same page reader as the layout tests (centinela/reports/tests/pdf_pages.py): no PDF library needed, so
it reads PDFs as Centinela's reportlab writes them, not any PDF.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from centinela.reports.tests import pdf_pages  # noqa: E402

CM = 72 / 2.54
BOTTOM, TOP = 2.2 * CM, pdf_pages.A4[1] - 2 * CM


def main(pdf: str, out: str, dpi: int = 80) -> None:
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    for page in pdf_pages.pages(Path(pdf).read_bytes()):
        image = pdf_pages.draw(page, dpi=dpi)
        image.save(target / f"pagina-{page.number:02}.png")
        lowest = page.body(BOTTOM, TOP).lowest()
        fill = 0 if lowest is None else (TOP - lowest) / (TOP - BOTTOM)
        print(f"página {page.number:2}: {fill:4.0%} del cuerpo ocupado, tinta {pdf_pages.ink(image):.1%}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:4]))
