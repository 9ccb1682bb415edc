"""`manage.py run_jobs`: the worker for long-running work asked for from pages (big imports, analyses).
Runs as its own process beside the web server (`make run` starts one), like the camera monitor."""
import time

from django.core.management.base import BaseCommand

from centinela.jobs import registry, services


class Command(BaseCommand):
    help = "Run queued background jobs (imports, analyses) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then exit")
        parser.add_argument("--idle", type=float, default=1.0, help="seconds to wait when the queue is empty")

    def handle(self, *args, once=False, idle=1.0, **options):
        registry.autodiscover()
        name = services.worker_name()
        self.stdout.write(f"run_jobs {name}: kinds {', '.join(sorted(registry.KINDS))}")
        while True:
            services.beat(name)
            services.requeue_stale()
            ran = services.run_pending(name, limit=1)
            if once and not ran:
                return
            if not ran:
                time.sleep(idle)
