"""The versions on the report page: staff generate a draft, the director approves it there, readers see who approved
which version when and its hash, and download the frozen PDF, checked against that hash on every download (the page
itself reads no stored file); a file that no longer matches its hash is not handed out; a demo report's approval is
refused with the reason on the page."""

import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.urls import reverse

from centinela.jobs.services import run_pending
from centinela.reports import services
from centinela.reports.models import ReportVersion

pytestmark = pytest.mark.django_db
PAGE = "/informes/anual/"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_generate_approve_list_and_download_through_the_page(client_for, demo_2020):
    staff = client_for("tecnico")
    response = staff.post(reverse("reports:version_generate"), {"year": 2020}, follow=True)
    assert "El borrador de 2020 se está generando en segundo plano" in response.content.decode()
    assert run_pending() == 1  # the worker builds it (reports.draft: test_report_draft_job.py)
    version = ReportVersion.objects.get()
    assert version.status == ReportVersion.Status.DRAFT

    # the technician sees no approve button; the director does, and approves
    assert reverse("reports:version_approve", args=[version.pk]) not in staff.get(PAGE).content.decode()
    director = client_for("directora")
    assert reverse("reports:version_approve", args=[version.pk]) in director.get(PAGE).content.decode()
    assert staff.post(reverse("reports:version_approve", args=[version.pk])).status_code == 403
    page = director.post(reverse("reports:version_approve", args=[version.pk]), follow=True).content.decode()
    assert "aprobada y congelada" in page
    version.refresh_from_db()
    assert version.approved and version.approved_by.username == "directora"

    # a liaison reads the list: who approved, the hash, the frozen file (checked when it is downloaded)
    page = client_for("enlace.policia").get(PAGE).content.decode()
    assert "Aprobada" in page and version.approver_name in page and version.sha256 in page
    assert "Cada descarga comprueba el PDF guardado con su SHA-256" in page
    response = client_for("enlace.policia").get(reverse("reports:version_download", args=[version.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content)
    assert services.sha256(content) == version.sha256
    assert "aprobada" in response["Content-Disposition"]

    # a parish president reads neither the list nor the file
    president = client_for("presidente.sagrario")
    assert president.get(reverse("reports:version_download", args=[version.pk])).status_code == 403


_opened: list[str] | None = None  # while a block below watches: the files Python opens


def _audit(event, args):
    if _opened is not None and event == "open" and isinstance(args[0], (str, bytes, Path)):
        _opened.append(str(args[0] if not isinstance(args[0], bytes) else args[0].decode()))


sys.addaudithook(_audit)  # an audit hook stays for the process: it records only inside `files_opened`


@contextmanager
def files_opened():
    global _opened
    _opened = []
    try:
        yield _opened
    finally:
        _opened = None


def test_the_page_reads_no_stored_file_the_download_checks_it(client_for, users, settings):
    """Hashing every stored PDF on every view was the page's cost: the page opens none of them; the download does."""
    versions = [services.generate_draft(users["tecnico"], year) for year in (2031, 2032)]
    c = client_for("tecnico")
    media = str(settings.MEDIA_ROOT)
    with files_opened() as opened:
        page = c.get(PAGE)
    assert page.status_code == 200 and all(v.sha256 in page.content.decode() for v in versions)
    assert not [f for f in opened if f.startswith(media)]
    with files_opened() as opened:
        response = c.get(reverse("reports:version_download", args=[versions[0].pk]))
        b"".join(response.streaming_content)
    assert versions[0].file.path in opened


def test_an_altered_file_is_not_handed_out(client_for, users):
    version = services.generate_draft(users["tecnico"], 2031)
    with open(version.file.path, "ab") as f:
        f.write(b"%altered")
    c = client_for("tecnico")
    assert c.get(PAGE).status_code == 200  # the page lists it (its files are not read there)
    response = c.get(reverse("reports:version_download", args=[version.pk]), follow=True)
    assert "no coincide con su SHA-256" in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("reports:annual_report")


def test_the_approval_of_a_demo_report_is_refused_on_the_page_with_its_reason(client_for, users):
    services.mark_demo_dataset("demo-x", "Datos de prueba", first_year=2031, last_year=None)
    version = services.generate_draft(users["tecnico"], 2031)
    page = client_for("directora").post(reverse("reports:version_approve", args=[version.pk]), follow=True)
    text = page.content.decode()
    assert "no es un informe oficial y no se puede aprobar" in text and "Datos de prueba" in text
    assert "datos de demostración" in text  # marked in the list too
    version.refresh_from_db()
    assert not version.approved


def test_the_web_version_of_a_demo_year_says_it_is_not_official(client_for, demo_2020):
    services.mark_demo_dataset("demo-anio-2020", "Año de demostración 2020", first_year=2020, last_year=2020)
    page = client_for("tecnico").get(PAGE, {"year": 2020, "format": "html"}).content.decode()
    assert "DATOS DE DEMOSTRACIÓN – no es un informe oficial" in page
