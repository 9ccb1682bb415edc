"""`manage.py monitor_cameras` options: --name names the monitor (there is no --workers: one process is one
monitor), and numbers that make no sense are refused with a clear message in Spanish, never a traceback."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--fail-after", "0"], "--fail-after debe ser un número entero de al menos 1 (se recibió 0)."),
        (["--recover-after", "-2"], "--recover-after debe ser un número entero de al menos 1 (se recibió -2)."),
        (["--concurrency", "0"], "--concurrency debe ser un número entero de al menos 1 (se recibió 0)."),
        (["--timeout", "0"], "--timeout debe ser un número de segundos mayor que 0 (se recibió 0.0)."),
        (["--timeout", "nan"], "--timeout debe ser un número de segundos mayor que 0 (se recibió nan)."),
        (
            ["--timeout", "10", "--claim-seconds", "20"],
            "--claim-seconds (20) debe ser al menos tres veces --timeout (10)",
        ),
        (["--name", "   "], "--name debe tener entre 1 y 64 caracteres."),
    ],
)
def test_bad_numbers_are_a_clear_command_error(db, args, message):
    with pytest.raises(CommandError) as caught:
        call_command("monitor_cameras", "--once", *args, stdout=io.StringIO())
    assert message in str(caught.value)


def test_workers_is_gone_and_name_names_the_monitor(db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match="unrecognized arguments: --workers"):
        call_command("monitor_cameras", "--once", "--workers", "2", stdout=io.StringIO())
    call_command(
        "monitor_cameras",
        "--once",
        "--name",
        "loja-sala-1",
        "--timeout",
        "2",
        "--claim-seconds",
        "30",
        stdout=io.StringIO(),
    )
    assert json.loads((tmp_path / "monitor_heartbeat.json").read_text())["worker"] == "loja-sala-1"


def test_the_real_command_line_says_what_is_wrong_without_a_traceback(tmp_path):
    env = {**os.environ, "CENTINELA_TESTING": "1", "CENTINELA_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "manage.py", "monitor_cameras", "--once", "--fail-after", "0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "--fail-after debe ser un número entero de al menos 1 (se recibió 0)." in done.stderr
