"""The backup drill: an install with records in every app (the demo plus what it lacks: tokens, contacts, tickets,
outages, alerts, footage requests, jobs with a held upload, sessions, a barrio committee's meeting with an agreement
followed up, a notice and a digest preference), `manage.py backup`, then `manage.py restore` into an empty install
with its own database and a fresh var folder without the secret key file; the restored install holds the same rows in
every table and reads the camera passwords. Run as real processes with their own settings, on the database of the run
(SQLite, or PostgreSQL when DATABASE_URL names one: CI runs both)."""

import io
import json
import os
import stat
import subprocess
import sys
import tarfile
from pathlib import Path

import dj_database_url
import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Clave-Ñandú:2026"

FILL = f"""
import os, django
os.environ["DJANGO_SETTINGS_MODULE"] = "centinela.settings"
django.setup()
from datetime import timedelta
from pathlib import Path
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone
from centinela.accounts.models import ApiToken, User
from centinela.lib import crypto
from centinela.cameras.models import (Alert, AlertRecipient, Device, FootageRequest, MaintenanceTicket, Outage,
                                      ProbeResult, StatusChange)
from centinela.incidents.models import Incident
from centinela.jobs.models import Job, WorkerBeat
from centinela.partners.models import Agreement, AgreementWarning, ContactPerson, Institution
from centinela.territory.models import StreetSegment
import shapely

now = timezone.now()
admin = User.objects.get(username="admin")
device = Device.objects.order_by("code").first()
Device.objects.filter(pk=device.pk).update(password_encrypted=crypto.encrypt({PASSWORD!r}))
ApiToken.objects.create(user=admin, name="drill", key_hash=ApiToken.hash("drill-token"), prefix="drill")
group = Group.objects.create(name="drill")
permission = Permission.objects.first()
group.permissions.add(permission)
admin.groups.add(group)
admin.user_permissions.add(permission)
institution = Institution.objects.first()
ContactPerson.objects.create(institution=institution, name="Contacto de prueba", email="contacto@example.org")
agreement = Agreement.objects.first()
AgreementWarning.objects.create(agreement=agreement, valid_until=now.date(), threshold_days=30, recipients="a@b.c")
StreetSegment.objects.create(code="drill-1", name="Calle de prueba",
                             geometry=shapely.LineString([(-79.2, -4.0), (-79.21, -4.01)]), length_m=1500)
from centinela.territory.models import Barrio as DrillBarrio, BarrioPopulation
BarrioPopulation.objects.create(barrio=DrillBarrio.objects.order_by("code").first(), year=2024, population=1200,
                                kind="estimate", source="Comité barrial (simulacro)")
StatusChange.objects.create(device=device, at=now, from_status="installed", to_status="operational", by=admin)
ProbeResult.objects.create(device=device, at=now, kind="rtsp", ok=False, latency_ms=12.5, detail="timeout")
outage = Outage.objects.create(device=device, started_at=now - timedelta(hours=2), ended_at=now, reason="timeout")
MaintenanceTicket.objects.create(device=device, opened_at=now, opened_by=admin, outage=outage, description="prueba")
recipient = AlertRecipient.objects.create(user=admin)
Alert.objects.create(device=device, event="offline", channel="admin@example.org", created_at=now, attempts=1)
request = FootageRequest.objects.create(institution=institution, requester="Fiscalía", requested_at=now,
                                        incident=Incident.objects.first(), period_start=now - timedelta(hours=1),
                                        period_end=now)
request.devices.add(device)
held = Path(settings.VAR_DIR) / "import-jobs"
held.mkdir(parents=True, exist_ok=True)
(held / "drill-held.csv").write_text("fecha,tipo\\n2021-01-01,robo\\n", encoding="utf-8")
Job.objects.create(kind="incidents.import", params={{"file": "drill-held.csv"}}, created_by=admin)
Job.objects.create(kind="observatory.kde", params={{}}, status="done", progress=1.0, result={{"cells": 1}},
                   created_by=admin)
WorkerBeat.objects.create(name="drill-worker", last_seen=now)
session = SessionStore()
session["drill"] = True
session.create()
import io
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from centinela.participation.models import ReportCategory, RoutingRule
from centinela.participation.services import Contact, file_report, post_update
from centinela.territory.models import Parish
jpeg = io.BytesIO()
Image.new("RGB", (40, 30), (200, 120, 40)).save(jpeg, "JPEG")
centre = Parish.objects.filter(kind="urban", centre_lon__isnull=False).order_by("code").first()
RoutingRule.objects.update_or_create(category=ReportCategory.objects.order_by("pk").first(), parish=None,
                                     defaults=dict(institution=institution))  # load_demo's rule, if it made one
report = file_report(category=ReportCategory.objects.order_by("pk").first(), lon=centre.centre_lon,
                     lat=centre.centre_lat, description="Luminaria apagada en la esquina",
                     photos=[SimpleUploadedFile("foto.jpg", jpeg.getvalue(), content_type="image/jpeg")],
                     contact=Contact(name="Vecina", email="vecina@example.org", consent=True))
post_update(admin, report, status="in_review", text="Revisando", public=False)
from centinela.participation.services import issue_open311_key
open311_client, _key = issue_open311_key("Aplicación del simulacro")
file_report(category=ReportCategory.objects.order_by("pk").first(), lon=centre.centre_lon, lat=centre.centre_lat,
            description="Reporte presentado por Open311", open311_client=open311_client)
from centinela.activities.models import Activity as DrillActivity
from centinela.participation.services import answer_with
answer_with(admin, report, DrillActivity.objects.exclude(status="cancelled").order_by("pk").first())
file_report(category=ReportCategory.objects.get(code="camara-danada"), lon=centre.centre_lon, lat=centre.centre_lat,
            description="Cámara caída", camera_code=device.code)
from datetime import date
from centinela.participation.committees import services as committees
from centinela.participation.committees.models import Committee, CommitteeMeeting, CommitteeMember
from centinela.territory.models import Barrio
committee = committees.save_committee(admin, Committee(barrio=Barrio.objects.order_by("code").first(),
                                                       name="Comité del simulacro"))
member = committees.save_member(admin, CommitteeMember(committee=committee, name="Vecina del simulacro",
                                                       cedula="1103756134", phone="0991112233",
                                                       joined_on=date(2020, 1, 1)))
meeting = committees.save_meeting(admin, CommitteeMeeting(committee=committee, held_on=date(2020, 2, 1), guests=3),
                                  present=[member],
                                  agreements=[committees.AgreementDraft("Acuerdo del simulacro", "Vecina",
                                                                        date(2020, 3, 1))])
committees.follow_up(admin, meeting.agreements.get(), on=date(2020, 2, 15), note="En curso", status="in_progress")
from centinela.notifications import services as notices
MaintenanceTicket.objects.create(device=device, opened_at=now, opened_by=admin, assigned_to=admin,
                                 description="asignada")  # the assignee is told: a notice
notices.set_daily_digest(admin, admin, False)
from centinela.reports.services import generate_draft
generate_draft(admin, 2020)  # a version of the yearly report, its PDF in the media folder (load_demo marked its data)
media = Path(settings.MEDIA_ROOT) / "drill"
media.mkdir(parents=True, exist_ok=True)
(media / "evidencia.bin").write_bytes(bytes(range(256)) * 10)
print(device.code)
"""

