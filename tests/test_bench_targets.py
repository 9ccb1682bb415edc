"""A benchmark run where requests failed missed its target, however fast the others were (a failed request is often
a fast one: an error page, a refused connection). Both web-load scenarios and the import-under-load benchmark count
failures as a target reported like the others; the import benchmark's server runs with production settings."""

import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import import_load_bench  # noqa: E402
import web_load  # noqa: E402

FAST = {"requests": 9000, "failures": 0, "requests_per_second": 150.0, "p95_ms": 40.0, "users": 50}
OPEN_DATA = {"open_data_large": {"incidents": 1_000_000, "p95_ms": 4.0}}


def _missed(targets):
    return [t["name"] for t in targets if not t["met"]]


def test_the_staff_scenario_misses_its_target_when_requests_failed():
    assert _missed(web_load.staff_targets({"load": FAST, **OPEN_DATA})) == []
    missed = _missed(web_load.staff_targets({"load": {**FAST, "failures": 3}, **OPEN_DATA}))
    assert missed == ["failed requests at 50 staff sessions"]


def test_the_participation_scenario_misses_its_target_when_requests_failed():
    pages = {
        "map": {"requests": 500, "failures": 0, "p95_ms": 50.0},
        web_load.SUBMIT: {"requests": 60, "failures": 0, "p95_ms": 120.0},
    }
    assert _missed(web_load.participation_targets({**FAST, "pages": pages}, 100, 5000, 60.0)) == []
    # a failure counted only in the aggregate (a page locust names apart, e.g. a static file)
    missed = _missed(web_load.participation_targets({**FAST, "failures": 2, "pages": pages}, 100, 5000, 60.0))
    assert missed == ["failed requests at 100 visitors and the submitter"]


def _figures(failed=0, ok=True):
    kind = {"requests": 100, "failed": 0, "p95_seconds": 0.2}
    return {
        "import_ok": ok,
        "import_problems": [] if ok else ["fila 2: fecha"],
        "created": 1000,
        "pages": {**kind, "failed": failed},
        "logins": kind,
        "saves": kind,
    }


def test_the_import_under_load_misses_its_target_when_requests_or_the_import_failed():
    assert _missed(import_load_bench.targets_of("sqlite", _figures(), 1000)) == []
    assert "failed requests during a 1,000-row import, sqlite" in _missed(
        import_load_bench.targets_of("sqlite", _figures(failed=1), 1000)
    )
    assert _missed(import_load_bench.targets_of("sqlite", _figures(ok=False), 1000)) == [
        "the 1,000-row import itself, sqlite"
    ]


def test_the_import_under_load_server_runs_with_production_settings(tmp_path):
    env = import_load_bench.env_for("sqlite:///x.sqlite3", tmp_path)
    assert env["DEBUG"] == "0" and env["SECRET_KEY"] and "CENTINELA_TESTING" not in env
    assert env["DATABASE_URL"] == "sqlite:///x.sqlite3" and env["CENTINELA_VAR_DIR"] == str(tmp_path)
