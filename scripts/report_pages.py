"""Write each page of a report PDF as a PNG for a person to look at, and print what the layout tests measure on it.

    .venv/bin/python manage.py annual_report --year 2020 --format pdf --output informe.pdf
    .venv/bin/python scripts/report_pages.py informe.pdf /tmp/paginas [dpi]

The pages are drawn by poppler's pdftoppm (Debian package poppler-utils), the rasteriser the layout tests use
(centinela/reports/page_images.py): for each page, how far down the text box its ink goes, and ink found outside the
text box (the header and footer bands excepted), which should be none.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from centinela.reports import page_images  # noqa: E402


def main(pdf: str, out: str, dpi: int = 80) -> int:
    if page_images.pdftoppm() is None:
        print("pdftoppm no está instalado. " + page_images.INSTALL_HINT, file=sys.stderr)
        return 2
    target = Path(out)
    target.mkdir(parents=True, exist_ok=True)
    images, measures = page_images.measure_pdf(Path(pdf).read_bytes(), dpi)
    for image, m in zip(images, measures):
        image.save(target / f"pagina-{m.number:02}.png")
        outside = f", {m.outside} píxeles de tinta fuera de la caja de texto" if m.outside else ""
        print(f"página {m.number:2}: la tinta llega al {m.fill:4.0%} de la caja de texto{outside}")
    print(f"{len(images)} páginas en {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], *(int(a) for a in sys.argv[3:4])))
