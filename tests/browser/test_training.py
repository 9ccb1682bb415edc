"""Trainings as people use them, in a real Chromium: a technician creates a training, takes attendance on a
phone-sized screen, marks it done, issues a certificate that anyone can verify on the public page; an attendee
checks in through the QR page; a parish president sees only their own parish.

Assertions use ids, classes, URLs and data attributes rather than Spanish text."""

import re
from datetime import date, datetime, time
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.filterwarnings("ignore:No directory at:UserWarning")]

PHONE_WIDTH = 390


@pytest.fixture
def plan(site):
    """A plan of the current year with a training programme, two partner institutions and one known resident."""
    from django.utils import timezone

    from centinela.activities.models import Person, Plan, Programme
    from centinela.partners.models import Institution
    from centinela.territory.models import Barrio, Parish, Place

    year = timezone.localdate().year
    plan = Plan.objects.create(name=f"Plan cantonal {year}", starts_on=date(year, 1, 1), ends_on=date(year, 12, 31))
    return {
        "year": year,
        "programme": Programme.objects.create(
            plan=plan, code="P1", name="Capacitación preventiva", kind=Programme.Kind.TRAINING
        ),
        "police": Institution.objects.create(name="Policía Nacional", kind=Institution.Kind.PUBLIC),
        "fire": Institution.objects.create(name="Cuerpo de Bomberos de Loja", kind=Institution.Kind.PUBLIC),
        "salon": Place.objects.get(name__startswith="Salón de los Alcaldes"),
        "centro": Barrio.objects.get(name="Centro Histórico"),
        "sagrario": Parish.objects.get(code="110101"),
        "valle": Parish.objects.get(code="110104"),
        "jorge": Person.objects.create(
            first_names="Jorge",
            last_names="Pineda Ríos",
            cedula="1104680135",
            age_band="45-64",
            sex="M",
            parish=Parish.objects.get(code="110101"),
            consent=True,
            consent_at=timezone.now(),
        ),
    }


def _make_training(plan, topic, parish, **extra):
    from django.utils import timezone

    from centinela.activities.models import Activity, Training

    activity = Activity.objects.create(
        programme=plan["programme"],
        kind=Activity.Kind.TRAINING,
        title=topic,
        parish=parish,
        starts_at=timezone.make_aware(datetime.combine(date(plan["year"], 6, 15), time(9))),
    )
    return Training.objects.create(activity=activity, topic=topic, **extra)


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_technician_creates_a_training_takes_attendance_on_a_phone_and_issues_a_verifiable_certificate(
    browser, page, phone_page, site, login, plan
):
    from centinela.activities.models import Attendance, Training

    # 1. Create the training on a desktop screen.
    login(page, "tecnico")
    page.goto(site.url("/actividades/capacitaciones/"))
    with page.expect_navigation():
        page.click("#new-training")
    page.select_option("#id_programme", str(plan["programme"].pk))
    page.fill("#id_topic", "Prevención del delito en el barrio")
    page.fill("#id_audience", "Dirigentes barriales y moradores")
    page.fill("#id_starts_at", f"{plan['year']}-06-15T09:00")
    page.fill("#id_hours", "3")
    page.select_option("#id_place", str(plan["salon"].pk))
    page.check(f"input[name=barrios][value='{plan['centro'].pk}']")
    page.check(f"input[name=institutions][value='{plan['fire'].pk}']")
    page.select_option("#id_speakers-0-institution", str(plan["police"].pk))
    page.fill("#id_speakers-0-name", "Cbop. Ana Torres")
    with page.expect_navigation():
        page.click("#save-training")
    training = Training.objects.get()
    assert urlsplit(page.url).path == f"/actividades/capacitaciones/{training.pk}/"
    assert training.activity.parish == plan["sagrario"]  # from the Salón de los Alcaldes
    assert page.get_attribute(".training-detail", "data-status") == "planned"

    # 2. Take attendance on a phone: add a new person, then find a known one and mark them with one tap.
    login(phone_page, "tecnico")
    phone_page.goto(site.url(f"/actividades/capacitaciones/{training.pk}/asistencia/"))
    assert _no_sideways_scroll(phone_page)
    assert phone_page.inner_text("#present-count").strip() == "0"
    phone_page.click("#add-person summary")
    phone_page.fill("#id_new-first_names", "Rosa Elena")
    phone_page.fill("#id_new-last_names", "Guamán Quizhpe")
    phone_page.fill("#id_new-cedula", "1710034066")  # a typo in the check digit
    phone_page.select_option("#id_new-age_band", "30-44")
    phone_page.select_option("#id_new-sex", "F")
    phone_page.select_option("#id_new-role", "barrio_leader")
    phone_page.check("#id_new-consent")
    with phone_page.expect_navigation():
        phone_page.click("#add-and-mark")
    assert phone_page.locator("#field-new-cedula .errorlist").is_visible()  # refused, and what was typed is kept
    assert phone_page.input_value("#id_new-first_names") == "Rosa Elena"
    phone_page.fill("#id_new-cedula", "1710034065")
    phone_page.check("#id_new-consent")
    with phone_page.expect_navigation():
        phone_page.click("#add-and-mark")
    assert phone_page.inner_text("#present-count").strip() == "1"

    phone_page.evaluate("window.__samePage = true")
    phone_page.locator("#person-search").press_sequentially("Pineda", delay=30)
    row = phone_page.locator(f"#search-results li.result[data-person='{plan['jorge'].pk}']")
    row.wait_for()
    button = row.locator("button.mark-present")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["x"] + box["width"] <= PHONE_WIDTH  # a thumb-sized target, on screen
    button.tap()
    phone_page.wait_for_selector(f"#search-results li.result.is-present[data-person='{plan['jorge'].pk}']")
    assert phone_page.inner_text("#present-count").strip() == "2"
    assert phone_page.locator(f"#present-list li[data-person='{plan['jorge'].pk}']").count() == 1
    assert phone_page.evaluate("window.__samePage") is True  # marked in place, no reload
    assert _no_sideways_scroll(phone_page)
    assert Attendance.objects.filter(training=training, attended=True).count() == 2

    # 3. Back at the desk: mark the training done and issue the certificates.
    page.goto(site.url(f"/actividades/capacitaciones/{training.pk}/"))
    page.select_option("#id_status", "done")
    with page.expect_navigation():
        page.click("#save-status")
    assert page.get_attribute(".training-detail", "data-status") == "done"
    with page.expect_navigation():
        page.click("#issue-certificates")
    links = page.locator("a.certificate")
    assert links.count() == 2
    rosa = Attendance.objects.get(training=training, person__cedula="1710034065")
    code = rosa.certificate_code
    assert re.fullmatch(r"[A-Z2-9]{10}", code)
    assert page.locator("td.cedula").first.inner_text().strip().count("*") == 6  # a technician sees it masked
    pdf = page.request.get(site.url(page.locator(f"a.certificate[data-code='{code}']").get_attribute("href")))
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF") and code.encode() in pdf.body()

    # 4. Anyone, logged out, verifies the certificate on the public page.
    context = browser.new_context(locale="es-EC")
    try:
        public = context.new_page()
        response = public.goto(site.url(f"/actividades/certificados/{code}/"))
        assert response.status == 200
        assert public.locator("#certificate-valid").is_visible()
        assert public.get_attribute("#certificate-valid", "data-code") == code
        assert "Guamán Quizhpe" in public.inner_text("#certificate-name")
        assert "Prevención del delito" in public.inner_text("#certificate-training")
        assert "1710034065" not in public.content() and public.locator("nav.mainnav").count() == 0
        public.fill("#id_codigo", "ABCDEFGHJK")
        with public.expect_navigation():
            public.click("#verify-form button")
        assert public.locator("#certificate-not-found").is_visible()
    finally:
        context.close()
    assert site.errors == []


