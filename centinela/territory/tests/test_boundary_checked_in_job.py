"""A large boundary file (GeoJSON, zipped Shapefile or GeoPackage, up to 50 MB) is read, checked (shapely's
geometry checks, reprojection) and previewed by the background worker, not in the web request: the request only
stashes the upload and queues the check; the job's page follows it back to the upload page, which shows the same
preview and confirmation as for a small file, and the confirmation queues the import as before. The check job, like
the import job, makes sure when it runs that its user still may change the boundaries."""

from pathlib import Path

import pytest
import shapely
from django.urls import reverse

from centinela.accounts.models import Role
from centinela.jobs.models import Job
from centinela.jobs.services import run_pending
from centinela.lib import uploads
from centinela.territory.models import GeometrySource, Parish
from centinela.territory.tests.test_boundary_upload import URL, read_geojson, upload
from centinela.territory.tests.test_import_boundaries import official_parishes, to_utm, write

pytestmark = pytest.mark.django_db
CHECK = "territory.boundary_check"
BOWTIE = shapely.Polygon([(-79.30, -3.75), (-79.22, -3.70), (-79.22, -3.75), (-79.30, -3.70)])  # repairable


@pytest.fixture
def small_limit(settings):
    settings.IMPORT_CHECK_IN_REQUEST_MAX_BYTES = 100  # every test file is "large"


def official():
    return Parish.objects.filter(geometry_source=GeometrySource.OFFICIAL)


def check(client, path, **fields):
    """Upload, run the check job as the worker does, follow the job page's result link."""
    response = upload(client, path, **fields)
    assert response.status_code == 302, response
    assert "/trabajos/" in response["Location"] and response["Location"].endswith("?follow=1")
    job = Job.objects.get(kind=CHECK)
    assert job.status == Job.Status.QUEUED and not official().exists()  # nothing read in the request
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    page = client.get(reverse("jobs:job_detail", args=[job.pk])).content.decode()
    result_url = f"{URL}?checked={job.pk}"
    assert result_url in page
    return client.get(result_url), job


@pytest.mark.parametrize("name, driver", [("limites.geojson", None), ("limites.gpkg", "GPKG")])
def test_a_large_boundary_file_is_checked_by_the_worker_and_then_confirmed_as_any_other(
    client_for, tmp_path, small_limit, name, driver
):
    c = client_for("tecnico")
    rows = [(n, code, to_utm(g)) for n, code, g in official_parishes()[:4]]  # reprojected by the job
    preview, _job = check(c, write(tmp_path / name, rows, crs="EPSG:32717", driver=driver))
    body = preview.content.decode()
    assert preview.status_code == 200 and preview.context["token"]
    assert 'id="import-preview"' in body and "4 por actualizar, 0 por crear, 0 reparados." in body, body[:3000]
    assert not official().exists()
    done = c.post(URL, {"token": preview.context["token"]})
    assert done.status_code == 302 and "/trabajos/" in done["Location"]
    imported = Job.objects.get(kind="territory.boundaries")
    assert imported.params["filename"] == name and run_pending() == 1
    imported.refresh_from_db()
    assert imported.status == Job.Status.DONE and imported.result["counts"]["updated"] == 4, imported.error
    assert official().count() == 4
    original = dict((code, g) for _n, code, g in official_parishes())["110101"]
    assert Parish.objects.get(code="110101").geometry.symmetric_difference(original).area < 1e-10


def test_a_large_file_with_bad_and_repaired_features_offers_the_valid_ones_and_the_rejected_download(
    client_for, tmp_path, small_limit
):
    rows = [
        *official_parishes()[:2],
        ("SAN LUCAS", "110157", BOWTIE),
        ("", "110198", shapely.box(-79.3, -3.8, -79.29, -3.79)),
    ]
    c = client_for("tecnico")
    preview, _job = check(c, write(tmp_path / "limites.geojson", rows))
    body = preview.content.decode()
    assert "Se encontró 1 problema" in body and "El campo de nombre (NOMBRE) está vacío." in body, body[:3000]
    assert 'id="apply-valid"' in body and "Importar solo las 3 filas válidas" in body
    assert "3 por actualizar, 0 por crear, 1 reparados." in body
    assert "SAN LUCAS: reparado: Self-intersection" in body  # the repair notes, as a check in the request shows
    token = preview.context["token"]
    rejected = read_geojson(c.get(URL, {"rejected": token, "format": "geojson"}), tmp_path / "r.geojson")
    assert rejected["features"] == [("", "110198", "El campo de nombre (NOMBRE) está vacío.")]
    c.post(URL, {"token": token, "apply_valid": "1"})
    imported = Job.objects.get(kind="territory.boundaries")
    assert imported.params["skip"] == [4] and run_pending() == 1
    imported.refresh_from_db()
    assert imported.status == Job.Status.DONE, imported.error
    assert set(official().values_list("code", flat=True)) == {"110101", "110102", "110157"}
    assert not Parish.objects.filter(code="110198").exists()


