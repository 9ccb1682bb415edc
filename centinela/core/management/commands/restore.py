"""manage.py restore FILE [--force]: bring a backup archive back onto this install (centinela/lib/backup.py).
Stop the web, worker and monitor first; the database must be empty (fresh, migrated or not) unless --force."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from centinela.lib import backup


class Command(BaseCommand):
    help = "Restore a backup archive written by `manage.py backup` (database, uploaded files, credential key)."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by manage.py backup")
        parser.add_argument("--force", action="store_true", help="replace a database that already holds data")

    def handle(self, *args, **opts):
        translation.activate(settings.LANGUAGE_CODE)
        try:
            result = backup.restore(Path(opts["archive"]), force=opts["force"])
        except backup.BackupError as e:
            raise CommandError(str(e)) from None
        manifest = result["manifest"]
        self.stdout.write(
            _(
                "Restored the backup of %(created)s (version %(version)s): %(tables)s tables, %(rows)s "
                "rows, %(files)s files."
            )
            % {
                "created": manifest["created_at"],
                "version": manifest.get("version") or "?",
                "tables": result["tables"],
                "rows": result["rows"],
                "files": sum(result["files"].values()),
            }
        )
        credentials = result["credentials"]
        if credentials.get("unreadable"):
            self.stderr.write(
                _(
                    "%(n)s camera credentials could not be read even with the backup's key; enter them "
                    "again on the camera's page."
                )
                % {"n": credentials["unreadable"]}
            )
        self.stdout.write(
            _("Camera credentials readable with this install's key: %(n)s.")
            % {"n": credentials.get("kept", 0) + credentials.get("reencrypted", 0)}
        )
