"""manage.py camera_simulator: simulated cameras on loopback (RTSP, HTTP snapshot, ONVIF) for the demo and the
benchmark, with some failing on a schedule; see cameras/simulator.py for the URL layout. Runs until Ctrl+C."""

import asyncio
import signal

from django.core.management.base import BaseCommand, CommandError

from centinela.cameras.simulator import Simulator, parse_indices


def _per_camera(values, parse):
    out = {}
    for value in values or []:
        camera, _, rule = value.partition("=")
        try:
            out[int(camera)] = parse(rule)
        except ValueError:
            raise CommandError(f"Cannot read {value!r}") from None
    return out


def _cycle(rule):
    period, _, down = rule.partition("/")
    return float(period), float(down)


def _minutes(rule):
    minutes = parse_indices(rule.replace(";", ","))
    if any(m < 0 or m > 59 for m in minutes):
        raise ValueError
    return minutes


class Command(BaseCommand):
    help = "Simulate cameras on loopback (RTSP OPTIONS/DESCRIBE, HTTP JPEG snapshots, ONVIF), some failing."

    def add_arguments(self, parser):
        parser.add_argument("--cameras", type=int, default=40, help="How many cameras (default 40).")
        parser.add_argument("--host", default="127.0.0.1", help="Loopback address to listen on.")
        parser.add_argument(
            "--base-port",
            type=int,
            default=18554,
            help="The shared port; with --port-per-camera camera K also listens on base+1+K.",
        )
        parser.add_argument(
            "--port-per-camera",
            action="store_true",
            help="Give each camera its own port too (a down camera then refuses connections).",
        )
        parser.add_argument("--failing", default="", help="Cameras always down, e.g. 3,7,10-12.")
        parser.add_argument("--hang", default="", help="Cameras that accept and never answer, e.g. 9.")
        parser.add_argument(
            "--cycle",
            action="append",
            metavar="K=P/D",
            help="Camera K down the first D seconds of every P seconds (repeatable), e.g. 5=300/120.",
        )
        parser.add_argument(
            "--down-minutes",
            action="append",
            metavar="K=M-M",
            help="Camera K down during these minutes of each hour (repeatable), e.g. 12=0-9;30-34.",
        )
        parser.add_argument("--auth", choices=["none", "basic", "digest"], default="none")
        parser.add_argument("--username", default="admin")
        parser.add_argument("--password", default="centinela")

    def handle(self, *args, **opts):
        try:
            sim = Simulator(
                cameras=opts["cameras"],
                host=opts["host"],
                base_port=opts["base_port"],
                port_per_camera=opts["port_per_camera"],
                failing=parse_indices(opts["failing"]),
                hang=parse_indices(opts["hang"]),
                cycles=_per_camera(opts["cycle"], _cycle),
                down_minutes=_per_camera(opts["down_minutes"], _minutes),
                auth=None if opts["auth"] == "none" else opts["auth"],
                username=opts["username"],
                password=opts["password"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        asyncio.run(self._run(sim))

    async def _run(self, sim):
        try:
            await sim.start()
        except OSError as exc:
            raise CommandError(f"Cannot listen on {sim.host}:{sim.base_port}: {exc.strerror or exc}") from None
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError):
                pass
        self.stdout.write(
            f"{sim.cameras} simulated cameras on {sim.host}:{sim.port}"
            + (f" (own ports {sim.camera_ports[0]}-{sim.camera_ports[sim.cameras - 1]})" if sim.camera_ports else "")
            + f", auth {sim.auth or 'none'}\n"
            f"  stream   {sim.stream_url(0)}\n  snapshot {sim.snapshot_url(0)}\n  onvif    {sim.onvif_url(0)}\n"
            f"  control  http://{sim.host}:{sim.port}/_sim/status, /_sim/mode?cam=K&mode=ok|down|hang|auto\n"
            f"  failing {sorted(sim.failing) or '-'}, hang {sorted(sim.hang) or '-'}, "
            f"cycles {sim.cycles or '-'}, down minutes {({k: sorted(v) for k, v in sim.down_minutes.items()}) or '-'}"
        )
        self.stdout.flush()
        await stop.wait()
        await sim.stop()
        self.stdout.write(f"stopped after {sim.requests} requests")
