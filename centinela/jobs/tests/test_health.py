"""The job worker's part of /salud/ (jobs/health.py): the newest worker beat, row or file, is younger than its limit,
with Spanish messages. Real beat rows and files."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from centinela.jobs.health import check_worker
from centinela.jobs.models import WorkerBeat

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.HEALTH_WORKER_MAX_AGE = 120
    settings.HEALTH_MONITOR_MAX_AGE = 180
    with translation.override("es-ec"):
        yield tmp_path


def test_no_worker_ever_beating_fails_in_spanish():
    WorkerBeat.objects.all().delete()
    assert check_worker() == {
        "ok": False,
        "age_s": None,
        "max_age_s": 120,
        "message": "Ningún proceso de trabajos (run_jobs) ha dado señales de vida.",
    }


def test_the_newest_worker_beat_counts():
    now = timezone.now()
    WorkerBeat.objects.create(name="viejo", last_seen=now - timedelta(hours=3))
    WorkerBeat.objects.create(name="nuevo", last_seen=now - timedelta(seconds=30))
    assert check_worker(now) == {"ok": True, "age_s": 30.0, "max_age_s": 120}
    assert check_worker(now + timedelta(seconds=90)) == {"ok": True, "age_s": 120.0, "max_age_s": 120}
    assert check_worker(now + timedelta(seconds=200)) == {
        "ok": False,
        "age_s": 230.0,
        "max_age_s": 120,
        "message": "El proceso de trabajos (run_jobs) no da señales de vida desde hace 230 s (máximo 120 s).",
    }


def test_a_worker_beating_only_in_its_file_is_well():
    from centinela.jobs.services import beat

    WorkerBeat.objects.all().delete()
    beat("solo-archivo")
    WorkerBeat.objects.all().delete()  # the row could not be written: a long SQLite import holds the lock
    assert check_worker()["ok"]
