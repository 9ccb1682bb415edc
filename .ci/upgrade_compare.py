"""Compare what a database held under the previous release with what it holds once this code has migrated it
(snapshots written by scripts/db_snapshot.py): every table's row count, the sampled records column by column, the
camera passwords still readable. Exits non-zero, naming each difference."""

import json
import sys

# Tables that migrations of new models legitimately grow.
GROWING = {"django_migrations", "django_content_type", "auth_permission"}
# Columns a migration of this code is known to rewrite, as "table.column": why. Empty today.
REWRITTEN: dict[str, str] = {}
# The records the check must see, or it proves nothing.
KEY_TABLES = (
    "accounts_user",
    "territory_parish",
    "partners_institution",
    "activities_activity",
    "cameras_device",
    "incidents_incident",
    "auditlog_logentry",
)


def compare(before: dict, after: dict) -> list[str]:
    problems = []
    for table in KEY_TABLES:
        if not before["tables"].get(table):
            problems.append(f"{table}: empty before the upgrade; the check needs records there")
    for table, count in before["tables"].items():
        if table in GROWING:
            continue
        if table not in after["tables"]:
            problems.append(f"{table}: gone after the upgrade")
        elif after["tables"][table] != count:
            problems.append(f"{table}: {count} rows before, {after['tables'][table]} after")
    for table, rows in before["samples"].items():
        if table in GROWING or table not in after["tables"]:
            continue
        for pk, row in rows.items():
            new = after["samples"].get(table, {}).get(pk)
            if new is None:
                problems.append(f"{table} #{pk}: not found after the upgrade")
                continue
            for column, value in row.items():
                if column in new and new[column] != value and f"{table}.{column}" not in REWRITTEN:
                    problems.append(f"{table} #{pk}.{column}: {value!r} before, {new[column]!r} after")
    if not before["passwords"]:
        problems.append("no camera with a stored password before the upgrade")
    if after["passwords"] != before["passwords"] or not all(after["passwords"].values()):
        unreadable = sorted(code for code, digest in after["passwords"].items() if not digest)
        problems.append(f"camera passwords differ or unreadable after the upgrade: {unreadable[:10]}")
    return problems


if __name__ == "__main__":
    before, after = (json.load(open(path, encoding="utf-8")) for path in sys.argv[1:3])
    problems = compare(before, after)
    for problem in problems:
        print("upgrade-check:", problem, file=sys.stderr)
    if problems:
        sys.exit(1)
    print(
        f"{after['vendor']}: {len(before['tables'])} tables, {sum(before['tables'].values())} rows and "
        f"{len(before['passwords'])} camera passwords intact after the upgrade"
    )
