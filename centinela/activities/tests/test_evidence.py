"""Evidence: checked by content and size, photos stripped of metadata (GPS), served only through the permission
check."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from centinela.activities.models import Evidence
from centinela.activities.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path


def photo_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CamaraMarca"  # Make
    gps = {1: "S", 2: (3.0, 59.0, 45.0), 3: "W", 4: (79.0, 12.0, 6.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(client, activity, data: bytes, name: str, kind="photo"):
    return client.post(
        reverse("activities:evidence_upload", args=[activity.pk]),
        {"kind": kind, "title": "", "file": SimpleUploadedFile(name, data)},
        follow=True,
    )


def test_photo_metadata_is_stripped():
    raw = photo_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif().get_ifd(0x8825)  # the original carries a GPS position


def test_uploaded_photo_keeps_no_gps_and_is_served_to_those_who_may_see_it(client_for):
    activity = f.activity(parish_code="110101")
    response = upload(client_for("tecnico"), activity, photo_with_gps(), "foto.jpg")
    assert response.status_code == 200
    evidence = Evidence.objects.get(activity=activity)
    stored = Image.open(evidence.file.open("rb"))
    assert not stored.getexif().get_ifd(0x8825) and 0x010F not in stored.getexif()
    assert evidence.content_type == "image/jpeg" and evidence.size == evidence.file.size
    assert client_for("enlace.policia").get(reverse("activities:evidence_file", args=[evidence.pk])).status_code == 200
    assert (
        client_for("presidente.valle").get(reverse("activities:evidence_file", args=[evidence.pk])).status_code == 404
    )


def test_wrong_type_and_disguised_files_are_refused(client_for):
    activity = f.activity()
    c = client_for("tecnico")
    page = upload(c, activity, b"MZ\x90\x00 not really a pdf", "informe.pdf", kind="document").content.decode()
    assert "No se aceptan archivos de este tipo" in page
    page = upload(c, activity, b"%PDF-1.4 ...", "foto.jpg", kind="photo").content.decode()
    assert "Una foto debe ser una imagen" in page
    assert not Evidence.objects.exists()


def test_too_large_is_refused(client_for, settings):
    settings.EVIDENCE_MAX_BYTES = 1000
    activity = f.activity()
    page = upload(
        client_for("tecnico"), activity, b"%PDF-1.4" + b"0" * 2000, "acta.pdf", kind="minutes"
    ).content.decode()
    assert "demasiado grande" in page
    assert not Evidence.objects.exists()


def test_pdf_minutes_are_accepted(client_for):
    activity = f.activity()
    upload(client_for("tecnico"), activity, b"%PDF-1.4\n%minutes\n", "acta.pdf", kind="minutes")
    evidence = Evidence.objects.get()
    assert evidence.content_type == "application/pdf" and evidence.file.name.endswith(".pdf")


def test_liaison_cannot_upload(client_for):
    activity = f.activity()
    response = client_for("enlace.ecu911").post(
        reverse("activities:evidence_upload", args=[activity.pk]),
        {"kind": "photo", "file": SimpleUploadedFile("a.jpg", photo_with_gps())},
    )
    assert response.status_code == 403 and not Evidence.objects.exists()
