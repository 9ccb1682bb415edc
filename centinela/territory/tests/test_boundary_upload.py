"""The boundary upload page: preview first, apply only on confirmation, nothing on error, wrong files refused."""

import numpy as np
import pyogrio
import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from centinela.jobs.models import Job
from centinela.jobs.services import held_path, run_pending
from centinela.territory.models import GeometrySource, Parish
from centinela.territory.tests.test_import_boundaries import official_parishes, to_utm, write

pytestmark = pytest.mark.django_db
URL = reverse("territory:boundary_import")


def read_geojson(response, path):
    """A downloaded GeoJSON, read as the import reads it: (name, code, reason) of each feature, its geometries and
    its CRS."""
    assert response.status_code == 200, response
    path.write_bytes(b"".join(response.streaming_content))
    meta, _fids, wkb, values = pyogrio.raw.read(path)
    fields = list(meta["fields"])
    column = {name: values[fields.index(name)] for name in fields}
    return {
        "features": [(column["NOMBRE"][i] or "", column["DPA"][i], column["motivo"][i]) for i in range(len(wkb))],
        "geometries": [shapely.from_wkb(blob) if blob is not None else None for blob in wkb],
        "fields": fields,
        "crs": meta["crs"],
    }


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
    assert "fila 3" in body and "nombre" in body
    assert 'id="apply-valid"' in body  # only the valid features may go in, when the user ticks the box
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
    assert "110199" in response.content.decode() and 'id="apply-valid"' in response.content.decode()
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


def test_the_valid_features_go_in_alone_when_ticked_the_rejected_ones_download_and_the_import_is_audited(
    client_for, users, tmp_path
):
    """Issue 13 item 6: the boundary import keeps the good rows as the other imports do (the one pipeline:
    lib.import_views with skip_problem_rows), the features left out download with their reasons from the preview
    and, after the job, from its page; the import's one audit entry names who, the file and the counts."""
    from auditlog.models import LogEntry

    rows = official_parishes()[:3] + [("", "110198", shapely.box(-79.3, -3.8, -79.29, -3.79))]
    c = client_for("tecnico")
    preview = upload(c, write(tmp_path / "limites.geojson", rows))
    body = preview.content.decode()
    assert 'id="apply-valid"' in body and preview.context["partial"].preview["update"] == 3
    token = preview.context["token"]
    rejected = read_geojson(c.get(URL, {"rejected": token, "format": "geojson"}), tmp_path / "r.geojson")
    assert rejected["features"] == [("", "110198", "El campo de nombre (NOMBRE) está vacío.")]
    assert c.get(URL, {"rejected": token, "format": "csv"}).status_code == 400  # no place for the geometry

    done = c.post(URL, {"token": token, "apply_valid": "1"})
    job = Job.objects.get(kind="territory.boundaries")
    assert job.params["skip"] == [4] and job.params["filename"] == "limites.geojson"
    assert run_pending() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    assert job.result["counts"]["updated"] == 3 and job.result["rejected"] == 1
    assert Parish.objects.filter(geometry_source=GeometrySource.OFFICIAL).count() == 3
    assert not Parish.objects.filter(code="110198").exists()
    page = c.get(done["Location"]).content.decode()
    assert 'id="job-rejected"' in page and job.result["rejected_urls"]["geojson"].replace("&", "&amp;") in page
    again = c.get(URL, {"rejected": token, "format": "geojson"})  # the upload went to the job: still offered
    assert again.status_code == 200 and again["Content-Disposition"].endswith('-rechazadas.geojson"')

    entry = LogEntry.objects.get_for_model(Parish).get(additional_data__has_key="applied rows")
    assert entry.actor == users["tecnico"] and entry.additional_data["file"] == "limites.geojson"
    assert entry.additional_data["applied rows"] == 3 and entry.additional_data["rejected rows"] == 1


