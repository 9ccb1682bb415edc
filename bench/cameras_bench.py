"""Camera health monitor benchmark: 5,000 devices against the project's camera simulator on loopback.

Figures (bench/results/cameras.json):
- burst round: every device due at once, probed (RTSP OPTIONS + DESCRIBE) and recorded: probes per second, and
  CPU seconds of the monitor process (resource.getrusage, every thread: loop, database, alerts) per 1,000 devices.
- steady round: the devices spread over a 60 s interval as in production, the monitor run for one interval: CPU
  seconds used over that minute (target: at most 60, one core) and per 1,000 devices.
- time to alert: during the steady round a few cameras at a 10 s interval go dark (connection refused); the time
  from then to their offline webhook arriving at a loopback HTTP server, against 2 intervals + the probe timeout.
The simulator runs in a process of its own so its CPU is not counted. SQLite in a temporary directory, or the
throwaway database given with --database-url (its name must contain "bench"; it is emptied).

    .venv/bin/python bench/cameras_bench.py [--devices 5000] [--steady-seconds 60] [--database-url URL]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timedelta, timezone as dt_timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"

SIMULATOR = """
import asyncio, sys
from centinela.cameras.simulator import Simulator
async def main():
    sim = await Simulator(cameras=int(sys.argv[1])).start()
    print(sim.port, flush=True)
    await asyncio.Event().wait()
