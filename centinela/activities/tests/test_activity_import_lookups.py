"""The activity import reads what every row is checked against once per file (prepare), not per row: the parishes
(by code and by name, as the export writes them) and the labels of type and status in every language of the site.
Its behaviour is the same (test_activities.py); here, that a longer file costs no more parish queries, and that
the audit of every applied import, whole or partial, is one entry on the activities, not on the user's account."""

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from centinela.accounts.audit_display import describe_changes
from centinela.activities.activity_import import activity_importer
from centinela.activities.models import Activity
from centinela.activities.tests import factories as f
from centinela.jobs.tests.follow import confirm
from centinela.lib.imports import run_import
from centinela.territory.models import Parish

pytestmark = pytest.mark.django_db


def sheet(tmp_path, prog, parishes):
    year = prog.plan.starts_on.year
    with translation.override("es-ec"):  # type and status as the export writes them: their Spanish labels
        kind, status = str(Activity.Kind.OTHER.label), str(Activity.Status.PLANNED.label)
    lines = ["title,programme,kind,starts_at,status,parish"] + [
        f"Actividad {k},{prog.code},{kind},{year}-04-01 10:00,{status},{parish}" for k, parish in enumerate(parishes)
    ]
    path = tmp_path / "actividades.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def parish_lookups(captured) -> int:
    """Queries that look a parish up by code or list the parishes (not the foreign key's own check of a row)."""
    table = Parish._meta.db_table
    return sum(1 for q in captured if f'FROM "{table}"' in q["sql"] and not q["sql"].startswith("SELECT 1 AS"))


def test_the_parishes_are_read_once_per_file_not_twice_per_row(users, tmp_path):
    prog = f.programme()
    names = [p.name for p in Parish.objects.order_by("code")[:3]]
    codes = list(Parish.objects.order_by("code").values_list("code", flat=True)[:3])
    path = sheet(tmp_path, prog, names * 2 + codes * 2)  # by name (the export's way) and by code
    with CaptureQueriesContext(connection) as captured:
        result = run_import(activity_importer(users["tecnico"]), path, dry_run=True)
    assert result.ok, [str(p) for p in result.problems]
    assert [r.data["object"].parish.name for r in result.rows[:3]] == names
    assert [r.data["object"].parish.code for r in result.rows[6:9]] == codes
    assert parish_lookups(captured) == 1


def test_an_unknown_parish_type_or_status_is_still_named(users, tmp_path):
    prog = f.programme()
    year = prog.plan.starts_on.year
    path = tmp_path / "a.csv"
    path.write_text(
        "title,programme,kind,starts_at,status,parish\n"
        f"Uno,{prog.code},other,{year}-04-01 10:00,planned,Atlántida\n"
        f"Dos,{prog.code},Rara,{year}-04-01 10:00,planned,\n"
        f"Tres,{prog.code},other,{year}-04-01 10:00,Dormida,\n",
        encoding="utf-8",
    )
    result = run_import(activity_importer(users["tecnico"]), path, dry_run=True)
    assert [p.message for p in result.problems] == [
        "Parroquia desconocida: Atlántida.",
        "Tipo desconocido: Rara.",
        "Estado desconocido: Dormida.",
    ]


def test_a_whole_import_is_audited_once_on_the_activities_naming_the_file(client_for, users):
    prog = f.programme()
    year = prog.plan.starts_on.year
    content = f"title,programme,kind,starts_at,status\nBuena,{prog.code},other,{year}-04-01 10:00,planned\n"
    url = reverse("activities:activity_import")
    c = client_for("tecnico")
    preview = c.post(url, {"file": SimpleUploadedFile("plan.csv", content.encode())})
    confirm(c, url, {"token": preview.context["token"]})
    assert Activity.objects.count() == 1
    [entry] = LogEntry.objects.get_for_model(Activity).filter(additional_data__has_key="applied rows")
    assert entry.actor == users["tecnico"] and entry.object_repr == "plan.csv"
    assert entry.additional_data["file"] == "plan.csv"
    assert entry.additional_data["applied rows"] == 1 and entry.additional_data["rejected rows"] == 0
    assert not LogEntry.objects.get_for_object(users["tecnico"]).filter(additional_data__has_key="applied rows")
    with translation.override("es-ec"):  # as the audit trail shows it
        said = set(describe_changes(entry).split("; "))  # in any order (PostgreSQL's jsonb orders the keys)
    assert said == {"Archivo importado: — → plan.csv", "Filas aplicadas: — → 1"}


def test_a_file_longer_than_the_cap_is_refused_before_any_row_is_checked(users, tmp_path):
    """The activity import's preview checks every row in the web request (the job only applies it): its files are
    capped in rows (as attendance sheets are), so no check runs near gunicorn's timeout (5,000 rows took about 9 s
    to check)."""
    from centinela.activities.activity_import import MAX_ROWS

    prog = f.programme()
    path = sheet(tmp_path, prog, ["El Sagrario"] * (MAX_ROWS + 1))
    with CaptureQueriesContext(connection) as captured:
        result = run_import(activity_importer(users["tecnico"]), path, dry_run=True)
    assert [p.message for p in result.problems] == ["El archivo tiene más de 2000 filas; divídalo."]
    assert not captured.captured_queries  # refused when read, not after checking every row
    assert not Activity.objects.exists()
