"""manage.py import_incidents --keep-good-rows [--rejected-out FILE]: the command line applies only the valid rows, as
the upload page does (all of them in one step), and writes the rejected rows with their reasons to fix and import
again; without the option a file with a bad row still imports nothing."""

import io

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError

from centinela.incidents.models import Incident

from .conftest import write_csv
from .test_import_keeps_the_good_rows import two_bad_rows

pytestmark = pytest.mark.django_db


def run(*args, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_incidents", *args, profile="ECU 911 export", no_progress=True, stdout=out, stderr=err, **options
    )
    return out.getvalue(), err.getvalue()


def test_without_the_option_a_bad_row_imports_nothing(tmp_path, points, ecu911_profile):
    with pytest.raises(CommandError, match="2 problemas; no se importó nada."):
        run(str(write_csv(tmp_path / "f.csv", two_bad_rows(points))))
    assert not Incident.objects.exists()


def test_keep_good_rows_imports_the_valid_rows_and_writes_the_rejected_ones_with_their_reasons(
    tmp_path, points, ecu911_profile
):
    out, err = run(
        str(write_csv(tmp_path / "ecu911.csv", two_bad_rows(points))),
        keep_good_rows=True,
        rejected_out=str(tmp_path / "rechazadas.csv"),
    )
    assert set(Incident.objects.values_list("source_ref", flat=True)) == {"E-1", "E-2", "E-3"}
    assert "3 incidentes creados." in out and "2 filas con problemas quedaron fuera." in out
    assert "fila 5 (E-4)" in err
    lines = (tmp_path / "rechazadas.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "ID Incidente,Fecha,Servicio,Longitud,Latitud,Dirección,motivo"
    assert [line.split(",")[0] for line in lines[1:]] == ["E-4", "E-5"]
    assert "fecha ilegible: 30/02/2021 10:00" in lines[1]
    entry = LogEntry.objects.get_for_object(ecu911_profile.source).get(additional_data__has_key="applied rows")
    assert entry.additional_data["file"] == "ecu911.csv"
    assert entry.additional_data["applied rows"] == 3 and entry.additional_data["rejected rows"] == 2


def test_the_rejected_rows_as_a_workbook(tmp_path, points, ecu911_profile):
    from openpyxl import load_workbook

    run(
        str(write_csv(tmp_path / "f.csv", two_bad_rows(points))),
        keep_good_rows=True,
        rejected_out=str(tmp_path / "rechazadas.xlsx"),
    )
    rows = list(load_workbook(tmp_path / "rechazadas.xlsx").active.iter_rows(values_only=True))
    assert rows[0][-1] == "motivo" and [r[0] for r in rows[1:]] == ["E-4", "E-5"]


def test_rejected_out_needs_keep_good_rows_and_a_table_name(tmp_path, points, ecu911_profile):
    path = str(write_csv(tmp_path / "f.csv", two_bad_rows(points)))
    with pytest.raises(CommandError, match="--rejected-out se usa junto con --keep-good-rows."):
        run(path, rejected_out=str(tmp_path / "r.csv"))
    with pytest.raises(CommandError, match="--rejected-out debe nombrar un archivo .csv o .xlsx."):
        run(path, keep_good_rows=True, rejected_out=str(tmp_path / "r.txt"))


def test_the_option_is_in_the_commands_help():
    from centinela.incidents.management.commands.import_incidents import Command

    text = Command().create_parser("manage.py", "import_incidents").format_help()
    assert "--keep-good-rows" in text and "--rejected-out FILE" in text
