"""Where the time of bench/web_load.py goes, page by page, without a load generator: each page of its locust scenario
requested in turn through Django's test client in one process (production settings, as web_load.py sets them up),
for each staff demo user, with the time, the CPU time, the number of SQL queries and the number of Python function
calls per request. The CPU time is what bounds the requests per second of a 2-core server; the count of calls is
what a shared machine does not disturb at all (compare changes by it when other jobs run); `--profile NAME` prints a cProfile of one page.

    .venv/bin/python bench/web_pages.py [--var DIR] [--repeat 10] [--profile "list: incidents"]

--var keeps the demo database between runs (made on first use); without it a temporary one is made and removed.
Figures to bench/results/web_pages.json."""
from __future__ import annotations

import argparse
import cProfile
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

# (name in the locust scenario, path): the pages of bench/web_locustfile.py, in its order
PAGES = [
    ("list: incidents", "/incidentes/"),
    ("list: activities", "/actividades/"),
    ("list: cameras", "/camaras/dispositivos/"),
    ("list: places", "/territorio/lugares/"),
    ("dashboard: home", "/"),
    ("dashboard: cameras", "/camaras/"),
    ("dashboard: camera counts", "/camaras/estado/"),
    ("dashboard: indicators", "/observatorio/indicadores/"),
    ("map: cameras", "/camaras/estado/mapa.json"),
    ("map: activities", "/actividades/mapa/"),
    ("map: parishes (API)", "/api/parishes"),
    ("public: open data", "/datos-abiertos/"),
    ("public: certificate check", "/actividades/certificados/verificar/"),
]
USERS = ("admin", "directora", "tecnico")


def prepare(var: Path) -> None:
    from web_load import manage, production_env

    env = production_env(var)
    env["ALLOWED_HOSTS"] += ",testserver"
    os.environ.update(env)
    for key in ("DEBUG", "CENTINELA_TESTING", "DATABASE_URL"):
        os.environ.pop(key, None)
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centinela.settings")
    if not (var / "centinela.sqlite3").exists() or not (var / ".demo").exists():
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_demo", "--quiet-users", stdout=open(os.devnull, "w"))
        (var / ".demo").touch()
    if not (var / "staticfiles" / "staticfiles.json").exists():
        manage(env, "collectstatic", "--noinput", "-v0", capture_output=True)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--var", type=Path)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--profile", help="name of a page to profile with cProfile (as the admin)")
    parser.add_argument("--user", default=None, help="only this demo user")
    args = parser.parse_args(argv)
    tmp = None
    if args.var is None:
        tmp = tempfile.TemporaryDirectory(prefix="centinela-web-pages-")
        args.var = Path(tmp.name)
    args.var.mkdir(parents=True, exist_ok=True)
    prepare(args.var)

    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from centinela.accounts.models import User
    from centinela.accounts.services import needs_second_factor

    users = [args.user] if args.user else USERS
    result = {"repeat": args.repeat, "load_average": os.getloadavg(), "pages": {}}
    for username in users:
        client = Client()
        user = User.objects.get(username=username)
        client.force_login(user)
        if needs_second_factor(user):  # the administrator: a verified second factor, as after a real login
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
                user=user, name="bench", confirmed=True)
            session = client.session
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session.save()
        for name, path in PAGES:
            if args.profile and name != args.profile:
                continue
            client.get(path)  # warm: templates, caches, connections
            times, cpu, queries = [], [], []
            for _ in range(args.repeat):
                with CaptureQueriesContext(connection) as ctx:
                    t, c = time.perf_counter(), time.process_time()
                    response = client.get(path)
                    if getattr(response, "streaming", False):
                        b"".join(response.streaming_content)
                    times.append((time.perf_counter() - t) * 1000)
                    cpu.append((time.process_time() - c) * 1000)
                queries.append(len(ctx.captured_queries))
            assert response.status_code == 200, (name, username, response.status_code)
            counter = cProfile.Profile()  # Python function calls: a measure of the work that other load leaves alone
            counter.runcall(client.get, path)
            calls = sum(entry.callcount for entry in counter.getstats())
            result["pages"].setdefault(name, {})[username] = {
                "median_ms": round(statistics.median(times), 1), "cpu_ms": round(statistics.median(cpu), 1),
                "queries": max(queries), "python_calls": calls,
                "bytes": len(response.content) if not getattr(response, "streaming", False) else None}
            if args.profile:
                import pstats

                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.repeat):
                    client.get(path)
                profiler.disable()
                stats = pstats.Stats(profiler)
                stats.sort_stats("cumulative").print_stats(os.environ.get("PROFILE_FILTER", "centinela/"), int(os.environ.get("PROFILE_N", "40")))
                stats.sort_stats("tottime").print_stats(25)
                with CaptureQueriesContext(connection) as ctx:
                    client.get(path)
                for q in ctx.captured_queries:
                    print(f"{q['time']:>6} {q['sql'][:300]}")
        if args.profile:
            break
    cache.close()
    width = max(len(n) for n, _ in PAGES)
    print(f"{'page':<{width}}  " + "  ".join(f"{u:>32}" for u in users)
          + "   (median wall ms / CPU ms / queries / thousands of Python calls)")
    for name, per_user in result["pages"].items():
        print(f"{name:<{width}}  " + "  ".join(
            f"{per_user[u]['median_ms']:>10.1f} /{per_user[u]['cpu_ms']:>6.1f} /{per_user[u]['queries']:>4} /"
            f"{per_user[u]['python_calls'] / 1000:>6.1f}" for u in users if u in per_user))
    if not args.profile:
        (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
        (ROOT / "bench" / "results" / "web_pages.json").write_text(json.dumps(result, indent=2))
    if tmp is not None:
        tmp.cleanup()
    return result


if __name__ == "__main__":
    main()