READ_PASSWORD = """
import os, sys, django
os.environ["DJANGO_SETTINGS_MODULE"] = "centinela.settings"
django.setup()
from centinela.lib import crypto
from centinela.cameras.models import Device
print(crypto.decrypt(Device.objects.get(code=sys.argv[1]).password_encrypted))
"""


def _run(env, *args, check=True):
    out = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if check:
        assert out.returncode == 0, f"{args}: {out.stdout}\n{out.stderr}"
    return out


def _install(var_dir: Path, database_url: str) -> dict:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("SECRET_KEY", "CAMERA_CREDENTIALS_KEY", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    var_dir.mkdir()
    return {**env, "CENTINELA_VAR_DIR": str(var_dir), "DATABASE_URL": database_url, "PYTHONIOENCODING": "utf-8"}


@pytest.fixture
def two_databases(tmp_path):
    """Two empty databases of the run's kind: the installed one and the restore's target (dropped afterwards)."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'src.sqlite3'}", f"sqlite:///{tmp_path / 'dst' / 'restored.sqlite3'}"
        return
    import psycopg

    base = dj_database_url.parse(url)
    names = (f"{base['NAME']}_drill_src", f"{base['NAME']}_drill_dst")
    server = url.rsplit("/", 1)[0]
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
    yield tuple(f"{server}/{name}" for name in names)
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _snapshot(env):
    return json.loads(_run(env, str(ROOT / "scripts" / "db_snapshot.py")).stdout)


def test_backup_restored_on_an_empty_install_holds_every_row_file_and_readable_camera_password(tmp_path, two_databases):
    source_url, target_url = two_databases
    source = _install(tmp_path / "src", source_url)
    _run(source, "manage.py", "migrate", "--noinput", "-v0")
    _run(source, "manage.py", "load_demo", "--quiet-users")
    camera = _run(source, "-c", FILL).stdout.strip().splitlines()[-1]
    before = _snapshot(source)

    # Records of every model of every app of ours, and of the audit log.
    for model in apps.get_models(include_auto_created=True):
        if model.__module__.startswith("centinela.") or model._meta.app_label == "auditlog":
            assert before["tables"].get(model._meta.db_table), f"no {model._meta.label} in the drill"

    archive = tmp_path / "copia.tar.gz"
    _run(source, "manage.py", "backup", "--output", str(archive))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        keys = json.load(tar.extractfile("keys.json"))
    assert manifest["database"]["vendor"] == before["vendor"]
    assert manifest["tables"] == before["tables"]
    assert "0001_initial" in manifest["migrations"]["cameras"]
    assert manifest["version"] and manifest["created_at"] and len(manifest["commit"]) in (0, 40)
    assert manifest["folders"]["media"]["files"] >= 1 and manifest["folders"]["import-jobs"]["files"] == 1
    assert keys["camera_credentials_keys"]

    target = _install(tmp_path / "dst", target_url)
    if before["vendor"] == "postgresql":  # one run restores into a migrated database, the other into a bare one
        _run(target, "manage.py", "migrate", "--noinput", "-v0")
    restored = _run(target, "manage.py", "restore", str(archive))
    assert "Se restauró la copia" in restored.stdout
    assert (tmp_path / "dst" / "secret_key").read_text() != (tmp_path / "src" / "secret_key").read_text()

    after = _snapshot(target)
    assert after["tables"] == before["tables"]
    assert after["samples"] == before["samples"]
    assert after["passwords"] == before["passwords"] and all(after["passwords"].values())
    assert _run(target, "-c", READ_PASSWORD, camera).stdout.strip() == PASSWORD
    evidence = Path("media") / "drill" / "evidencia.bin"
    assert (tmp_path / "dst" / evidence).read_bytes() == (tmp_path / "src" / evidence).read_bytes()
    assert (tmp_path / "dst" / "import-jobs" / "drill-held.csv").exists()

    again = _run(target, "manage.py", "restore", str(archive), check=False)
    assert again.returncode != 0 and "ya contiene datos" in again.stderr
    _run(target, "manage.py", "restore", str(archive), "--force")
    assert _snapshot(target)["tables"] == before["tables"]


def _archive(path: Path, manifest: dict | None) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        data = (json.dumps(manifest) if manifest else (ROOT / "README.md").read_text()).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return path


@pytest.mark.parametrize(
    "manifest, message",
    [
        (None, "no es una copia de seguridad de Centinela"),
        (
            {"app": "centinela", "format": 1, "database": {"vendor": "postgresql"}, "migrations": {}},
            "una base de datos postgresql y esta instalación usa sqlite",
        ),
        (
            {
                "app": "centinela",
                "format": 1,
                "database": {"vendor": "sqlite"},
                "migrations": {"cameras": ["9999_future"]},
            },
            "versión más reciente de Centinela (migraciones desconocidas aquí: cameras.9999_future)",
        ),
    ],
    ids=["not-a-backup", "other-database-kind", "newer-version"],
)
def test_restore_refuses_in_spanish_what_it_cannot_bring_back_and_touches_nothing(tmp_path, manifest, message):
    env = _install(tmp_path / "var", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    out = _run(env, "manage.py", "restore", str(_archive(tmp_path / "copia.tar.gz", manifest)), check=False)
    assert out.returncode != 0 and message in out.stderr
    assert not (tmp_path / "db.sqlite3").exists() or (tmp_path / "db.sqlite3").stat().st_size == 0
