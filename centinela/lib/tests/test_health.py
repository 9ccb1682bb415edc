"""lib/health.py, each check of /salud/ on its own: the database answers, the newest worker beat (row or file) and
the monitor's heartbeat file are younger than their limits, the media disk (or the nearest existing parent of a
MEDIA_ROOT not made yet) has room, with Spanish messages; the report names every check and what failed. Real beat
rows, real heartbeat files, the real disk. tests/test_health.py checks the page itself."""
import json
import shutil
from datetime import timedelta

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


def test_no_worker_ever_beating_fails_in_spanish():
    WorkerBeat.objects.all().delete()
    assert health.check_worker() == {"ok": False, "age_s": None, "max_age_s": 120,
                                     "message": "Ningún proceso de trabajos (run_jobs) ha dado señales de vida."}


def test_the_newest_worker_beat_counts():
    now = timezone.now()
    WorkerBeat.objects.create(name="viejo", last_seen=now - timedelta(hours=3))
    WorkerBeat.objects.create(name="nuevo", last_seen=now - timedelta(seconds=30))
    assert health.check_worker(now) == {"ok": True, "age_s": 30.0, "max_age_s": 120}
    assert health.check_worker(now + timedelta(seconds=90)) == {"ok": True, "age_s": 120.0, "max_age_s": 120}
    assert health.check_worker(now + timedelta(seconds=200)) == {
        "ok": False, "age_s": 230.0, "max_age_s": 120,
        "message": "El proceso de trabajos (run_jobs) no da señales de vida desde hace 230 s (máximo 120 s)."}


def test_a_worker_beating_only_in_its_file_is_well():
    from centinela.jobs.services import beat

    WorkerBeat.objects.all().delete()
    beat("solo-archivo")
    WorkerBeat.objects.all().delete()  # the row could not be written: a long SQLite import holds the lock
    assert health.check_worker()["ok"]


def test_the_monitors_heartbeat_file_is_read(var_dir):
    now = timezone.now()
    assert health.check_monitor(now)["message"] == ("El monitor de cámaras (monitor_cameras) nunca ha dado señales "
                                                    "de vida.")
    monitor_beat(var_dir, now - timedelta(seconds=60))
    assert health.check_monitor(now) == {"ok": True, "age_s": 60.0, "max_age_s": 180}
    monitor_beat(var_dir, now - timedelta(seconds=600))
    assert health.check_monitor(now) == {
        "ok": False, "age_s": 600.0, "max_age_s": 180,
        "message": "El monitor de cámaras (monitor_cameras) no da señales de vida desde hace 600 s (máximo 180 s)."}


def test_the_media_disk_is_measured_where_media_root_will_be(var_dir, settings):
    settings.HEALTH_MIN_FREE_MB = 1
    result = health.check_media_disk()
    free = shutil.disk_usage(var_dir).free // (1024 * 1024)
    assert result["ok"] and abs(result["free_mb"] - free) < 64 and result["min_free_mb"] == 1
    settings.HEALTH_MIN_FREE_MB = free * 4 + 10
    result = health.check_media_disk()
    assert not result["ok"] and result["message"] == (
        f"Solo quedan {result['free_mb']} MB libres en el disco de archivos (mínimo {free * 4 + 10} MB).")


def test_the_report_names_every_check_and_what_failed(var_dir, settings):
    WorkerBeat.objects.all().delete()
    monitor_beat(var_dir, timezone.now())
    settings.HEALTH_MIN_FREE_MB = 1
    report = health.report()
    assert report["status"] == "fail" and report["failed"] == ["worker"]
    assert sorted(report["checks"]) == ["database", "media_disk", "monitor", "worker"]
    WorkerBeat.objects.create(name="w", last_seen=timezone.now())
    assert health.report()["status"] == "ok" and health.report()["failed"] == []
