import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from centinela.partners import selectors
from centinela.partners.models import Agreement, Obligation
from centinela.partners.tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def agreements(police, bank):
    return {
        "in_force": f.agreement(
            "CONV-VIGENTE", police, signed_on=TODAY - timedelta(days=100), valid_until=TODAY + timedelta(days=300)
        ),
        "open_ended": f.agreement("CONV-INDEFINIDO", bank, signed_on=TODAY - timedelta(days=10)),
        "expiring": f.agreement(
            "CONV-PORVENCER",
            bank,
            signed_on=TODAY - timedelta(days=300),
            valid_until=TODAY + timedelta(days=20),
            warn_days=30,
        ),
        "expired": f.agreement(
            "CONV-VENCIDO", police, signed_on=TODAY - timedelta(days=400), valid_until=TODAY - timedelta(days=1)
        ),
    }


def codes(response):
    return {a.code for a in response.context["page"].object_list}


def test_list_filters_by_status_and_counterpart(client_for, agreements, bank):
    c = client_for("tecnico")
    url = reverse("partners:agreement_list")
    assert codes(c.get(url, {"status": "in_force"})) == {"CONV-VIGENTE", "CONV-INDEFINIDO"}
    assert codes(c.get(url, {"status": "expiring"})) == {"CONV-PORVENCER"}
    assert codes(c.get(url, {"status": "expired"})) == {"CONV-VENCIDO"}
    assert codes(c.get(url, {"counterpart": bank.pk})) == {"CONV-INDEFINIDO", "CONV-PORVENCER"}
    assert codes(c.get(url, {"counterpart": bank.pk, "status": "expiring"})) == {"CONV-PORVENCER"}


def test_list_warns_of_agreements_about_to_expire(client_for, agreements):
    page = client_for("directora").get(reverse("partners:agreement_list"))
    assert [a.code for a in page.context["expiring_agreements"]] == ["CONV-PORVENCER"]
    body = page.content.decode()
    assert "expiring-banner" in body and "CONV-PORVENCER" in body and "20 días" in body


def test_expiring_selector_uses_each_agreements_own_warning_period(agreements, police):
    f.agreement(
        "CONV-LARGO", police, signed_on=TODAY - timedelta(days=30), valid_until=TODAY + timedelta(days=80), warn_days=90
    )
    f.agreement("CONV-FUTURO", police, signed_on=TODAY + timedelta(days=5), valid_until=TODAY + timedelta(days=10))
    assert [a.code for a in selectors.expiring_agreements(TODAY)] == ["CONV-PORVENCER", "CONV-LARGO"]
    assert selectors.expiring_agreements(TODAY)[0].days_left == 20
    later = TODAY + timedelta(days=21)  # CONV-PORVENCER has expired by then
    assert [a.code for a in selectors.expiring_agreements(later)] == ["CONV-LARGO"]


def test_expiring_banner_include_renders_for_a_dashboard(agreements, users):
    from django.template.loader import render_to_string

    html = render_to_string(
        "partners/_expiring_banner.html",
        {"expiring_agreements": selectors.expiring_agreements(TODAY, users["tecnico"])},
    )
    assert "CONV-PORVENCER" in html
    assert (
        render_to_string(
            "partners/_expiring_banner.html",
            {"expiring_agreements": selectors.expiring_agreements(TODAY, users["presidente.valle"])},
        ).strip()
        == ""
    )


def test_export_has_status_and_object(client_for, agreements):
    response = client_for("tecnico").get(reverse("partners:agreement_list"), {"export": "csv", "status": "expired"})
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    # the headers and the status in Spanish, as the page's badge says (issue 13 item 1)
    assert [(r["Código"], r["Estado"], r["Contraparte"]) for r in rows] == [
        ("CONV-VENCIDO", "Vencido", "Policía Nacional")
    ]
    assert rows[0]["Objeto"] == "Cooperación en prevención"


