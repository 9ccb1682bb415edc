"""manage.py anonymise_reports: the retention rule of citizen reports (LOPDP). Erases the contact data of reports
closed more than PARTICIPATION_RETENTION_MONTHS months ago (or --months); run daily by deploy/systemd's
centinela-retention.timer. --dry-run lists what it would erase."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from centinela.participation.services import anonymise_closed_reports


class Command(BaseCommand):
    help = "Erase the contact data of citizen reports closed more than the retention period ago."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None, help="retention in months (default: the setting)")
        parser.add_argument("--dry-run", action="store_true", help="list the reports, change nothing")

    def handle(self, *args, months=None, dry_run=False, **options):
        try:
            codes = anonymise_closed_reports(months, dry_run=dry_run)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "would erase" if dry_run else "erased"
        self.stdout.write(
            f"{verb} the contact data of {len(codes)} report(s)" + (": " + ", ".join(codes) if codes else "")
        )
