"""Web load benchmark: 50 concurrent staff sessions (locust, headless, bench/web_locustfile.py) browsing lists,
dashboards, maps and the public pages of the demo, against gunicorn with production settings (DEBUG=0, a throwaway
SECRET_KEY, static files from collectstatic through WhiteNoise, gthread workers sized for 2 cores) on a fresh
SQLite database made here with `load_demo`. Then the public open-data page, cached, timed alone after incidents are
added up to --open-data-rows (1,000,000 by default), and the incident list's CSV export at that size downloaded by a
technician: time to first byte and to the end, and the server's memory before and at its highest (large exports
are streamed: targets first byte under 2 s and memory growth under 150 MB).

Targets: >= 100 requests/s with p95 < 300 ms at 50 sessions and no failed request (a run with failures misses its
target however fast it was: `failures_target`); open data under 100 ms when cached; a target missed exits with 1
(not with --quick). The machine may be
shared: the load average before and after each run is kept beside the figures, which it depresses, and so is the CPU
time per request of the server and of locust, which it hardly changes (on 2 cores, 2000 ms of CPU per second shared
by the server, locust and whatever else runs bound the requests per second). The worker model: gthread, 2 workers
of 2 threads (deploy/systemd/centinela-web.service). Session 11, no other job running, one run each unless said:
gthread 2x2 66-93 requests/s over five runs (the same code: the host's speed varies that much), 3x4 82, 4x1 84,
2x4 77; sync workers (`--worker-class sync`) 4 and 5: 88 requests/s with the lowest p95 (330-340 ms), since the
kernel hands each new connection to an idle worker, whereas a gthread worker keeps its keep-alive connections and
can queue them while the other worker idles (vmstat: 16-20% idle CPU during gthread runs). Sync workers are not
the default because a slow client (an upload over a slow link) holds a sync worker for its whole duration.

Session 12 (the Python work per request cut by a quarter: bench/web_pages.py), with other engineers' test suites
running on the same 2 cores (load average 6.6-8.5), `--open-data-rows 0`, gthread 2x2, one run each, back to back:
the code before 105 requests/s, p95 380 ms, server CPU 8.1 ms a request (load average 6.6 during the run); after
68 requests/s, p95 850 ms, server CPU 7.6 ms a request (load average 7.2 rising to 8.5: the server got a quarter of
the CPU it had in the run before). Requests/s and p95 say only how busy the machine was; the CPU per request is
the comparable figure (-6% here). In-process (web_pages.py, interleaved, same conditions) the weighted CPU per
request went from 7.4-7.5 ms to 5.9-6.1 ms (-19%). Measured again on the quiet machine (nothing else running, load
average 0.9-2.9), the default gthread 2x2, two runs: 127.0 and 127.7 requests/s, p95 45 and 38 ms (median 13 and
11 ms), server CPU 7.15 and 6.91 ms per request, locust 0.7 ms; open data cached at 992,758 incidents p95 4.0 ms.
Every target met. At 127 requests/s the scenario itself is the limit (50 users waiting 0.2-0.6 s between
requests: at most about 125-130 requests/s), and the server used under 1 of its 2 cores.

    .venv/bin/python bench/web_load.py [--quick] [--users 50] [--seconds 60] [--open-data-rows N]
    .venv/bin/python bench/web_load.py --scenario participation [--quick] [--users 100] [--reports 5000]

`--scenario participation` (issue 12; bench/web_participation_locustfile.py): 100 anonymous visitors on the public
map, its list, its open data and the report form, with 5,000 reports in the database (the demo's generator,
participation.demo, seeded), while one resident files a report with a small JPEG photo at 60 a minute.
Targets: p95 under 300 ms on every visitor page at 100 visitors; submissions sustained at 60 a minute (at least 57
counted in each minute of the run: the ramp takes a second or two), none refused; no failed request at all. Every
submission comes from 127.0.0.1, so the bench's server runs with PARTICIPATION_REPORTS_PER_HOUR=1000000 in its
own environment (the production default stays 10 an hour an address; nothing else changes). Figures to
bench/results/web_participation.json; a target missed exits with 1 (not with --quick).

Figures to bench/results/web_load.json. Never touches the developer's database (a temporary directory). Where the
time of each page goes, without a load generator and little disturbed by other jobs: bench/web_pages.py."""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PY = sys.executable
PORT = 8731


