"""Every bad input on the public report page gets a clear Spanish message next to its field, the page answers 400
(never a 500), and nothing is saved: no report, no photo, no file."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from centinela.participation.models import DESCRIPTION_MAX, Report, ReportPhoto, ReportUpdate

from .conftest import OUTSIDE, jpeg, solved

URL = "/participa/reportar/"


def form(categories, point, **extra):
    data = {
        "category": categories["alumbrado-deficiente"].pk,
        "lon": point[0],
        "lat": point[1],
        "description": "Poste sin luz",
    }
    data.update(solved())
    data.update(extra)
    return {k: v for k, v in data.items() if v is not None}


def refused(client, data, message):
    response = client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0 and ReportUpdate.objects.count() == 0
    return response


def test_a_place_outside_the_canton_is_refused(client, categories):
    refused(client, form(categories, OUTSIDE), "El lugar está fuera del cantón Loja")


def test_a_report_without_a_place_is_refused(client, categories, sagrario_point):
    refused(client, form(categories, sagrario_point, lon="", lat=""), "Elija el lugar en el mapa o use su ubicación")


@pytest.mark.parametrize("lon", ["abc", "nan", "inf"])
def test_a_position_that_is_not_a_number_is_refused(client, categories, sagrario_point, lon):
    response = client.post(URL, form(categories, sagrario_point, lon=lon))
    assert response.status_code == 400
    assert Report.objects.count() == 0


def test_an_empty_description_is_refused(client, categories, sagrario_point):
    refused(client, form(categories, sagrario_point, description="   "), "Describa lo que está pasando")


def test_a_very_long_description_is_refused(client, categories, sagrario_point):
    refused(
        client,
        form(categories, sagrario_point, description="x" * (DESCRIPTION_MAX + 1)),
        "La descripción es demasiado larga",
    )


def test_an_unknown_category_is_refused(client, categories, sagrario_point):
    refused(client, form(categories, sagrario_point, category="999999"), "Elija una de las categorías")


def test_a_retired_category_is_refused(client, categories, sagrario_point):
    retired = categories["otro"]
    retired.active = False
    retired.save()
    refused(client, form(categories, sagrario_point, category=retired.pk), "Elija una de las categorías")


def test_a_missing_category_is_refused(client, categories, sagrario_point):
    refused(client, form(categories, sagrario_point, category=None), "Elija una de las categorías")


def test_a_photo_that_is_not_an_image_is_refused(client, categories, sagrario_point):
    fake = SimpleUploadedFile("foto.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    refused(client, form(categories, sagrario_point, photos=[fake]), "Una foto debe ser una imagen JPEG, PNG o WebP")


def test_more_than_three_photos_are_refused(client, categories, sagrario_point):
    photos = [jpeg(f"{i}.jpg") for i in range(4)]
    refused(client, form(categories, sagrario_point, photos=photos), "Como máximo 3 fotos")


def test_a_photo_too_large_is_refused(client, categories, sagrario_point, monkeypatch):
    from centinela.participation import services

    monkeypatch.setattr(services, "PHOTO_MAX_BYTES", 100)
    refused(client, form(categories, sagrario_point, photos=[jpeg()]), "El archivo es demasiado grande")


def test_a_photo_with_too_many_pixels_is_refused(client, categories, sagrario_point, settings):
    settings.IMAGE_MAX_PIXELS = 1000
    refused(client, form(categories, sagrario_point, photos=[jpeg(size=(100, 100))]), "La imagen es demasiado grande")


def test_a_good_photo_beside_a_bad_one_is_not_kept_either(client, categories, sagrario_point, settings):
    fake = SimpleUploadedFile("b.jpg", b"not an image at all", content_type="image/jpeg")
    refused(client, form(categories, sagrario_point, photos=[jpeg("a.jpg"), fake]), "Una foto debe ser")
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_contact_data_without_consent_is_refused(client, categories, sagrario_point):
    refused(
        client,
        form(categories, sagrario_point, contact_email="rosa@example.ec"),
        "Para dejar sus datos de contacto, acepte su uso",
    )


def test_a_bad_email_or_phone_is_refused(client, categories, sagrario_point):
    response = refused(
        client,
        form(categories, sagrario_point, contact_email="rosa@", contact_phone="llámeme", consent="on"),
        "Escriba un número de teléfono solo con dígitos",
    )
    assert "correo electrónico válida" in response.content.decode()


def test_the_service_refuses_the_same_way_without_the_form(categories, sagrario_point):
    from django.core.exceptions import ValidationError

    from centinela.participation import services

    with pytest.raises(ValidationError) as caught:
        services.file_report(category=categories["otro"], lon=OUTSIDE[0], lat=OUTSIDE[1], description="")
    assert set(caught.value.message_dict) == {"lat", "description"}
    assert Report.objects.count() == 0


def test_a_failure_while_saving_leaves_no_report_and_no_file(categories, sagrario_point, settings, monkeypatch):
    """The report, its photos and its first update are one transaction; files written before a failure go too."""
    from centinela.participation import services

    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services.ReportUpdate.objects, "create", broken)
    with pytest.raises(RuntimeError):
        services.file_report(
            category=categories["otro"],
            lon=sagrario_point[0],
            lat=sagrario_point[1],
            description="Algo",
            photos=[jpeg()],
        )
    assert Report.objects.count() == 0 and ReportPhoto.objects.count() == 0
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
