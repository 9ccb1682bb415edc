"""Issue 13, item 6: one bad row no longer blocks a whole file. The user may apply only the valid rows (one job,
all of them or none, audited with how many were applied and rejected), downloads the rejected rows in the file's
own columns with the reason, fixes them and uploads them again; date and time in two columns are joined; messages
name the file's column and the field as the interface calls it; the swapped-coordinates hint only when swapping
puts the point in the canton."""

import io
from datetime import date, time

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from centinela.incidents.forms import ImportProfileForm
from centinela.incidents.models import Incident, Source
from centinela.incidents.services import check_point, import_incidents, save_profile
from centinela.jobs.models import Job
from centinela.jobs.services import run_pending

from .conftest import SPLIT_HEADER, write_csv
from .test_import import rows_for
from .test_import_page import URL, upload

pytestmark = pytest.mark.django_db


def two_bad_rows(points):
    lon, lat = points["110101"]
    return rows_for(points) + [
        ("E-4", "30/02/2021 10:00", "robo-motos", lon, lat, "Calle A"),
        ("E-5", "01/03/2021 10:00", "Abigeato", lon, lat, "=Calle B"),
    ]


def download(client, preview, fmt):
    response = client.get(URL, {"rejected": preview.context["token"], "format": fmt})
    assert response.status_code == 200 and response.streaming, response
    return b"".join(response.streaming_content)


def test_the_valid_rows_go_in_alone_only_when_the_box_is_ticked_and_the_audit_counts_both(
    client_for, users, tmp_path, points, ecu911_profile
):
    c = client_for("tecnico")
    preview = upload(c, write_csv(tmp_path / "ecu911.csv", two_bad_rows(points)), ecu911_profile)
    body = preview.content.decode()
    assert "Importar solo las 3 filas válidas, juntas en un solo paso; las 2 filas con problemas quedan fuera." in body
    assert preview.context["partial"].preview["new"] == 3 and Incident.objects.count() == 0

    refused = c.post(URL, {"token": preview.context["token"]})  # the box not ticked: nothing queued
    assert refused.status_code == 302 and not Job.objects.exists()
    assert [str(m) for m in get_messages(refused.wsgi_request)] == [
        "Marque la casilla para importar solo las filas válidas, o corrija primero el archivo."
    ]

    response = c.post(URL, {"token": preview.context["token"], "apply_valid": "1"})
    assert response.status_code == 302 and "/trabajos/" in response["Location"]
    job = Job.objects.get(kind="incidents.import")
    assert job.params["skip"] == [5, 6] and run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result["created"] == 3 and job.result["rejected"] == 2
    assert set(Incident.objects.values_list("source_ref", flat=True)) == {"E-1", "E-2", "E-3"}
    entry = LogEntry.objects.get_for_object(ecu911_profile.source).latest("timestamp")
    assert entry.actor == users["tecnico"]
    assert entry.additional_data["applied rows"] == 3 and entry.additional_data["rejected rows"] == 2


def test_the_rejected_rows_come_back_in_the_files_columns_with_the_reason_and_the_fixed_file_imports(
    client_for, tmp_path, points, ecu911_profile
):
    c = client_for("tecnico")
    preview = upload(c, write_csv(tmp_path / "ecu911.csv", two_bad_rows(points)), ecu911_profile)
    lines = download(c, preview, "csv").decode("utf-8-sig").splitlines()
    assert lines[0] == "ID Incidente,Fecha,Servicio,Longitud,Latitud,Dirección,motivo"  # cp1252 read back
    assert [line.split(",")[0] for line in lines[1:]] == ["E-4", "E-5"]
    assert lines[1].endswith(',Calle A,"columna ""Fecha"" (Fecha y hora): fecha ilegible: 30/02/2021 10:00"')
    assert "'=Calle B" in lines[2]  # a formula is never handed to a spreadsheet program

    fixed = tmp_path / "corregido.csv"
    fixed.write_text(
        "\n".join(lines).replace("30/02/2021", "28/02/2021").replace("Abigeato", "robo-motos").replace("'=", "") + "\n",
        encoding="utf-8-sig",
    )
    c.post(URL, {"token": preview.context["token"], "apply_valid": "1"})
    run_pending()
    again = upload(c, fixed, ecu911_profile)
    assert again.context["result"].ok and again.context["result"].preview["new"] == 2, again.context["result"].problems
    assert "motivo" in again.content.decode()  # the reason column is shown as unused, not imported
    c.post(URL, {"token": again.context["token"]})
    assert run_pending() == 1
    assert Incident.objects.count() == 5
    assert Incident.objects.get(source_ref="E-5").address == "Calle B"


