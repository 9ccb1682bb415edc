"""The upload page: preview with the row-by-row report, confirmation queues a background job that imports all rows
or none, with its progress on the job's page; a re-import adds nothing; a bad file imports nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centinela.incidents.jobs import held_folder
from centinela.incidents.models import Incident
from centinela.jobs.models import Job
from centinela.jobs.services import run_pending

from .conftest import write_csv
from .test_import import rows_for

pytestmark = pytest.mark.django_db
URL = reverse("incidents:import")


def upload(client, path, profile):
    return client.post(URL, {"profile": profile.pk, "file": SimpleUploadedFile(path.name, path.read_bytes())})


def confirm_and_run(client, preview):
    response = client.post(URL, {"token": preview.context["token"]})
    assert response.status_code == 302 and "/trabajos/" in response["Location"], response
    job = Job.objects.get(kind="incidents.import", status=Job.Status.QUEUED)
    assert run_pending() == 1
    job.refresh_from_db()
    return response, job


def test_upload_preview_confirm_runs_as_a_job_to_100_percent(client_for, users, tmp_path, points, ecu911_profile):
    c = client_for("tecnico")
    preview = upload(c, write_csv(tmp_path / "ecu911.csv", rows_for(points)), ecu911_profile)
    body = preview.content.decode()
    assert preview.status_code == 200 and 'id="confirm-import"' in body
    assert preview.context["result"].preview == {
        "rows": 3,
        "new": 3,
        "already_imported": 0,
        "without_parish": 0,
        "without_time": 0,
    }
    assert "3 filas revisadas: 3 nuevas" in body and "El Sagrario" in body and "E-2" in body  # the sample rows
    assert Incident.objects.count() == 0  # nothing before the confirmation
    response, job = confirm_and_run(c, preview)
    assert job.status == Job.Status.DONE and job.percent == 100 and job.created_by == users["tecnico"]
    assert job.result["created"] == 3 and job.message == "3 de 3 filas"
    assert set(Incident.objects.values_list("source_ref", flat=True)) == {"E-1", "E-2", "E-3"}
    assert not (held_folder() / job.params["file"]).exists()  # the file is gone once the job ran
    page = c.get(response["Location"]).content.decode()
    assert "Terminado" in page and "100 %" in page and "Importación de incidentes" in page
    assert reverse("incidents:incident_list") in page  # the result links the list


def test_the_import_job_computes_the_open_data_figures_so_no_visitor_waits_for_them(
    client, client_for, tmp_path, points, ecu911_profile
):
    """After a million rows the open data's figures take seconds (25 s on SQLite): the worker computes them once the
    rows are stored, and the first visitor reads them from the cache."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "import-warm"}}
    with override_settings(CACHES=locmem):
        cache.clear()
        c = client_for("tecnico")
        confirm_and_run(c, upload(c, write_csv(tmp_path / "ecu911.csv", rows_for(points)), ecu911_profile))
        with CaptureQueriesContext(connection) as queries:
            page = client.get("/datos-abiertos/")
        cache.clear()
    assert page.status_code == 200 and "yearly-table" in page.content.decode()
    assert not [q["sql"] for q in queries if "incidents_incident" in q["sql"] and "MAX" not in q["sql"].upper()]


def test_a_reimport_adds_nothing(client_for, tmp_path, points, ecu911_profile):
    c = client_for("tecnico")
    path = write_csv(tmp_path / "ecu911.csv", rows_for(points))
    confirm_and_run(c, upload(c, path, ecu911_profile))
    preview = upload(c, path, ecu911_profile)
    assert preview.context["result"].preview["already_imported"] == 3
    _response, job = confirm_and_run(c, preview)
    assert job.status == Job.Status.DONE and job.result["created"] == 0 and Incident.objects.count() == 3


def test_a_bad_file_imports_nothing_and_names_every_bad_row(client_for, tmp_path, points, ecu911_profile):
    lon, lat = points["110101"]
    rows = rows_for(points) + [
        ("E-4", "30/02/2021 10:00", "robo-motos", lon, lat, ""),
        ("E-5", "01/03/2021 10:00", "Abigeato", lon, lat, ""),
    ]
    response = upload(client_for("tecnico"), write_csv(tmp_path / "malo.csv", rows), ecu911_profile)
    body = response.content.decode()
    assert "Se encontraron 2 problemas; no se importó nada." in body
    assert "fila 5 (E-4): columna &quot;Fecha&quot; (Fecha y hora): fecha ilegible: 30/02/2021 10:00" in body
    assert "fila 6 (E-5): columna &quot;Servicio&quot; (Categoría): categoría desconocida" in body
    # the valid rows may go in alone, only when the user ticks the box: nothing happened yet
    assert 'id="apply-valid"' in body and 'id="rejected-csv"' in body
    assert Incident.objects.count() == 0 and not Job.objects.exists()


def test_rows_that_became_duplicates_before_the_job_ran_fail_the_job_and_nothing_is_half_imported(
    client_for, tmp_path, points, ecu911_profile
):
    c = client_for("tecnico")
    first = write_csv(tmp_path / "a.csv", rows_for(points))
    preview = upload(c, first, ecu911_profile)
    # meanwhile the profile changes so that one row no longer has a known category
    ecu911_profile.category_values = {}
    ecu911_profile.save()
    _response, job = confirm_and_run(c, preview)
    assert job.status == Job.Status.FAILED and "no se importó nada" in job.error and "fila 2 (E-1)" in job.error
    assert Incident.objects.count() == 0


def test_only_staff_may_import(client_for, ecu911_profile):
    for role in ("enlace.policia", "presidente.sagrario"):
        assert client_for(role).get(URL).status_code == 403
    assert client_for("tecnico").get(URL).status_code == 200


def test_an_import_whose_worker_was_stopped_keeps_its_upload_and_its_retry_imports_every_row(
    client_for, tmp_path, points, ecu911_profile
):
    """The worker is stopped in the middle of the import (Ctrl-C, a service restart; here as the new rows are
    announced, after they are stored): the upload stays, and once the worker is known to be gone the job is retried
    from that upload and completes without storing a row twice (it used to delete the upload as the worker stopped,
    so the retry failed with "the uploaded file is no longer there")."""
    from datetime import timedelta

    from django.utils import timezone

    from centinela.incidents.signals import incidents_created
    from centinela.jobs import services

    c = client_for("tecnico")
    preview = upload(c, write_csv(tmp_path / "ecu911.csv", rows_for(points)), ecu911_profile)
    c.post(URL, {"token": preview.context["token"]})
    job = Job.objects.get(kind="incidents.import")

    def stopped(**kwargs):
        raise KeyboardInterrupt

    incidents_created.connect(stopped)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_pending("worker-a")
    finally:
        incidents_created.disconnect(stopped)
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert (held_folder() / job.params["file"]).exists()
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert services.requeue_stale() == 1
    Job.objects.filter(pk=job.pk).update(run_after=None)
    assert run_pending("worker-b") == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.attempts == 2, job.error
    assert job.result["created"] + job.result["already_imported"] == 3
    assert Incident.objects.count() == 3
    assert not (held_folder() / job.params["file"]).exists()  # the job has ended: its upload goes
