"""Import incidents from a CSV or XLSX file: manage.py import_incidents FILE --profile NAME [--dry-run]"""
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from centinela.incidents.models import ImportProfile
from centinela.incidents.services import import_incidents


class Command(BaseCommand):
    help = "Import incidents from a CSV or XLSX file with a saved import profile."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--profile", required=True)
        parser.add_argument("--dry-run", action="store_true", help="validate and preview, change nothing")

    def handle(self, *args, **o):
        translation.activate(settings.LANGUAGE_CODE)
        profile = ImportProfile.objects.filter(name=o["profile"]).select_related("source").first()
        if profile is None:
            raise CommandError(_("Unknown import profile: %(name)s") % {"name": o["profile"]})
        path = Path(o["file"])
        if not path.exists():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        result = import_incidents(path, profile, dry_run=o["dry_run"])
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(_("%(n)s problems; nothing was imported.") % {"n": len(result.problems)})
        p = result.preview
        self.stdout.write(_("%(rows)s rows: %(new)s new, %(old)s already imported, %(np)s without parish.") % {
            "rows": p["rows"], "new": p["new"], "old": p["already_imported"], "np": p["without_parish"]})
        if result.applied:
            self.stdout.write(_("%(n)s incidents created.") % {"n": result.counts["created"]})
        else:
            self.stdout.write(_("Dry run: nothing was changed."))
