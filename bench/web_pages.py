"""Where the time of bench/web_load.py goes, page by page, without a load generator: each page of its locust scenario
requested in turn through Django's test client in one process (production settings, as web_load.py sets them up),
for each staff demo user, with the time, the CPU time, the number of SQL queries and the number of Python function
calls per request. The CPU time is what bounds the requests per second of a 2-core server; the count of calls is
what a shared machine does not disturb at all (compare changes by it when other jobs run); `--profile NAME` prints a
cProfile of one page.

    .venv/bin/python bench/web_pages.py [--var DIR] [--repeat 10] [--profile "list: incidents"]

--var keeps the demo database between runs (made on first use); without it a temporary one is made and removed.
Figures to bench/results/web_pages.json; the last line weighs each page as the locust scenario requests it (mean of
the three users).

Session 12 (Python calls per request, mean of the users; queries; before -> after. Other engineers' tests ran on
the same 2 cores throughout: the CPU time, weighted, the director, the code before and after run in turn twice,
was 7.5 and 7.4 ms before, 5.9 and 6.1 ms after, -19%):

    list: incidents            44.0k -> 35.5k (-19%)   10 -> 9 queries
    list: activities           45.8k -> 33.8k (-26%)    8 -> 7
    list: cameras              41.2k -> 33.7k (-18%)    6 -> 5
    list: places               27.3k -> 18.9k (-31%)    6 -> 5
    dashboard: home            15.1k ->  9.3k (-38%)    5 -> 4
    dashboard: cameras         40.7k -> 33.1k (-19%)   10 -> 9
    dashboard: camera counts    6.8k ->  3.5k (-48%)    4 -> 3
    dashboard: indicators      27.0k -> 19.1k (-29%)    9 -> 8
    map: cameras                8.2k ->  5.2k (-37%)    4 -> 3
    map: activities            28.0k -> 20.8k (-26%)    7 -> 6
    map: parishes (API)         4.8k ->  2.2k (-54%)    3 -> 2
    public: open data           8.1k ->  5.0k (-39%)    3.3 -> 2.3
    public: certificate check   7.6k ->  4.5k (-42%)    2.3 -> 1.3
    weighted as the scenario   25.5k -> 19.1k (-25%)    6.4 -> 5.4

Where it went, in order (weighted thousands of calls, directora, 25.3k at the start): sessions read from the cache
(cached_db) and request.user unwrapped from django-otp's and auth's lazy proxies -1.5; the filter forms' plain text
escaped directly -1.3; has_second_factor in SQL -0.5; {% translate "constant" %} kept per language -0.8; the
session's user read without a queryset -0.7; number cells written without localize() -0.5; plain selects written
from their choices -0.3; {% static %} kept -0.1; reverse() without the language where no URL depends on it -0.4;
{% extends %} finding the root's blocks once -0.2; an administrator's second-factor device read without a queryset
(admin only) -1.1. Tried and dropped: the user and "has a device" in one query (an Exists annotation cost more to
compile than the query it saved: +0.5)."""

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
# how often each page is requested in the scenario (its task's weight; the camera dashboard's task asks for two pages)
WEIGHTS = {
    "list: incidents": 3,
    "list: activities": 2,
    "list: cameras": 2,
    "list: places": 1,
    "dashboard: home": 2,
    "dashboard: cameras": 2,
    "dashboard: camera counts": 2,
    "dashboard: indicators": 2,
    "map: cameras": 2,
    "map: activities": 1,
    "map: parishes (API)": 1,
    "public: open data": 2,
    "public: certificate check": 1,
}
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
                user=user, name="bench", confirmed=True
            )
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
                "median_ms": round(statistics.median(times), 1),
                "cpu_ms": round(statistics.median(cpu), 1),
                "queries": max(queries),
                "python_calls": calls,
                "bytes": len(response.content) if not getattr(response, "streaming", False) else None,
            }
            if args.profile:
                import pstats

                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.repeat):
                    client.get(path)
                profiler.disable()
                stats = pstats.Stats(profiler)
                stats.sort_stats("cumulative").print_stats(
                    os.environ.get("PROFILE_FILTER", "centinela/"), int(os.environ.get("PROFILE_N", "40"))
                )
                stats.sort_stats("tottime").print_stats(25)
                with CaptureQueriesContext(connection) as ctx:
                    client.get(path)
                for q in ctx.captured_queries:
                    print(f"{q['time']:>6} {q['sql'][:300]}")
        if args.profile:
            break
    cache.close()
    width = max(len(n) for n, _ in PAGES)
    print(
        f"{'page':<{width}}  "
        + "  ".join(f"{u:>32}" for u in users)
        + "   (median wall ms / CPU ms / queries / thousands of Python calls)"
    )
    for name, per_user in result["pages"].items():
        print(
            f"{name:<{width}}  "
            + "  ".join(
                f"{per_user[u]['median_ms']:>10.1f} /{per_user[u]['cpu_ms']:>6.1f} /{per_user[u]['queries']:>4} /"
                f"{per_user[u]['python_calls'] / 1000:>6.1f}"
                for u in users
                if u in per_user
            )
        )
    if not args.profile and len(result["pages"]) == len(PAGES):
        weighted = {
            key: round(
                sum(WEIGHTS[n] * statistics.mean(p[u][key] for u in p) for n, p in result["pages"].items())
                / sum(WEIGHTS.values()),
                1,
            )
            for key in ("cpu_ms", "queries", "python_calls")
        }
        result["weighted"] = weighted
        print(
            f"{'weighted as the scenario':<{width}}  CPU {weighted['cpu_ms']} ms / {weighted['queries']} queries / "
            f"{weighted['python_calls'] / 1000:.1f} thousand Python calls per request (mean of the users)"
        )
    if not args.profile:
        (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
        (ROOT / "bench" / "results" / "web_pages.json").write_text(json.dumps(result, indent=2))
    if tmp is not None:
        tmp.cleanup()
    return result


if __name__ == "__main__":
    main()
