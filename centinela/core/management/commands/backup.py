"""manage.py backup [--output FILE]: one archive with the database, the uploaded files, the key that reads the
camera credentials and a manifest (centinela/lib/backup.py). The archive is secret: it is written with mode 0600."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from centinela.lib import backup


class Command(BaseCommand):
    help = "Write a backup archive: database, uploaded files, credential key and manifest."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="archive to write (default var/backups/centinela-<time>.tar.gz)")

    def handle(self, *args, **opts):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            manifest = backup.backup(Path(opts["output"]) if opts["output"] else None)
        except backup.BackupError as e:
            raise CommandError(str(e)) from None
        size = Path(manifest["path"]).stat().st_size
        self.stdout.write(
            _("Backup written: %(path)s (%(size).1f MB; %(tables)s tables, %(rows)s rows, %(files)s files).")
            % {
                "path": manifest["path"],
                "size": size / 1e6,
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "files": sum(f["files"] for f in manifest["folders"].values()),
            }
        )
        self.stdout.write(
            _(
                "It holds the key to the camera credentials and personal data: keep it where only the "
                "administrators can read it."
            )
        )