def test_attendee_checks_in_with_the_qr_page_on_their_phone(browser, page, site, login, plan):
    from centinela.activities.models import Attendance

    training = _make_training(plan, "Primeros auxilios", plan["sagrario"])
    login(page, "tecnico")
    page.goto(site.url(f"/actividades/capacitaciones/{training.pk}/"))
    with page.expect_navigation():
        page.click("#open-checkin")
    assert page.get_attribute("#checkin-panel", "data-open") == "1"
    assert page.locator("#checkin-panel .qr svg").is_visible()
    checkin_url = page.get_attribute("#checkin-url", "href")
    assert training.checkin_token in checkin_url

    context = browser.new_context(
        locale="es-EC", viewport={"width": PHONE_WIDTH, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        phone = context.new_page()
        phone.goto(checkin_url)
        assert _no_sideways_scroll(phone)
        phone.fill("#id_c-first_names", "Lucía")
        phone.fill("#id_c-last_names", "Armijos")
        phone.fill("#id_c-cedula", "0102030400")
        phone.select_option("#id_c-age_band", "18-29")
        assert phone.is_checked("#id_c-participation_0")  # trainee unless the person says otherwise
        phone.get_by_label("Personal de apoyo (Policía, Bomberos, ECU 911…)").check()  # tapping the label's text
        assert _no_sideways_scroll(phone)
        phone.check("#id_c-consent")
        with phone.expect_navigation():
            phone.click("#checkin-submit")
        assert phone.locator("#checkin-done").is_visible()
    finally:
        context.close()
    attendance = Attendance.objects.get(training=training)
    assert attendance.via == "self" and attendance.person.last_names == "Armijos"
    assert attendance.participation == "support"


def test_parish_president_sees_only_their_parish(page, site, login, plan):
    own = _make_training(plan, "Seguridad en El Sagrario", plan["sagrario"])
    other = _make_training(plan, "Seguridad en El Valle", plan["valle"])

    login(page, "presidente.sagrario")
    page.goto(site.url("/actividades/capacitaciones/"))
    assert int(page.get_attribute("span.total", "data-total")) == 1
    link = page.locator("table.list tbody tr a").first
    assert urlsplit(link.get_attribute("href")).path == f"/actividades/capacitaciones/{own.pk}/"
    assert page.goto(site.url(f"/actividades/capacitaciones/{own.pk}/")).status == 200
    assert page.goto(site.url(f"/actividades/capacitaciones/{other.pk}/")).status == 404
    assert page.goto(site.url(f"/actividades/capacitaciones/{other.pk}/asistencia/")).status == 404

    page.goto(site.url("/actividades/capacitaciones/cobertura/"))
    parishes = page.locator("table.coverage-table tr.parish")
    assert parishes.count() == 1
    assert parishes.first.get_attribute("data-parish") == str(plan["sagrario"].pk)
    assert page.locator("table.coverage-table tr.canton").count() == 0
