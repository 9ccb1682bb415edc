"""Import incidents from a CSV or XLSX file: manage.py import_incidents FILE --profile NAME [--dry-run]
[--keep-good-rows [--rejected-out FILE]]. A progress bar on a terminal (lines every 10 % otherwise, e.g. in a log).

By default a file with any problem imports nothing. With --keep-good-rows, when every problem belongs to a row (none
to the file as a whole), the valid rows are imported (all of them in one step, as the upload page's "import only the
valid rows") and the rows with problems are left out; --rejected-out writes those rows, in the file's own columns
with a last column giving the reason, as CSV or XLSX (by the name's extension), to be fixed and imported again."""

import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from centinela.incidents.models import ImportProfile
from centinela.incidents.services import import_incidents
from centinela.lib.exports import csv_chunks, xlsx_file
from centinela.lib.import_views import problem_rows, reasons_by_row, rejected_rows

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
    help = (
        "Import incidents from a CSV or XLSX file with a saved import profile. A file with any problem imports "
        "nothing, unless --keep-good-rows: then the valid rows are imported together and the rows with problems "
        "are left out (and written to --rejected-out with the reason of each)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--profile", required=True)
        parser.add_argument("--dry-run", action="store_true", help="validate and preview, change nothing")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar or lines")
        parser.add_argument(
            "--keep-good-rows",
            action="store_true",
            help="when only some rows have problems, import the valid rows (in one step) and leave those out",
        )
        parser.add_argument(
            "--rejected-out",
            metavar="FILE",
            help="with --keep-good-rows: write the rows left out, in the file's columns with the reason, to FILE "
            "(.csv or .xlsx)",
        )

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
        rejected_out = Path(o["rejected_out"]) if o["rejected_out"] else None
        if rejected_out is not None and not o["keep_good_rows"]:
            raise CommandError(_("--rejected-out goes with --keep-good-rows."))
        if rejected_out is not None and rejected_out.suffix.lower() not in (".csv", ".xlsx"):
            raise CommandError(_("--rejected-out must name a .csv or .xlsx file."))
        try:
            result = import_incidents(path, profile, dry_run=o["dry_run"], progress=bar, filename=path.name)
            bad_rows = problem_rows(result.problems)
            # a file with problems imported nothing; every problem a row's: import the others (again all or none)
            if o["keep_good_rows"] and bad_rows and not any(p.row is None for p in result.problems):
                rejected = result.problems
                result = import_incidents(
                    path, profile, dry_run=o["dry_run"], progress=bar, skip=frozenset(bad_rows), filename=path.name
                )
                if result.ok:
                    self._rejected(path, rejected, bad_rows, rejected_out)
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
        if p.get("without_time"):
            self.stdout.write(
                _('%(n)s rows give the date without the time: saved with their date and "time unknown".')
                % {"n": p["without_time"]}
            )
        if result.applied:
            self.stdout.write(_("%(n)s incidents created.") % {"n": result.counts["created"]})
        else:
            self.stdout.write(_("Dry run: nothing was changed."))

    def _rejected(self, path: Path, problems, bad_rows: list[int], out: Path | None) -> None:
        """Say how many rows were left out (and their problems); write them to `out` with the reason of each."""
        for problem in problems:
            self.stderr.write(str(problem))
        self.stdout.write(_("%(n)s rows with problems were left out.") % {"n": len(bad_rows)})
        if out is None:
            return
        header, body = rejected_rows(path, reasons_by_row(problems))
        if out.suffix.lower() == ".xlsx":
            with xlsx_file(header, body, _("rejected")) as made:
                out.write_bytes(made.read())
        else:
            with out.open("w", encoding="utf-8", newline="") as file:
                file.writelines(csv_chunks(header, body))
        self.stdout.write(_("Rows left out, with their reasons: %(path)s") % {"path": out})