def test_the_worker_not_the_request_reads_the_file_again_for_the_rejected_rows(
    client_for, tmp_path, points, ecu911_profile
):
    """Issue 13: confirming only the valid rows of a large file re-read the whole upload inside the request to keep
    its rejected rows (3.3 s at a million rows) before queueing the job. The request now only hands over where they
    go; the job, run by the worker's own loop (run_pending, as `run_jobs` calls it), writes them, and its page then
    offers them."""
    from django.urls import reverse

    from centinela.lib.uploads import kept_file

    c = client_for("tecnico")
    preview = upload(c, write_csv(tmp_path / "ecu911.csv", two_bad_rows(points)), ecu911_profile)
    token = preview.context["token"]
    c.post(URL, {"token": token, "apply_valid": "1"})
    job = Job.objects.get(kind="incidents.import")
    kept = kept_file(job.params["rejected"]["kept"])
    assert not kept.exists()  # nothing read in the request
    waiting = c.get(URL, {"rejected": token, "format": "csv"}, follow=True)
    assert "cuando la importación se haya ejecutado" in waiting.content.decode()
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result["created"] == 3 and kept.exists(), job.error
    page = c.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    assert 'id="job-rejected"' in page and 'id="rejected-csv"' in page
    lines = download(c, preview, "csv").decode("utf-8-sig").splitlines()
    assert [line.split(",")[0] for line in lines] == ["ID Incidente", "E-4", "E-5"]


def test_the_rejected_rows_download_as_xlsx(client_for, tmp_path, points, ecu911_profile):
    from openpyxl import load_workbook

    c = client_for("tecnico")
    preview = upload(c, write_csv(tmp_path / "ecu911.csv", two_bad_rows(points)), ecu911_profile)
    rows = list(load_workbook(io.BytesIO(download(c, preview, "xlsx"))).active.iter_rows(values_only=True))
    assert rows[0] == ("ID Incidente", "Fecha", "Servicio", "Longitud", "Latitud", "Dirección", "motivo")
    assert [r[0] for r in rows[1:]] == ["E-4", "E-5"]
    assert rows[2][-1] == 'columna "Servicio" (Categoría): categoría desconocida: Abigeato'


def test_another_user_cannot_download_someone_elses_rejected_rows(client_for, tmp_path, points, ecu911_profile):
    preview = upload(client_for("tecnico"), write_csv(tmp_path / "f.csv", two_bad_rows(points)), ecu911_profile)
    other = client_for("admin")
    response = other.get(URL, {"rejected": preview.context["token"], "format": "csv"})
    assert response.status_code == 302 and not response.has_header("Content-Disposition")


# --- date and time in two columns --------------------------------------------------------------------------------


def local_times():
    return {
        i.source_ref: timezone.localtime(i.occurred_at).strftime("%Y-%m-%d %H:%M:%S") for i in Incident.objects.all()
    }


def test_date_and_time_in_two_columns_are_joined(tmp_path, points, split_profile):
    lon, lat = points["110101"]
    rows = [
        ("A", "03/02/2021", "8:05", "robo-motos", lon, lat),
        ("B", "03/02/2021", "22:15:30", "robo-motos", lon, lat),
        ("C", "04/02/2021", "07h40", "robo-motos", lon, lat),
    ]
    result = import_incidents(write_csv(tmp_path / "f.csv", rows, header=SPLIT_HEADER), split_profile)
    assert result.applied, [str(p) for p in result.problems]
    assert local_times() == {"A": "2021-02-03 08:05:00", "B": "2021-02-03 22:15:30", "C": "2021-02-04 07:40:00"}


def test_a_bad_time_names_both_columns_as_the_file_calls_them(tmp_path, points, split_profile):
    lon, lat = points["110101"]
    rows = [("A", "03/02/2021", "25:99", "robo-motos", lon, lat), ("B", "", "8:00", "robo-motos", lon, lat)]
    result = import_incidents(write_csv(tmp_path / "f.csv", rows, header=SPLIT_HEADER), split_profile)
    assert [str(p) for p in result.problems] == [
        'fila 2 (A): columna "Fecha del hecho" (Fecha) y columna "Hora" (Hora): fecha ilegible: 03/02/2021 25:99:00',
        'fila 3 (B): Vacía: columna "Fecha del hecho" (Fecha)',
    ]
    assert Incident.objects.count() == 0


