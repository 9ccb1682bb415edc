"""What a database holds, as JSON on stdout, for the backup drill and the upgrade check to compare before and
after: every table's row count, its first, middle and last rows, and the stored camera passwords (as hashes,
checked readable). Run from the root of the Centinela tree whose code should read the database (it may be an older
release's) with that install's settings in the environment: `cd TREE && python /path/to/db_snapshot.py`."""

import hashlib
import json
import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "centinela.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

from centinela.cameras.models import Device  # noqa: E402

try:  # this script also reads databases with the code of older releases, where the module lived in the cameras app
    from centinela.lib import crypto
except ImportError:  # v0.1.0
    from centinela.cameras import crypto  # type: ignore[no-redef]


def _plain(value):
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    return None if value is None else str(value)


def snapshot() -> dict:
    qn = connection.ops.quote_name
    tables, samples = {}, {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {qn(table)}")
            tables[table] = count = cursor.fetchone()[0]
            pk = connection.introspection.get_primary_key_column(cursor, table)
            if not pk or not count:
                continue
            columns = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            rows = {}
            for offset in sorted({0, count // 2, count - 1}):
                cursor.execute(f"SELECT * FROM {qn(table)} ORDER BY {qn(pk)} LIMIT 1 OFFSET {offset}")
                row = dict(zip(columns, map(_plain, cursor.fetchone())))
                for column in [c for c in row if c.endswith("_encrypted")]:  # a restore re-encrypts: see passwords
                    row[column] = bool(row[column])
                rows[row[pk]] = row
            samples[table] = rows
    passwords = {}
    for code, token in Device.objects.exclude(password_encrypted="").values_list("code", "password_encrypted"):
        secret = crypto.decrypt(token)
        passwords[code] = hashlib.sha256(secret.encode()).hexdigest() if secret else ""
    return {"vendor": connection.vendor, "tables": tables, "samples": samples, "passwords": passwords}


if __name__ == "__main__":
    json.dump(snapshot(), sys.stdout, indent=1, sort_keys=True)
