"""Bad uploads get a clear Spanish message and lose nothing: a file past the upload limit is stopped while it
arrives (the rest of the form is kept), a zip bomb (XLSX or zipped Shapefile) is refused before it is expanded, on
the upload page and in a background job (the worker goes on with the next job), an image past the pixel limit is
refused, an XLSX formula without a saved result is a row error, and NaN or infinite coordinates are a row error."""

import io
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db
CHUNK = 1 << 24  # 16 MiB of zeros per deflate block


def zip_bomb(path: Path, names=("[Content_Types].xml", "xl/worksheets/sheet1.xml"), expanded=int(2.5e9)) -> Path:
    """A real zip bomb: the last member expands to `expanded` bytes of zeros (over the default 2 GiB limit) from a
    few megabytes. Built from one deflate block repeated (full flushes make blocks independent), so the test does
    not compress gigabytes; every member is a valid, CRC-correct deflate stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(CHUNK)) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = compressor.flush()
    count = expanded // CHUNK
    crc = 0
    zeros = bytes(CHUNK)
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    members = [(name, b"<x/>") for name in names[:-1]]
    out, central = io.BytesIO(), io.BytesIO()
    entries = [(name, zlib.crc32(data), zlib.compress(data, 9, wbits=-15), len(data)) for name, data in members]
    entries.append((names[-1], crc, None, count * CHUNK))
    for name, crc_, packed, size in entries:
        offset = out.tell()
        encoded = name.encode()
        compressed_size = len(packed) if packed is not None else len(block) * count + len(final)
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc_, compressed_size, size, len(encoded), 0))
        out.write(encoded)
        if packed is not None:
            out.write(packed)
        else:
            for _ in range(count):
                out.write(block)
            out.write(final)
        central.write(
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0,
                crc_,
                compressed_size,
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
        )
        central.write(encoded)
    start = out.tell()
    out.write(central.getvalue())
    out.write(
        struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(central.getvalue()), start, 0)
    )
    path.write_bytes(out.getvalue())
    return path


def test_the_zip_bomb_is_real():
    """The archive the tests use is a valid zip whose last member truly expands past the limit."""
    import tempfile

    with tempfile.TemporaryDirectory() as scratch:
        path = zip_bomb(Path(scratch) / "b.xlsx", expanded=3 * CHUNK)
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None
            with archive.open("xl/worksheets/sheet1.xml") as member:
                assert sum(len(c) for c in iter(lambda: member.read(1 << 20), b"")) == 3 * CHUNK
    with tempfile.TemporaryDirectory() as scratch:
        path = zip_bomb(Path(scratch) / "b.xlsx")
        assert path.stat().st_size < 10_000_000
        assert sum(i.file_size for i in zipfile.ZipFile(path).infolist()) > 2 * 1024**3


# --- size limit -------------------------------------------------------------------------------------------------


def test_a_file_past_the_upload_limit_is_stopped_while_it_arrives_and_the_form_is_kept(
    client_for, settings, ecu911_profile, tmp_path
):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    settings.VAR_DIR = tmp_path
    big = SimpleUploadedFile("grande.csv", b"a;b\r\n" + b"1;2\r\n" * 600_000)
    response = client_for("tecnico").post(reverse("incidents:import"), {"profile": ecu911_profile.pk, "file": big})
    assert response.status_code == 200
    form = response.context["form"]
    assert "demasiado grande" in str(form.errors["file"]) and "3.0 MB" in str(form.errors["file"])
    assert str(form["profile"].value()) == str(ecu911_profile.pk)  # what the user chose is still there
    from centinela.lib.uploads import _folder

    assert not list(_folder().iterdir())  # nothing of it was stashed


def test_the_upload_handler_never_stores_bytes_past_the_limit(settings):
    from django.http.multipartparser import MultiPartParser
    from django.test.client import encode_multipart

    from centinela.lib.uploads import LimitedUploadHandler, OversizedUpload

    settings.UPLOAD_MAX_BYTES = 1000
    body = encode_multipart("BoUnDaRy", {"file": SimpleUploadedFile("x.csv", b"x" * 5000), "keep": "yes"})
    meta = {"CONTENT_TYPE": "multipart/form-data; boundary=BoUnDaRy", "CONTENT_LENGTH": str(len(body))}
    from django.core.files.uploadhandler import MemoryFileUploadHandler

    handlers = [LimitedUploadHandler(), MemoryFileUploadHandler()]
    post, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()
    assert post["keep"] == "yes"
    assert isinstance(files["file"], OversizedUpload) and files["file"].size == 5000 and files["file"].read() == b""


def test_every_upload_field_carries_the_size_limit():
    from django.urls import get_resolver

    from centinela.lib.uploads import size_limit

    get_resolver().url_patterns  # noqa: B018 - import every view module (and the forms they use)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    upload_fields = [
        (form.__name__, name)
        for base in (forms.Form, forms.ModelForm)
        for form in subclasses(base)
        if form.__module__.startswith("centinela.")
        for name, field in form.base_fields.items()
        if isinstance(field, forms.FileField)
    ]
    assert len(upload_fields) >= 5, upload_fields
    for form_name, name in upload_fields:
        form = next(f for base in (forms.Form, forms.ModelForm) for f in subclasses(base) if f.__name__ == form_name)
        assert size_limit in form.base_fields[name].validators, (form_name, name)


# --- zip bombs ----------------------------------------------------------------------------------------------------


@pytest.fixture
def ecu911_profile(db):
    from centinela.incidents.services import save_profile

    return save_profile(
        "ECU 911 export",
        "ecu911",
        {
            "source_ref": "ID Incidente",
            "occurred_at": "Fecha",
            "category": "Servicio",
            "lon": "Longitud",
            "lat": "Latitud",
            "address": "Dirección",
        },
        date_format="%d/%m/%Y %H:%M",
    )


def test_an_xlsx_zip_bomb_is_refused_on_the_upload_page(client_for, tmp_path, ecu911_profile):
    from centinela.incidents.models import Incident

    bomb = zip_bomb(tmp_path / "incidentes.xlsx")
    c = client_for("tecnico")
    response = c.post(
        reverse("incidents:import"),
        {"profile": ecu911_profile.pk, "file": SimpleUploadedFile("incidentes.xlsx", bomb.read_bytes())},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "se expande a 2500 MB" in body and "bomba" in body
    assert 'id="confirm-import"' not in body and Incident.objects.count() == 0


def test_an_xlsx_zip_bomb_fails_its_background_job_and_the_worker_goes_on(users, tmp_path, ecu911_profile):
    from centinela.incidents import jobs
    from centinela.jobs.models import Job
    from centinela.jobs.services import run_pending, submit

    bomb = zip_bomb(tmp_path / "incidentes.xlsx")
    first = submit(users["tecnico"], jobs.KIND, {"file": jobs.hold(bomb), "profile": ecu911_profile.pk})
    good = tmp_path / "bien.csv"
    good.write_text("ID Incidente;Fecha;Servicio;Longitud;Latitud;Dirección\r\n", encoding="utf-8")
    second = submit(users["tecnico"], jobs.KIND, {"file": jobs.hold(good), "profile": ecu911_profile.pk})
    assert run_pending() == 2  # the worker survived the bomb and ran the next job
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == Job.Status.FAILED and "se expande a 2500 MB" in (first.error or first.message)
    assert second.status != Job.Status.QUEUED


def test_too_many_members_are_refused(tmp_path, settings):
    from centinela.lib.tables import UnreadableTable, read_table

    path = tmp_path / "muchos.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(settings.ARCHIVE_MAX_MEMBERS + 1):
            archive.writestr(f"m{i}.xml", b"")
    with pytest.raises(UnreadableTable, match="10001 archivos; se aceptan como máximo 10000"):
        from django.utils import translation

        with translation.override("es-ec"):
            read_table(path)


def test_a_zipped_shapefile_bomb_is_refused_on_the_boundary_page(client_for, tmp_path):
    bomb = zip_bomb(tmp_path / "parroquias.zip", names=("parroquias.dbf", "parroquias.shx", "parroquias.shp"))
    response = client_for("tecnico").post(
        reverse("territory:boundary_import"),
        {
            "level": "parish",
            "name_field": "NOMBRE",
            "code_field": "DPA",
            "file": SimpleUploadedFile("parroquias.zip", bomb.read_bytes()),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "se expande a 2500 MB" in body and 'id="confirm-import"' not in body


def test_an_office_document_zip_bomb_is_refused_as_evidence(tmp_path, settings):
    from django.core.exceptions import ValidationError
    from django.utils import translation

    from centinela.activities.evidence import check_upload

    bomb = zip_bomb(tmp_path / "acta.docx", names=("[Content_Types].xml", "word/document.xml"))
    with translation.override("es-ec"), pytest.raises(ValidationError, match="se expande a 2500 MB"):
        check_upload(SimpleUploadedFile("acta.docx", bomb.read_bytes()), photo=False)


# --- images ----------------------------------------------------------------------------------------------------


def test_an_image_past_the_pixel_limit_is_refused_in_spanish_without_decoding_it(client_for, tmp_path, settings):
    from centinela.activities.models import Evidence
    from centinela.activities.tests import factories as f

    settings.MEDIA_ROOT = tmp_path
    out = io.BytesIO()
    Image.new("1", (10000, 10000)).save(out, format="PNG")  # 100 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    activity = f.activity(parish_code="110101")
    response = client_for("tecnico").post(
        reverse("activities:evidence_upload", args=[activity.pk]),
        {"kind": "photo", "title": "", "file": SimpleUploadedFile("bomba.png", out.getvalue())},
        follow=True,
    )
    body = response.content.decode()
    assert (
        "La imagen es demasiado grande (10000 x 10000 píxeles, 100.0 megapíxeles; como máximo 50 megapíxeles)" in body
    )
    assert not Evidence.objects.exists()


# --- spreadsheets and coordinates ----------------------------------------------------------------------------------


def test_an_xlsx_formula_without_a_saved_result_is_a_row_error_not_a_blank(client_for, tmp_path, ecu911_profile):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["ID Incidente", "Fecha", "Servicio", "Longitud", "Latitud", "Dirección"])
    sheet.append(["E-1", "02/03/2024 10:00", "Robo", -79.2, -3.99, "Centro"])
    sheet.append(["E-2", "02/03/2024 11:00", "Robo", "=-79.2+0", -3.99, "Centro"])  # openpyxl saves no result
    path = tmp_path / "formulas.xlsx"
    book.save(path)
    response = client_for("tecnico").post(
        reverse("incidents:import"),
        {"profile": ecu911_profile.pk, "file": SimpleUploadedFile(path.name, path.read_bytes())},
    )
    problems = [str(p) for p in response.context["result"].problems]
    assert any(p.startswith("fila 3") and "D3" in p and "no tiene un resultado guardado" in p for p in problems), (
        problems
    )


def test_a_formula_with_its_saved_result_is_read(tmp_path):
    from centinela.lib.tables import read_rows

    path = tmp_path / "ok.xlsx"
    with zipfile.ZipFile(path, "w") as archive:  # what a spreadsheet program saves: the formula and its result
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',  # noqa: E501 - the file's XML as written
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',  # noqa: E501 - the file's XML as written
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>',  # noqa: E501 - the file's XML as written
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',  # noqa: E501 - the file's XML as written
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>total</t></is></c></row><row r="2"><c r="A2"><f>1+1</f><v>2</v></c></row></sheetData></worksheet>',  # noqa: E501 - the file's XML as written
        )
    assert read_rows(path) == [(2, {"total": "2"})]


def test_nan_or_infinite_coordinates_in_geojson_are_row_errors(tmp_path):
    from centinela.lib.imports import run_import
    from centinela.territory.boundaries import parish_importer

    path = tmp_path / "p.geojson"
    ring = "[[-79.3,-3.8],[-79.29,-3.8],[-79.29,-3.79],[-79.3,-3.79],[-79.3,-3.8]]"
    bad = "[[-79.3,-3.8],[NaN,-3.8],[-79.29,-3.79],[-79.3,Infinity],[-79.3,-3.8]]"
    features = [
        f'{{"type":"Feature","properties":{{"NOMBRE":"{name}","DPA":"{code}"}},"geometry":{{"type":"Polygon",'
        f'"coordinates":[{coords}]}}}}'
        for name, code, coords in [("BUENA", "110101", ring), ("MALA", "110102", bad)]
    ]
    path.write_text(
        '{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4326"}},'
        f'"features":[{",".join(features)}]}}'
    )
    from django.utils import translation

    with translation.override("es-ec"):
        result = run_import(parish_importer("NOMBRE", "DPA"), path, dry_run=True)
    assert [(p.row, p.label) for p in result.problems] == [(2, "MALA")]
    assert "no son números" in result.problems[0].message


def test_nan_or_infinite_coordinates_in_a_csv_are_row_errors(client_for, tmp_path, ecu911_profile):
    lines = [
        "ID Incidente;Fecha;Servicio;Longitud;Latitud;Dirección",
        "E-1;02/03/2024 10:00;Robo;NaN;-3.99;Centro",
        "E-2;02/03/2024 11:00;Robo;-79.2;inf;Centro",
        "E-3;02/03/2024 12:00;Robo;-Infinity;nan;Centro",
    ]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    response = client_for("tecnico").post(
        reverse("incidents:import"), {"profile": ecu911_profile.pk, "file": SimpleUploadedFile("coordenadas.csv", data)}
    )
    problems = [str(p) for p in response.context["result"].problems]
    for row in (2, 3, 4):
        assert any(p.startswith(f"fila {row}") and "no son números" in p for p in problems), (row, problems)
