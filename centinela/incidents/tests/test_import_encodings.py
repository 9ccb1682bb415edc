"""Incident files in any encoding and with any delimiter are read as they were written, through the service, the
upload page and the command; what cannot be read is refused in Spanish, naming the rows, and nothing is imported.
The preview says how the file was read and which of its columns the profile leaves out."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from centinela.incidents.models import Incident
from centinela.incidents.services import import_incidents

pytestmark = pytest.mark.django_db
HEADER = ("ID Incidente", "Fecha", "Servicio", "Longitud", "Latitud", "Dirección")


def table(points, *, delimiter=";", extra=()):
    """The text of a three-row ECU 911 file whose values need their accents read right: the category "Tránsito y
    movilidad" is only recognised with its á, and the addresses are compared letter by letter."""
    (lon1, lat1), (lon2, lat2) = points["110101"], points["110104"]
    rows = [
        HEADER + tuple(h for h, _v in extra),
        ("E-1", "03/02/2021 22:15", "Tránsito y movilidad", lon1, lat1, "Calle Ñandú y Av. Loja"),
        ("E-2", "04/02/2021 08:00", "Robo de motos", lon2, lat2, "Barrio El Pedestal, junto a la cancha"),
        ("E-3", "05/02/2021 13:30", "Gestión sanitaria", lon1, lat1, "Plaza de San Sebastián"),
    ]
    rows = [rows[0]] + [r + tuple(v for _h, v in extra) for r in rows[1:]]
    return "".join(delimiter.join(str(c) for c in r) + "\r\n" for r in rows)


def addresses():
    return dict(Incident.objects.values_list("source_ref", "address"))


def expected():
    return {
        "E-1": "Calle Ñandú y Av. Loja",
        "E-2": "Barrio El Pedestal, junto a la cancha",
        "E-3": "Plaza de San Sebastián",
    }


def messages(result):
    return [str(p) for p in result.problems]


@pytest.mark.parametrize(
    "encoding, bom, delimiter",
    [
        ("utf-16-le", "\ufeff", "\t"),  # Excel's "Texto Unicode": UTF-16 LE with a mark, tab-separated
        ("utf-16-be", "\ufeff", ";"),
        ("utf-16-le", "", ";"),  # no byte-order mark: told by the zero bytes
        ("utf-16-be", "", "\t"),
        ("utf-32-le", "\ufeff", ";"),
        ("utf-8", "\ufeff", ","),  # with the mark Excel writes for "CSV UTF-8" (the comma file quotes the address)
        ("utf-8", "", "|"),
        ("cp1252", "", ";"),  # a Spanish Excel's plain "CSV"
        ("iso-8859-1", "", "|"),
        ("iso-8859-15", "", ";"),
        ("mac_roman", "", ";"),  # Excel for Mac's "CSV"
        ("cp850", "", "\t"),  # an old DOS system's export
    ],
)
def test_every_encoding_and_delimiter_reads_the_same(tmp_path, points, ecu911_profile, encoding, bom, delimiter):
    text = table(points, delimiter=delimiter)
    if delimiter == ",":
        text = text.replace("Barrio El Pedestal, junto a la cancha", '"Barrio El Pedestal, junto a la cancha"')
    path = tmp_path / "ecu911.csv"
    path.write_bytes((bom + text).encode(encoding))
    result = import_incidents(path, ecu911_profile)
    assert result.applied, messages(result)
    assert addresses() == expected()
    assert Incident.objects.get(source_ref="E-1").category.code == "ecu911-transito-movilidad"


def test_semicolons_with_quoted_commas_and_decimal_commas(tmp_path, points, ecu911_profile):
    (lon, lat) = points["110101"]
    comma = str(lon).replace(".", ","), str(lat).replace(".", ",")
    text = (
        ";".join(HEADER) + "\r\n"
        f'E-1;03/02/2021 22:15;Robo a personas;{comma[0]};{comma[1]};"Bolívar, Rocafuerte, esquina"\r\n'
        f'E-2;03/02/2021 23:15;Robo de motos;{comma[0]};{comma[1]};"Sucre; 10 de Agosto"\r\n'
    )
    path = tmp_path / "puntoycoma.csv"
    path.write_bytes(text.encode("utf-8"))
    result = import_incidents(path, ecu911_profile)
    assert result.applied, messages(result)
    assert addresses() == {"E-1": "Bolívar, Rocafuerte, esquina", "E-2": "Sucre; 10 de Agosto"}
    assert result.rows.delimiter == "punto y coma"


def test_an_undecodable_byte_names_its_row_and_nothing_is_imported(tmp_path, points, ecu911_profile):
    # a UTF-8 file into which one line was pasted from a Windows-1252 file: its é is byte 0xE9
    text = table(points).encode("utf-8") + "E-4;06/02/2021 10:00;Robo de motos;-79.2;-4.0;Café".encode("cp1252")
    path = tmp_path / "mezcla.csv"
    path.write_bytes(text)
    result = import_incidents(path, ecu911_profile)
    assert messages(result) == [
        "fila 5: el byte 0xE9 no se puede leer como texto UTF-8 (el archivo mezcla codificaciones de texto; "
        "guárdelo de nuevo como CSV UTF-8)"
    ]
    assert not result.applied and Incident.objects.count() == 0


