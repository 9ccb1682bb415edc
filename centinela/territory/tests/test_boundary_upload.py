"""The boundary upload page: preview first, apply only on confirmation, nothing on error, wrong files refused."""

import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centinela.jobs.models import Job
from centinela.jobs.services import held_path, run_pending
from centinela.territory.models import GeometrySource, Parish
from centinela.territory.tests.test_import_boundaries import official_parishes, write

pytestmark = pytest.mark.django_db
URL = reverse("territory:boundary_import")


def upload(client, path, **fields):
    data = {"level": "parish", "name_field": "NOMBRE", "code_field": "DPA", **fields}
    data["file"] = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(URL, data)


def test_preview_then_confirm(client_for, tmp_path):
    c = client_for("tecnico")
    preview = upload(c, write(tmp_path / "p.geojson", official_parishes()[:4]))
    assert preview.status_code == 200
    assert preview.context["result"].preview == {"update": 4, "create": 0, "repaired": 0}
    assert not Parish.objects.filter(geometry_source=GeometrySource.OFFICIAL).exists()  # nothing yet
    done = c.post(URL, {"token": preview.context["token"]})
    assert done.status_code == 302 and "/trabajos/" in done["Location"]  # the import runs on the job queue
    job = Job.objects.get(kind="territory.boundaries", status=Job.Status.QUEUED)
    assert held_path(job).exists()  # the upload is kept for the job
    assert not Parish.objects.filter(geometry_source=GeometrySource.OFFICIAL).exists()
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.result["counts"]["updated"] == 4, job.error
    assert Parish.objects.filter(geometry_source=GeometrySource.OFFICIAL).count() == 4
    assert not held_path(job).exists()  # and removed once the job has ended
    page = c.get(done["Location"]).content.decode()
    assert "Importación de límites" in page and reverse("territory:parish_list") in page
    again = c.post(URL, {"token": preview.context["token"]}, follow=True)  # a token is used once
    assert "expired" in again.content.decode() or "expirado" in again.content.decode()


def test_problems_are_listed_and_nothing_changes(client_for, tmp_path):
    rows = official_parishes()[:2] + [("", "110199", shapely.box(-79.3, -3.8, -79.29, -3.79))]
    response = upload(client_for("tecnico"), write(tmp_path / "p.geojson", rows))
    body = response.content.decode()
    assert "fila 3" in body and "nombre" in body and 'id="confirm-import"' not in body
    assert not Parish.objects.filter(geometry_source=GeometrySource.OFFICIAL).exists()


def test_wrong_type_and_too_large_are_refused(client_for, tmp_path, monkeypatch):
    c = client_for("tecnico")
    bad = tmp_path / "notas.docx"
    bad.write_bytes(b"PK\x03\x04 not a map")
    response = upload(c, bad)
    assert "no se aceptan" in str(response.context["form"].errors["file"]).lower()
    from centinela.territory import views

    monkeypatch.setattr(views, "MAX_BYTES", 100)
    response = upload(c, write(tmp_path / "p.geojson", official_parishes()[:1]))
    assert "demasiado grande" in str(response.context["form"].errors["file"])


@pytest.mark.parametrize("username", ["enlace.policia", "presidente.sagrario"])
def test_only_staff_import_boundaries(client_for, username):
    assert client_for(username).get(URL).status_code == 403


def test_technicians_update_parishes_but_only_administrators_add_them(client_for, tmp_path):
    rows = official_parishes()[:1] + [("NUEVA", "110199", shapely.box(-79.3, -3.8, -79.29, -3.79))]
    response = upload(client_for("tecnico"), write(tmp_path / "p.geojson", rows))
    assert "110199" in response.content.decode() and 'id="confirm-import"' not in response.content.decode()
    assert not Parish.objects.filter(code="110199").exists()
    admin = client_for("admin")
    preview = upload(admin, write(tmp_path / "p2.geojson", rows))
    admin.post(URL, {"token": preview.context["token"]})
    run_pending()
    assert Parish.objects.filter(code="110199").exists()


def test_the_import_page_says_when_no_job_worker_is_running(client_for):
    from centinela.jobs.services import beat

    c = client_for("tecnico")
    assert "No hay ningún proceso de trabajos" in c.get(URL).content.decode()
    beat("w")
    assert "No hay ningún proceso de trabajos" not in c.get(URL).content.decode()