def test_the_limit_decides_where_the_file_is_checked(client_for, tmp_path, settings):
    """A file of exactly IMPORT_CHECK_IN_REQUEST_MAX_BYTES is checked in the request; one byte over, by the worker."""
    c = client_for("tecnico")
    path = write(tmp_path / "limites.geojson", official_parishes()[:4])
    settings.IMPORT_CHECK_IN_REQUEST_MAX_BYTES = path.stat().st_size
    preview = upload(c, path)
    assert preview.status_code == 200 and preview.context["token"] and not Job.objects.exists()
    assert preview.context["result"].preview == {"update": 4, "create": 0, "repaired": 0}
    settings.IMPORT_CHECK_IN_REQUEST_MAX_BYTES = path.stat().st_size - 1
    queued = upload(c, path)
    assert queued.status_code == 302 and queued.context is None  # no preview in the request
    assert Job.objects.get().kind == CHECK


def test_a_small_boundary_file_is_still_checked_in_the_request(client_for, tmp_path):
    preview = upload(client_for("tecnico"), write(tmp_path / "p.geojson", official_parishes()[:4]))
    assert preview.status_code == 200 and preview.context["token"] and not Job.objects.exists()


def test_nobody_else_sees_the_check_of_a_boundary_file(client_for, tmp_path, small_limit):
    c = client_for("tecnico")
    _preview, job = check(c, write(tmp_path / "limites.geojson", official_parishes()[:4]))
    other = client_for("admin").get(f"{URL}?checked={job.pk}", follow=True)  # may import boundaries, not this check
    assert not other.context.get("token")
    assert "Esa revisión no está disponible" in other.content.decode()
    assert client_for("admin").get(f"{URL}?checked=no").status_code == 302


def test_a_large_file_that_cannot_be_imported_says_why_and_its_upload_goes(client_for, tmp_path, small_limit):
    c = client_for("tecnico")
    page, job = check(c, write(tmp_path / "limites.geojson", official_parishes()[:4]), code_field="CODIGO")
    body = page.content.decode()
    assert 'id="import-problems"' in body and "Falta el campo CODIGO" in body, body[:3000]
    assert not page.context.get("token")
    assert uploads.path_of(page.wsgi_request, job.result["token"]) is None  # discarded, as a check in the request


@pytest.mark.parametrize("kind", [CHECK, "territory.boundaries"])
def test_a_boundary_job_of_a_user_who_may_no_longer_change_boundaries_fails_and_says_why(
    client_for, users, tmp_path, small_limit, kind
):
    """Both boundary jobs check, when they run, that their user still may change the parishes (a role can change
    between the upload and the worker)."""
    c = client_for("tecnico")
    preview, _job = check(c, write(tmp_path / "limites.geojson", official_parishes()[:4]))
    if kind == "territory.boundaries":
        c.post(URL, {"token": preview.context["token"]})
    job = Job.objects.filter(kind=kind).latest("pk")
    job.status, job.result = Job.Status.QUEUED, None
    job.save()
    user = users["tecnico"]
    user.role = Role.LIAISON  # reads the territory, changes none of it
    user.save()
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "La cuenta que pidió esta importación ya no puede importar límites." in job.error
    assert not official().exists()
    assert c.get(URL).status_code == 403  # nor may the page
    if kind == CHECK:  # the failed check shows no preview, even once the right is back
        user.role = Role.TECHNICIAN
        user.save()
        page = c.get(f"{URL}?checked={job.pk}", follow=True)
        assert not page.context.get("token") and "Esa revisión no está disponible" in page.content.decode()


def test_a_check_whose_upload_has_gone_fails_and_says_why(client_for, tmp_path, small_limit):
    c = client_for("tecnico")
    upload(c, write(tmp_path / "limites.geojson", official_parishes()[:4]))
    job = Job.objects.get(kind=CHECK)
    Path(job.params["upload"]).unlink()  # kept lib.uploads.MAX_AGE_SECONDS: the worker came later
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and "ya no está" in job.error, job.error
