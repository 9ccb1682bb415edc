"""Issue 12, "done when", end to end in a real browser: a resident files a report with a photo on a 390 px phone and
gets its code and private link; staff sign in, triage it (in review), assign it to an institution, move it to in
progress, merge a second resident's report of the same problem into it, resolve it, each with a public update; the
resident reads every public update through the link, and every step reached both residents by e-mail (the live
server runs in this process: Django's locmem backend collects the mails in django.core.mail.outbox), the second
resident always with the link of their own report. The drug report on the public map: test_participation.py."""

import io
from urllib.parse import urlsplit

import pytest
from PIL import Image

from centinela.participation.tests.conftest import solve

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

PHONE_WIDTH = 390
RESIDENT = "vecina.prueba@example.com"
SECOND = "vecino.dos@example.com"
UPDATES = {
    "in_review": "Recibimos su reporte y lo estamos revisando.",
    "in_progress": "La cuadrilla de alumbrado visitará el lugar esta semana.",
    "resolved": "Se reemplazó la luminaria del poste.",
}
NOTE = "Nota interna: el comité barrial confirmó el lugar."


def _photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 90, 40)).save(out, format="JPEG")
    return out.getvalue()


def _save(page, form_id):
    with page.expect_navigation():
        page.click(f"#{form_id} button[type=submit]")
    assert page.locator("p.message.success").count() == 1, page.inner_text("main")


def _update(page, status, text, public=True):
    page.select_option("#update-form select[name=status]", status)
    page.check(f"#update-form input[name=visibility][value={'public' if public else 'note'}]")
    page.fill("#update-form textarea[name=text]", text)
    _save(page, "update-form")


def test_a_report_from_a_phone_is_triaged_resolved_and_followed_by_its_reporters(
    phone_page, page, site, login, settings, tmp_path
):
    from django.core import mail

    from centinela.participation import services
    from centinela.participation.categories import ensure_categories
    from centinela.participation.models import Report, ReportCategory
    from centinela.partners.models import Institution
    from centinela.territory.models import Parish

    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ensure_categories(ReportCategory)
    municipio = Institution.objects.create(name="Municipio de Loja", kind="public")
    sagrario = Parish.objects.get(code="110101")
    light = ReportCategory.objects.get(code="alumbrado-deficiente")
    mail.outbox.clear()

    # --- the resident, on a phone ---
    resident = phone_page
    resident.goto(site.url("/participa/reportar/"))
    resident.locator(f"input[name=category][value='{light.pk}']").tap()
    resident.wait_for_selector("#map[data-ready='1']")
    resident.context.grant_permissions(["geolocation"], origin=site.base_url)
    resident.context.set_geolocation({"latitude": sagrario.centre_lat, "longitude": sagrario.centre_lon})
    resident.locator("#use-my-position").tap()
    resident.wait_for_function(
        f"() => Math.abs(parseFloat(document.getElementById('id_lat').value) - {sagrario.centre_lat}) < 1e-5"
    )
    resident.fill("#id_description", "El poste frente a la iglesia está sin luz desde hace una semana")
    resident.set_input_files("#id_photos", files=[{"name": "poste.jpg", "mimeType": "image/jpeg", "buffer": _photo()}])
    resident.fill("#id_contact_email", RESIDENT)
    resident.locator("#id_consent").check()
    resident.fill("#id_challenge_answer", str(solve(resident.inner_text("#challenge-question"))))
    with resident.expect_navigation():
        resident.locator("#report-submit").tap()
    report = Report.objects.get()
    code = resident.inner_text("#report-code").strip()
    link = resident.get_attribute("#private-link", "href")
    assert code == report.code and urlsplit(link).path == report.tracking_path()
    assert report.photos.count() == 1 and report.contact_email == RESIDENT
    assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert [m.to for m in mail.outbox] == [[RESIDENT]] and link in mail.outbox[0].body

    # a neighbour reports the same lamp a few steps away (the service the page calls)
    second = services.file_report(
        category=light,
        lon=report.lon + 0.0002,
        lat=report.lat,
        description="Poste apagado frente a la iglesia",
        contact=services.Contact(email=SECOND, consent=True),
        base_url=site.base_url,
    )
    second_link = site.url(second.tracking_path())
    assert mail.outbox[-1].to == [SECOND]

    # --- staff, at the office ---
    login(page, "tecnico")
    page.goto(site.url("/participa/reportes/"))
    with page.expect_navigation():
        page.click(f"a:text-is('{code}')")
    assert urlsplit(page.url).path == report.get_absolute_url()
    _update(page, "in_review", UPDATES["in_review"])
    _update(page, "in_review", NOTE, public=False)
    page.select_option("#assign-form select[name=institution]", str(municipio.pk))
    _save(page, "assign-form")
    _update(page, "in_progress", UPDATES["in_progress"])

    page.goto(site.url(second.get_absolute_url()))
    assert code in page.inner_text("#duplicate-candidates")
    _save(page, "duplicate-candidates")
    second.refresh_from_db()
    assert second.status == Report.Status.DUPLICATE and second.duplicate_of_id == report.pk

    page.goto(site.url(report.get_absolute_url()))
    assert second.code in page.inner_text("#merged-reports")
    _update(page, "resolved", UPDATES["resolved"])
    report.refresh_from_db()
    assert report.status == Report.Status.RESOLVED and report.assigned_institution == municipio

    # --- the resident follows the private link ---
    resident.goto(link)
    history = resident.inner_text("#report-history")
    for text in [*UPDATES.values(), "Asignado a Municipio de Loja."]:
        assert text in history
    assert NOTE not in history
    assert "Resuelto" in resident.inner_text("#report-status")
    assert resident.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    # the merged report's reporter follows the kept report
    resident.goto(second_link)
    kept = resident.inner_text("#kept-report")
    assert code in kept and UPDATES["resolved"] in kept

    # --- the e-mails: every public step, to both reporters once merged, never the internal note ---
    to_resident = [m for m in mail.outbox if m.to == [RESIDENT]]
    assert [m.subject for m in to_resident] == [
        f"Su reporte {code}: {status}" for status in ("Recibido", "En revisión", "Asignado", "En proceso", "Resuelto")
    ]
    for text in UPDATES.values():
        assert any(text in m.body for m in to_resident)
    to_second = [m for m in mail.outbox if m.to == [SECOND]]
    assert [m.subject for m in to_second] == [
        f"Su reporte {second.code}: Recibido",
        f"Su reporte {second.code}: Duplicado",
        f"Su reporte {second.code}: Resuelto",
    ]
    assert f"se fusionó en {code}" in to_second[1].body
    assert UPDATES["resolved"] in to_second[2].body
    assert all(report.token not in m.body for m in to_second)
    assert second.token in to_second[2].body
    assert not any(NOTE in m.body for m in mail.outbox)
    assert site.errors == []
