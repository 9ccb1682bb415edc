"""lib/backup.py, the parts a unit test reaches cheaply (tests/test_backup_drill.py runs whole backups and restores):
an archive is read only when its manifest says it is a Centinela backup of the format this code reads, a backup
never overwrites a file and a restore needs an existing archive, a backup made by newer code (unknown migrations) is
refused, archives keep only plain files and folders, files come back where they belong, the database password
reaches pg_dump only through a 0600 password file, and a database holding users is said to be in use. Spanish
messages; real tar archives in tmp_path."""

import io
import json
import os
import tarfile
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from centinela.lib import backup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def spanish():
    with translation.override("es-ec"):
        yield


def archive(path: Path, manifest) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        if manifest is not None:
            data = json.dumps(manifest).encode()
            info = tarfile.TarInfo(backup.MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def refused(call, *args, **kwargs) -> str:
    with pytest.raises(backup.BackupError) as caught:
        call(*args, **kwargs)
    return str(caught.value)


def test_a_manifest_of_this_format_is_read(tmp_path):
    manifest = {"app": "centinela", "format": backup.FORMAT, "tables": {"a": 1}}
    assert backup.read_manifest(archive(tmp_path / "copia.tar.gz", manifest)) == manifest


@pytest.mark.parametrize("manifest", [None, {"app": "otra", "format": backup.FORMAT}, ["centinela"]])
def test_an_archive_without_a_centinela_manifest_is_refused(tmp_path, manifest):
    path = archive(tmp_path / "copia.tar.gz", manifest)
    assert refused(backup.read_manifest, path) == f"{path} no es una copia de seguridad de Centinela."


def test_a_file_that_is_no_archive_is_refused(tmp_path):
    path = tmp_path / "copia.tar.gz"
    path.write_bytes(b"no soy un tar")
    assert refused(backup.read_manifest, path) == f"{path} no es una copia de seguridad de Centinela."


def test_another_format_is_refused_naming_both(tmp_path):
    path = archive(tmp_path / "copia.tar.gz", {"app": "centinela", "format": backup.FORMAT + 1})
    assert refused(backup.read_manifest, path) == (
        f"Esta copia tiene el formato {backup.FORMAT + 1}; esta versión de Centinela lee el formato {backup.FORMAT}."
    )


def test_a_backup_never_overwrites_a_file(tmp_path):
    path = tmp_path / "copia.tar.gz"
    path.write_bytes(b"lo de antes")
    assert refused(backup.backup, path) == f"{path} ya existe; elija otro nombre de archivo."
    assert path.read_bytes() == b"lo de antes"


def test_a_restore_needs_an_existing_archive(tmp_path):
    assert refused(backup.restore, tmp_path / "no.tar.gz") == f"{tmp_path / 'no.tar.gz'} no existe."


def test_a_backup_made_by_newer_code_is_refused():
    backup._check_migrations({"migrations": {"accounts": ["0001_initial"]}})
    message = refused(backup._check_migrations, {"migrations": {"accounts": ["0001_initial", "9999_futuro"]}})
    assert (
        message.startswith("Esta copia fue hecha por una versión más reciente de Centinela")
        and "accounts.9999_futuro" in message
        and "0001_initial" not in message
    )


def test_only_plain_files_and_folders_go_into_an_archive(tmp_path):
    (tmp_path / "evidencia.jpg").write_bytes(b"foto")
    os.symlink("/etc/passwd", tmp_path / "enlace")
    with tarfile.open(tmp_path / "a.tar", "w") as tar:
        tar.add(tmp_path / "evidencia.jpg", arcname="evidencia.jpg", filter=backup._plain_members)
        tar.add(tmp_path / "enlace", arcname="enlace", filter=backup._plain_members)
    with tarfile.open(tmp_path / "a.tar") as tar:
        members = tar.getmembers()
    assert [(m.name, m.uid, m.uname) for m in members] == [("evidencia.jpg", 0, "")]


def test_files_come_back_where_they_belong(tmp_path):
    source, target = tmp_path / "copia", tmp_path / "media"
    (source / "evidencias" / "2024").mkdir(parents=True)
    (source / "evidencias" / "2024" / "acta.pdf").write_bytes(b"%PDF")
    (source / "vacia").mkdir()
    (source / "raiz.txt").write_text("hola")
    assert backup._restore_folder(source, target) == 2
    assert (target / "evidencias" / "2024" / "acta.pdf").read_bytes() == b"%PDF"
    assert (target / "raiz.txt").read_text() == "hola" and (target / "vacia").is_dir()


def test_the_database_password_goes_only_into_a_private_password_file(monkeypatch):
    monkeypatch.setitem(connection.settings_dict, "PASSWORD", "cla:ve\\secreta")
    monkeypatch.setitem(connection.settings_dict, "HOST", "db.example.org")
    monkeypatch.setenv("PGPASSWORD", "del-entorno")
    with backup._pg_env() as env:
        passfile = Path(env["PGPASSFILE"])
        assert passfile.read_text() == "*:*:*:*:cla\\:ve\\\\secreta\n"
        assert passfile.stat().st_mode & 0o777 == 0o600
        assert "PGPASSWORD" not in env and env["PGHOST"] == "db.example.org"
        assert not any("cla:ve" in value for value in env.values())
    assert not passfile.exists()


def test_a_database_with_users_is_in_use():
    assert backup.database_in_use()
