"""manage.py warn_expiring_agreements: e-mail the administrators and the director about agreements about to
expire. Run it once a day (cron or a systemd timer); it never sends the same warning twice."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from centinela.partners.services import send_expiry_warnings, warning_recipients


class Command(BaseCommand):
    help = "E-mail administrators and the director about agreements entering their warning period (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="pretend today is this date (YYYY-MM-DD)")
        parser.add_argument(
            "--base-url", default="", help="site address for the links, e.g. https://centinela.example.org"
        )

    def handle(self, *args, **opts):
        try:
            today = date.fromisoformat(opts["today"]) if opts["today"] else None
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        if not warning_recipients():
            self.stderr.write("No administrator or director has an e-mail address: nothing sent.")
            return
        sent = send_expiry_warnings(today, base_url=opts["base_url"])
        for warning in sent:
            self.stdout.write(f"{warning.agreement.code}: {warning.threshold_days} days -> {warning.recipients}")
        self.stdout.write(f"{len(sent)} warning(s) sent.")
