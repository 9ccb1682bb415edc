"""The private tracking page: the status and the public updates, never an internal note's text; the reporter adds
information there; an unknown link is a 404, and the page is neither cached nor sent on as a referrer."""

from centinela.participation import services
from centinela.participation.models import Report, ReportUpdate


def test_the_tracking_page_shows_the_status_and_public_updates_but_never_internal_notes(
    client, report, users, django_capture_on_commit_callbacks
):
    staff = users["tecnico"]
    with django_capture_on_commit_callbacks(execute=True):
        services.post_update(
            staff, report, status="in_review", text="Lo estamos revisando con el municipio", public=True
        )
        services.post_update(staff, report, status="in_review", text="NOTA-INTERNA: vecino conflictivo", public=False)
        services.post_update(staff, report, status="in_progress", text="SEGUNDA-NOTA-INTERNA", public=False)
    response = client.get(report.tracking_path())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lo estamos revisando con el municipio" in page
    assert "NOTA-INTERNA" not in page and "SEGUNDA-NOTA-INTERNA" not in page
    assert "En proceso" in page  # the status the internal note set is still the reporter's to know
    assert "Para una emergencia llame al 911" in page
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]


def test_the_tracking_page_never_shows_the_reporters_contact(client, report):
    page = client.get(report.tracking_path()).content.decode()
    assert "0991112233" not in page and "rosa@example.ec" not in page


def test_the_reporter_adds_information_as_a_public_update(client, report):
    response = client.post(report.tracking_path(), {"info-text": "Hoy también estuvo apagado"})
    assert response.status_code == 302
    added = ReportUpdate.objects.filter(report=report, by_reporter=True).exclude(text="").get()
    assert added.public and added.text == "Hoy también estuvo apagado" and added.author is None
    assert "Hoy también estuvo apagado" in client.get(report.tracking_path()).content.decode()


def test_empty_information_is_refused_with_a_message(client, report):
    response = client.post(report.tracking_path(), {"info-text": "  "})
    assert response.status_code == 400
    assert "Escriba lo que quiere agregar" in response.content.decode()


def test_an_unknown_link_is_not_found(client, report):
    assert client.get("/participa/seguimiento/no-existe/").status_code == 404
    assert client.get("/participa/seguimiento/" + report.code + "/").status_code == 404  # the code is not the key
    assert Report.objects.count() == 1


def test_the_tracking_page_names_the_assigned_institution_but_not_the_person(client, report, users):
    from centinela.partners.models import Institution

    company = Institution.objects.create(name="Empresa Eléctrica Regional del Sur", kind="public")
    services.assign(users["tecnico"], report, institution=company, person=users["tecnico"])
    page = client.get(report.tracking_path()).content.decode()
    assert "Asignado a" in page and "Empresa Eléctrica Regional del Sur" in page
    assert "Técnico del CCSC" not in page


def test_the_reporter_sees_their_own_photos_through_the_private_link_only(client, categories, sagrario_point):
    from .conftest import file_report, jpeg

    mine = file_report(categories["otro"], sagrario_point, photos=[jpeg()])
    other = file_report(categories["otro"], sagrario_point, photos=[jpeg()])
    photo, others_photo = mine.photos.get(), other.photos.get()
    page = client.get(mine.tracking_path()).content.decode()
    url = f"{mine.tracking_path()}fotos/{photo.pk}/"
    assert url in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert client.get(f"{mine.tracking_path()}fotos/{others_photo.pk}/").status_code == 404
    assert client.get(f"/participa/fotos/{photo.pk}/").status_code == 302  # the staff URL needs a login