def test_date_and_time_cells_of_a_workbook_are_joined(tmp_path, points, split_profile):
    from openpyxl import Workbook

    lon, lat = points["110101"]
    book = Workbook()
    book.active.append(SPLIT_HEADER)
    book.active.append(["A", date(2021, 2, 3), time(8, 5), "robo-motos", lon, lat])
    path = tmp_path / "f.xlsx"
    book.save(path)
    result = import_incidents(path, split_profile)
    assert result.applied, [str(p) for p in result.problems]
    assert local_times() == {"A": "2021-02-03 08:05:00"}


def test_the_profile_form_saves_the_time_column():
    source = Source.objects.get(code="ecu911")
    form = ImportProfileForm(
        data={
            "name": "Con hora",
            "source": source.pk,
            "col_occurred_at": "Fecha",
            "col_occurred_time": "Hora",
            "col_category": "Servicio",
            "col_lon": "Lon",
            "col_lat": "Lat",
            "date_format": "%d/%m/%Y",
            "default_precision": "exact",
        }
    )
    assert form.is_valid(), form.errors
    assert form.save(commit=False).columns["occurred_time"] == "Hora"
    assert "Columna de la hora" in str(form["col_occurred_time"].label)


# --- the swapped-coordinates hint ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lon, lat, hinted",
    [
        ("-4.0", "-79.2", True),  # swapped, the point is in Loja
        ("-0.2", "-78.5", False),  # swapped, the point is in Quito: in Ecuador, not in the canton
        ("-78.5", "-0.2", False),  # Quito as it is
    ],
)
def test_the_swapped_hint_only_when_swapping_puts_the_point_in_the_canton(
    tmp_path, points, ecu911_profile, lon, lat, hinted
):
    rows = rows_for(points) + [("E-9", "03/02/2021 10:00", "robo-motos", lon, lat, "")]
    [problem] = import_incidents(write_csv(tmp_path / "f.csv", rows), ecu911_profile).problems
    assert problem.message.startswith('columna "Longitud" (Longitud) y columna "Latitud" (Latitud): el punto')
    assert ("parecen invertidas" in problem.message) is hinted, problem.message


@pytest.mark.parametrize("lon, lat, hinted", [(-4.0, -79.2, True), (-0.2, -78.5, False)])
def test_the_form_for_an_incident_by_hand_hints_the_same_way(points, lon, lat, hinted):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        check_point(lon, lat)
    assert ("look swapped" in str(caught.value) or "parecen invertidas" in str(caught.value)) is hinted


def test_a_missing_required_mapping_names_the_field_as_the_interface_does(tmp_path, points):
    profile = save_profile("Sin categoría", "ecu911", {"occurred_at": "Fecha", "lon": "Longitud", "lat": "Latitud"})
    result = import_incidents(write_csv(tmp_path / "f.csv", rows_for(points)), profile)
    assert [str(p) for p in result.problems] == ["archivo: El perfil no indica qué columna contiene: Categoría"]


def test_the_upload_sees_a_file_with_a_column_in_another_case_by_its_own_name(tmp_path, points, ecu911_profile):
    lon, lat = points["110101"]
    path = write_csv(
        tmp_path / "f.csv",
        [("E-9", "ayer", "robo-motos", lon, lat, "")],
        header=("ID INCIDENTE", "FECHA", "SERVICIO", "LONGITUD", "LATITUD", "DIRECCIÓN"),
    )
    [problem] = import_incidents(path, ecu911_profile).problems
    assert problem.message == 'columna "FECHA" (Fecha y hora): fecha ilegible: ayer'


def test_the_upload_form_keeps_a_chosen_profile_file(client_for, tmp_path, points, ecu911_profile):
    """The page after a file with problems keeps the chosen profile selected (see also the browser test)."""
    c = client_for("tecnico")
    path = write_csv(tmp_path / "f.csv", [("E-9", "ayer", "robo-motos", *points["110101"], "")])
    response = c.post(URL, {"profile": ecu911_profile.pk, "file": SimpleUploadedFile(path.name, path.read_bytes())})
    assert f'<option value="{ecu911_profile.pk}" selected>' in response.content.decode()


def test_cancelling_a_preview_returns_to_the_form_with_the_same_profile(client_for, tmp_path, points, ecu911_profile):
    c = client_for("tecnico")
    preview = upload(c, write_csv(tmp_path / "f.csv", two_bad_rows(points)), ecu911_profile)
    cancel = f"{URL}?profile={ecu911_profile.pk}"
    assert f'href="{cancel}" id="cancel-import"' in preview.content.decode()
    assert f'<option value="{ecu911_profile.pk}" selected>' in c.get(cancel).content.decode()
