"""Production settings pass Django's deployment checklist; the analysis engine never imports Django."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "a-production-secret-key-of-sufficient-length-1234567890",
        "ALLOWED_HOSTS": "centinela.example.org",
        "CENTINELA_VAR_DIR": str(tmp_path),
    }
    env.pop("CENTINELA_TESTING", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_debug_off_by_default(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env["CENTINELA_VAR_DIR"] = str(tmp_path)
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='centinela.settings';django.setup();"
        "from django.conf import settings as s;print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.LANGUAGE_CODE, s.TIME_ZONE)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "True", "es-ec", "America/Guayaquil"], out.stderr


def test_migrations_are_up_to_date(tmp_path):
    env = {**os.environ, "CENTINELA_VAR_DIR": str(tmp_path), "DEBUG": "1"}
    out = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_interface_string_has_a_spanish_translation():
    import polib

    po = polib.pofile(str(ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_error_pages_speak_spanish(client_for, db):
    c = client_for("presidente.sagrario")
    assert "No encontrado" in c.get("/territorio/parroquias/999999/").content.decode()
    assert "No permitido" in c.get("/cuenta/auditoria/").content.decode()


def test_every_sqlite_connection_runs_in_wal_mode_and_waits_for_a_busy_writer(tmp_path):
    """The web, the worker and the monitor share the embedded database: a second writer waits, readers go on."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["CENTINELA_VAR_DIR"] = str(tmp_path)
    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='centinela.settings';django.setup();"
        "from django.db import connection as c;cur=c.cursor();"
        "print(cur.execute('PRAGMA journal_mode').fetchone()[0], cur.execute('PRAGMA busy_timeout').fetchone()[0],"
        " c.settings_dict['OPTIONS']['transaction_mode'])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["wal", "20000", "IMMEDIATE"]
