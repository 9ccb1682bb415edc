"""manage.py annual_report --year 2020 --format pdf --output informe.pdf: the yearly accountability report."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from centinela.reports import documents


class Command(BaseCommand):
    help = "Write the yearly accountability report (rendición de cuentas) as HTML, DOCX or PDF."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=sorted(documents.FORMATS), default="pdf")
        parser.add_argument("--output", help="file to write (default: rendicion-de-cuentas-YEAR.FORMAT here)")
        parser.add_argument("--language", default="es-ec", help="language of the report (default es-ec)")

    def handle(self, *args, year, format, output, language, **opts):
        if not 1900 < year < 2200:
            raise CommandError(f"year out of range: {year}")
        started = time.perf_counter()
        with translation.override(language):
            document = documents.build(year, format)
        path = Path(output or document.filename)
        path.write_bytes(document.content)
        self.stdout.write(f"{path} ({len(document.content) / 1024:.0f} KB, {time.perf_counter() - started:.1f} s)")
