"""lib/health.py, each check of /salud/ on its own: the database answers, the media disk (or the nearest existing
parent of a MEDIA_ROOT not made yet) has room, with Spanish messages; the report names every check and what failed.
The worker's and the monitor's checks are tested in their apps (jobs, cameras). Real beat rows, real heartbeat
files, the real disk. tests/test_health.py checks the page itself."""

import json
import shutil

import pytest
from django.utils import timezone, translation

from centinela.jobs.models import WorkerBeat
from centinela.lib import health

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media" / "not" / "made"
    settings.HEALTH_WORKER_MAX_AGE = 120
    settings.HEALTH_MONITOR_MAX_AGE = 180
    with translation.override("es-ec"):
        yield tmp_path


def monitor_beat(var_dir, at):
    (var_dir / "monitor_heartbeat.json").write_text(json.dumps({"at": at.isoformat(), "interval_s": 30}))


def test_the_database_answers():
    assert health.check_database() == {"ok": True}


def test_the_media_disk_is_measured_where_media_root_will_be(var_dir, settings):
    settings.HEALTH_MIN_FREE_MB = 1
    result = health.check_media_disk()
    free = shutil.disk_usage(var_dir).free // (1024 * 1024)
    assert result["ok"] and abs(result["free_mb"] - free) < 64 and result["min_free_mb"] == 1
    settings.HEALTH_MIN_FREE_MB = free * 4 + 10
    result = health.check_media_disk()
    assert not result["ok"] and result["message"] == (
        f"Solo quedan {result['free_mb']} MB libres en el disco de archivos (mínimo {free * 4 + 10} MB)."
    )


def test_the_report_names_every_check_and_what_failed(var_dir, settings):
    WorkerBeat.objects.all().delete()
    monitor_beat(var_dir, timezone.now())
    settings.HEALTH_MIN_FREE_MB = 1
    report = health.report()
    assert report["status"] == "fail" and report["failed"] == ["worker"]
    assert sorted(report["checks"]) == ["database", "media_disk", "monitor", "worker"]
    WorkerBeat.objects.create(name="w", last_seen=timezone.now())
    assert health.report()["status"] == "ok" and health.report()["failed"] == []
