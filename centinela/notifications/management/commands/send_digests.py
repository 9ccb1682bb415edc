"""manage.py send_digests: the daily e-mail digest of each user's notices (what is assigned to them, what is overdue,
the jobs of theirs that ended), to those who have not turned it off, only when there is something to say, never two
on one day. `--once` sends today's and exits (deploy/systemd's centinela-digest.timer runs it each morning); without
it, it is a long-running loop (as run_jobs) that sends each day's from NOTIFICATIONS_DIGEST_HOUR on, until stopped."""

import logging
import signal
import threading
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.utils import InterfaceError, OperationalError
from django.utils import timezone

from centinela.notifications.services import send_digests

log = logging.getLogger("centinela.notifications")


class Command(BaseCommand):
    help = "E-mail each user the daily digest of their notices (assigned, overdue, jobs ended)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="send today's digests, then exit")
        parser.add_argument("--today", help="with --once: pretend today is this date (YYYY-MM-DD)")
        parser.add_argument(
            "--base-url", default="", help="site address for the links, e.g. https://centinela.example.org"
        )
        parser.add_argument("--every", type=float, default=300.0, help="loop: seconds between checks")

    def handle(self, *args, once=False, today=None, base_url="", every=300.0, **options):
        try:
            day = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(f"--today: {exc}") from exc
        if once:
            self._send(day, base_url)
            return
        stop = threading.Event()
        previous = {}
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, lambda signum, frame: stop.set())
        try:
            while not stop.is_set():
                if timezone.localtime().hour >= int(settings.NOTIFICATIONS_DIGEST_HOUR):
                    try:
                        self._send(None, base_url)
                    except (OperationalError, InterfaceError) as exc:  # the database away: the next round tries again
                        log.warning("send_digests: database error %s: %s", type(exc).__name__, exc)
                        connection.close()
                stop.wait(every)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def _send(self, day, base_url):
        sent = send_digests(day, base_url=base_url)
        self.stdout.write(f"{len(sent)} digest(s) sent" + (": " + ", ".join(sent) if sent else "."))
