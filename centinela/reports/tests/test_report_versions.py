"""Versions of the yearly report (issue 13): a draft is generated from the records, the director alone approves it,
and the approved version is frozen (figures, PDF with the signature block, its SHA-256, who and when); an approved
version never changes, and generating again makes a new draft. A report that includes demo or synthetic data says so
on every page and is never approved."""

import re

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from centinela.activities.models import Activity
from centinela.reports import services
from centinela.reports.models import ReportVersion
from centinela.reports.tests.reading import pdf_text

pytestmark = pytest.mark.django_db
NOTICE = "DATOS DE DEMOSTRACIÓN – no es un informe oficial"


@pytest.fixture(autouse=True)
def spanish_and_private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with translation.override("es-ec"):
        yield


def _pdf(version) -> bytes:
    with version.file.open("rb") as f:
        return f.read()


def _pages(content: bytes) -> int:
    return len(re.findall(rb"/Type /Page[^s]", content))


def test_the_director_approves_a_draft_which_is_frozen_with_its_signature_and_hash(users, demo_2020):
    draft = services.generate_draft(users["tecnico"], 2020)
    assert (draft.year, draft.number, draft.status) == (2020, 1, ReportVersion.Status.DRAFT)
    assert draft.figures["totals"]["done"] > 0 and draft.figures["year"] == 2020
    assert NOTICE not in pdf_text(_pdf(draft))  # the demo year without load_demo's mark: nothing says it is demo

    approved = services.approve(users["directora"], draft)
    approved.refresh_from_db()
    content = _pdf(approved)
    assert approved.status == ReportVersion.Status.APPROVED
    assert approved.approved_by == users["directora"] and approved.approved_at is not None
    assert approved.sha256 == services.sha256(content) and services.file_matches(approved)
    text = pdf_text(content)
    assert "Aprobación" in text and "Aprobado por" in text and approved.approver_name in text
    assert "Directora" in text and "Fecha de aprobación" in text
    # audited, with the director as the actor
    entries = LogEntry.objects.get_for_object(approved)
    assert entries.filter(actor=users["directora"]).exists()


@pytest.mark.parametrize("username", ["admin", "tecnico", "enlace.policia", "presidente.sagrario"])
def test_only_the_director_approves(users, username):
    draft = ReportVersion.objects.create(year=2031, number=1)
    with pytest.raises(PermissionDenied, match="Solo la dirección aprueba"):
        services.approve(users[username], draft)
    draft.refresh_from_db()
    assert draft.status == ReportVersion.Status.DRAFT


def test_liaisons_and_presidents_do_not_generate_drafts(users):
    for username in ("enlace.policia", "presidente.sagrario"):
        with pytest.raises(PermissionDenied):
            services.generate_draft(users[username], 2031)
    assert not ReportVersion.objects.exists()


def test_an_approved_version_never_changes_and_a_new_generation_is_a_new_draft(users):
    draft = services.generate_draft(users["tecnico"], 2031)
    again = services.generate_draft(users["tecnico"], 2031)
    assert again.pk == draft.pk and again.number == 1  # an open draft is replaced, not piled up
    assert not draft.file.storage.exists(draft.file.name) and again.file.storage.exists(again.file.name)
    approved = services.approve(users["directora"], again)
    frozen = (approved.sha256, approved.file.name, _pdf(approved), approved.figures)

    approved.figures = {"totals": {"done": 999}}
    with pytest.raises(ValidationError):
        approved.save()
    with pytest.raises(ValidationError):
        ReportVersion.objects.get(pk=approved.pk).delete()
    with pytest.raises(ValidationError, match="ya está aprobada"):
        services.approve(users["directora"], ReportVersion.objects.get(pk=approved.pk))

    new = services.generate_draft(users["tecnico"], 2031)
    assert new.pk != approved.pk and new.number == 2 and new.status == ReportVersion.Status.DRAFT
    approved = ReportVersion.objects.get(pk=approved.pk)
    assert (approved.sha256, approved.file.name, _pdf(approved), approved.figures) == frozen
    assert approved.status == ReportVersion.Status.APPROVED


def test_a_draft_whose_records_changed_is_not_approved(users, demo_2020):
    draft = services.generate_draft(users["tecnico"], 2020)
    Activity.objects.filter(starts_at__year=2020, status=Activity.Status.DONE).order_by("pk").first().delete()
    with pytest.raises(ValidationError, match="Los registros cambiaron"):
        services.approve(users["directora"], draft)
    draft.refresh_from_db()
    assert draft.status == ReportVersion.Status.DRAFT


def test_a_report_with_demo_data_says_so_on_every_page_and_is_refused_approval(users, demo_2020):
    from centinela.core.management.commands.load_demo import DEMO_DATASETS

    for code, name, first, last, synthetic in DEMO_DATASETS:
        services.mark_demo_dataset(code, name, first_year=first, last_year=last, synthetic=synthetic)
    draft = services.generate_draft(users["tecnico"], 2020)
    content = _pdf(draft)
    assert _pages(content) > 3
    assert pdf_text(content).count(NOTICE) == _pages(content)
    assert "Año de demostración 2020" in draft.demo_data
    with pytest.raises(ValidationError) as refused:
        services.approve(users["directora"], draft)
    assert "incluye datos de demostración o sintéticos" in str(refused.value)
    assert "no es un informe oficial y no se puede aprobar" in str(refused.value)
    draft.refresh_from_db()
    assert draft.status == ReportVersion.Status.DRAFT and not draft.approved_by

    # the Word version carries it in the page header (every page), the web version at its top
    import io

    from docx import Document

    from centinela.reports import documents

    word = Document(io.BytesIO(documents.build(2020, "docx").content))
    assert word.sections[0].header.paragraphs[0].text == NOTICE
    assert NOTICE in documents.build(2020, "html").content.decode()


def test_demo_data_of_other_years_does_not_mark_a_report(users):
    services.mark_demo_dataset("demo-anio-2020", "Año de demostración 2020", first_year=2020, last_year=2020)
    draft = services.generate_draft(users["tecnico"], 2031)
    assert draft.demo_data == "" and NOTICE not in pdf_text(_pdf(draft))


def test_a_stored_file_that_no_longer_matches_its_hash_is_detected(users):
    version = services.generate_draft(users["tecnico"], 2031)
    assert services.file_matches(version)
    with open(version.file.path, "ab") as f:
        f.write(b"%altered")
    assert not services.file_matches(version)
