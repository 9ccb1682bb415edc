"""manage.py import_boundaries FILE --level parish|barrio --name-field F --code-field F [--dry-run]"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from centinela.lib.imports import run_import
from centinela.territory.boundaries import barrio_importer, parish_importer


class Command(BaseCommand):
    help = "Import parish or barrio boundaries (GeoJSON, zipped Shapefile, GeoPackage; any CRS). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--level", choices=["parish", "barrio"], required=True)
        parser.add_argument("--name-field", required=True)
        parser.add_argument("--code-field", required=True)
        parser.add_argument("--dry-run", action="store_true", help="validate and preview, change nothing")

    def handle(self, *args, **opts):
        make = parish_importer if opts["level"] == "parish" else barrio_importer
        result = run_import(make(opts["name_field"], opts["code_field"]), opts["file"], dry_run=opts["dry_run"])
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(result.problems)} problem(s); nothing was imported.")
        for row in result.rows:
            for note in row.notes:
                where = _("row %(n)s") % {"n": row.number}
                self.stdout.write(f"{where} ({row.label}): {note}")
        self.stdout.write(f"preview: {result.preview}")
        if result.applied:
            self.stdout.write(self.style.SUCCESS(f"imported: {result.counts}"))
        else:
            self.stdout.write("dry run: nothing changed")
