"""The report page: staff and liaisons read it (web version in the page, DOCX and PDF downloaded); parish presidents
get 403, anonymous visitors the login page."""

import pytest
from django.urls import reverse

from centinela.reports.tests.reading import docx_text, pdf_text

pytestmark = pytest.mark.django_db

URL = "/informes/anual/"
READERS = ["admin", "directora", "tecnico", "enlace.policia", "enlace.ecu911"]
PRESIDENTS = ["presidente.sagrario", "presidente.valle"]


def test_the_page_lives_at_informes_anual():
    assert reverse("reports:annual_report") == URL


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("username", PRESIDENTS)
def test_parish_presidents_are_refused(client_for, username, demo_2020):
    c = client_for(username)
    assert c.get(URL).status_code == 403
    assert c.get(URL, {"year": 2020, "format": "pdf"}).status_code == 403
    assert c.post(URL, {"year": 2020, "format": "pdf"}).status_code == 403


@pytest.mark.parametrize("username", READERS)
def test_staff_and_liaisons_get_the_form(client_for, username, demo_2020):
    response = client_for(username).get(URL)
    assert response.status_code == 200
    assert response.context["form"].fields["year"].choices[0] == (2020, "2020")
    assert "report" not in response.context


def test_web_version_is_shown_in_the_page(client_for, demo_2020):
    response = client_for("tecnico").get(URL, {"year": 2020, "format": "html"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rendición de cuentas 2020" in page and "Se realizaron 11 fumigaciones con amonio cuaternario" in page
    assert page.count("data:image/png;base64,") == 3


@pytest.mark.parametrize(
    "fmt, content_type",
    [
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("pdf", "application/pdf"),
    ],
)
def test_docx_and_pdf_are_built_on_the_job_queue_and_downloaded(client_for, demo_2020, fmt, content_type):
    from centinela.jobs.models import Job
    from centinela.jobs.services import run_pending

    c = client_for("enlace.ecu911")
    assert c.get(URL, {"year": 2020, "format": fmt}).status_code == 200  # a link builds nothing
    assert not Job.objects.exists()
    queued = c.post(URL, {"year": 2020, "format": fmt})
    assert queued.status_code == 302 and "/trabajos/" in queued["Location"]
    page = c.get(queued["Location"]).content.decode()
    assert "Informe anual de rendición de cuentas" in page and "No hay ningún proceso de trabajos" in page
    assert run_pending() == 1
    job = Job.objects.get(kind="reports.annual")
    assert job.status == Job.Status.DONE, job.error
    download = reverse("reports:download", args=[job.pk])
    assert download in c.get(queued["Location"]).content.decode()
    assert client_for("enlace.policia").get(download).status_code == 404  # another person's job
    response = c.get(download)
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="rendicion-de-cuentas-2020.{fmt}"'
    text = (docx_text if fmt == "docx" else pdf_text)(b"".join(response.streaming_content))
    assert "Convenio de cooperación interinstitucional" in text


def test_a_year_without_records_is_refused_by_the_form(client_for, demo_2020):
    response = client_for("directora").get(URL, {"year": 1999, "format": "pdf"})
    assert response.status_code == 200
    assert response.context["form"].errors["year"]
    assert "report" not in response.context


def test_an_unknown_format_is_refused_by_the_form(client_for, demo_2020):
    response = client_for("directora").get(URL, {"year": 2020, "format": "odt"})
    assert response.status_code == 200 and response.context["form"].errors["format"]
