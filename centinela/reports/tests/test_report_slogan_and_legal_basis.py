"""The slogan and the council's own legal basis are the plan's, edited by the director on the plan's page (audited
like any change of the plan), and the report shows them: the slogan on the cover and in every page footer, the
ordinance after the national norms. Without them the report says what is missing instead of inventing it."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import translation

from centinela.activities.models import Plan
from centinela.reports import documents, selectors
from centinela.reports.tests import pdf_pages
from centinela.reports.tests.reading import docx_text, html_text

pytestmark = pytest.mark.django_db

ORDINANCE = "Ordenanza municipal de prueba que crea el Concejo Cantonal de Seguridad Ciudadana."


def test_the_director_edits_the_slogan_and_the_report_shows_it_on_every_page(client_for):
    plan = Plan.objects.create(name="Plan 2031", starts_on="2031-01-01", ends_on="2031-12-31")
    data = {
        "name": plan.name,
        "level": "cantonal",
        "parent": "",
        "parish": "",
        "starts_on": "2031-01-01",
        "ends_on": "2031-12-31",
        "objectives": "Reducir la violencia.",
        "purpose": "",
        "slogan": "Una Loja para todos",
        "legal_basis": ORDINANCE,
    }
    director = client_for("directora")
    response = director.post(reverse("activities:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 302
    page = director.get(reverse("activities:plan_detail", args=[plan.pk])).content.decode()
    assert "Lema:</strong> «Una Loja para todos»" in page and "Base legal del Concejo" in page and ORDINANCE in page
    plan.refresh_from_db()
    assert (plan.slogan, plan.legal_basis) == ("Una Loja para todos", ORDINANCE)
    change = LogEntry.objects.get_for_object(plan).filter(action=LogEntry.Action.UPDATE).get()
    assert {"slogan", "legal_basis"} <= set(change.changes_dict)

    with translation.override("es-ec"):
        report = selectors.annual_report(2031)
        built = {fmt: documents.build(2031, fmt).content for fmt in ("html", "docx", "pdf")}
    assert report.slogan == "Una Loja para todos" and not report.council_legal_basis_missing
    assert report.legal_basis[-1] == ORDINANCE
    for text in (html_text(built["html"]), docx_text(built["docx"])):
        assert "«Una Loja para todos»" in text and ORDINANCE in text and "no está registrada" not in text
    pages = pdf_pages.pages(built["pdf"])
    assert len(pages) >= 3
    for page in pages:
        assert any(ln.text == "«Una Loja para todos»" for ln in page.lines), page.number


def test_without_them_the_report_says_what_the_council_must_add(db):
    Plan.objects.create(name="Plan 2032", starts_on="2032-01-01", ends_on="2032-12-31")
    with translation.override("es-ec"):
        report = selectors.annual_report(2032)
        text = html_text(documents.build(2032, "html").content)
    assert report.slogan == "" and report.council_legal_basis_missing
    assert "La ordenanza municipal que crea el Concejo no está registrada en Centinela" in text
    assert "COOTAD), artículo 54, literal n" in text
    assert "«" not in text.split("Índice")[0]  # no slogan invented for the cover
    assert "Las actividades del plan no tienen presupuesto registrado este año" in text
