"""A technician uploads an ECU 911 file on the incident import page, checks the preview, confirms, and follows the
background job's progress bar to "Terminado"; the incidents are then in the list, each in its parish."""

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def profile(site):
    # live-server tests flush the database after each test: the shipped taxonomy is loaded again, as migrate does
    from centinela.incidents.models import Category, Source
    from centinela.incidents.services import save_profile
    from centinela.incidents.taxonomy import CATEGORIES, SOURCES

    for code, name, group in CATEGORIES:
        Category.objects.get_or_create(code=code, defaults={"name": name, "group": group})
    for code, name in SOURCES:
        Source.objects.get_or_create(code=code, defaults={"name": name})
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


def ecu911_file(tmp_path):
    from centinela.territory.models import Parish

    sagrario, valle = (Parish.objects.get(code=c) for c in ("110101", "110104"))
    rows = [
        ("E-1", "03/02/2021 22:15", "robo-personas", sagrario.centre_lon, sagrario.centre_lat, "Bolívar y Rocafuerte"),
        ("E-2", "04/02/2021 08:00", "Tránsito y movilidad", valle.centre_lon, valle.centre_lat, "El Valle"),
        ("E-3", "05/02/2021 13:30", "robo-motos", sagrario.centre_lon, sagrario.centre_lat, ""),
    ]
    lines = ["ID Incidente;Fecha;Servicio;Longitud;Latitud;Dirección"] + [";".join(map(str, r)) for r in rows]
    path = tmp_path / "ecu911.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def test_upload_preview_confirm_and_follow_the_job_to_the_list(page, site, login, profile, tmp_path):
    from centinela.incidents.models import Incident
    from centinela.jobs.services import run_pending

    login(page, "tecnico")
    page.goto(site.url("/incidentes/"))
    page.click("text=Importar un archivo")
    page.set_input_files("#id_file", str(ecu911_file(tmp_path)))
    page.select_option("#id_profile", label="ECU 911 export")
    page.click("#upload-form button[type=submit]")
    preview = page.locator("#import-preview")
    preview.wait_for()
    assert "3 filas revisadas: 3 nuevas" in preview.inner_text()
    assert "El Valle" in page.locator("#import-sample").inner_text()
    assert Incident.objects.count() == 0
    page.click("#confirm-import")
    page.wait_for_url("**/trabajos/*/")
    assert "En cola" in page.locator("#job-status").inner_text()
    assert run_pending() == 1  # the worker's loop, run here
    page.locator("#job-status .job-state", has_text="Terminado").wait_for(timeout=15_000)
    assert "100 %" in page.locator("#job-status").inner_text()
    assert "3 de 3 filas" in page.locator(".job-message").inner_text()
    page.click("a.job-result")
    page.wait_for_url("**/incidentes/?source=*")
    table = page.locator("#results").inner_text()
    assert "E-1" in table and "E-2" in table and "E-3" in table and "El Sagrario" in table
    assert site.errors == []


def test_a_file_with_a_bad_row_imports_the_valid_rows_only_when_the_box_is_ticked(page, site, login, profile, tmp_path):
    from centinela.incidents.models import Incident
    from centinela.jobs.services import run_pending

    path = ecu911_file(tmp_path)
    path.write_bytes(path.read_bytes() + "E-4;31/02/2021 10:00;robo-motos;-79.2;-4.0;\r\n".encode("cp1252"))
    login(page, "tecnico")
    page.goto(site.url("/incidentes/importar/"))
    page.set_input_files("#id_file", str(path))
    page.select_option("#id_profile", label="ECU 911 export")
    page.click("#upload-form button[type=submit]")
    problems = page.locator("#import-problems")
    problems.wait_for()
    assert 'fila 5 (E-4): columna "Fecha" (Fecha y hora): fecha ilegible: 31/02/2021 10:00' in problems.inner_text()
    with page.expect_download() as download:  # the rejected row, to correct and upload again
        page.click("#rejected-csv")
    text = download.value.path().read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].endswith(",motivo") and "E-4,31/02/2021 10:00" in text
    page.click("#confirm-import")  # the box is not ticked: the browser asks for it, nothing is sent
    assert page.locator("#apply-valid").evaluate("box => box.validity.valueMissing") is True
    page.wait_for_timeout(300)
    assert page.locator("#import-preview").is_visible() and "Marque la casilla" not in page.content()
    assert Incident.objects.count() == 0
    page.check("#apply-valid")
    page.click("#confirm-import")
    page.wait_for_url("**/trabajos/*/")
    assert run_pending() == 1
    page.locator("#job-status .job-state", has_text="Terminado").wait_for(timeout=15_000)
    assert set(Incident.objects.values_list("source_ref", flat=True)) == {"E-1", "E-2", "E-3"}
    assert site.errors == []


