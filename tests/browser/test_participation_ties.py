"""Browser tests of the citizen reports' ties (issue 12 item 6): on a phone, the camera code field shows only for a
"cámara dañada" report, and the report it files opens the camera's maintenance ticket; on the network dashboard the
technician sees the open reports as a layer beside the cameras, each linking to its report."""

from urllib.parse import urlsplit

import pytest

from centinela.participation.tests.conftest import solve

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]


def test_a_resident_reports_a_damaged_camera_by_its_code(phone_page, site, settings, tmp_path):
    from centinela.cameras.tests.test_inventory_factories import make_device
    from centinela.participation.categories import ensure_categories
    from centinela.participation.models import Report, ReportCategory

    settings.MEDIA_ROOT = tmp_path
    ensure_categories(ReportCategory)
    camera = make_device(code="CAM-PARQUE-3", lifecycle="operational")
    page = phone_page

    page.goto(site.url("/participa/reportar/"))
    assert not page.locator("#id_camera_code").is_visible()  # a lighting report asks for no camera
    light = ReportCategory.objects.get(code="alumbrado-deficiente")
    page.locator(f"input[name=category][value='{light.pk}']").tap()
    assert not page.locator("#id_camera_code").is_visible()
    broken = ReportCategory.objects.get(code="camara-danada")
    page.locator(f"input[name=category][value='{broken.pk}']").tap()
    assert page.locator("#id_camera_code").is_visible()

    # a wrong code: the page says so next to the field, and nothing is filed
    page.wait_for_selector("#map[data-ready='1']")
    page.locator("#map").tap()
    page.fill("#id_description", "La cámara del parque está colgando de un cable")
    page.fill("#id_camera_code", "CAM-NO-EXISTE")
    with page.expect_navigation():
        page.locator("#report-submit").tap()
    assert "No existe una cámara con el código CAM-NO-EXISTE" in page.inner_text("#field-camera_code")
    assert page.locator("#id_camera_code").is_visible()
    assert not Report.objects.exists()

    page.locator(f"input[name=category][value='{broken.pk}']").tap()
    page.fill("#id_camera_code", "cam-parque-3")
    page.fill("#id_challenge_answer", str(solve(page.inner_text("#challenge-question"))))
    with page.expect_navigation():
        page.locator("#report-submit").tap()
    report = Report.objects.get()
    assert urlsplit(page.url).path == report.tracking_path()
    assert report.camera == camera and report.ticket.device == camera
    assert site.errors == []


def test_the_network_dashboard_shows_the_open_reports_beside_the_cameras(page, site, login, settings, tmp_path):
    from centinela.cameras.tests.test_inventory_factories import make_device
    from centinela.participation import services
    from centinela.participation.categories import ensure_categories
    from centinela.participation.models import ReportCategory
    from centinela.territory.models import Parish

    settings.MEDIA_ROOT = tmp_path
    settings.VAR_DIR = tmp_path
    ensure_categories(ReportCategory)
    make_device(code="CAM-DASH-1", lifecycle="operational")
    sagrario = Parish.objects.get(code="110101")
    report = services.file_report(
        category=ReportCategory.objects.get(code="lugar-abandonado"),
        lon=sagrario.centre_lon + 0.0004,
        lat=sagrario.centre_lat + 0.0004,
        description="Casa abandonada donde se reúnen de noche",
    )

    login(page, "tecnico")
    page.goto(site.url("/camaras/"))
    page.wait_for_selector("#map[data-ready='1']")
    assert page.locator("path.camera-marker").count() == 1
    markers = page.locator("path.report-marker")
    assert markers.count() == 1
    assert "Reportes ciudadanos" in page.inner_text(".leaflet-control-layers")
    markers.first.click(force=True)
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert report.code in popup.inner_text()
    with page.expect_navigation():
        popup.locator(f"a[href='{report.get_absolute_url()}']").click()
    assert urlsplit(page.url).path == report.get_absolute_url()
    assert not site.errors
