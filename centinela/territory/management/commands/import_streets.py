"""manage.py import_streets FILE --name-field F --code-field F [--dry-run]: street segments (lines), all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from centinela.lib.imports import run_import
from centinela.territory.boundaries import street_importer


class Command(BaseCommand):
    help = "Import street segments (GeoJSON, zipped Shapefile, GeoPackage; any CRS). All or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--name-field", required=True)
        parser.add_argument("--code-field", required=True)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, **opts):
        result = run_import(
            street_importer(opts["name_field"], opts["code_field"]), opts["file"], dry_run=opts["dry_run"]
        )
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{len(result.problems)} problem(s); nothing was imported.")
        self.stdout.write(f"preview: {result.preview}")
        self.stdout.write(
            self.style.SUCCESS(f"imported: {result.counts}") if result.applied else "dry run: nothing changed"
        )
