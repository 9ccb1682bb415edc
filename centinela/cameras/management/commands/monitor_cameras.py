"""`manage.py monitor_cameras`: the camera health monitor, a long-running process of its own (as healthchecks'
sendalerts). Stop it with Ctrl+C or SIGTERM; it finishes the probes in flight and gives back its claims."""

import asyncio
import signal
import threading

from asgiref.sync import async_to_sync
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from centinela.cameras.monitor import Monitor


class Command(BaseCommand):
    help = "Probe the cameras over RTSP/HTTP/ONVIF/TCP, track their health, open tickets and send alerts."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Probe the devices due now, then exit.")
        parser.add_argument(
            "--name",
            dest="worker",
            default=None,
            help="This monitor's name, shown in claims and the heartbeat (default host:pid).",
        )
        parser.add_argument("--concurrency", type=int, default=200, help="Probes running at once (default 200).")
        parser.add_argument("--fail-after", type=int, default=3, help="Failed rounds before offline (default 3).")
        parser.add_argument("--recover-after", type=int, default=2, help="Good rounds before online (default 2).")
        parser.add_argument("--claim-seconds", type=int, default=120, help="How long a claim on a device lasts.")
        parser.add_argument("--timeout", type=float, default=10.0, help="Seconds allowed per device probe.")

    def check_options(self, opts) -> None:
        """Bad numbers on the command line: a clear message, not a traceback."""
        whole = {
            "concurrency": ("--concurrency", 1),
            "fail_after": ("--fail-after", 1),
            "recover_after": ("--recover-after", 1),
            "claim_seconds": ("--claim-seconds", 1),
        }
        for key, (flag, least) in whole.items():
            if opts[key] < least:
                raise CommandError(
                    _("%(flag)s must be a whole number of at least %(least)s (got %(value)s).")
                    % {"flag": flag, "least": least, "value": opts[key]}
                )
        if not opts["timeout"] > 0 or opts["timeout"] != opts["timeout"] or opts["timeout"] == float("inf"):
            raise CommandError(
                _("--timeout must be a number of seconds greater than 0 (got %(value)s).") % {"value": opts["timeout"]}
            )
        if opts["claim_seconds"] < 3 * opts["timeout"]:
            raise CommandError(
                _(
                    "--claim-seconds (%(claim)s) must be at least three times --timeout (%(timeout)s), "
                    "so a claim outlives the probes made under it."
                )
                % {"claim": opts["claim_seconds"], "timeout": f"{opts['timeout']:g}"}
            )
        name = opts["worker"]
        if name is not None and not (0 < len(name.strip()) <= 64):
            raise CommandError(_("--name must have between 1 and 64 characters."))
        opts["worker"] = name.strip() if name is not None else None

    def handle(self, *args, **opts):
        translation.activate(settings.LANGUAGE_CODE)  # ticket notes and alerts in the interface language
        self.check_options(opts)
        monitor = Monitor(
            opts["worker"],
            concurrency=opts["concurrency"],
            fail_after=opts["fail_after"],
            recover_after=opts["recover_after"],
            claim_seconds=opts["claim_seconds"],
            probe_timeout=opts["timeout"],
        )
        if opts["once"]:
            # async_to_sync, not asyncio.run: the ORM steps then run in this (the main) thread, on its connection
            stats = async_to_sync(monitor.run_once)()
            self.stdout.write(
                f"{stats.probed} probed, {stats.offline_events} offline, {stats.online_events} back online, "
                f"{stats.alerts_sent} alerts sent in {stats.seconds:.1f} s"
            )
            return
        state = {}

        def on_signal(signum, frame):
            if "loop" in state:
                state["loop"].call_soon_threadsafe(state["stop"].set)

        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                signal.signal(sig, on_signal)
        self.stdout.write(f"monitor {monitor.worker}: running (Ctrl+C to stop)")
        async_to_sync(self._forever)(monitor, state)

    async def _forever(self, monitor, state):
        state["stop"] = asyncio.Event()
        state["loop"] = asyncio.get_running_loop()
        await monitor.run(state["stop"])
