"""/salud/ for the municipality's uptime checker: public JSON, 200 only when the database, the job worker, the camera
monitor and the media disk are all well, else 503 naming what failed. Each failure is made for real: stale heartbeat
rows and files, a database that does not answer, a free-space threshold above the disk's real free space."""

import json
import os
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from centinela.cameras.monitor import HEARTBEAT_FILE, Monitor
from centinela.jobs.models import WorkerBeat

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


@pytest.fixture
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"  # not there yet, as on a fresh install: its parent's disk is measured
    return tmp_path


@pytest.fixture
def all_running(var_dir):
    """A worker that has just beaten (the beat a running run_jobs writes; `run_jobs --once` removes its own beat as
    it exits, as a stopped worker must) and a monitor that has just written its heartbeat."""
    from centinela.jobs.services import beat, worker_name

    beat(worker_name())
    Monitor("salud").write_heartbeat()
    return var_dir


def salud(client):
    response = client.get("/salud/")
    assert response["Content-Type"] == "application/json"
    return response.status_code, json.loads(response.content)


def test_salud_answers_200_without_login_when_every_part_is_well(client, all_running):
    status, body = salud(client)
    assert status == 200, body
    assert body["status"] == "ok" and body["failed"] == []
    assert set(body["checks"]) == {"database", "worker", "monitor", "media_disk"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["media_disk"]["free_mb"] > 0


def age_worker_beats(seconds, *, row=True, file=True):
    from centinela.jobs.services import beat_folder

    then = timezone.now() - timedelta(seconds=seconds)
    if row:
        WorkerBeat.objects.update(last_seen=then)
    if file:
        for path in beat_folder().glob("*.beat"):
            os.utime(path, (then.timestamp(), then.timestamp()))


def test_a_worker_whose_last_beat_is_older_than_the_limit_fails_the_check(client, all_running, settings):
    age_worker_beats(settings.HEALTH_WORKER_MAX_AGE + 60)
    status, body = salud(client)
    assert status == 503
    assert body["status"] == "fail" and body["failed"] == ["worker"]
    assert body["checks"]["worker"]["age_s"] > settings.HEALTH_WORKER_MAX_AGE
    assert "run_jobs" in body["checks"]["worker"]["message"]


def test_a_worker_beating_only_in_its_file_is_well(client, all_running, settings):
    """A long SQLite import holds the write lock: the worker's row cannot be updated, its beat file still is."""
    age_worker_beats(settings.HEALTH_WORKER_MAX_AGE + 60, file=False)
    status, body = salud(client)
    assert status == 200, body
    assert body["checks"]["worker"]["age_s"] < settings.HEALTH_WORKER_MAX_AGE


def test_a_worker_beating_only_in_the_database_is_well(client, all_running, settings):
    """The web server runs on another machine than the worker: it sees no beat file, only the row."""
    age_worker_beats(settings.HEALTH_WORKER_MAX_AGE + 60, row=False)
    status, body = salud(client)
    assert status == 200, body


def test_no_worker_ever_started_fails_the_check(client, var_dir):
    Monitor("salud").write_heartbeat()
    WorkerBeat.objects.all().delete()
    status, body = salud(client)
    assert status == 503 and body["failed"] == ["worker"]
    assert body["checks"]["worker"]["age_s"] is None


def test_a_monitor_heartbeat_older_than_the_limit_fails_the_check(client, all_running, settings):
    path = all_running / HEARTBEAT_FILE
    beat = json.loads(path.read_text())
    beat["at"] = (timezone.now() - timedelta(seconds=settings.HEALTH_MONITOR_MAX_AGE + 60)).isoformat()
    path.write_text(json.dumps(beat))
    status, body = salud(client)
    assert status == 503 and body["failed"] == ["monitor"]
    assert body["checks"]["monitor"]["age_s"] > settings.HEALTH_MONITOR_MAX_AGE
    assert "monitor_cameras" in body["checks"]["monitor"]["message"]


def test_no_monitor_heartbeat_fails_the_check(client, all_running):
    (all_running / HEARTBEAT_FILE).unlink()
    status, body = salud(client)
    assert status == 503 and body["failed"] == ["monitor"]


def test_less_free_space_on_the_media_disk_than_the_minimum_fails_the_check(client, all_running, settings):
    free_mb = shutil.disk_usage(all_running).free // (1024 * 1024)
    settings.HEALTH_MIN_FREE_MB = free_mb + 10_000  # above what the real disk has free
    status, body = salud(client)
    assert status == 503 and body["failed"] == ["media_disk"]
    assert body["checks"]["media_disk"]["min_free_mb"] == free_mb + 10_000
    assert abs(body["checks"]["media_disk"]["free_mb"] - free_mb) < 1000


def test_the_messages_are_in_spanish(client, var_dir):
    WorkerBeat.objects.all().delete()
    _status, body = salud(client)
    assert body["checks"]["worker"]["message"] == "Ningún proceso de trabajos (run_jobs) ha dado señales de vida."
    assert "nunca" in body["checks"]["monitor"]["message"]


def test_a_database_that_does_not_answer_fails_the_check_without_telling_where_it_is(tmp_path):
    """A real server process whose database is a closed port: 503 naming the database, and no host in the answer."""
    env = {
        **os.environ,
        "CENTINELA_TESTING": "1",
        "CENTINELA_VAR_DIR": str(tmp_path),
        "DATABASE_URL": "postgres://centinela:secreto@127.0.0.1:9/centinela",
    }
    code = (
        "import django,json,os;os.environ['DJANGO_SETTINGS_MODULE']='centinela.settings';django.setup();"
        "from django.test import Client;r=Client().get('/salud/',HTTP_HOST='localhost');"
        "print(json.dumps({'status':r.status_code,'body':r.content.decode()}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout.strip().splitlines()[-1])
    body = json.loads(answer["body"])
    assert answer["status"] == 503
    assert body["failed"][0] == "database" and "worker" in body["failed"]
    assert body["checks"]["database"] == {"ok": False, "message": "La base de datos no responde."}
    assert "127.0.0.1" not in answer["body"] and "secreto" not in answer["body"]
