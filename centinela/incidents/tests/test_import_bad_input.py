"""Bad input never half-imports: binary files, missing columns, unparseable dates, swapped or foreign
coordinates, duplicate ids in the file, quoted CSV; ids already stored are skipped, not duplicated."""

import pytest

from centinela.incidents.models import Incident
from centinela.incidents.services import import_incidents, save_profile

from .conftest import write_csv
from .test_import import rows_for

pytestmark = pytest.mark.django_db


def messages(result):
    return [str(p) for p in result.problems]


def test_utf8_with_bom_and_comma_delimited_quoted_csv_reads_the_same(tmp_path, points, ecu911_profile):
    (lon, lat) = points["110101"]
    text = (
        "\ufeffID Incidente,Fecha,Servicio,Longitud,Latitud,Dirección\r\n"
        f'E-1,03/02/2021 22:15,Robo a personas (DMCS),{lon},{lat},"Bolívar y Rocafuerte, esquina"\r\n'
        f'E-2,03/02/2021 23:15,robo-motos,{lon},{lat},"Dice ""ayuda"";\nsegunda línea"\r\n'
    )
    path = tmp_path / "utf8.csv"
    path.write_bytes(text.encode("utf-8"))
    result = import_incidents(path, ecu911_profile)
    assert result.applied, messages(result)
    assert Incident.objects.get(source_ref="E-1").address == "Bolívar y Rocafuerte, esquina"
    assert Incident.objects.get(source_ref="E-2").address == 'Dice "ayuda";\nsegunda línea'


def test_a_binary_file_is_refused_with_a_clear_spanish_message(tmp_path, points, ecu911_profile):
    path = tmp_path / "foto.csv"  # a PNG image renamed .csv
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 8)
    result = import_incidents(path, ecu911_profile)
    assert not result.applied and messages(result) == [
        "archivo: El archivo no se puede leer como CSV ni XLSX: es un archivo binario (una imagen, un PDF, un "
        "archivo comprimido...), no una tabla"
    ]


def test_columns_the_profile_expects_but_the_file_lacks_are_named(tmp_path, points, ecu911_profile):
    path = write_csv(
        tmp_path / "x.csv",
        [("E-1", "03/02/2021 22:15", "robo-motos", -79.2, -4.0)],
        header=("ID Incidente", "Fecha", "Servicio", "Lon", "Latitud"),
    )
    result = import_incidents(path, ecu911_profile)
    # named as the profile writes them, with what the interface calls the field
    assert messages(result) == [
        'archivo: No está en el archivo: columna "Longitud" (Longitud), columna "Dirección" (Dirección)'
    ]


def test_a_file_with_only_a_header_is_refused(tmp_path, ecu911_profile):
    path = write_csv(tmp_path / "vacio.csv", [])
    assert messages(import_incidents(path, ecu911_profile)) == ["archivo: El archivo no tiene filas."]


@pytest.mark.parametrize("when", ["31/02/2021 10:00", "2021-13-01 10:00", "ayer", "03/02/2021 25:00", "03-02-21"])
def test_unparseable_dates_are_reported_per_row(tmp_path, points, ecu911_profile, when):
    lon, lat = points["110101"]
    path = write_csv(tmp_path / "f.csv", rows_for(points) + [("E-9", when, "robo-motos", lon, lat, "")])
    result = import_incidents(path, ecu911_profile)
    assert messages(result) == [f'fila 5 (E-9): columna "Fecha" (Fecha y hora): fecha ilegible: {when}']
    assert Incident.objects.count() == 0


