import csv
import io

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from centinela.partners.models import ContactPerson, Institution
from centinela.partners.tests import factories as f

pytestmark = pytest.mark.django_db


def read_csv(response):
    return list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))


@pytest.fixture
def directory(police, bank):
    f.institution("Cooperativa Jardín Azuayo", "financial")
    f.institution("Liga barrial Época", "community", active=False)
    f.agreement("CONV-001", counterpart=police)
    return {"police": police, "bank": bank}


def test_list_filters_by_kind_council_membership_and_search(client_for, directory):
    c = client_for("tecnico")
    url = reverse("partners:institution_list")
    names = lambda response: {i.name for i in response.context["page"].object_list}  # noqa: E731
    assert names(c.get(url, {"kind": "financial"})) == {"Banco de Loja", "Cooperativa Jardín Azuayo"}
    assert names(c.get(url, {"is_council_member": "true"})) == {"Policía Nacional"}
    assert names(c.get(url, {"q": "jardín"})) == {"Cooperativa Jardín Azuayo"}
    assert names(c.get(url, {"active": "false"})) == {"Liga barrial Época"}


def test_list_exports_the_filtered_rows_as_csv_and_xlsx(client_for, directory):
    c = client_for("enlace.policia")  # liaisons read and export
    rows = read_csv(c.get(reverse("partners:institution_list"), {"kind": "public", "export": "csv"}))
    # the headers and the type in Spanish (issue 13 item 1)
    assert [(r["Nombre"], r["Tipo"], r["Convenios"]) for r in rows] == [("Policía Nacional", "Pública", "1")]
    response = c.get(reverse("partners:institution_list"), {"export": "xlsx"})
    header, *data = openpyxl.load_workbook(io.BytesIO(response.getvalue())).active.values
    assert {"Nombre", "Tipo", "Miembro del concejo", "Activa"} <= set(header) and len(data) == 4


def test_contact_details_are_shown_only_to_director_and_administrators(client_for, police):
    f.contact(police)
    url = reverse("partners:institution_detail", args=[police.pk])
    for username in ("directora", "admin"):
        page = client_for(username).get(url).content.decode()
        assert "jperez@policia.gob.ec" in page and "0991234567" in page
    for username in ("tecnico", "enlace.ecu911"):
        page = client_for(username).get(url).content.decode()
        assert "Capitán Juan Pérez" in page
        assert "jperez" not in page and "0991234567" not in page and "••••••" in page


def test_a_technician_edits_a_contact_without_seeing_or_losing_its_personal_data(client_for, police):
    contact = f.contact(police)
    c = client_for("tecnico")
    page = c.get(reverse("partners:contact_edit", args=[contact.pk]))
    assert "email" not in page.context["form"].fields and "0991234567" not in page.content.decode()
    assert (
        c.post(
            reverse("partners:contact_edit", args=[contact.pk]), {"name": "Mayor Juan Pérez", "position": "Jefe"}
        ).status_code
        == 302
    )
    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.phone) == ("Mayor Juan Pérez", "jperez@policia.gob.ec", "0991234567")


def test_contact_is_added_from_the_institution(client_for, police):
    c = client_for("tecnico")
    response = c.post(
        reverse("partners:contact_create", args=[police.pk]),
        {"name": "Sgto. Ana Torres", "position": "Enlace", "email": "atorres@policia.gob.ec", "phone": "072570000"},
    )
    assert response.status_code == 302 and response["Location"] == police.get_absolute_url()
    assert ContactPerson.objects.get(institution=police).email == "atorres@policia.gob.ec"


def test_detail_lists_agreements_and_activities_with_role_and_sums_in_kind_except_cancelled(client_for, police):
    f.agreement("CONV-PN", counterpart=police)
    f.contribution(f.activity("Charla en colegio"), police, "150.50", role="speaker")
    f.contribution(f.activity("Feria de seguridad", status="planned"), police, "49.50")
    f.contribution(f.activity("Caminata suspendida", status="cancelled"), police, "1000")
    page = client_for("tecnico").get(reverse("partners:institution_detail", args=[police.pk]))
    assert page.context["in_kind"] == {"total": 200, "count": 2}
    body = page.content.decode()
    assert "CONV-PN" in body and "Charla en colegio" in body and "Caminata suspendida" in body
    assert {(p.activity.title, p.role) for p in page.context["participation"]} >= {("Charla en colegio", "speaker")}


def test_create_reports_errors_in_spanish_and_keeps_what_was_typed(client_for, police):
    c = client_for("tecnico")
    response = c.post(
        reverse("partners:institution_create"),
        {"name": "Policía Nacional", "short_name": "Otra", "kind": "public", "website": "no es una web"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Ya existe" in errors["name"][0]
    assert "URL" in errors["website"][0] and "válida" in errors["website"][0]
    assert 'value="Otra"' in response.content.decode()


def test_creating_and_editing_an_institution_is_audited(client_for, users):
    c = client_for("directora")
    c.post(
        reverse("partners:institution_create"),
        {
            "name": "Cuerpo de Bomberos de Loja",
            "short_name": "CBL",
            "kind": "public",
            "is_council_member": "on",
            "active": "on",
        },
    )
    inst = Institution.objects.get(short_name="CBL")
    assert inst.is_council_member
    c.post(
        reverse("partners:institution_edit", args=[inst.pk]),
        {"name": inst.name, "short_name": "Bomberos", "kind": "public", "active": "on"},
    )
    entries = LogEntry.objects.get_for_object(inst).order_by("timestamp")
    assert [e.action for e in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert entries.last().actor == users["directora"]
    assert entries.last().changes_dict["short_name"] == ["CBL", "Bomberos"]