asyncio.run(main())
"""


def cpu_seconds() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Hook:
    """Receives the monitor's webhooks and notes when each device's offline alert arrived."""

    def __init__(self):
        self.arrived: dict[str, float] = {}
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)))
                if body.get("event") == "offline":
                    hook.arrived.setdefault(body["device"], time.time())
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/alert"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def setup_django(tmp: Path, database_url: str = ""):
    if database_url and "bench" not in database_url.rsplit("/", 1)[-1]:
        raise SystemExit("the benchmark empties its database: give one whose name contains 'bench'")
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "centinela.settings", "CENTINELA_VAR_DIR": str(tmp),
        "DATABASE_URL": database_url or f"sqlite:///{tmp / 'bench.sqlite3'}", "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    })
    os.environ.pop("CENTINELA_TESTING", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    if database_url:
        call_command("flush", verbosity=0, interactive=False)


def bench_cameras(devices: int = 5000, steady_seconds: float = 60.0, dark: int = 5, dark_interval: int = 10,
                  probe_timeout: float = 5.0, seed: int = 7, database_url: str = "") -> dict:
    tmp = Path(tempfile.mkdtemp(prefix="centinela-cameras-bench-"))
    setup_django(tmp, database_url)
    from django.db import connections
    from django.utils import timezone

    from centinela.cameras.models import AlertRecipient, Device, Lifecycle, Site, System
    from centinela.cameras.monitor import Monitor

    sim = subprocess.Popen([sys.executable, "-c", SIMULATOR, str(devices + dark)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        port = int(sim.stdout.readline())
        hook = Hook()
        site = Site.objects.create(name="Bench", lon=-79.2, lat=-4.0)
        system = System.objects.create(site=site, name="Bench NVR")
        AlertRecipient.objects.create(webhook_url=hook.url)
        Device.objects.bulk_create([
            Device(system=system, code=f"B{k:05}", name=f"cam {k}", lifecycle=Lifecycle.OPERATIONAL,
                   stream_url=f"rtsp://127.0.0.1:{port}/cam/{k}") for k in range(devices)
        ], batch_size=1000)
        dark_codes = [f"D{k:03}" for k in range(dark)]
        Device.objects.bulk_create([
            Device(system=system, code=code, name=f"dark {k}", lifecycle=Lifecycle.OPERATIONAL,
                   stream_url=f"rtsp://127.0.0.1:{port}/cam/{devices + k}", probe_interval_s=dark_interval)
            for k, code in enumerate(dark_codes)
        ])

        monitor = Monitor("bench", concurrency=200, probe_timeout=probe_timeout, claim_seconds=60, fail_after=3,
                          recover_after=2, batch_size=500)
        # 1. burst: everything due at once (first round = devices become known; second = steady state)
        asyncio.run(monitor.run_once())
        Device.objects.update(next_probe_at=None)
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        burst = asyncio.run(monitor.run_once())
        burst_wall, burst_cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
        failures = Device.objects.exclude(health=Device.Health.ONLINE).count()

        # 2. steady: devices spread over one interval, the dark cameras go dark once the loop runs
        rng = random.Random(seed)
        now = timezone.now()
        spread = [Device(pk=pk, next_probe_at=now + timedelta(seconds=rng.uniform(0, 60)))
                  for pk in Device.objects.filter(code__startswith="B").values_list("pk", flat=True)]
        Device.objects.bulk_update(spread, ["next_probe_at"], batch_size=1000)
        Device.objects.filter(code__in=dark_codes).update(next_probe_at=now)
        connections.close_all()
        went_dark: dict[str, float] = {}

        async def steady():
            stop = asyncio.Event()
            task = asyncio.create_task(monitor.run(stop))
            await asyncio.sleep(min(3.0, steady_seconds / 4))
            for k, code in enumerate(dark_codes):
                await asyncio.to_thread(urllib.request.urlopen,
                                        f"http://127.0.0.1:{port}/_sim/mode?cam={devices + k}&mode=down", timeout=5)
                went_dark[code] = time.time()
            await asyncio.sleep(steady_seconds - min(3.0, steady_seconds / 4))
            stop.set()
            await task

        probed0 = monitor.totals.probed
        cpu0, t0 = cpu_seconds(), time.perf_counter()
        asyncio.run(steady())
        steady_wall, steady_cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
        steady_probed = monitor.totals.probed - probed0
        delays = [hook.arrived[c] - went_dark[c] for c in dark_codes if c in hook.arrived]
        bound = 2 * dark_interval + probe_timeout
        return {
            "devices": devices,
            "simulator": "centinela.cameras.simulator (own process, one port, RTSP OPTIONS + DESCRIBE)",
            "database": connections["default"].vendor + ("" if database_url else " (temporary file)"),
            "concurrency": 200,
            "burst_round": {
                "devices": burst.probed, "seconds": round(burst_wall, 2),
                "probes_per_second": round(burst.probed / burst_wall), "cpu_seconds": round(burst_cpu, 2),
                "cpu_seconds_per_1000_devices": round(burst_cpu / burst.probed * 1000, 3), "not_online": failures,
            },
            "steady_round": {
                "interval_s": 60, "seconds": round(steady_wall, 1), "probes": steady_probed,
                "cpu_seconds": round(steady_cpu, 2), "core_share": round(steady_cpu / steady_wall, 3),
                "cpu_seconds_per_1000_devices_per_round": round(steady_cpu / max(1, steady_probed) * 1000, 3),
                "target": "5,000 devices per 60 s round within one core (core_share <= 1)",
            },
            "time_to_offline_alert": {
                "probe_interval_s": dark_interval, "fail_after": 3, "probe_timeout_s": probe_timeout,
                "seconds": [round(d, 2) for d in delays], "max_seconds": round(max(delays), 2) if delays else None,
                "alerts_received": f"{len(delays)}/{dark}", "bound_seconds": bound,
                "within_bound": bool(delays) and len(delays) == dark and max(delays) <= bound,
            },
        }
    finally:
        sim.terminate()
        sim.wait(5)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=5000)
    parser.add_argument("--steady-seconds", type=float, default=60.0)
    parser.add_argument("--database-url", default="", help="a throwaway database whose name contains 'bench' "
                        "(default: SQLite in a temporary directory); results then go to cameras-<vendor>.json")
    args = parser.parse_args(argv)
    result = {
        "when": datetime.now(dt_timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "processor": platform.machine(), "cpus": os.cpu_count()},
        "cameras": bench_cameras(args.devices, args.steady_seconds, database_url=args.database_url),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "cameras.json" if not args.database_url else f"cameras-{result['cameras']['database']}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2))
    c = result["cameras"]
    b, s, a = c["burst_round"], c["steady_round"], c["time_to_offline_alert"]
    print(f"cameras: burst {b['probes_per_second']:,} probes/s, {b['cpu_seconds_per_1000_devices']} CPU s per 1,000 "
          f"devices; steady 60 s round {s['probes']} probes using {s['core_share']:.0%} of a core "
          f"({s['cpu_seconds_per_1000_devices_per_round']} CPU s per 1,000 devices); offline alert in "
          f"{a['max_seconds']} s (bound {a['bound_seconds']} s, {a['alerts_received']} received)")
    print(f"written to {RESULTS / name}")
    return result


if __name__ == "__main__":
    main()