def test_dates_in_other_shapes_than_the_profile_are_still_read_when_unambiguous(tmp_path, points, ecu911_profile):
    from django.utils import timezone

    lon, lat = points["110101"]
    rows = [
        ("A", "3/2/2021 8:05", "robo-motos", lon, lat, ""),  # not zero-padded: strptime reads it
        ("B", "2021-02-03 08:05", "robo-motos", lon, lat, ""),  # ISO, as XLSX date cells arrive
        ("C", "2021-02-03T08:05:00", "robo-motos", lon, lat, ""),
        ("D", "03/02/2021 08:05", "robo-motos", lon, lat, ""),
    ]
    result = import_incidents(write_csv(tmp_path / "f.csv", rows), ecu911_profile)
    assert result.applied, messages(result)
    local = {i.source_ref: timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %H:%M") for i in Incident.objects.all()}
    assert local == dict.fromkeys("ABCD", "2021-02-03 08:05")
    assert {i.occurred_at.utcoffset() for i in Incident.objects.all()} == {timezone.timedelta(0)}
    # stored in UTC: 08:05 in Loja (-05:00) is 13:05 UTC; the ORM's __hour reads in the local zone again
    assert {i.occurred_at.strftime("%H:%M") for i in Incident.objects.all()} == {"13:05"}
    assert Incident.objects.filter(occurred_at__hour=8).count() == 4


@pytest.mark.parametrize(
    "lon, lat, message",
    [
        ("-4.0", "-79.2", "queda dentro: parecen invertidas"),  # swapped, the point falls in the canton
        ("2.35", "48.85", "está fuera del cantón y fuera del Ecuador"),  # Paris
        ("-78.5", "-0.2", "-78.5, -0.2 está fuera del cantón"),  # Quito: in Ecuador, not in Loja
        ("abc", "-4.0", "las coordenadas no son números: abc, -4.0"),
        ("nan", "-4.0", "las coordenadas no son números: nan, -4.0"),
    ],
)
def test_coordinates_swapped_foreign_or_not_numbers_are_told_apart(tmp_path, points, ecu911_profile, lon, lat, message):
    path = write_csv(tmp_path / "f.csv", rows_for(points) + [("E-9", "03/02/2021 10:00", "robo-motos", lon, lat, "")])
    result = import_incidents(path, ecu911_profile)
    assert len(result.problems) == 1 and message in messages(result)[0], messages(result)
    assert Incident.objects.count() == 0


def test_duplicate_ids_in_the_file_are_named_with_the_first_row(tmp_path, points, ecu911_profile):
    rows = rows_for(points)
    path = write_csv(tmp_path / "f.csv", rows + [rows[0], rows[0]])
    result = import_incidents(path, ecu911_profile)
    assert messages(result) == [
        'fila 5 (E-1): columna "ID Incidente" (Identificador en la fuente): E-1 se repite en el archivo (también en '
        "la fila 2)",
        'fila 6 (E-1): columna "ID Incidente" (Identificador en la fuente): E-1 se repite en el archivo (también en '
        "la fila 2)",
    ]


def test_ids_already_in_the_registry_are_skipped_and_only_new_rows_added(tmp_path, points, ecu911_profile):
    rows = rows_for(points)
    import_incidents(write_csv(tmp_path / "a.csv", rows[:2]), ecu911_profile)
    result = import_incidents(write_csv(tmp_path / "b.csv", rows), ecu911_profile)
    assert result.counts == {"created": 1, "already_imported": 2}
    assert Incident.objects.count() == 3


def test_several_problems_in_one_row_are_all_listed_and_empty_rows_ignored(tmp_path, points, ecu911_profile):
    lon, lat = points["110101"]
    rows = rows_for(points) + [("", "", "", "", "", ""), ("E-9", "ayer", "Abigeato", lon, lat, "")]
    result = import_incidents(write_csv(tmp_path / "f.csv", rows), ecu911_profile)
    assert messages(result) == [
        'fila 6 (E-9): columna "Fecha" (Fecha y hora): fecha ilegible: ayer',
        'fila 6 (E-9): columna "Servicio" (Categoría): categoría desconocida: Abigeato',
    ]


def test_a_formula_escaped_by_our_export_is_read_back_as_text(tmp_path, points):
    lon, lat = points["110101"]
    profile = save_profile(
        "Con dirección",
        "consejo",
        {"source_ref": "ref", "occurred_at": "fecha", "category": "cat", "lon": "lon", "lat": "lat", "address": "dir"},
    )
    path = write_csv(
        tmp_path / "f.csv",
        [("X-1", "2021-02-03 10:00", "robo-motos", lon, lat, "'=1+1")],
        header=("ref", "fecha", "cat", "lon", "lat", "dir"),
    )
    assert import_incidents(path, profile).applied
    assert Incident.objects.get().address == "=1+1"


def test_a_source_reference_too_long_for_the_registry_is_a_row_problem(tmp_path, points, ecu911_profile):
    lon, lat = points["110101"]
    path = write_csv(tmp_path / "f.csv", [("X" * 101, "03/02/2021 10:00", "robo-motos", lon, lat, "")])
    assert messages(import_incidents(path, ecu911_profile)) == [
        f'fila 2 ({"X" * 101}): columna "ID Incidente" (Identificador en la fuente): tiene más de 100 caracteres'
    ]


def test_a_precision_written_as_the_export_writes_it_is_read_back(tmp_path, points):
    """The incident export writes a precision as the page shows it ("Exacta"); the import reads it back as well as
    the code, and still names a precision it does not know."""
    lon, lat = points["110101"]
    profile = save_profile(
        "Con precisión",
        "consejo",
        {"source_ref": "ref", "occurred_at": "fecha", "category": "cat", "lon": "lon", "lat": "lat", "precision": "p"},
    )
    exact = str(Incident.Precision.EXACT.label)
    approximate = next(label for value, label in Incident.Precision.choices if value != "exact")
    path = write_csv(
        tmp_path / "f.csv",
        [
            ("X-1", "2021-02-03 10:00", "robo-motos", lon, lat, "Exacta"),
            ("X-2", "2021-02-03 11:00", "robo-motos", lon, lat, str(approximate).upper()),
            ("X-3", "2021-02-03 12:00", "robo-motos", lon, lat, "exact"),
        ],
        header=("ref", "fecha", "cat", "lon", "lat", "p"),
    )
    assert exact and import_incidents(path, profile).applied
    assert sorted(Incident.objects.values_list("precision", flat=True)) == sorted(
        ["exact", "exact", next(v for v, label in Incident.Precision.choices if label == approximate)]
    )
    bad = write_csv(
        tmp_path / "g.csv",
        [("X-9", "2021-02-03 10:00", "robo-motos", lon, lat, "Más o menos")],
        header=("ref", "fecha", "cat", "lon", "lat", "p"),
    )
    result = import_incidents(bad, profile)
    assert not result.applied and any("más o menos" in str(p.message).lower() for p in result.problems)
