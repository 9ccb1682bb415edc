"""The camera monitor's part of /salud/ (cameras/health.py): its heartbeat file is younger than its limit, with
Spanish messages. Real heartbeat files."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from centinela.cameras.health import check_monitor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.HEALTH_WORKER_MAX_AGE = 120
    settings.HEALTH_MONITOR_MAX_AGE = 180
    with translation.override("es-ec"):
        yield tmp_path


def monitor_beat(var_dir, at):
    (var_dir / "monitor_heartbeat.json").write_text(json.dumps({"at": at.isoformat(), "interval_s": 30}))


def test_the_monitors_heartbeat_file_is_read(var_dir):
    now = timezone.now()
    assert check_monitor(now)["message"] == ("El monitor de cámaras (monitor_cameras) nunca ha dado señales de vida.")
    monitor_beat(var_dir, now - timedelta(seconds=60))
    assert check_monitor(now) == {"ok": True, "age_s": 60.0, "max_age_s": 180}
    monitor_beat(var_dir, now - timedelta(seconds=600))
    assert check_monitor(now) == {
        "ok": False,
        "age_s": 600.0,
        "max_age_s": 180,
        "message": "El monitor de cámaras (monitor_cameras) no da señales de vida desde hace 600 s (máximo 180 s).",
    }
