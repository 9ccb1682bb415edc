"""Populations of parishes and barrios: staff enter a census count or an estimate with its source on the area's
page (audited), others may not; the gazetteer cites no encyclopaedia."""

import json
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from centinela.territory.models import Barrio, BarrioPopulation, Parish, ParishPopulation

pytestmark = pytest.mark.django_db
GAZETTEER = Path(__file__).resolve().parents[3] / "gazetteers" / "loja" / "gazetteer.json"


def test_staff_enter_an_urban_estimate_with_its_source_and_the_change_is_audited(client_for):
    sagrario = Parish.objects.get(code="110101")
    url = reverse("territory:parish_population_create", args=[sagrario.pk])
    form = {"year": 2024, "population": 31000, "kind": "estimate", "source": "Municipio de Loja, PDOT 2023"}
    response = client_for("tecnico").post(url, {**form, "source_url": "https://www.loja.gob.ec/"})
    assert response.status_code == 302
    figure = ParishPopulation.objects.get(parish=sagrario, year=2024)
    assert (figure.kind, figure.source_url) == ("estimate", "https://www.loja.gob.ec/")
    assert LogEntry.objects.get_for_object(figure).filter(action=LogEntry.Action.CREATE).exists()
    page = client_for("tecnico").get(sagrario.get_absolute_url()).content.decode()
    assert "31000" in page and "Municipio de Loja, PDOT 2023" in page


def test_a_figure_needs_its_source_and_no_future_year(client_for):
    barrio = Barrio.objects.order_by("code").first()
    url = reverse("territory:barrio_population_create", args=[barrio.pk])
    response = client_for("tecnico").post(url, {"year": 2024, "population": 900, "kind": "estimate", "source": ""})
    assert response.status_code == 200 and "source" in response.context["form"].errors
    response = client_for("tecnico").post(url, {"year": 2999, "population": 900, "kind": "estimate", "source": "X"})
    assert "year" in response.context["form"].errors
    assert not BarrioPopulation.objects.exists()
    response = client_for("tecnico").post(
        url, {"year": 2024, "population": 900, "kind": "estimate", "source": "Comité"}
    )
    assert response.status_code == 302 and BarrioPopulation.objects.get().barrio == barrio


def test_parish_presidents_and_liaisons_may_not_enter_populations(client_for):
    sagrario = Parish.objects.get(code="110101")
    url = reverse("territory:parish_population_create", args=[sagrario.pk])
    for username in ("presidente.sagrario", "enlace.policia"):
        response = client_for(username).post(url, {"year": 2024, "population": 1, "kind": "estimate", "source": "X"})
        assert response.status_code in (403, 404)
    assert not ParishPopulation.objects.filter(parish=sagrario).exists()


def test_the_gazetteer_cites_an_official_source_for_every_population():
    data = json.loads(GAZETTEER.read_text(encoding="utf-8"))
    figures = [p for row in data["parishes"] for p in row.get("populations", [])]
    assert figures and all(p["source"] and "wikipedia" not in p["source"].lower() for p in figures)
    assert all(p.get("kind") in ("census", "estimate") for p in figures)
