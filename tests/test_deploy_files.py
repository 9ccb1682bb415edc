"""The files docs/deploy.md installs agree with the code and the docs. (.ci/production-install runs them for real.)"""

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
NOT_OURS = {"NUMBA_CACHE_DIR", "PYTHONUNBUFFERED"}  # read by numba and Python themselves


def service(name: str) -> dict:
    text = (DEPLOY / "systemd" / name).read_text()
    return dict(re.findall(r"^(\w+)=(.*)$", text.split("[Service]", 1)[1].split("[Install]")[0], re.M))


def test_every_setting_of_the_env_file_is_documented_in_the_settings_page():
    keys = re.findall(r"^(\w+)=", (DEPLOY / "centinela.env.example").read_text(), re.M)
    documented = (ROOT / "docs" / "settings.md").read_text()
    assert [k for k in keys if k not in NOT_OURS and f"`{k}`" not in documented] == []


def test_the_web_worker_and_monitor_restart_on_failure_as_the_centinela_user_with_the_env_file():
    commands = {}
    for name in ("centinela-web.service", "centinela-worker.service", "centinela-monitor.service"):
        unit = service(name)
        assert unit["Restart"] == "on-failure"
        assert (unit["User"], unit["EnvironmentFile"]) == ("centinela", "/etc/centinela/centinela.env")
        assert unit["ReadWritePaths"] == "/var/lib/centinela"
        commands[name] = unit["ExecStart"].split()
    assert commands["centinela-web.service"][:2] == ["/opt/centinela/.venv/bin/gunicorn", "centinela.wsgi"]
    assert commands["centinela-worker.service"][-1] == "run_jobs"
    assert commands["centinela-monitor.service"][-1] == "monitor_cameras"


def test_every_command_the_units_run_exists():
    for path in (DEPLOY / "systemd").glob("*.service"):
        words = service(path.name)["ExecStart"].split()
        if "/opt/centinela/manage.py" in words:
            assert words[words.index("/opt/centinela/manage.py") + 1] in get_commands(), path.name


def test_the_deploy_guide_enables_every_unit_and_keeps_the_backup_section():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    enabled = re.search(r"systemctl enable --now (.*)", guide).group(1).split()
    units = {p.stem if p.suffix == ".service" else p.name for p in (DEPLOY / "systemd").iterdir()}
    # the agreements, retention and digest services are started by their timers
    assert set(enabled) == units - {"centinela-agreements", "centinela-retention", "centinela-digest"}
    assert "## Copias de seguridad, restauración y actualización" in guide


def test_the_wsgi_application_loads_every_view_and_freezes_start_up_objects(tmp_path):
    """gunicorn's workers import centinela.wsgi: the views are loaded there and start-up's objects frozen out of the
    garbage collector's full collections (a stall of ~0.1 s every few hundred requests otherwise)."""
    import os
    import subprocess
    import sys

    code = (
        "import gc, sys, centinela.wsgi\n"
        "print(gc.get_freeze_count() > 100000, 'centinela.cameras.views' in sys.modules)"
    )
    env = {**os.environ, "CENTINELA_TESTING": "1", "CENTINELA_VAR_DIR": str(tmp_path), "DEBUG": "0"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert out.stdout.split() == ["True", "True"], out.stderr[-2000:]


# multipart framing and the form's other fields ride on top of the file: the proxy lets that much more through
PROXY_HEADROOM_MB = 10


def test_the_proxys_body_limit_agrees_with_the_largest_upload():
    """Caddy's request_body max_size lets through an upload of UPLOAD_MAX_MB (else the visitor gets Caddy's bare 413
    instead of the form's Spanish message), and not much more (else Centinela's limit is the only one); the deploy
    guide and the settings page say the same figure."""
    from django.conf import settings

    default_mb = int(
        re.search(r'env_int\("UPLOAD_MAX_MB", (\d+)\)', (ROOT / "centinela" / "settings.py").read_text())[1]
    )
    caddy_mb = int(re.search(r"max_size (\d+)MB", (DEPLOY / "Caddyfile").read_text())[1])
    assert caddy_mb == default_mb + PROXY_HEADROOM_MB, (caddy_mb, default_mb)
    assert settings.UPLOAD_MAX_BYTES <= caddy_mb * 1024 * 1024
    assert f"| `UPLOAD_MAX_MB` | {default_mb} |" in (ROOT / "docs" / "settings.md").read_text()
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert re.findall(r"(\d+) MB", guide) and set(re.findall(r"hasta (\d+) MB", guide)) == {str(caddy_mb)}
    env_file = re.search(r"^#?\s*UPLOAD_MAX_MB=(\d+)", (DEPLOY / "centinela.env.example").read_text(), re.M)
    assert env_file is None or int(env_file[1]) == default_mb
