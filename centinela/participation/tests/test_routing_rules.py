"""Routing rules the council edits (category, optional parish -> institution): a new report is assigned at once to the
institution of the rule for its parish, else of the rule for any parish; it stays "received" (staff confirm the
assignment in triage), its history says which rule routed it, and the institution's liaison reads it."""

import pytest

from centinela.participation.models import Report, RoutingRule
from centinela.partners.models import Institution
from centinela.territory.models import Parish

from .conftest import file_report


@pytest.fixture
def institutions(db):
    return {
        "luz": Institution.objects.create(name="Empresa Eléctrica Regional del Sur", kind="public"),
        "municipio": Institution.objects.create(name="GAD Municipal de Loja", kind="public"),
        "junta": Institution.objects.create(name="Junta Parroquial de El Valle", kind="public"),
    }


def test_the_rule_for_the_parish_wins_over_the_rule_for_any_parish(
    categories, institutions, sagrario_point, valle_point
):
    light = categories["alumbrado-deficiente"]
    RoutingRule.objects.create(category=light, institution=institutions["luz"])
    RoutingRule.objects.create(
        category=light, parish=Parish.objects.get(code="110104"), institution=institutions["junta"]
    )
    assert file_report(light, sagrario_point).assigned_institution == institutions["luz"]
    valle = file_report(light, valle_point)
    assert valle.assigned_institution == institutions["junta"]
    assert valle.status == Report.Status.RECEIVED
    note = valle.updates.get(public=False)
    assert "Junta Parroquial de El Valle" in note.text


def test_no_rule_leaves_the_report_unassigned(categories, institutions, sagrario_point):
    RoutingRule.objects.create(category=categories["alumbrado-deficiente"], institution=institutions["luz"])
    report = file_report(categories["vehiculo-abandonado"], sagrario_point)
    assert report.assigned_institution is None and not report.updates.filter(public=False).exists()


def test_an_inactive_rule_or_institution_routes_nothing(categories, institutions, sagrario_point):
    light = categories["alumbrado-deficiente"]
    rule = RoutingRule.objects.create(category=light, institution=institutions["luz"], active=False)
    assert file_report(light, sagrario_point).assigned_institution is None
    rule.active = True
    rule.save()
    Institution.objects.filter(pk=institutions["luz"].pk).update(active=False)
    assert file_report(light, sagrario_point).assigned_institution is None


def test_the_routed_institutions_liaison_reads_the_report(client_for, categories, institutions, sagrario_point, users):
    RoutingRule.objects.create(category=categories["camara-danada"], institution=institutions["municipio"])
    liaison = users["enlace.policia"]
    liaison.institution = institutions["municipio"]
    liaison.save()
    report = file_report(categories["camara-danada"], sagrario_point)
    assert client_for("enlace.policia").get(report.get_absolute_url()).status_code == 200


def test_the_internal_note_is_not_shown_to_the_reporter(client, categories, institutions, sagrario_point):
    RoutingRule.objects.create(category=categories["otro"], institution=institutions["municipio"])
    report = file_report(categories["otro"], sagrario_point)
    assert "GAD Municipal de Loja" not in client.get(report.tracking_path()).content.decode()


def test_administrators_edit_the_rules_in_the_django_admin(client_for, categories, institutions):
    c = client_for("admin")
    response = c.post(
        "/admin/participation/routingrule/add/",
        {
            "category": categories["lugar-abandonado"].pk,
            "parish": "",
            "institution": institutions["municipio"].pk,
            "active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule = RoutingRule.objects.get()
    assert (rule.category.code, rule.parish, rule.institution) == ("lugar-abandonado", None, institutions["municipio"])
    # one rule per category for any parish
    again = c.post(
        "/admin/participation/routingrule/add/",
        {"category": categories["lugar-abandonado"].pk, "parish": "", "institution": institutions["luz"].pk},
    )
    assert again.status_code == 200 and RoutingRule.objects.count() == 1
    assert c.get("/admin/participation/routingrule/").status_code == 200
