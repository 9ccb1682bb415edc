"""Importing incident files: CSV (semicolons, Windows-1252) and XLSX, parishes assigned, idempotent, atomic."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from centinela.incidents.models import Incident
from centinela.incidents.services import import_incidents, save_profile

from .conftest import write_csv


def rows_for(points):
    (lon1, lat1), (lon2, lat2) = points["110101"], points["110104"]
    return [
        ("E-1", "03/02/2021 22:15", "Robo a personas (DMCS)", lon1, lat1, "Av. Universitaria y Rocafuerte"),
        (
            "E-2",
            "04/02/2021 08:00",
            "Tránsito y movilidad",
            str(lon2).replace(".", ","),
            str(lat2).replace(".", ","),
            "Calle Ñandú, El Valle",
        ),
        ("E-3", "05/02/2021 13:30", "robo-motos", lon1, lat1, ""),
    ]


def test_a_semicolon_windows_1252_csv_creates_incidents_with_parishes(tmp_path, points, ecu911_profile):
    path = write_csv(tmp_path / "ecu911.csv", rows_for(points))
    result = import_incidents(path, ecu911_profile)
    assert result.ok and result.applied, [str(p) for p in result.problems]
    assert result.counts["created"] == 3
    by_ref = {i.source_ref: i for i in Incident.objects.select_related("parish", "category")}
    assert by_ref["E-1"].parish.code == "110101"
    assert by_ref["E-2"].parish.code == "110104"
    assert by_ref["E-1"].category.code == "robo-personas"
    assert by_ref["E-2"].category.code == "ecu911-transito-movilidad"
    assert by_ref["E-2"].address == "Calle Ñandú, El Valle"
    from django.utils import timezone

    assert timezone.localtime(by_ref["E-1"].occurred_at).strftime("%Y-%m-%d %H:%M") == "2021-02-03 22:15"


def test_an_xlsx_file_imports_the_same_way(tmp_path, points, ecu911_profile):
    from datetime import datetime

    from openpyxl import Workbook

    profile = save_profile(
        "Policía xlsx",
        "policia",
        {"source_ref": "Código", "occurred_at": "Fecha", "category": "Delito", "lon": "X", "lat": "Y"},
        date_format="%d/%m/%Y %H:%M",
    )  # real date cells are read whatever the text format
    book = Workbook()
    sheet = book.active
    sheet.append(["Código", "Fecha", "Delito", "X", "Y"])
    lon, lat = points["110104"]
    sheet.append(["P-10", datetime(2021, 3, 1, 19, 45), "Robo a domicilios", lon, lat])
    sheet.append(["P-11", datetime(2021, 3, 2, 7, 5), "Homicidio intencional", lon, lat])
    path = tmp_path / "policia.xlsx"
    book.save(path)
    result = import_incidents(path, profile)
    assert result.applied, [str(p) for p in result.problems]
    assert Incident.objects.filter(source__code="policia", parish__code="110104").count() == 2


def test_reimporting_the_same_file_adds_nothing(tmp_path, points, ecu911_profile):
    path = write_csv(tmp_path / "ecu911.csv", rows_for(points))
    import_incidents(path, ecu911_profile)
    again = import_incidents(path, ecu911_profile)
    assert again.applied and again.counts == {"created": 0, "already_imported": 3}
    assert Incident.objects.count() == 3


def test_rows_without_a_source_id_are_deduplicated_by_their_hash(tmp_path, points, ecu911_profile):
    rows = [("",) + r[1:] for r in rows_for(points)]
    path = write_csv(tmp_path / "sin_id.csv", rows)
    assert import_incidents(path, ecu911_profile).counts["created"] == 3
    assert import_incidents(path, ecu911_profile).counts["created"] == 0
    assert Incident.objects.filter(source_ref="").exclude(row_hash="").count() == 3


@pytest.mark.parametrize(
    "bad_row, message",
    [
        (("E-9", "31/02/2021 10:00", "Robo a personas (DMCS)", -79.2, -4.0, ""), "(Fecha y hora): fecha ilegible"),
        (("E-9", "01/02/2021 10:00", "Abigeato", -79.2, -4.0, ""), '"Servicio" (Categoría): categoría desconocida'),
        (("E-9", "01/02/2021 10:00", "robo-motos", -4.0, -79.2, ""), "fuera del cantón"),
        (("E-9", "", "robo-motos", -79.2, -4.0, ""), 'Vacía: columna "Fecha" (Fecha y hora)'),
        (("E-1", "01/02/2021 10:00", "robo-motos", -79.2, -4.0, ""), "E-1 se repite en el archivo"),
    ],
)
def test_a_file_with_a_bad_row_changes_nothing_and_names_the_row(tmp_path, points, ecu911_profile, bad_row, message):
    lon, lat = points["110101"]
    bad_row = tuple(lon if c == -79.2 else lat if c == -4.0 else c for c in bad_row)
    path = write_csv(tmp_path / "malo.csv", rows_for(points) + [bad_row])
    err = StringIO()
    with pytest.raises(CommandError, match="no se importó nada"):
        call_command("import_incidents", str(path), profile="ECU 911 export", stderr=err, stdout=StringIO())
    assert "fila 5 (E-" in err.getvalue() and message in err.getvalue(), err.getvalue()
    assert Incident.objects.count() == 0


def test_the_commands_save_a_profile_and_import_with_a_dry_run_first(tmp_path, points):
    out = StringIO()
    call_command(
        "incident_profile",
        "Fiscalía",
        "--source",
        "fiscalia",
        "--map",
        "source_ref=NDD",
        "--map",
        "occurred_at=Fecha",
        "--map",
        "category=Delito",
        "--map",
        "lon=Lon",
        "--map",
        "lat=Lat",
        "--date-format",
        "%Y-%m-%d %H:%M",
        stdout=out,
    )
    assert "Perfil Fiscalía guardado." in out.getvalue()
    lon, lat = points["110101"]
    path = write_csv(
        tmp_path / "fiscalia.csv",
        [("110101821010001", "2021-01-10 02:00", "Robo a personas", lon, lat)],
        header=("NDD", "Fecha", "Delito", "Lon", "Lat"),
    )
    out = StringIO()
    call_command("import_incidents", str(path), profile="Fiscalía", dry_run=True, stdout=out)
    assert "1 nuevas" in out.getvalue() and "no se cambió nada" in out.getvalue(), out.getvalue()
    assert Incident.objects.count() == 0
    out = StringIO()
    call_command("import_incidents", str(path), profile="Fiscalía", stdout=out)
    assert Incident.objects.get().parish.code == "110101"


def test_a_profile_for_an_unknown_source_is_refused(db):
    with pytest.raises(CommandError, match="Fuente desconocida"):
        call_command("incident_profile", "x", "--source", "nadie", "--map", "lon=x", stdout=StringIO())


def test_an_unknown_profile_or_a_non_spreadsheet_is_reported(tmp_path, ecu911_profile):
    with pytest.raises(CommandError, match="Perfil de importación desconocido"):
        call_command("import_incidents", str(tmp_path), profile="nada", stdout=StringIO())
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"not a workbook")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_incidents", str(path), profile="ECU 911 export", stdout=StringIO(), stderr=err)
    assert "archivo" in err.getvalue()


def test_parishes_are_assigned_in_bulk_not_one_query_per_row(
    tmp_path, points, ecu911_profile, django_assert_max_num_queries
):
    lon, lat = points["110104"]
    rows = [(f"E-{i}", "01/03/2021 10:00", "robo-motos", lon, lat, "") for i in range(500)]
    path = write_csv(tmp_path / "muchas.csv", rows)
    import_incidents(path, ecu911_profile)  # warms the territory index, as any earlier request would
    Incident.objects.all().delete()
    with django_assert_max_num_queries(15):
        result = import_incidents(path, ecu911_profile)
    assert result.counts["created"] == 500
    assert Incident.objects.filter(parish__code="110104").count() == 500


@pytest.mark.parametrize("with_ids", [True, False])
def test_rows_another_import_stored_since_the_preview_are_skipped_and_the_rest_go_in(
    tmp_path, points, ecu911_profile, with_ids, monkeypatch
):
    """Between the preview and the apply another import stores one of the file's rows: the apply skips it (on
    PostgreSQL the fast COPY meets the unique constraint, is rolled back and the rows go in by INSERT ... ON
    CONFLICT DO NOTHING), stores the others and returns exactly their ids."""
    from django.db import connection

    from centinela.incidents import import_staging as module
    from centinela.incidents.importer import incident_importer

    copies = []
    real_copy_live = module._copy_live

    def copy_live(*args, **kwargs):
        copies.append(kwargs.get("skip_stored", False))
        return real_copy_live(*args, **kwargs)

    monkeypatch.setattr(module, "_copy_live", copy_live)
    rows = rows_for(points) if with_ids else [("",) + r[1:] for r in rows_for(points)]
    path = write_csv(tmp_path / "ecu911.csv", rows)
    importer = incident_importer(ecu911_profile)
    table, problems = importer.parse(path)
    assert not problems and not importer.validate(table)
    assert importer.preview(table)["new"] == 3
    assert import_incidents(write_csv(tmp_path / "otra.csv", rows[1:2]), ecu911_profile).counts["created"] == 1
    with importer.stage(table):
        counts = importer.apply(table)
    assert counts == {"created": 2, "already_imported": 1}
    if connection.vendor == "postgresql":
        assert copies[-2:] == [False, True]  # the COPY met the row, and the rows went in the other way
    stored = Incident.objects.exclude(pk__in=table.created_ids)
    assert stored.count() == 1 and len(table.created_ids) == 2
    created = Incident.objects.filter(pk__in=table.created_ids)
    assert sorted(created.values_list("source_ref" if with_ids else "address", flat=True)) == sorted(
        [rows[0][0], rows[2][0]] if with_ids else [rows[0][5], rows[2][5]]
    )


def test_every_value_is_stored_as_the_file_gives_it(tmp_path, points, ecu911_profile):
    """The written values, whatever way the rows go in (COPY's CSV on PostgreSQL): text with quotes, separators,
    a backslash and accents, an empty address, an address longer than the column (cut at 255), coordinates to the
    last digit, and the time in UTC."""
    from datetime import UTC, datetime

    (lon, lat) = points["110101"]
    lon_exact, lat_exact = lon + 1.234567890123e-9, lat - 9.87654321e-10
    long_address = "Calle " + "ñ" * 300
    rows = [
        ("Q-1", "03/02/2021 22:15", "Robo a personas (DMCS)", repr(lon_exact), repr(lat_exact), 'Bar "El Ñandú", 2\\4'),
        ("Q-2", "04/02/2021 08:00", "robo-motos", lon, lat, ""),
        ("Q-3", "05/02/2021 13:30", "robo-motos", lon, lat, long_address),
    ]
    path = tmp_path / "q.csv"
    lines = ["ID Incidente;Fecha;Servicio;Longitud;Latitud;Dirección"]
    lines += [";".join(map(str, r[:5])) + ';"' + r[5].replace('"', '""') + '"' for r in rows]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("utf-8"))
    result = import_incidents(path, ecu911_profile)
    assert result.applied and result.counts["created"] == 3, [str(p) for p in result.problems]
    q1, q2, q3 = Incident.objects.order_by("source_ref")
    assert q1.address == 'Bar "El Ñandú", 2\\4' and q2.address == "" and q3.address == long_address[:255]
    assert (q1.lon, q1.lat) == (lon_exact, lat_exact)
    assert q1.occurred_at == datetime(2021, 2, 4, 3, 15, tzinfo=UTC)  # 22:15 in Guayaquil (UTC-5)
    assert q1.reported_at is None and q1.time_known and q1.precision == "exact" and q1.status == "reported"
    assert q1.parish.code == "110101" and q1.row_hash == "" and q1.created_at is not None
