"""Backups: one archive (tar.gz) with the database (SQLite through its online backup API, PostgreSQL through
`pg_dump -Fc`), the uploaded files, the key that reads the stored camera credentials and a manifest; and the restore
of such an archive onto a fresh install. `manage.py backup` and `manage.py restore` call these two functions.

The archive holds secrets (the credential key, password hashes, personal data): it is written with mode 0600."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
KEYS = "keys.json"
FILES = "files"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
# A database holds somebody's data when any of these has rows; `migrate` alone fills none of them (it does fill
# the incident taxonomy and the shipped import profiles, which a restore replaces anyway).
IN_USE_TABLES = ("accounts_user", "auditlog_logentry", "django_session")


class BackupError(Exception):
    """Said to the person running the command, in the site's language."""


def folders() -> dict[str, Path]:
    """The folders of files a restore needs beside the database: uploads (evidence...) and the files that queued
    import jobs are waiting for. Collected static files, logs and heartbeats are rebuilt, not backed up."""
    return {
        "media": Path(settings.MEDIA_ROOT),
        "import-jobs": Path(settings.VAR_DIR) / "import-jobs",
    }


# --- what both ends share ----------------------------------------------------------------------------------------


def _vendor() -> str:
    return connection.vendor


def _tables(cursor_or_conn) -> list[str]:
    return sorted(connection.introspection.table_names(cursor_or_conn))


def _count_rows(cursor, tables) -> dict[str, int]:
    qn = connection.ops.quote_name
    counts = {}
    for table in tables:
        cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied_migrations(cursor, tables) -> dict[str, list[str]]:
    if "django_migrations" not in tables:
        return {}
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("centinela")
    except Exception:  # not installed as a package: read it from the checkout
        text = (Path(settings.BASE_DIR) / "pyproject.toml").read_text(encoding="utf-8")
        found = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M)
        return found.group(1) if found else ""


def _commit() -> str:
    """The checkout's commit when it is a git checkout (CENTINELA_COMMIT when the install was copied without .git)."""
    if getattr(settings, "CENTINELA_COMMIT", ""):
        return settings.CENTINELA_COMMIT
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


# --- PostgreSQL client programs ----------------------------------------------------------------------------------


def _pg_program(name: str) -> str:
    folder = getattr(settings, "PG_BIN_DIR", "") or ""
    program = str(Path(folder) / name) if folder else shutil.which(name)
    if not program or not Path(program).exists():
        raise BackupError(
            _(
                "%(program)s was not found: install the PostgreSQL client of the server's version "
                "(Debian: postgresql-client-%(major)s) or set PG_BIN_DIR."
            )
            % {"program": name, "major": _server_major() or "15"}
        )
    return program


def _program_major(program: str) -> int:
    out = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30)
    found = re.search(r"(\d+)(?:\.\d+)?", out.stdout)
    return int(found.group(1)) if found else 0


def _server_major() -> int:
    try:
        return getattr(connection, "pg_version", 0) // 10000 if connection.vendor == "postgresql" else 0
    except Exception:
        return 0


