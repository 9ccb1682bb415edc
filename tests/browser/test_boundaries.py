"""A technician uploads a boundary file larger than IMPORT_CHECK_IN_REQUEST_MAX_MB: the request only stashes it, the
job's page follows the background check and goes on by itself to the same preview and confirmation, and the
confirmed import runs as a job too."""

import numpy as np
import pyogrio
import pytest
import shapely

pytestmark = pytest.mark.browser


def parishes_file(tmp_path):
    """The canton's parishes as a GeoJSON, as an official one arrives (upper-case names, INEC codes)."""
    from centinela.territory.models import Parish

    parishes = list(Parish.objects.order_by("code"))
    path = tmp_path / "parroquias.geojson"
    pyogrio.raw.write(
        str(path),
        np.array([shapely.to_wkb(p.geometry) for p in parishes], dtype=object),
        [
            np.array([p.name.upper() for p in parishes], dtype=object),
            np.array([p.code for p in parishes], dtype=object),
        ],
        fields=["nombre", "codigo"],
        geometry_type="Unknown",
        crs="EPSG:4326",
    )
    return path, len(parishes)


def test_a_large_boundary_file_is_checked_in_the_background_and_the_page_goes_on_to_its_preview(
    page, site, login, tmp_path, settings
):
    from centinela.jobs.models import Job
    from centinela.jobs.services import run_pending
    from centinela.territory.models import GeometrySource, Parish

    settings.IMPORT_CHECK_IN_REQUEST_MAX_BYTES = 100  # this small file counts as large
    path, count = parishes_file(tmp_path)
    login(page, "tecnico")
    page.goto(site.url("/territorio/limites/importar/"))
    page.set_input_files("#id_file", str(path))
    page.click("form.narrow-form button[type=submit]")
    page.wait_for_url("**/trabajos/*/?follow=1")
    assert "se revisa en segundo plano" in page.content()
    assert Job.objects.get().kind == "territory.boundary_check" and run_pending() == 1
    page.wait_for_url("**/territorio/limites/importar/?checked=*", timeout=15_000)
    assert f"{count} por actualizar, 0 por crear" in page.locator("#import-preview").inner_text()
    page.click("#confirm-import")
    page.wait_for_url("**/trabajos/*/")
    assert run_pending() == 1
    page.locator("#job-status .job-state", has_text="Terminado").wait_for(timeout=15_000)
    assert Parish.objects.filter(geometry_source=GeometrySource.OFFICIAL).count() == count
    assert site.errors == []
