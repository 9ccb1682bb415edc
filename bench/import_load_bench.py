"""Import under load: while a 1,000,000-row incident import runs (the seeded ECU 911-like file of incidents_bench),
other users keep working against a real server (gunicorn on loopback): staff sessions load pages that read incidents
(home dashboard, incident list, open data), users log in (a write: session, last login) and staff save incidents
by hand through the form (a write to the very table being imported into). Every request is timed from the start of
the import to its end. Targets (issue 10, item 2), on SQLite and on PostgreSQL: the import succeeds, no request
fails (a failed request misses the target however fast it was), every login and every save succeeds, and the p95
of page loads stays under 1 s. The server runs with production settings (web_load.production_env: DEBUG=0,
static files collected). The import's own time is kept beside them, with its stages
(parse+validate+preview, staging outside the transaction: COPY's CSV built on PostgreSQL, a temporary table filled on
SQLite; the set-based apply: COPY into the live table in one transaction on PostgreSQL, INSERT ... SELECT in slices
with pauses on SQLite) and the load average (the machine may be shared).

    .venv/bin/python bench/import_load_bench.py [--rows 1000000 | --quick] [--no-postgres | --no-sqlite] [--port 8437]

Figures go to bench/results/import_load.json. SQLite in a temporary directory, PostgreSQL in a throw-away database
whose name contains "bench" (created and dropped here).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

# how the staged rows are moved into the incidents table (incidents.import_staging): the words the summary prints
APPLY_LABEL = {"postgresql": "COPY into the live table", "sqlite": "INSERT ... SELECT in slices"}
ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT / "bench"))

from incidents_bench import CATEGORY_VALUES, PROFILE, _admin_connect, generate  # noqa: E402
from web_load import production_env  # noqa: E402

POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/centinela_bench_import_load"
PAGES = ["/", "/incidentes/", "/datos-abiertos/"]
BROWSERS, LOGINS, SAVERS = 4, 1, 1  # concurrent users of each kind
PAUSE = 0.25  # seconds between one user's requests
TIMEOUT = 60  # a request slower than this is a failure
PAGE_P95_BOUND = 1.0
BASELINE = 15  # seconds of the same load before the import starts

SETUP = """
import django, json, sys
django.setup()
from django.conf import settings
from django.core.management import call_command
call_command("migrate", verbosity=0, interactive=False)
from centinela.accounts.demo import ensure_demo_users
from centinela.accounts.demo import DEMO_PASSWORD
from centinela.incidents.models import Category, Source
from centinela.incidents.services import save_profile
from centinela.territory.models import Parish
from centinela.territory.services import load_gazetteer
load_gazetteer(settings.GAZETTEER_DIR)
ensure_demo_users()
save_profile("Bench ECU 911", "ecu911", json.loads(sys.argv[1]), date_format="%d/%m/%Y %H:%M",
             category_values=json.loads(sys.argv[2]))
parish = Parish.objects.get(code="110101")
print(json.dumps({"category": Category.objects.filter(active=True).order_by("pk").first().pk,
                  "source": Source.objects.exclude(code="ecu911").order_by("pk").first().pk, "password": DEMO_PASSWORD,
                  "lon": parish.centre_lon, "lat": parish.centre_lat}))
"""

IMPORT = """
import django, json, sys, time
django.setup()
from centinela.incidents.models import ImportProfile, Incident
from centinela.incidents.services import import_incidents
marks = {"start": time.time()}
def progress(fraction, message=""):
    if fraction >= 0.2 and "staging" not in marks:
        marks["staging"] = time.time()
    if fraction > 0.9 and "apply" not in marks:  # staging reports up to 0.9, the apply above it
        marks["apply"] = time.time()
result = import_incidents(sys.argv[1], ImportProfile.objects.get(name="Bench ECU 911"), progress=progress)
marks["end"] = time.time()
if result.ok and result.counts["created"]:  # what the import job does next in the worker: the open data's figures
    from centinela.incidents.jobs import compute_figures_after_import
    compute_figures_after_import(result.counts["created"])
marks["figures"] = time.time()
print(json.dumps({"marks": marks, "ok": result.ok, "problems": [str(p) for p in result.problems[:5]],
                  "counts": result.counts, "timings": getattr(result.rows, "timings", {}),
                  "stored": Incident.objects.count()}))
