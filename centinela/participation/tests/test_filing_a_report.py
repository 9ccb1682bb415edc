"""A resident files a report on the public page, without an account: anonymously or leaving a contact with consent;
the report is located in its parish and barrio, photos are stored without their metadata, and the resident is sent
to the private tracking page, which shows the code and the link."""

import io

from django.urls import reverse
from PIL import Image

from centinela.participation.models import Report, ReportUpdate
from centinela.participation.services import CODE_ALPHABET

from .conftest import jpeg, mpo, solved

URL = "/participa/reportar/"


def form(category, point, **extra):
    return {
        "category": category.pk,
        "lon": point[0],
        "lat": point[1],
        "description": "Poste sin luz en la esquina, todo oscuro desde el lunes",
        **solved(),
        **extra,
    }


def test_the_report_page_opens_without_an_account_and_says_to_call_911(client, categories):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Para una emergencia llame al 911" in page
    assert "Alumbrado deficiente" in page and "Consumo o venta de drogas en vía pública" in page
    assert 'name="website"' in page  # the honeypot


def test_an_anonymous_report_is_saved_located_and_answered_with_its_code_and_private_link(
    client, categories, sagrario_point
):
    response = client.post(URL, form(categories["alumbrado-deficiente"], sagrario_point))
    assert response.status_code == 302
    report = Report.objects.get()
    assert response["Location"] == report.tracking_path() + "?nuevo=1"
    assert report.anonymous and not report.contact_consent and report.consent_at is None
    assert report.parish.code == "110101"
    assert report.status == Report.Status.RECEIVED
    assert report.public_text == report.description
    assert report.code.startswith("R-") and all(c in CODE_ALPHABET for c in report.code[2:])
    assert len(report.token) >= 40
    assert ReportUpdate.objects.filter(report=report, status_to="received").exists()
    page = client.get(response["Location"]).content.decode()
    assert report.code in page and report.tracking_path() in page
    assert "Su reporte fue recibido" in page


def test_a_report_with_contact_keeps_the_consent_and_its_time(client, categories, sagrario_point):
    data = form(
        categories["ruido-libadores"],
        sagrario_point,
        contact_name="Rosa Quizhpe",
        contact_phone="0991112233",
        contact_email="rosa@example.ec",
        consent="on",
    )
    assert client.post(URL, data).status_code == 302
    report = Report.objects.get()
    assert (report.contact_name, report.contact_phone, report.contact_email) == (
        "Rosa Quizhpe",
        "0991112233",
        "rosa@example.ec",
    )
    assert report.contact_consent and report.consent_at is not None


def test_photos_are_stored_without_their_gps_position(client, categories, sagrario_point):
    data = form(categories["lugar-abandonado"], sagrario_point, photos=[jpeg("a.jpg"), jpeg("b.jpg")])
    assert client.post(URL, data).status_code == 302
    report = Report.objects.get()
    photos = list(report.photos.all())
    assert len(photos) == 2
    for photo in photos:
        stored = Image.open(io.BytesIO(photo.file.read()))
        assert not stored.getexif().get_ifd(0x8825) and 0x010F not in stored.getexif()
        assert photo.content_type == "image/jpeg"


def test_a_phones_multi_picture_jpeg_is_accepted_as_a_jpeg_without_its_gps_position(client, categories, sagrario_point):
    """Phones often save a photo as MPO (a JPEG with a second picture after it): it is accepted, stored as a plain
    JPEG of its first picture, re-encoded without the EXIF (GPS position, camera)."""
    upload = mpo()
    assert Image.open(io.BytesIO(upload.read())).format == "MPO"  # what the check sees
    upload.seek(0)
    data = form(categories["lugar-abandonado"], sagrario_point, photos=[upload])
    assert client.post(URL, data).status_code == 302
    (photo,) = Report.objects.get().photos.all()
    stored = Image.open(io.BytesIO(photo.file.read()))
    assert stored.format == "JPEG" and photo.content_type == "image/jpeg" and photo.file.name.endswith(".jpg")
    assert getattr(stored, "n_frames", 1) == 1
    assert not stored.getexif() and "exif" not in stored.info
    assert stored.convert("RGB").getpixel((10, 10))[0] > 150  # the first picture (red), not the second


def test_each_report_gets_its_own_code_and_link(categories, sagrario_point):
    from .conftest import file_report

    a = file_report(categories["otro"], sagrario_point)
    b = file_report(categories["otro"], sagrario_point)
    assert a.code != b.code and a.token != b.token


def test_the_tracking_link_of_a_report_reverses_to_its_token(report):
    assert reverse("participation:track", args=[report.token]) == report.tracking_path()
