"""`manage.py run_jobs`: the worker for long-running work asked for from pages (imports, analyses, boundary imports,
reports). Runs as its own process beside the web server (`make run` starts one), like the camera monitor. It outlives
database errors (see `services.work`); SIGTERM or Ctrl-C stops it after the job it is running (a second one at once:
that job is then taken up again by the next worker)."""

import logging
import signal
import threading

from django.core.management.base import BaseCommand
from django.db import connection

from centinela.jobs import registry, services

log = logging.getLogger("centinela.jobs.services")


class Command(BaseCommand):
    help = "Run queued background jobs (imports, analyses, boundary imports, reports) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--idle", type=float, default=1.0, help="seconds to wait when the queue is empty")

    def handle(self, *args, once=False, idle=1.0, **options):
        registry.autodiscover()
        name = services.worker_name()
        self.stdout.write(f"run_jobs {name}: kinds {', '.join(sorted(registry.KINDS))}")
        stop = threading.Event()
        previous = {}

        def on_signal(signum, frame):
            if stop.is_set():
                raise KeyboardInterrupt
            log.warning("job worker %s: %s received, stopping after the current job", name, signal.strsignal(signum))
            stop.set()

        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                previous[sig] = signal.signal(sig, on_signal)
        try:
            services.work(name, once=once, idle=idle, stop=stop)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            try:
                services.forget_worker(name)
            except services.TRANSIENT_ERRORS:
                connection.close()