def test_detail_shows_obligations_per_party_and_which_are_fulfilled(client_for, agreements):
    agr = agreements["in_force"]
    done = f.activity("Charla Yo Aprendo Seguridad", status="done")
    planned = f.activity("Taller de autoprotección", status="planned", month=11)
    f.obligation(agr, "counterpart", "Dictar charlas en escuelas", [done, planned])
    f.obligation(agr, "council", "Facilitar material", [planned])
    f.obligation(agr, "council", "Informe anual")
    page = client_for("enlace.ecu911").get(reverse("partners:agreement_detail", args=[agr.pk]))
    parties = dict(page.context["parties"])
    council, counterpart = parties["El concejo"], parties["La contraparte"]
    assert [(r["obligation"].description, r["fulfilled"]) for r in counterpart] == [
        ("Dictar charlas en escuelas", True)
    ]
    assert [(r["obligation"].description, r["fulfilled"]) for r in council] == [
        ("Facilitar material", False),
        ("Informe anual", False),
    ]
    body = page.content.decode()
    assert "Charla Yo Aprendo Seguridad" in body and "Cumplida" in body and "Vigente" in body


def test_create_rejects_an_end_before_the_signature_in_spanish_keeping_the_input(client_for, police):
    c = client_for("tecnico")
    data = {
        "code": "CONV-MAL",
        "title": "Convenio al revés",
        "counterpart": police.pk,
        "purpose": "Prueba",
        "signed_on": "2026-05-10",
        "valid_until": "2026-05-01",
        "warn_days": 60,
    }
    response = c.post(reverse("partners:agreement_create"), data)
    assert response.status_code == 200 and not Agreement.objects.filter(code="CONV-MAL").exists()
    assert response.context["form"].errors["valid_until"] == ["El convenio no puede terminar antes de firmarse."]
    body = response.content.decode()
    assert 'value="Convenio al revés"' in body and 'value="01/05/2026"' in body  # the date as typed in Ecuador
    data["valid_until"] = "2028-05-10"
    response = c.post(reverse("partners:agreement_create"), data)
    agr = Agreement.objects.get(code="CONV-MAL")
    assert response["Location"] == agr.get_absolute_url() and agr.valid_until == date(2028, 5, 10)


def test_create_reports_a_missing_required_field_and_a_repeated_code(client_for, agreements, police):
    response = client_for("tecnico").post(
        reverse("partners:agreement_create"),
        {"code": "CONV-VIGENTE", "counterpart": police.pk, "signed_on": "10/05/2026", "warn_days": "-3"},
    )
    errors = response.context["form"].errors
    assert errors["title"] == ["Este campo es obligatorio."]
    assert "Ya existe" in errors["code"][0]
    assert "warn_days" in errors


def test_obligation_with_activities_is_saved_and_its_due_date_must_fall_in_the_agreement(client_for, agreements):
    agr = agreements["in_force"]
    a1, a2 = f.activity("Charla 1"), f.activity("Charla 2", month=4)
    c = client_for("tecnico")
    url = reverse("partners:obligation_create", args=[agr.pk])
    late = (agr.valid_until + timedelta(days=1)).isoformat()
    response = c.post(
        url, {"party": "counterpart", "description": "Dos charlas", "due_on": late, "activities": [a1.pk, a2.pk]}
    )
    assert (
        response.status_code == 200
        and "posterior a la fecha en que termina el convenio" in response.context["form"].errors["due_on"][0]
    )
    early = (agr.signed_on - timedelta(days=1)).isoformat()
    response = c.post(
        url, {"party": "counterpart", "description": "Dos charlas", "due_on": early, "activities": [a1.pk]}
    )
    assert "anterior a la firma" in response.context["form"].errors["due_on"][0]
    assert not Obligation.objects.exists()
    response = c.post(
        url,
        {
            "party": "counterpart",
            "description": "Dos charlas",
            "due_on": TODAY.isoformat(),
            "activities": [a1.pk, a2.pk],
        },
    )
    assert response.status_code == 302
    obligation = Obligation.objects.get()
    assert set(obligation.activities.all()) == {a1, a2}
    response = c.post(
        reverse("partners:obligation_edit", args=[obligation.pk]),
        {"party": "counterpart", "description": "Una charla", "activities": [a2.pk]},
    )
    assert response.status_code == 302 and list(obligation.activities.all()) == [a2]


def test_filtering_in_place_returns_only_the_table(client_for, agreements):
    response = client_for("tecnico").get(
        reverse("partners:agreement_list"), {"status": "expired"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<table" in body and "<html" not in body and "CONV-VENCIDO" in body and "CONV-VIGENTE" not in body