def test_a_byte_that_is_no_letter_in_any_western_encoding_names_its_row(tmp_path, points, ecu911_profile):
    text = table(points).encode("cp1252").replace(b"Plaza", b"Pla\x81a")  # 0x81: unassigned in Windows-1252
    path = tmp_path / "raro.csv"
    path.write_bytes(text)
    problems = import_incidents(path, ecu911_profile).problems
    assert [p.row for p in problems] == [4] and "0x81 no se puede leer" in problems[0].message
    assert Incident.objects.count() == 0


def test_an_old_xls_workbook_is_told_apart(tmp_path, ecu911_profile):
    path = tmp_path / "viejo.csv"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert messages(import_incidents(path, ecu911_profile)) == [
        "archivo: El archivo no se puede leer como CSV ni XLSX: es un libro de Excel antiguo (.xls): guárdelo como "
        "XLSX o CSV"
    ]


def test_an_xlsx_named_csv_is_read_as_the_workbook_it_is(tmp_path, points, ecu911_profile):
    from openpyxl import Workbook

    book = Workbook()
    lon, lat = points["110104"]
    book.active.append(list(HEADER))
    book.active.append(["X-1", "03/02/2021 22:15", "Robo de motos", lon, lat, "Av. Cuxibamba"])
    path = tmp_path / "en_realidad_xlsx.csv"
    book.save(path)
    result = import_incidents(path, ecu911_profile)
    assert result.applied, messages(result)
    assert addresses() == {"X-1": "Av. Cuxibamba"} and result.rows.encoding is None


def test_columns_the_profile_does_not_map_are_listed(tmp_path, points, ecu911_profile):
    path = tmp_path / "ecu911.csv"
    path.write_bytes(table(points, extra=[("Subtipo", "Accidente"), ("Observación", "—")]).encode("utf-8"))
    result = import_incidents(path, ecu911_profile, dry_run=True)
    assert result.ok and result.rows.unused == ["Subtipo", "Observación"]
    assert Incident.objects.count() == 0


# --- the upload page -------------------------------------------------------------------------------------------


def upload(client, name, content, profile):
    return client.post(reverse("incidents:import"), {"profile": profile.pk, "file": SimpleUploadedFile(name, content)})


def test_the_page_previews_a_utf16_tab_file_saying_how_it_was_read_and_what_it_leaves_out(
    client_for, tmp_path, points, ecu911_profile
):
    content = ("\ufeff" + table(points, delimiter="\t", extra=[("Subtipo", "Accidente de tránsito")])).encode(
        "utf-16-le"
    )
    body = upload(client_for("tecnico"), "texto_unicode.txt.csv", content, ecu911_profile).content.decode()
    assert 'id="confirm-import"' in body and "3 filas revisadas: 3 nuevas" in body, body
    assert "Leído como texto UTF-16, columnas separadas por tabulador." in body
    assert "Columnas no usadas (el perfil no las asigna; no se importan): Subtipo" in body
    assert "Tránsito y movilidad" in body  # the sample's category, read with its accent
    assert Incident.objects.count() == 0


def test_the_page_refuses_a_binary_file_and_a_mixed_encoding_file_in_spanish(
    client_for, tmp_path, points, ecu911_profile
):
    c = client_for("tecnico")
    body = upload(c, "foto.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(300), ecu911_profile).content.decode()
    assert "El archivo no se puede leer como CSV ni XLSX: es un archivo binario" in body
    assert 'id="confirm-import"' not in body
    mixed = table(points).encode("utf-8") + b"E-4;06/02/2021 10:00;Robo de motos;-79.2;-4.0;Caf\xe9\r\n"
    body = upload(c, "mezcla.csv", mixed, ecu911_profile).content.decode()
    assert "fila 5: el byte 0xE9 no se puede leer como texto UTF-8" in body and 'id="confirm-import"' not in body
    assert Incident.objects.count() == 0


# --- the command -------------------------------------------------------------------------------------------------


def test_the_command_imports_a_macroman_pipe_file_and_refuses_a_binary_one(tmp_path, points, ecu911_profile):
    path = tmp_path / "mac.csv"
    path.write_bytes(table(points, delimiter="|", extra=[("Subtipo", "Robo")]).encode("mac_roman"))
    out = StringIO()
    call_command("import_incidents", str(path), profile=ecu911_profile.name, no_progress=True, stdout=out)
    assert "3 incidentes creados." in out.getvalue(), out.getvalue()
    assert "Columnas no usadas (el perfil no las asigna; no se importan): Subtipo" in out.getvalue()
    assert addresses() == expected()
    binary = tmp_path / "datos.csv"
    binary.write_bytes(bytes(range(256)) * 16)
    err = StringIO()
    with pytest.raises(CommandError, match="1 problemas; no se importó nada"):
        call_command(
            "import_incidents",
            str(binary),
            profile=ecu911_profile.name,
            no_progress=True,
            stderr=err,
            stdout=StringIO(),
        )
    assert "es un archivo binario (una imagen, un PDF, un archivo comprimido...), no una tabla" in err.getvalue()
    assert Incident.objects.count() == 3