def free_port(preferred=PORT) -> int:
    for port in [preferred] + list(range(preferred + 1, preferred + 50)):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError("no free port")


def production_env(var: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "CENTINELA_TESTING", "DATABASE_URL")}
    env.update(
        {
            "DEBUG": "0",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "CENTINELA_VAR_DIR": str(var),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "SECURE_HSTS_SECONDS": "0",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(env, *args, **kw):
    return subprocess.run([PY, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, check=True, **kw)


def add_incidents(env, rows: int) -> int:
    """Top the synthetic incidents up to `rows` (the demo's generator, seeded), in the database of `env`."""
    code = (
        "import django; django.setup()\n"
        "from centinela.incidents.demo import load_demo_incidents\n"
        "from centinela.incidents.models import Incident\n"
        f"load_demo_incidents(n={rows}, seed=7)\n"
        "print(Incident.objects.count())\n"
    )
    out = subprocess.run(
        [PY, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "centinela.settings"},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return int(out.stdout.strip().splitlines()[-1])


def make_sessions(env, count: int, path: Path) -> None:
    """Signed-in sessions of the staff demo users (administrator, director, technician in turn), made as a login
    makes them, so the run measures browsing rather than 50 Argon2 password checks at once. The administrator's
    sessions carry a verified second factor (a confirmed TOTP device), as after a real login: without it every page
    of theirs would be the second-factor page (`check_sessions` makes sure none is)."""
    code = (
        "import django, json; django.setup()\n"
        "from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY\n"
        "from django.contrib.sessions.backends.db import SessionStore\n"
        "from django_otp import DEVICE_ID_SESSION_KEY\n"
        "from django_otp.plugins.otp_totp.models import TOTPDevice\n"
        "from centinela.accounts.models import User\n"
        "users = [User.objects.get(username=u) for u in ('admin', 'directora', 'tecnico')]\n"
        "device = TOTPDevice.objects.create(user=users[0], name='bench', confirmed=True)\n"
        "keys = []\n"
        f"for i in range({count}):\n"
        "    u = users[i % 3]; s = SessionStore()\n"
        "    s[SESSION_KEY] = str(u.pk); s[HASH_SESSION_KEY] = u.get_session_auth_hash()\n"
        "    s[BACKEND_SESSION_KEY] = 'centinela.accounts.backends.ModelBackend'\n"
        "    if u == users[0]: s[DEVICE_ID_SESSION_KEY] = device.persistent_id\n"
        "    s.create(); keys.append(s.session_key)\n"
        f"open({str(path)!r}, 'w').write(json.dumps(keys))\n"
    )
    subprocess.run(
        [PY, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": env.get("DJANGO_SETTINGS_MODULE", "centinela.settings")},
        cwd=ROOT,
        check=True,
    )


def check_sessions(host: str, sessions: Path) -> None:
    """Every kind of session (the first three: administrator, director, technician) gets the home page itself, not a
    redirect (to the login or the second-factor page): else the run would time the wrong page."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    for key in json.loads(sessions.read_text())[:3]:
        request = urllib.request.Request(host + "/", headers={"Cookie": f"sessionid={key}"})
        try:
            status = opener.open(request, timeout=60).status
        except urllib.error.HTTPError as exc:
            status = exc.code
        if status != 200:
            raise RuntimeError(f"a bench session gets {status} on the home page, not the page itself")


def group_processes(pgid: int):
    """The /proc folders of the processes of a process group (gunicorn's master and workers) with the fields of their
    stat line after the name (state ppid pgrp ... utime (11) stime (12)); nothing where there is no /proc."""
    proc = Path("/proc")
    if not proc.is_dir():
        return
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:
            yield entry, fields


def group_cpu_seconds(pgid: int) -> float | None:
    """CPU time (user + system) used so far by the processes of a process group, from /proc; None without /proc."""
    if not Path("/proc").is_dir():
        return None
    ticks = sum(int(fields[11]) + int(fields[12]) for _entry, fields in group_processes(pgid))
    return ticks / os.sysconf("SC_CLK_TCK")


def group_rss_mb(pgid: int) -> float | None:
    """Resident memory (MB) of the processes of a process group, from /proc; None without /proc."""
    if not Path("/proc").is_dir():
        return None
    total = 0
    for entry, _fields in group_processes(pgid):
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
    return total / 1024


def time_export(url: str, session: str, pgid: int) -> dict:
    """A large list export as a user downloads it (the incident list's CSV at the size of --open-data-rows): the time
    to its first byte and to its end, its size and lines, and the server's resident memory before and at its
    highest meanwhile (sampled every 0.1 s): a streamed export starts at once and holds no more than a chunk."""
    before = group_rss_mb(pgid)
    peak = [before or 0.0]
    done = threading.Event()

    def sample():
        while not done.wait(0.1):
            peak[0] = max(peak[0], group_rss_mb(pgid) or 0.0)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t = time.perf_counter()
    size = lines = 0
    first = None
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, headers={"Cookie": f"sessionid={session}"}), timeout=1800
        ) as response:
            while chunk := response.read(1 << 16):
                if first is None:
                    first = time.perf_counter() - t
                size += len(chunk)
                lines += chunk.count(b"\n")
    finally:
        done.set()
        sampler.join()
    return {
        "first_byte_seconds": round(first or 0.0, 3),
        "seconds": round(time.perf_counter() - t, 1),
        "megabytes": round(size / 1e6, 1),
        "lines": lines,
        "server_rss_mb_before": round(before, 1) if before is not None else None,
        "server_rss_mb_peak": round(peak[0], 1) if before is not None else None,
    }


def wait_up(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers (/salud/ says 503 while no job worker or camera monitor runs, as here)
        except Exception:  # noqa: BLE001
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer")


def start_gunicorn(env, port, workers, threads, log, preload=False, worker_class="gthread"):
    return subprocess.Popen(
        [
            PY,
            "-m",
            "gunicorn",
            "centinela.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            worker_class,
            "--max-requests",
            "0",
            "--timeout",
            "60",
            "--access-logfile",
            "-",
        ]
        + (["--preload"] if preload else []),
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def run_locust(host, users, seconds, prefix: Path, sessions: Path | None, locustfile="web_locustfile.py") -> dict:
    subprocess.run(
        [
            PY,
            "-m",
            "locust",
            "-f",
            str(ROOT / "bench" / locustfile),
            "--headless",
            "-u",
            str(users),
            "-r",
            str(max(1, users // 5)),
            "-t",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "5",
            "--exit-code-on-error",
            "0",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
        env={**os.environ, **({"WEB_LOAD_SESSIONS": str(sessions)} if sessions else {})},
    )
    rows = list(csv.DictReader(open(f"{prefix}_stats.csv")))
    pages = {
        r["Name"]: {
            "requests": int(r["Request Count"]),
            "failures": int(r["Failure Count"]),
            "median_ms": float(r["Median Response Time"] or 0),
            "p95_ms": float(r["95%"] or 0),
            "rps": round(float(r["Requests/s"]), 2),
        }
        for r in rows
        if r["Name"] != "Aggregated"
    }
    agg = next(r for r in rows if r["Name"] == "Aggregated")
    failures = Path(f"{prefix}_failures.csv")
    if failures.exists() and len(failures.read_text().splitlines()) > 1:  # more than the header
        # why requests failed, kept beside the figures (the run's own directory is temporary)
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"{Path(locustfile).stem}_failures.csv").write_bytes(failures.read_bytes())
    return {
        "users": users,
        "seconds": seconds,
        "requests": int(agg["Request Count"]),
        "failures": int(agg["Failure Count"]),
        "requests_per_second": round(float(agg["Requests/s"]), 1),
        "median_ms": float(agg["Median Response Time"]),
        "p95_ms": float(agg["95%"]),
        "pages": pages,
    }


def collect_static(env, result) -> None:
    try:
        manage(env, "collectstatic", "--noinput", "-v0", capture_output=True)
        result["server"]["static_storage"] = "CompressedManifestStaticFilesStorage"
    except subprocess.CalledProcessError:
        env.update(
            DJANGO_SETTINGS_MODULE="web_settings",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT / "bench"), env.get("PYTHONPATH")])),
        )
        manage(env, "collectstatic", "--noinput", "-v0")
        result["server"]["static_storage"] = "CompressedStaticFilesStorage (the manifest storage failed)"


def time_page(url, n=30) -> dict:
    t = time.perf_counter()
    urllib.request.urlopen(url, timeout=600).read()  # fills the cache
    first = (time.perf_counter() - t) * 1000
    times = []
    for _ in range(n):
        t = time.perf_counter()
        urllib.request.urlopen(url).read()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[int(0.95 * (n - 1))], 1),
        "requests": n,
        "first_uncached_ms": round(first, 1),
    }


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="10 sessions for 15 s, open data on the demo only")
    parser.add_argument("--users", type=int, default=None, help="50 staff sessions; 100 visitors (participation)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--preload", action="store_true", help="gunicorn --preload: the app loaded once, then forked")
    parser.add_argument("--open-data-rows", type=int, default=1_000_000)
    parser.add_argument("--scenario", default="staff", choices=["staff", "participation"])
    parser.add_argument("--reports", type=int, default=PARTICIPATION_REPORTS, help="participation: reports loaded")
    args = parser.parse_args(argv)
    if args.scenario == "participation":
        return participation(args)
    args.users = args.users or 50
    if args.quick:
        args.users, args.seconds, args.open_data_rows = 10, 30, 0
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "server": {
            "gunicorn_workers": args.workers,
            "threads_per_worker": args.threads,
            "preload": args.preload,
            "worker_class": args.worker_class,
            "database": "SQLite (fresh, load_demo)",
            "debug": False,
            "cpus": os.cpu_count(),
        },
    }
    with tempfile.TemporaryDirectory(prefix="centinela-web-load-") as tmp:
        var = Path(tmp)
        env = production_env(var)
        t = time.time()
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo", "--quiet-users", stdout=subprocess.DEVNULL)
        collect_static(env, result)
        result["setup_seconds"] = round(time.time() - t, 1)
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        log = open(var / "gunicorn.log", "wb")
        server = start_gunicorn(
            env, port, args.workers, args.threads, log, preload=args.preload, worker_class=args.worker_class
        )
        try:
            wait_up(host + "/salud/")
            result["load_average_before"] = os.getloadavg()
            make_sessions(env, args.users, var / "sessions.json")
            check_sessions(host, var / "sessions.json")
            server_cpu, locust_cpu = group_cpu_seconds(server.pid), resource.getrusage(resource.RUSAGE_CHILDREN)
            result["load"] = run_locust(host, args.users, args.seconds, var / "locust", var / "sessions.json")
            result["load_average_after"] = os.getloadavg()
            # CPU time per request, of the server and of locust: what other jobs on a shared machine disturb least
            # (they take CPU away, which the requests per second show, but hardly change what a request costs)
            served = max(1, result["load"]["requests"])
            if server_cpu is not None:
                result["load"]["server_cpu_ms_per_request"] = round(
                    (group_cpu_seconds(server.pid) - server_cpu) * 1000 / served, 2
                )
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            result["load"]["locust_cpu_ms_per_request"] = round(
                (after.ru_utime + after.ru_stime - locust_cpu.ru_utime - locust_cpu.ru_stime) * 1000 / served, 2
            )
            result["open_data_demo"] = {"incidents": "demo", **time_page(host + "/datos-abiertos/")}
            if args.open_data_rows:
                result["open_data_large"] = {
                    "incidents": add_incidents(env, args.open_data_rows),
                    **time_page(host + "/datos-abiertos/"),
                }
                technician = json.loads((var / "sessions.json").read_text())[2]  # sessions rotate admin, director, tech
                result["export_large"] = {
                    "incidents": result["open_data_large"]["incidents"],
                    "url": "/incidentes/?export=csv",
                    **time_export(host + "/incidentes/?export=csv", technician, server.pid),
                }
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
    load = result["load"]
    od = result.get("open_data_large") or result["open_data_demo"]
    result["targets"] = staff_targets(result)
    export = result.get("export_large")
    result["note"] = (
        "The machine is shared: see load_average_before/after (1, 5, 15 min); absolute figures are "
        "depressed by what else runs."
    )
    (RESULTS / "web_load.json").write_text(json.dumps(result, indent=2))
    print(
        f"web load: {load['requests_per_second']} requests/s, p95 {load['p95_ms']} ms, median {load['median_ms']} ms "
        f"at {load['users']} sessions ({load['failures']} failures); load average {result['load_average_before']}; "
        f"CPU per request: server {load.get('server_cpu_ms_per_request')} ms, locust "
        f"{load.get('locust_cpu_ms_per_request')} ms"
    )
    print(f"open data (cached, {od['incidents']} incidents): p95 {od['p95_ms']} ms")
    if export:
        print(
            f"export (incident list CSV, {export['incidents']} incidents): "
            f"first byte {export['first_byte_seconds']} s, "
            f"{export['seconds']} s in all, {export['megabytes']} MB, {export['lines']} lines; server memory "
            f"{export['server_rss_mb_before']} -> {export['server_rss_mb_peak']} MB at its highest"
        )
    for t in result["targets"]:
        print(f"target {t['name']}: {'met' if t['met'] else 'NOT met'} ({t['figure']}, bound {t['bound']})")
    if not args.quick and not all(t["met"] for t in result["targets"]):
        raise SystemExit(1)
    return result


def failures_target(load: dict, who: str) -> dict:
    """A run where requests failed missed its target, however fast the rest was (a failed request is often a fast
    one: an error page, a refused connection)."""
    return {
        "name": f"failed requests at {who}",
        "figure": load["failures"],
        "bound": "== 0",
        "met": load["requests"] > 0 and load["failures"] == 0,
    }


def staff_targets(result: dict) -> list[dict]:
    """The staff scenario's targets: requests/s and p95 at the sessions asked, no failed request, open data cached."""
    load = result["load"]
    od = result.get("open_data_large") or result["open_data_demo"]
    return [
        {
            "name": f"requests/s at {load['users']} staff sessions",
            "figure": load["requests_per_second"],
            "bound": ">= 100",
            "met": load["requests_per_second"] >= 100,
        },
        {
            "name": f"p95 at {load['users']} staff sessions (ms)",
            "figure": load["p95_ms"],
            "bound": "< 300",
            "met": load["p95_ms"] < 300,
        },
        failures_target(load, f"{load['users']} staff sessions"),
        {
            "name": f"open-data page, cached, {od['incidents']} incidents, p95 (ms)",
            "figure": od["p95_ms"],
            "bound": "< 100",
            "met": od["p95_ms"] < 100 and "open_data_large" in result,
        },
    ] + export_targets(result.get("export_large"))


def export_targets(export: dict | None) -> list[dict]:
    """The large export's targets (when it ran): streamed, it starts at once and never holds the whole file."""
    if not export:
        return []
    growth = (export["server_rss_mb_peak"] or 0) - (export["server_rss_mb_before"] or 0)
    return [
        {
            "name": f"incident list CSV export at {export['incidents']} incidents, first byte (s)",
            "figure": export["first_byte_seconds"],
            "bound": "< 2 (streamed: sent as it is written), every row",
            "met": 0 < export["first_byte_seconds"] < 2 and export["lines"] > export["incidents"],
        },
        {
            "name": f"incident list CSV export at {export['incidents']} incidents, server memory growth (MB)",
            "figure": round(growth, 1),
            "bound": "< 150 (never the whole file in memory)",
            "met": growth < 150,
        },
    ]


# --- the participation scenario (issue 12) ---------------------------------------------------------------------

PARTICIPATION_REPORTS = 5_000
PARTICIPATION_USERS = 100
SUBMIT = "submit: report with photo"
SUBMISSIONS_PER_MINUTE = 60
# 60 a minute less the ramp (the submitter starts a second or two into the run) and locust's stop
SUBMISSIONS_BOUND = 57


def add_reports(env, count: int) -> int:
    """Top the demo's citizen reports up to `count` (participation.demo, seeded), in the database of `env`;
    the number of reports then."""
    code = (
        "import django; django.setup()\n"
        "from centinela.participation.demo import load_demo_reports\n"
        "from centinela.participation.models import Report\n"
        f"load_demo_reports(n={count})\n"
        "print(Report.objects.count(), Report.objects.filter(published=True).count())\n"
    )
    out = subprocess.run(
        [PY, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": env.get("DJANGO_SETTINGS_MODULE", "centinela.settings")},
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    total, published = out.stdout.strip().splitlines()[-1].split()
    return int(total), int(published)


def participation_targets(load: dict, visitors: int, reports: int, per_minute: float) -> list[dict]:
    """The participation scenario's targets: p95 of every visitor page, submissions sustained and none refused, no
    failed request anywhere."""
    pages = load["pages"]
    submit = pages.get(SUBMIT, {"requests": 0, "failures": 0, "p95_ms": None})
    targets = [
        {
            "name": f"p95 of {name} at {visitors} visitors, {reports} reports (ms)",
            "figure": page["p95_ms"],
            "bound": "< 300",
            "met": page["p95_ms"] < 300 and page["failures"] == 0,
        }
        for name, page in sorted(pages.items())
        if not name.startswith("submit:")
    ]
    targets.append(
        {
            "name": f"report submissions with a photo a minute (asked {SUBMISSIONS_PER_MINUTE})",
            "figure": per_minute,
            "bound": f">= {SUBMISSIONS_BOUND}, none refused",
            "met": per_minute >= SUBMISSIONS_BOUND and submit["failures"] == 0,
        }
    )
    targets.append(failures_target(load, f"{visitors} visitors and the submitter"))
    return targets


def participation(args) -> dict:
    visitors = args.users or PARTICIPATION_USERS
    if args.quick:
        visitors, args.seconds = min(visitors, 20), 30
    RESULTS.mkdir(parents=True, exist_ok=True)
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scenario": "participation",
        "quick": args.quick,
        "server": {
            "gunicorn_workers": args.workers,
            "threads_per_worker": args.threads,
            "preload": args.preload,
            "worker_class": args.worker_class,
            "database": "SQLite (fresh, load_demo and the demo's reports)",
            "debug": False,
            "cpus": os.cpu_count(),
            "PARTICIPATION_REPORTS_PER_HOUR": "1000000 (bench server only: every submission comes from 127.0.0.1)",
        },
    }
    with tempfile.TemporaryDirectory(prefix="centinela-web-participation-") as tmp:
        var = Path(tmp)
        env = production_env(var)
        env["PARTICIPATION_REPORTS_PER_HOUR"] = "1000000"
        t = time.time()
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo", "--quiet-users", stdout=subprocess.DEVNULL)
        total, published = add_reports(env, args.reports)
        result["reports"] = {"in_database": total, "published": published}
        collect_static(env, result)
        result["setup_seconds"] = round(time.time() - t, 1)
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        log = open(var / "gunicorn.log", "wb")
        server = start_gunicorn(
            env, port, args.workers, args.threads, log, preload=args.preload, worker_class=args.worker_class
        )
        try:
            wait_up(host + "/salud/")
            result["load_average_before"] = os.getloadavg()
            server_cpu = group_cpu_seconds(server.pid)
            result["load"] = run_locust(
                host, visitors + 1, args.seconds, var / "locust", None, locustfile="web_participation_locustfile.py"
            )
            result["load_average_after"] = os.getloadavg()
            served = max(1, result["load"]["requests"])
            if server_cpu is not None:
                result["load"]["server_cpu_ms_per_request"] = round(
                    (group_cpu_seconds(server.pid) - server_cpu) * 1000 / served, 2
                )
            result["reports"]["after_run"] = add_reports(env, 0)[0]
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            log.close()
    load = result["load"]
    load["visitors"] = visitors
    pages = load["pages"]
    submit = pages.get(SUBMIT, {"requests": 0, "failures": 0, "p95_ms": None})
    accepted = submit["requests"] - submit["failures"]
    per_minute = round(accepted * 60 / args.seconds, 1)
    result["submissions"] = {
        "accepted": accepted,
        "refused": submit["failures"],
        "per_minute": per_minute,
        "p95_ms": submit["p95_ms"],
    }
    result["targets"] = participation_targets(load, visitors, total, per_minute)
    result["note"] = (
        "The machine is shared: see load_average_before/after (1, 5, 15 min); absolute figures are "
        "depressed by what else runs." + (" --quick: fewer visitors, a shorter run." if args.quick else "")
    )
    (RESULTS / "web_participation.json").write_text(json.dumps(result, indent=2))
    print(
        f"participation: {visitors} visitors + 1 submitter, {total} reports ({published} published): "
        f"{load['requests_per_second']} requests/s, {load['failures']} failures, load average "
        f"{result['load_average_before']}; server CPU {load.get('server_cpu_ms_per_request')} ms a request"
    )
    for name, page in sorted(pages.items()):
        print(f"  {name}: p95 {page['p95_ms']} ms, median {page['median_ms']} ms, {page['requests']} requests")
    print(f"  submissions: {accepted} accepted ({per_minute} a minute), {submit['failures']} refused")
    for t in result["targets"]:
        print(f"target {t['name']}: {'met' if t['met'] else 'NOT met'} ({t['figure']}, bound {t['bound']})")
    print(f"written to {RESULTS / 'web_participation.json'}")
    if not args.quick and not all(t["met"] for t in result["targets"]):
        raise SystemExit(1)
    return result


if __name__ == "__main__":
    main()