def test_a_whole_boundary_file_writes_one_audit_entry_too(client_for, users, tmp_path):
    from auditlog.models import LogEntry

    c = client_for("tecnico")
    preview = upload(c, write(tmp_path / "p.geojson", official_parishes()[:2]))
    c.post(URL, {"token": preview.context["token"]})
    run_pending()
    [entry] = LogEntry.objects.get_for_model(Parish).filter(additional_data__has_key="applied rows")
    assert entry.actor == users["tecnico"] and entry.additional_data["file"] == "p.geojson"
    assert entry.additional_data["applied rows"] == 2 and entry.additional_data["rejected rows"] == 0


def test_the_rejected_features_download_as_a_file_the_import_reads_and_once_fixed_upload_again(client_for, tmp_path):
    """Issue 13: the rejected rows of a boundary import were a CSV of attributes, which the import (GeoJSON,
    Shapefile, GeoPackage) cannot read. They now come back as a GeoJSON in the file's own CRS (here UTM 17S) with
    their geometries and a `motivo` field; fixed (a name typed, an outline drawn as an area) and uploaded as it is, the
    `motivo` field is ignored and the features go in, through the page, the job queue and its worker."""
    parishes = [(n, c, to_utm(g)) for n, c, g in official_parishes()[:5]]
    name_missing = ("", parishes[3][1], parishes[3][2])
    outline = (parishes[4][0], parishes[4][1], parishes[4][2].boundary)  # drawn as a line, not as an area
    c = client_for("tecnico")
    preview = upload(c, write(tmp_path / "parroquias.geojson", [*parishes[:3], name_missing, outline], "EPSG:32717"))
    token = preview.context["token"]
    assert preview.context["problem_rows"] == [4, 5]
    assert c.post(URL, {"token": token, "apply_valid": "1"}).status_code == 302
    waiting = c.get(URL, {"rejected": token, "format": "geojson"}, follow=True)  # the job writes them, not the page
    assert "cuando la importación se haya ejecutado" in waiting.content.decode()
    assert run_pending() == 1
    assert Parish.objects.filter(geometry_source=GeometrySource.OFFICIAL).count() == 3

    rejected = read_geojson(c.get(URL, {"rejected": token, "format": "geojson"}), tmp_path / "rechazadas.geojson")
    assert rejected["fields"] == ["NOMBRE", "DPA", "motivo"] and "32717" in rejected["crs"]
    (name, code, reason), (name2, code2, reason2) = rejected["features"]
    assert (name, code, reason) == ("", parishes[3][1], "El campo de nombre (NOMBRE) está vacío.")
    assert (name2, code2) == (parishes[4][0], parishes[4][1]) and reason2.startswith("La geometría es un")
    assert shapely.equals_exact(rejected["geometries"][0], parishes[3][2], tolerance=1e-6)  # as in the file, its CRS

    # fixed in a GIS: the name typed, the outline made an area; the motivo field left in the file
    meta, _fids, _wkb, values = pyogrio.raw.read(tmp_path / "rechazadas.geojson")
    values[0] = np.array([parishes[3][0], name2], dtype=object)
    fixed = tmp_path / "rechazadas-corregidas.geojson"
    pyogrio.raw.write(
        str(fixed),
        np.array([shapely.to_wkb(parishes[3][2]), shapely.to_wkb(parishes[4][2])], dtype=object),
        values,
        fields=list(meta["fields"]),
        geometry_type="Unknown",
        crs=meta["crs"],
    )
    again = upload(c, fixed)
    assert again.context["result"].ok, again.context["result"].problems
    assert again.context["result"].preview == {"update": 2, "create": 0, "repaired": 0}
    c.post(URL, {"token": again.context["token"]})
    assert run_pending() == 1
    job = Job.objects.latest("pk")
    assert job.status == Job.Status.DONE and job.result["counts"]["updated"] == 2, job.error
    assert Parish.objects.filter(geometry_source=GeometrySource.OFFICIAL).count() == 5
    assert Parish.objects.get(code=parishes[3][1]).name == parishes[3][0]
