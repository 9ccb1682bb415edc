"""Abuse and privacy on the public report page: at most PARTICIPATION_REPORTS_PER_HOUR reports an hour from one
address (then HTTP 429 with a Spanish message, nothing saved); a description that seems to carry a cédula or a phone
number flags the report to moderation, and it cannot be published until its public text no longer does."""

import pytest
from django.core.exceptions import ValidationError

from centinela.activities.cedula import cedula_is_valid as is_cedula
from centinela.participation import services
from centinela.participation.limits import personal_data_in
from centinela.participation.models import Report

from .conftest import file_report, solved

URL = "/participa/reportar/"


def form(category, point):
    return {"category": category.pk, "lon": point[0], "lat": point[1], "description": "Poste sin luz en la esquina"}


def test_a_flood_from_one_address_gets_429_in_spanish(client, cache_on, settings, categories, sagrario_point):
    settings.PARTICIPATION_REPORTS_PER_HOUR = 3
    data = form(categories["alumbrado-deficiente"], sagrario_point)
    for _ in range(3):
        assert client.post(URL, {**data, **solved()}, REMOTE_ADDR="203.0.113.7").status_code == 302
    response = client.post(URL, {**data, **solved()}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "Demasiados reportes desde su conexión" in response.content.decode()
    assert Report.objects.count() == 3
    # another address is not held back
    assert client.post(URL, {**data, **solved()}, REMOTE_ADDR="203.0.113.8").status_code == 302


def test_reports_with_errors_do_not_count(client, cache_on, settings, categories, sagrario_point):
    settings.PARTICIPATION_REPORTS_PER_HOUR = 1
    bad = {**form(categories["otro"], sagrario_point), "description": ""}
    for _ in range(3):
        assert client.post(URL, {**bad, **solved()}).status_code == 400
    assert client.post(URL, {**form(categories["otro"], sagrario_point), **solved()}).status_code == 302


def test_behind_the_proxy_the_address_it_appended_counts(client, cache_on, settings, categories, sagrario_point):
    settings.PARTICIPATION_REPORTS_PER_HOUR = 1
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    data = form(categories["otro"], sagrario_point)
    assert client.post(URL, {**data, **solved()}, HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.5").status_code == 302
    # a forged first entry does not reset the count
    assert client.post(URL, {**data, **solved()}, HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.5").status_code == 429
    assert client.post(URL, {**data, **solved()}, HTTP_X_FORWARDED_FOR="198.51.100.6").status_code == 302


def test_what_looks_like_a_cedula_or_a_phone():
    assert is_cedula("1104680135") and not is_cedula("1104680136") and not is_cedula("0991112233")
    assert personal_data_in("El que vende es 1104680135") == ["cedula"]
    assert personal_data_in("Llamen al 099 111 2233") == ["phone"]
    assert personal_data_in("Tel. 07-257-0123") == ["phone"]
    assert personal_data_in("Desde el 12-03-2024, en la calle 10 de Agosto") == []
    assert personal_data_in("Poste sin luz en la esquina") == []


def test_a_report_carrying_a_cedula_is_flagged_and_not_published_until_edited(categories, sagrario_point, users):
    staff = users["tecnico"]
    report = file_report(categories["otro"], sagrario_point, description="El dueño, cédula 1104680135, no responde")
    assert report.flagged
    with pytest.raises(ValidationError) as caught:
        services.publish(staff, report, True)
    assert "published" in caught.value.message_dict
    services.edit_public_text(staff, report, "El dueño no responde")
    assert not report.flagged
    services.publish(staff, report, True)
    report.refresh_from_db()
    assert report.published and "1104680135" in report.description  # the reporter's words are kept for staff


def test_a_published_reports_text_cannot_be_edited_to_carry_a_cedula_or_a_phone(
    categories, sagrario_point, users, client
):
    """Publishing refuses a public text with a cédula or a phone number; editing the text of a report already
    published must refuse it too, or it reaches the public map, its list and the open data."""
    staff = users["tecnico"]
    report = file_report(categories["otro"], sagrario_point, description="Poste sin luz")
    services.publish(staff, report, True)
    for text in ("El dueño, cédula 1104680135, no responde", "Llamen al 099 111 2233"):
        with pytest.raises(ValidationError) as caught:
            services.edit_public_text(staff, report, text)
        assert "public_text" in caught.value.message_dict
    report.refresh_from_db()
    assert report.public_text == "Poste sin luz" and report.published and not report.flagged
    public = b"".join(client.get("/participa/mapa/", {"export": "csv"}).streaming_content).decode()
    assert "1104680135" not in public and "Poste sin luz" in public
    services.publish(staff, report, False)  # off the map, the text may be edited (and waits for moderation)
    services.edit_public_text(staff, report, "Llamen al 099 111 2233")
    assert report.flagged


def test_a_plain_report_is_not_flagged(categories, sagrario_point):
    assert not file_report(categories["otro"], sagrario_point).flagged


def test_staff_see_the_flag_and_filter_the_inbox_by_it(client_for, categories, sagrario_point):
    flagged = file_report(categories["otro"], sagrario_point, description="Llamen al 0991112233")
    plain = file_report(categories["otro"], sagrario_point)
    c = client_for("tecnico")
    assert "cédula o un teléfono" in c.get(flagged.get_absolute_url()).content.decode()
    page = c.get("/participa/reportes/?flagged=true").content.decode()
    assert flagged.code in page and plain.code not in page


def test_a_flood_from_one_contact_gets_429_from_any_connection(client, settings, categories, sagrario_point):
    settings.PARTICIPATION_REPORTS_PER_CONTACT_PER_DAY = 2
    data = {
        **form(categories["alumbrado-deficiente"], sagrario_point),
        "contact_email": "Rosa@Example.ec",
        "consent": "on",
    }
    assert client.post(URL, {**data, **solved()}, REMOTE_ADDR="203.0.113.1").status_code == 302
    assert client.post(URL, {**data, **solved()}, REMOTE_ADDR="203.0.113.2").status_code == 302
    response = client.post(URL, {**data, "contact_email": "rosa@example.ec", **solved()}, REMOTE_ADDR="203.0.113.3")
    assert response.status_code == 429
    assert "Demasiados reportes con este contacto en las últimas 24 horas" in response.content.decode()
    assert Report.objects.count() == 2
    # the same phone written another way is the same contact; another person is not limited
    phone = {**form(categories["otro"], sagrario_point), "contact_phone": "099 111 2233", "consent": "on"}
    assert client.post(URL, {**phone, **solved()}).status_code == 302
    assert client.post(URL, {**phone, "contact_phone": "0991112233", **solved()}).status_code == 302
    assert client.post(URL, {**phone, "contact_phone": "+593 99 111 2233", **solved()}).status_code == 429
    assert client.post(URL, {**phone, "contact_phone": "0987654321", **solved()}).status_code == 302


def test_the_contact_limit_counts_only_the_last_24_hours(settings, categories, sagrario_point):
    from datetime import timedelta

    from django.utils import timezone

    settings.PARTICIPATION_REPORTS_PER_CONTACT_PER_DAY = 1
    contact = services.Contact(email="rosa@example.ec", consent=True)
    first = file_report(categories["otro"], sagrario_point, contact=contact)
    with pytest.raises(ValidationError):
        file_report(categories["otro"], sagrario_point, contact=contact)
    Report.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=25))
    file_report(categories["otro"], sagrario_point, contact=contact)
    assert Report.objects.count() == 2