@contextmanager
def _pg_env():
    """The environment for pg_dump/pg_restore: connection details as libpq variables and the password in a
    temporary 0600 password file, so none of it appears on a command line (visible to every user in `ps`)."""
    db = connection.settings_dict
    options = db.get("OPTIONS") or {}
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update({"PGDATABASE": db["NAME"], "PGAPPNAME": "centinela-backup"})
    if db.get("HOST"):
        env["PGHOST"] = str(db["HOST"])
    if db.get("PORT"):
        env["PGPORT"] = str(db["PORT"])
    if db.get("USER"):
        env["PGUSER"] = str(db["USER"])
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    with tempfile.TemporaryDirectory(prefix="centinela-pg-") as folder:
        if db.get("PASSWORD"):
            passfile = Path(folder) / "pgpass"
            escaped = str(db["PASSWORD"]).replace("\\", "\\\\").replace(":", "\\:")
            fd = os.open(passfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(f"*:*:*:*:{escaped}\n")
            env["PGPASSFILE"] = str(passfile)
        yield env


def _run(command: list[str], env: dict) -> None:
    out = subprocess.run(command, env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise BackupError(
            _("%(program)s failed: %(error)s")
            % {"program": Path(command[0]).name, "error": (out.stderr or out.stdout).strip()[-2000:]}
        )


# --- backup ------------------------------------------------------------------------------------------------------


def _dump_sqlite(target: Path) -> dict:
    """Copy the live database with SQLite's online backup API (a consistent snapshot even while the web, the
    worker and the monitor write; a file copy of a WAL database is not), then read counts from the copy."""
    source = sqlite3.connect(str(connection.settings_dict["NAME"]), timeout=60)
    copy = sqlite3.connect(str(target))
    try:
        source.backup(copy)  # all pages in one step, under one read transaction
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        cursor = copy.cursor()
        tables = [
            r[0]
            for r in cursor.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            "tables": _count_rows(cursor, tables),
            "migrations": _applied_migrations(cursor, tables),
            "server_version": sqlite3.sqlite_version,
        }
    finally:
        copy.close()
        source.close()


def _dump_postgresql(target: Path) -> dict:
    """pg_dump in the custom format from the very snapshot the counts and the migration state are read in."""
    pg_dump = _pg_program("pg_dump")
    server, client = _server_major(), _program_major(pg_dump)
    if client < server:
        raise BackupError(
            _(
                "pg_dump %(client)s cannot dump a PostgreSQL %(server)s server: install "
                "postgresql-client-%(server)s or set PG_BIN_DIR."
            )
            % {"client": client, "server": server}
        )
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        tables = _tables(cursor)
        counts = _count_rows(cursor, tables)
        migrations = _applied_migrations(cursor, tables)
        with _pg_env() as env:
            _run(
                [pg_dump, "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}", f"--file={target}"],
                env,
            )
    return {
        "tables": counts,
        "migrations": migrations,
        "server_version": getattr(connection, "pg_version", None),
        "pg_dump_major": client,
    }


def _folder_stats(path: Path) -> dict:
    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else []
    return {"files": len(files), "bytes": sum(p.stat().st_size for p in files)}


def default_output() -> Path:
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"centinela-{stamp}.tar.gz"


def backup(output: Path | None = None) -> dict:
    """Write the archive; returns its manifest (with the archive's path under "path")."""
    output = Path(output) if output else default_output()
    if output.exists():
        raise BackupError(_("%(path)s already exists; choose another file name.") % {"path": output})
    if not output.parent.exists():
        output.parent.mkdir(parents=True, mode=0o700)  # var/backups: for the service's user only
    vendor = _vendor()
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": vendor})
    from centinela.lib import crypto

    with tempfile.TemporaryDirectory(prefix="centinela-backup-", dir=output.parent) as work_name:
        work = Path(work_name)
        os.chmod(work, 0o700)
        db_file = work / (SQLITE_FILE if vendor == "sqlite" else PG_FILE)
        state = _dump_sqlite(db_file) if vendor == "sqlite" else _dump_postgresql(db_file)
        manifest = {
            "format": FORMAT,
            "app": "centinela",
            "version": _version(),
            "commit": _commit(),
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": {
                "vendor": vendor,
                "file": db_file.name,
                "sha256": _sha256(db_file),
                "server_version": state["server_version"],
                **({"pg_dump_major": state["pg_dump_major"]} if "pg_dump_major" in state else {}),
            },
            "migrations": state["migrations"],
            "tables": state["tables"],
            "folders": {name: _folder_stats(path) for name, path in folders().items()},
            "keys": {"file": KEYS, "encrypted_fields": [".".join(f) for f in crypto.ENCRYPTED_FIELDS]},
        }
        keys = {"camera_credentials_keys": crypto.key_material()}
        partial = output.with_name(output.name + ".partial")
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
                _add_bytes(tar, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode())
                _add_bytes(tar, KEYS, json.dumps(keys, indent=2).encode())
                tar.add(db_file, arcname=db_file.name)
                for name, path in folders().items():
                    if path.is_dir():
                        tar.add(path, arcname=f"{FILES}/{name}", filter=_plain_members)
            os.replace(partial, output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    manifest["path"] = str(output)
    return manifest


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    info.mtime = int(dt.datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def _plain_members(info: tarfile.TarInfo) -> tarfile.TarInfo | None:
    if not (info.isfile() or info.isdir()):
        return None  # links and devices are not uploads
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


# --- restore -----------------------------------------------------------------------------------------------------


def read_manifest(path: Path) -> dict:
    try:
        with tarfile.open(path, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            manifest = json.loads(member.read().decode()) if member else None
    except (OSError, tarfile.TarError, KeyError, ValueError):
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("app") != "centinela":
        raise BackupError(_("%(path)s is not a Centinela backup.") % {"path": path})
    if manifest.get("format") != FORMAT:
        raise BackupError(
            _("This backup has format %(format)s; this version of Centinela reads format %(ours)s.")
            % {"format": manifest.get("format"), "ours": FORMAT}
        )
    return manifest


def database_in_use() -> bool:
    """Whether the database holds somebody's data (see IN_USE_TABLES): a restore would replace it."""
    with connection.cursor() as cursor:
        present = set(_tables(cursor))
        qn = connection.ops.quote_name
        for table in IN_USE_TABLES:
            if table in present:
                cursor.execute(f"SELECT 1 FROM {qn(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def _check_migrations(manifest: dict) -> None:
    """Refuse a backup made by a newer Centinela: its tables hold what this code does not know."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in manifest.get("migrations", {}).items()
        for name in names
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            _(
                "This backup was made by a newer version of Centinela (migrations unknown here: "
                "%(names)s). Upgrade this install first, then restore."
            )
            % {"names": ", ".join(unknown[:5]) + (" …" if len(unknown) > 5 else "")}
        )


def _restore_sqlite(db_file: Path) -> None:
    target = Path(connection.settings_dict["NAME"])
    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    source = sqlite3.connect(str(db_file))
    dest = sqlite3.connect(str(target), timeout=60)
    try:
        source.backup(dest)  # replaces every page of the target, whatever tables it had
        dest.execute("PRAGMA journal_mode=WAL")
    finally:
        dest.close()
        source.close()


def _restore_postgresql(db_file: Path, manifest: dict) -> None:
    pg_restore = _pg_program("pg_restore")
    client, server = _program_major(pg_restore), _server_major()
    dumped_by = int(manifest["database"].get("pg_dump_major") or 0)
    if client < max(dumped_by, server):
        raise BackupError(
            _(
                "pg_restore %(client)s cannot restore this backup (made by pg_dump %(dumped)s) into "
                "a PostgreSQL %(server)s server: install postgresql-client-%(need)s or set PG_BIN_DIR."
            )
            % {"client": client, "dumped": dumped_by, "server": server, "need": max(dumped_by, server)}
        )
    # Start from no tables at all: the dump recreates each one, and a table left behind by newer code would make
    # the next migrate fail.
    with transaction.atomic(), connection.cursor() as cursor:
        for table in _tables(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
    connections.close_all()
    with _pg_env() as env:
        _run(
            [
                pg_restore,
                "--no-owner",
                "--no-acl",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={connection.settings_dict['NAME']}",
                str(db_file),
            ],
            env,
        )


def _restore_folder(source: Path, target: Path) -> int:
    count = 0
    for path in sorted(source.rglob("*")):
        destination = target / path.relative_to(source)
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        elif path.is_file():
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
            count += 1
    return count


def _reencrypt(old_keys: list[str]) -> dict:
    """Credentials stored under the backup's key, made readable with this install's key. Plain SQL on the restored
    tables (their columns are those of the backup's version until migrate runs), and no audit entry: a restore is
    not a change of the camera, and the audit log itself was restored."""
    from centinela.lib import crypto

    done = {"kept": 0, "reencrypted": 0, "unreadable": 0}
    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cursor:
        for app_label, model_name, field_name in crypto.ENCRYPTED_FIELDS:
            meta = apps.get_model(app_label, model_name)._meta
            table, column, pk = qn(meta.db_table), qn(meta.get_field(field_name).column), qn(meta.pk.column)
            cursor.execute(f"SELECT {pk}, {column} FROM {table} WHERE {column} <> ''")
            for key, token in cursor.fetchall():
                new = crypto.reencrypt(token, old_keys)
                if new is None:
                    done["unreadable"] += 1
                elif new == token:
                    done["kept"] += 1
                else:
                    cursor.execute(f"UPDATE {table} SET {column} = %s WHERE {pk} = %s", [new, key])
                    done["reencrypted"] += 1
    return done


def restore(path: Path, *, force: bool = False) -> dict:
    """Bring an archive back: the database (replacing the target's, which must be empty unless force), a check of
    every table's row count against the manifest, the credentials made readable with this install's key, migrate
    to this code, then the files."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(_("%(path)s does not exist.") % {"path": path})
    manifest = read_manifest(path)
    vendor, ours = manifest["database"]["vendor"], _vendor()
    if vendor != ours:
        raise BackupError(
            _(
                "This backup holds a %(theirs)s database and this install uses %(ours)s; a restore "
                "needs the same kind of database."
            )
            % {"theirs": vendor, "ours": ours}
        )
    _check_migrations(manifest)
    if database_in_use() and not force:
        raise BackupError(
            _(
                "The database of this install already holds data; a restore would replace all of it. "
                "Run it again with --force to replace it."
            )
        )
    work_parent = Path(settings.VAR_DIR)
    with tempfile.TemporaryDirectory(prefix="centinela-restore-", dir=work_parent) as work_name:
        work = Path(work_name)
        os.chmod(work, 0o700)
        with tarfile.open(path, "r:gz") as tar:
            tar.extractall(work, filter="data")  # no absolute paths, no "..", no links out of the folder
        db_file = work / manifest["database"]["file"]
        if db_file.name not in (SQLITE_FILE, PG_FILE) or not db_file.is_file():
            raise BackupError(_("The backup has no database file."))
        if _sha256(db_file) != manifest["database"]["sha256"]:
            raise BackupError(_("The database in the backup is damaged (its checksum does not match)."))
        keys = json.loads((work / KEYS).read_text()) if (work / KEYS).is_file() else {}

        if vendor == "sqlite":
            _restore_sqlite(db_file)
        else:
            _restore_postgresql(db_file, manifest)
        with connection.cursor() as cursor:
            counts = _count_rows(cursor, [t for t in _tables(cursor) if t in manifest["tables"]])
        missing = sorted(set(manifest["tables"]) - set(counts))
        differ = {t: (manifest["tables"][t], n) for t, n in counts.items() if manifest["tables"][t] != n}
        if missing or differ:
            raise BackupError(
                _(
                    "The restored database does not match the backup's manifest (tables missing: "
                    "%(missing)s; counts differing: %(differ)s)."
                )
                % {"missing": ", ".join(missing) or "-", "differ": differ or "-"}
            )
        credentials = _reencrypt(keys.get("camera_credentials_keys") or [])
        call_command("migrate", interactive=False, verbosity=0)
        files = {}
        for name, target in folders().items():
            source = work / FILES / name
            files[name] = _restore_folder(source, target) if source.is_dir() else 0
    return {
        "manifest": manifest,
        "tables": len(counts),
        "rows": sum(counts.values()),
        "credentials": credentials,
        "files": files,
    }