"""


def env_for(database_url: str, var: Path) -> dict:
    """Production settings, as web_load.py's server (DEBUG=0, a throwaway SECRET_KEY, static files collected and
    served by WhiteNoise), on the database given."""
    env = production_env(var)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "centinela.settings",
            "DATABASE_URL": database_url,
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


class Recorder:
    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []  # (kind, start, seconds, ok, detail)

    def add(self, kind, start, seconds, ok, detail=""):
        with self.lock:
            self.rows.append((kind, start, seconds, ok, detail))


def _session(base):
    import requests

    s = requests.Session()
    s.headers["Referer"] = base + "/"
    return s


def _login(base, username, password):
    s = _session(base)
    page = s.get(base + "/cuenta/ingresar/", timeout=TIMEOUT)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    r = s.post(
        base + "/cuenta/ingresar/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    ok = r.status_code == 302 and "sessionid" in s.cookies
    return s, ok, r.status_code


def timed(recorder, kind, fn):
    t0 = time.time()
    try:
        ok, detail = fn()
    except Exception as exc:  # noqa: BLE001 - a timeout or a refused connection is a failed request
        ok, detail = False, f"{type(exc).__name__}: {exc}"[:200]
    recorder.add(kind, t0, time.time() - t0, ok, detail)


def run_users(base, password, setup, stop: threading.Event, recorder: Recorder):
    def browser(k):
        s, ok, _code = _login(base, "directora", password)
        i = k
        while not stop.is_set():
            url = base + PAGES[i % len(PAGES)]
            i += 1
            timed(
                recorder,
                "page",
                lambda url=url: (lambda r: (r.status_code == 200, f"{r.status_code} {url[len(base) :]}"))(
                    s.get(url, timeout=TIMEOUT)
                ),
            )
            time.sleep(PAUSE)

    def login(k):
        while not stop.is_set():
            timed(recorder, "login", lambda: _login(base, "tecnico", password)[1:])
            time.sleep(PAUSE)

    def saver(k):
        s, ok, _code = _login(base, "directora", password)
        n = 0
        while not stop.is_set():
            n += 1

            def save(n=n):
                page = s.get(base + "/incidentes/nuevo/", timeout=TIMEOUT)
                token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
                r = s.post(
                    base + "/incidentes/nuevo/",
                    timeout=TIMEOUT,
                    allow_redirects=False,
                    data={
                        "csrfmiddlewaretoken": token,
                        "category": setup["category"],
                        "occurred_at": "2021-06-01T10:00",
                        "source": setup["source"],
                        "source_ref": "",
                        "lat": setup["lat"],
                        "lon": setup["lon"],
                        "address": f"A mano {k}-{n}",
                        "precision": "exact",
                    },
                )
                return r.status_code == 302, r.status_code

            timed(recorder, "save", save)
            time.sleep(PAUSE)

    threads = [threading.Thread(target=browser, args=(k,)) for k in range(BROWSERS)]
    threads += [threading.Thread(target=login, args=(k,)) for k in range(LOGINS)]
    threads += [threading.Thread(target=saver, args=(k,)) for k in range(SAVERS)]
    for t in threads:
        t.start()
    return threads


def percentile(values, q):
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def one_database(database_url: str, csv_path: Path, port: int) -> dict:
    var = Path(tempfile.mkdtemp(prefix="centinela-import-load-"))
    try:
        env = env_for(database_url or f"sqlite:///{var / 'bench.sqlite3'}", var)
        py = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else sys.executable
        setup = subprocess.run(
            [py, "-c", SETUP, json.dumps(PROFILE), json.dumps(CATEGORY_VALUES)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        if setup.returncode:
            raise RuntimeError(setup.stderr[-2000:])
        setup = json.loads(setup.stdout.strip().splitlines()[-1])
        collected = subprocess.run(
            [py, str(ROOT / "manage.py"), "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, capture_output=True
        )
        if collected.returncode:
            raise RuntimeError(collected.stderr.decode()[-2000:])
        server = subprocess.Popen(
            [
                str(Path(py).parent / "gunicorn"),
                "centinela.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "4",
                "--timeout",
                "120",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=open(var / "gunicorn.log", "w"),
        )
        base = f"http://127.0.0.1:{port}"
        try:
            import requests

            for _ in range(120):
                try:
                    requests.get(base + "/cuenta/ingresar/", timeout=5)
                    break
                except requests.RequestException:
                    time.sleep(0.5)
            recorder, stop = Recorder(), threading.Event()
            load_before = os.getloadavg()
            threads = run_users(base, setup["password"], setup, stop, recorder)
            time.sleep(2)  # the users log in and warm up
            baseline_from = time.time()
            time.sleep(BASELINE)  # the same load without an import: what the machine gives anyway
            started = time.time()
            proc = subprocess.run([py, "-c", IMPORT, str(csv_path)], cwd=ROOT, env=env, capture_output=True, text=True)
            ended = time.time()
            load_during = os.getloadavg()
            stop.set()
            for t in threads:
                t.join()
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:  # busy threads finishing their requests: the figures are kept
                server.kill()
                server.wait()
        if proc.returncode:
            raise RuntimeError(proc.stderr[-3000:])
        out = json.loads(proc.stdout.strip().splitlines()[-1])
        baseline = [r for r in recorder.rows if baseline_from <= r[1] and r[1] + r[2] <= started]
        rows = [r for r in recorder.rows if r[1] >= started and r[1] <= ended]
        marks = out["marks"]
        apply_from, apply_to = marks.get("apply", ended), marks["end"]

        def figures(kind, window=None, rows=rows):
            sel = [
                r for r in rows if r[0] == kind and (window is None or window[0] <= r[1] + r[2] and r[1] <= window[1])
            ]
            times = [r[2] for r in sel]
            return {
                "requests": len(sel),
                "failed": sum(not r[3] for r in sel),
                "failures": sorted({r[4] for r in sel if not r[3]})[:5],
                "p50_seconds": round(percentile(times, 0.5), 3) if times else None,
                "p95_seconds": round(percentile(times, 0.95), 3) if times else None,
                "max_seconds": round(max(times), 3) if times else None,
            }

        result = {
            "import_seconds": round(marks["end"] - marks["start"], 2),
            "import_stages_seconds": {
                "read_validate_preview": round(marks.get("staging", ended) - marks["start"], 2),
                "staging": round(out["timings"].get("stage", 0.0), 2),
                "apply_one_insert_select": round(out["timings"].get("apply", 0.0), 2),
            },
            "import_ok": out["ok"],
            "import_problems": out["problems"],
            "created": out["counts"].get("created"),
            "stored": out["stored"],
            "pages": figures("page"),
            "logins": figures("login"),
            "saves": figures("save"),
            "during_apply": {k: figures(k, (apply_from, apply_to)) for k in ("page", "login", "save")},
            "baseline_without_import": {k: figures(k, rows=baseline) for k in ("page", "login", "save")},
            # the slowest pages during the import, with their answer and address: which page waited, if one did
            "slowest_pages": [
                {"seconds": round(r[2], 3), "answer": r[4], "started_after_import_began": round(r[1] - started, 1)}
                for r in sorted((r for r in rows if r[0] == "page"), key=lambda r: -r[2])[:3]
            ],
            # the import job's next step in the worker (incidents.jobs.compute_figures_after_import)
            "figures_after_import_seconds": round(marks["figures"] - marks["end"], 2) if "figures" in marks else None,
            "load_average_1min": {"before": round(load_before[0], 2), "during": round(load_during[0], 2)},
        }
        return result
    finally:
        shutil.rmtree(var, ignore_errors=True)


def with_postgres(url: str, csv_path: Path, port: int) -> dict:
    admin, name = _admin_connect(url)
    try:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            return one_database(url, csv_path, port)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


def targets_of(vendor: str, fig: dict, rows: int) -> list[dict]:
    if "error" in fig:
        return [
            {
                "name": f"users keep working during a {rows:,}-row import, {vendor}",
                "figure": None,
                "bound": "the import and the load ran",
                "met": False,
            }
        ]
    p, li, s = fig["pages"], fig["logins"], fig["saves"]
    failed = p["failed"] + li["failed"] + s["failed"]
    return [
        {
            "name": f"the {rows:,}-row import itself, {vendor}",
            "figure": f"{fig.get('created')} created"
            + ("" if fig.get("import_ok") else f", {fig.get('import_problems')}"),
            "bound": "succeeds",
            "met": bool(fig.get("import_ok")),
        },
        {
            "name": f"failed requests during a {rows:,}-row import, {vendor}",
            "figure": failed,
            "bound": "== 0",
            "met": p["requests"] + li["requests"] + s["requests"] > 0 and failed == 0,
        },
        {
            "name": f"logins during a {rows:,}-row import, {vendor}",
            "figure": f"{li['requests'] - li['failed']}/{li['requests']} ok",
            "bound": "all succeed",
            "met": li["requests"] > 0 and li["failed"] == 0,
        },
        {
            "name": f"saves (incident form) during a {rows:,}-row import, {vendor}",
            "figure": f"{s['requests'] - s['failed']}/{s['requests']} ok",
            "bound": "all succeed",
            "met": s["requests"] > 0 and s["failed"] == 0,
        },
        {
            "name": f"page p95 during a {rows:,}-row import, {vendor}",
            "figure": p["p95_seconds"],
            "bound": f"< {PAGE_P95_BOUND} s, no failure",
            "met": p["requests"] > 0 and p["failed"] == 0 and p["p95_seconds"] < PAGE_P95_BOUND,
        },
    ]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="20,000 rows: a smoke run")
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--port", type=int, default=8437)
    args = parser.parse_args(argv)
    if args.quick:
        args.rows = 20_000
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centinela.settings")
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory(prefix="centinela-import-load-file-") as folder:
        path = Path(folder) / "ecu911-2021.csv"
        file_info = generate(path, args.rows, args.seed)
        print(f"import_load: {args.rows:,} rows generated ({file_info['bytes'] / 1e6:.0f} MB)", flush=True)
        databases = {}
        try:
            if not args.no_sqlite:
                databases["sqlite"] = one_database("", path, args.port)
        except Exception as exc:  # noqa: BLE001 - the other database's figures are kept
            databases["sqlite"] = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
        if not args.no_postgres:
            try:
                databases["postgresql"] = with_postgres(args.postgres_url, path, args.port)
            except Exception as exc:  # noqa: BLE001
                databases["postgresql"] = {"error": f"{type(exc).__name__}: {exc}"[:2000]}
    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "processor": platform.machine(), "cpus": os.cpu_count()},
        "file": file_info,
        "load": {
            "browsers": BROWSERS,
            "logins": LOGINS,
            "savers": SAVERS,
            "pause_seconds": PAUSE,
            "pages": PAGES,
            "server": "gunicorn, 2 workers x 4 threads, production settings (DEBUG=0)",
        },
        "databases": databases,
        "targets": [t for vendor, fig in databases.items() for t in targets_of(vendor, fig, args.rows)],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    name = "import_load.json" if args.rows == 1_000_000 else f"import_load-{args.rows}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2, ensure_ascii=False))
    for vendor, fig in databases.items():
        if "error" in fig:
            print(f"import_load {vendor}: failed: {fig['error'][:500]}")
            continue
        st = fig["import_stages_seconds"]
        print(
            f"import_load {vendor}: import {fig['import_seconds']} s (read+validate+preview "
            f"{st['read_validate_preview']}, staging {st['staging']}, "
            f"{APPLY_LABEL[vendor]} {st['apply_one_insert_select']}); {fig['created']:,} created; load average "
            f"{fig['load_average_1min']['before']} -> {fig['load_average_1min']['during']}"
        )
        for kind in ("pages", "logins", "saves"):
            f = fig[kind]
            print(
                f"  {kind}: {f['requests']} requests, {f['failed']} failed, p50 {f['p50_seconds']} s, "
                f"p95 {f['p95_seconds']} s, max {f['max_seconds']} s" + (f"; {f['failures']}" if f["failed"] else "")
            )
        b = fig["baseline_without_import"]
        print(
            "  the same load without an import: "
            + ", ".join(f"{k} {b[k]['requests']} (p95 {b[k]['p95_seconds']} s, {b[k]['failed']} failed)" for k in b)
        )
        da = fig["during_apply"]
        print(
            f"  during the {APPLY_LABEL[vendor]}: "
            + ", ".join(f"{k} {da[k]['requests']} ({da[k]['failed']} failed, max {da[k]['max_seconds']} s)" for k in da)
        )
        print(
            "  slowest pages: "
            + "; ".join(
                f"{p['answer']} {p['seconds']} s (+{p['started_after_import_began']} s)" for p in fig["slowest_pages"]
            )
            + f"; open data's figures computed after the import in {fig['figures_after_import_seconds']} s"
        )
    for t in result["targets"]:
        print(f"import_load: target {t['name']}: {'met' if t['met'] else 'NOT met'} ({t['figure']}, {t['bound']})")
    print(f"written to {RESULTS / name}")
    if args.rows == 1_000_000 and not all(t["met"] for t in result["targets"]):
        raise SystemExit(1)
    return result


if __name__ == "__main__":
    main()
