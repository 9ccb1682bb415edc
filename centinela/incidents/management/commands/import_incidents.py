"""Import incidents from a CSV or XLSX file: manage.py import_incidents FILE --profile NAME [--dry-run]
A progress bar on a terminal (lines every 10 % otherwise, e.g. in a log)."""

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from centinela.incidents.models import ImportProfile
from centinela.incidents.services import import_incidents

BAR = 30


class ProgressBar:
    """progress(fraction, message): redrawn in place with \\r on a TTY at most ten times a second; elsewhere one
    line each time another tenth is done."""

    def __init__(self, stream, tty: bool):
        self.stream, self.tty = stream, tty
        self.last_time, self.last_tenth, self.shown = 0.0, -1, False

    def __call__(self, fraction: float, message: str = "") -> None:
        fraction = max(0.0, min(1.0, float(fraction)))
        if self.tty:
            now = time.monotonic()
            if now - self.last_time < 0.1 and fraction < 1:
                return
            self.last_time = now
            filled = int(round(BAR * fraction))
            self.stream.write(f"\r[{'#' * filled}{'.' * (BAR - filled)}] {fraction:4.0%} {message}\033[K")
            self.stream.flush()
            self.shown = True
        else:
            tenth = int(fraction * 10)
            if tenth > self.last_tenth:
                self.last_tenth = tenth
                self.stream.write(f"{fraction:4.0%} {message}\n")
                self.stream.flush()

    def close(self):
        if self.tty and self.shown:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = "Import incidents from a CSV or XLSX file with a saved import profile."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--profile", required=True)
        parser.add_argument("--dry-run", action="store_true", help="validate and preview, change nothing")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar or lines")

    def handle(self, *args, **o):
        translation.activate(settings.LANGUAGE_CODE)
        profile = ImportProfile.objects.filter(name=o["profile"]).select_related("source").first()
        if profile is None:
            raise CommandError(_("Unknown import profile: %(name)s") % {"name": o["profile"]})
        path = Path(o["file"])
        if not path.exists():
            raise CommandError(_("File not found: %(path)s") % {"path": path})
        bar = None
        if not o["no_progress"]:
            stream = self.stderr._out if hasattr(self.stderr, "_out") else sys.stderr
            bar = ProgressBar(stream, tty=hasattr(stream, "isatty") and stream.isatty())
        try:
            result = import_incidents(path, profile, dry_run=o["dry_run"], progress=bar)
        finally:
            if bar:
                bar.close()
        if result.problems:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(_("%(n)s problems; nothing was imported.") % {"n": len(result.problems)})
        p = result.preview
        unused = getattr(result.rows, "unused", None)
        if unused:
            self.stdout.write(
                _("Unused columns (the profile does not map them; they are not imported):") + " " + ", ".join(unused)
            )
        self.stdout.write(
            _("%(rows)s rows: %(new)s new, %(old)s already imported, %(np)s without parish.")
            % {"rows": p["rows"], "new": p["new"], "old": p["already_imported"], "np": p["without_parish"]}
        )
        if result.applied:
            self.stdout.write(_("%(n)s incidents created.") % {"n": result.counts["created"]})
        else:
            self.stdout.write(_("Dry run: nothing was changed."))
