import csv
import io

import pytest
from django.urls import reverse

from centinela.activities.models import ActivityPartner
from centinela.partners.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def contributions(police, bank):
    year = f.YEAR
    last_year = f.programme("YAS", f.plan(year=year - 1))
    f.contribution(f.activity("Charla 1"), police, "100.00", role="speaker")
    f.contribution(f.activity("Charla 2", month=5), police, "50.25")
    f.contribution(f.activity("Feria", month=6), bank, "400")
    f.contribution(f.activity("Cancelada", status="cancelled"), bank, "999")  # never counts
    f.contribution(f.activity("Sin aporte"), bank, "0", role="host")  # takes part, contributes nothing
    f.contribution(f.activity("Feria del año pasado", prog=last_year, year=year - 1), police, "10")
    return year


def totals(response):
    return {i.name: (i.in_kind_total, i.in_kind_count) for i in response.context["page"].object_list}


def test_summary_sums_each_partner_per_year_and_skips_cancelled_activities(client_for, contributions):
    c = client_for("tecnico")
    url = reverse("partners:in_kind_summary")
    assert totals(c.get(url)) == {"Banco de Loja": (400, 1), "Policía Nacional": (160.25, 3)}
    assert totals(c.get(url, {"year": contributions})) == {"Banco de Loja": (400, 1), "Policía Nacional": (150.25, 2)}
    assert totals(c.get(url, {"year": contributions - 1})) == {"Policía Nacional": (10, 1)}
    assert [i.name for i in c.get(url).context["page"].object_list] == [
        "Banco de Loja",
        "Policía Nacional",
    ]  # biggest first
    assert totals(c.get(url, {"year": contributions, "kind": "financial"})) == {"Banco de Loja": (400, 1)}


def test_summary_exports_totals(client_for, contributions):
    response = client_for("enlace.policia").get(
        reverse("partners:in_kind_summary"), {"year": contributions, "export": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    # the headers in Spanish (issue 13 item 1)
    assert [(r["Socio"], r["Aportes"], r["Total (USD)"]) for r in rows] == [
        ("Banco de Loja", "1", "400.0"),
        ("Policía Nacional", "2", "150.25"),
    ]


def test_a_contribution_is_recorded_from_the_institution_and_a_negative_value_is_refused(client_for, police):
    activity = f.activity("Simulacro")
    c = client_for("tecnico")
    url = reverse("partners:participation_create", args=[police.pk])
    response = c.post(
        url, {"activity": activity.pk, "role": "donor", "in_kind_value": "-20", "in_kind_description": "Conos"}
    )
    assert response.status_code == 200 and not ActivityPartner.objects.exists()
    assert response.context["form"].errors["in_kind_value"] == ["Asegúrese de que este valor es mayor o igual a 0."]
    assert 'value="Conos"' in response.content.decode()
    assert (
        c.post(
            url, {"activity": activity.pk, "role": "donor", "in_kind_value": "35.5", "in_kind_description": "Conos"}
        ).status_code
        == 302
    )
    response = c.post(url, {"activity": activity.pk, "role": "donor", "in_kind_value": "1"})
    assert response.context["form"].errors["role"] == ["Esta institución ya tiene este rol en esa actividad."]
    page = c.get(reverse("partners:institution_detail", args=[police.pk]))
    assert page.context["in_kind"]["total"] == 35.5