def test_the_chosen_profile_stays_selected_after_an_error(page, site, login, profile, tmp_path):
    from centinela.incidents.services import save_profile

    other = save_profile(
        "Policía (pruebas)",
        "ecu911",
        {"occurred_at": "Fecha", "category": "Servicio", "lon": "Longitud", "lat": "Latitud"},
        date_format="%d/%m/%Y %H:%M",
    )
    login(page, "tecnico")
    page.goto(site.url("/incidentes/importar/"))
    page.select_option("#id_profile", label="Policía (pruebas)")
    wrong = tmp_path / "informe.pdf"
    wrong.write_bytes(b"%PDF-1.4")
    page.set_input_files("#id_file", str(wrong))
    page.click("#upload-form button[type=submit]")
    page.locator(".has-error").first.wait_for()
    assert page.input_value("#id_profile") == str(other.pk)  # a file refused: the profile is still the chosen one

    bad = tmp_path / "malo.csv"
    bad.write_bytes(b"ID Incidente;Fecha;Servicio;Longitud;Latitud\r\nE-1;ayer;robo-motos;-79.2;-4.0\r\n")
    page.set_input_files("#id_file", str(bad))
    page.click("#upload-form button[type=submit]")
    page.locator("#import-problems").wait_for()
    assert page.input_value("#id_profile") == str(other.pk)  # every row refused: still the chosen one

    page.select_option("#id_profile", label="ECU 911 export")
    path = ecu911_file(tmp_path)
    path.write_bytes(path.read_bytes() + "E-4;ayer;robo-motos;-79.2;-4.0;\r\n".encode("cp1252"))
    page.set_input_files("#id_file", str(path))
    page.click("#upload-form button[type=submit]")
    page.locator("#import-preview").wait_for()
    page.click("#cancel-import")  # back from a preview with problems: the same profile, ready for the fixed file
    page.locator("#upload-form").wait_for()
    assert page.input_value("#id_profile") == str(profile.pk)
    assert site.errors == []


def test_a_large_file_is_checked_in_the_background_and_the_page_goes_on_to_its_preview(
    page, site, login, profile, tmp_path, settings
):
    """Over IMPORT_CHECK_IN_REQUEST_MAX_MB the request only stashes the file: the job's page follows the check and,
    once the worker has run it, goes on by itself to the same preview and confirmation."""
    from centinela.incidents.models import Incident
    from centinela.jobs.models import Job
    from centinela.jobs.services import run_pending

    settings.IMPORT_CHECK_IN_REQUEST_MAX_BYTES = 100  # this small file counts as large
    login(page, "tecnico")
    page.goto(site.url("/incidentes/importar/"))
    page.set_input_files("#id_file", str(ecu911_file(tmp_path)))
    page.select_option("#id_profile", label="ECU 911 export")
    page.click("#upload-form button[type=submit]")
    page.wait_for_url("**/trabajos/*/?follow=1")
    assert "se revisa en segundo plano" in page.content()
    assert Job.objects.get().kind == "incidents.check" and run_pending() == 1
    page.wait_for_url("**/incidentes/importar/?checked=*", timeout=15_000)
    preview = page.locator("#import-preview")
    assert "3 filas revisadas: 3 nuevas" in preview.inner_text()
    assert "El Valle" in page.locator("#import-sample").inner_text()
    page.click("#confirm-import")
    page.wait_for_url("**/trabajos/*/")
    assert run_pending() == 1
    page.locator("#job-status .job-state", has_text="Terminado").wait_for(timeout=15_000)
    assert Incident.objects.count() == 3
    assert site.errors == []
