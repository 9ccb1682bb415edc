"""A large incident file is checked by the background worker, not in the web request: the request only stashes the
upload and queues the check; the job's page follows it back to the upload page, which shows the same preview and
confirmation as for a small file (and the rejected rows, when some rows have problems). A web worker never holds a
file of a million rows."""

import pytest
from django.urls import reverse

from centinela.accounts.models import Role
from centinela.incidents.models import Incident
from centinela.jobs.models import Job
from centinela.jobs.services import run_pending

from .conftest import write_csv
from .test_import import rows_for
from .test_import_keeps_the_good_rows import two_bad_rows
from .test_import_page import URL, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):
    settings.IMPORT_CHECK_IN_REQUEST_MAX_BYTES = 100  # every test file is "large"


def check(client, path, profile):
    """Upload, run the check job as the worker does, follow the job page's result link."""
    response = upload(client, path, profile)
    assert response.status_code == 302 and "/trabajos/" in response["Location"], response
    job = Job.objects.get(kind="incidents.check")
    assert Incident.objects.count() == 0 and job.status == Job.Status.QUEUED  # nothing read in the request
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    result_url = f"{URL}?checked={job.pk}"
    assert result_url in page
    return client.get(result_url), job


def test_a_large_file_is_checked_by_the_worker_and_then_confirmed_as_any_other(
    client_for, tmp_path, points, ecu911_profile, small_limit
):
    c = client_for("tecnico")
    preview, job = check(c, write_csv(tmp_path / "ecu911.csv", rows_for(points)), ecu911_profile)
    body = preview.content.decode()
    assert preview.status_code == 200 and preview.context["token"]
    assert "3 filas revisadas: 3 nuevas" in body, body[:3000]
    assert 'id="import-sample"' in body and "E-1" in body
    response = c.post(URL, {"token": preview.context["token"]})
    assert response.status_code == 302 and "/trabajos/" in response["Location"]
    assert run_pending() == 1
    assert set(Incident.objects.values_list("source_ref", flat=True)) == {"E-1", "E-2", "E-3"}


def test_a_large_file_with_bad_rows_offers_the_valid_ones_and_the_rejected_download(
    client_for, tmp_path, points, ecu911_profile, small_limit
):
    c = client_for("tecnico")
    preview, job = check(c, write_csv(tmp_path / "ecu911.csv", two_bad_rows(points)), ecu911_profile)
    body = preview.content.decode()
    assert "Se encontraron 2 problemas" in body and "fecha ilegible: 30/02/2021 10:00" in body, body[:3000]
    assert "Importar solo las 3 filas válidas" in body
    lines = b"".join(c.get(URL, {"rejected": preview.context["token"], "format": "csv"}).streaming_content).decode(
        "utf-8-sig"
    )
    assert [line.split(",")[0] for line in lines.splitlines()] == ["ID Incidente", "E-4", "E-5"]
    c.post(URL, {"token": preview.context["token"], "apply_valid": "1"})
    imported = Job.objects.get(kind="incidents.import")
    assert imported.params["skip"] == [5, 6] and run_pending() == 1
    assert Incident.objects.count() == 3


def test_a_small_file_is_still_checked_in_the_request(client_for, tmp_path, points, ecu911_profile):
    preview = upload(client_for("tecnico"), write_csv(tmp_path / "ecu911.csv", rows_for(points)), ecu911_profile)
    assert preview.status_code == 200 and preview.context["token"] and not Job.objects.exists()


def test_nobody_else_sees_the_check_of_a_file(client_for, tmp_path, points, ecu911_profile, small_limit):
    c = client_for("tecnico")
    _preview, job = check(c, write_csv(tmp_path / "ecu911.csv", rows_for(points)), ecu911_profile)
    other = client_for("directora").get(f"{URL}?checked={job.pk}", follow=True)
    assert "token" not in other.context or not other.context["token"]
    assert "Esa revisión no está disponible" in other.content.decode()


def test_a_large_file_that_cannot_be_imported_says_why_and_its_upload_goes(
    client_for, tmp_path, points, ecu911_profile, small_limit
):
    from centinela.lib import uploads

    c = client_for("tecnico")
    path = tmp_path / "otro.csv"
    path.write_text("Código;Cuándo\n" + "A;1\n" * 50, encoding="utf-8")  # none of the profile's columns
    page, job = check(c, path, ecu911_profile)
    body = page.content.decode()
    assert 'id="import-problems"' in body and "No está en el archivo" in body, body[:3000]
    assert not page.context.get("token")
    assert uploads.path_of(page.wsgi_request, job.result["token"]) is None  # discarded, as a check in the request does


@pytest.mark.parametrize("kind", ["incidents.check", "incidents.import"])
def test_a_job_of_a_user_who_may_no_longer_import_fails_and_says_why(
    client_for, users, tmp_path, points, ecu911_profile, small_limit, kind
):
    """Both incident jobs check, when they run, that their user still may import (a role can change meanwhile)."""
    c = client_for("tecnico")
    preview, _job = check(c, write_csv(tmp_path / "ecu911.csv", rows_for(points)), ecu911_profile)
    if kind == "incidents.import":
        c.post(URL, {"token": preview.context["token"]})
    job = Job.objects.filter(kind=kind).latest("pk")
    job.status = Job.Status.QUEUED
    job.save()
    user = users["tecnico"]
    user.role = Role.LIAISON  # reads incidents, imports none
    user.save()
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "La cuenta que pidió esta importación ya no puede importar incidentes." in job.error
    assert Incident.objects.count() == 0
