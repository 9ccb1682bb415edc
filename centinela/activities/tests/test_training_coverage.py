"""Coverage: per parish and barrio, trainings held and distinct people trained in a period, against the plan's
indicator targets (trainings_held, people_trained) of each parish; a parish president sees only their parish."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from centinela.activities.models import Attendance, Indicator, IndicatorTarget
from centinela.activities.selectors import training as selectors
from centinela.activities.tests.test_training_fixtures import *  # noqa: F401,F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(training_data, make_training, make_person):
    d = training_data
    held = make_training("Barrio seguro", status="done", barrios=[d.centro], day=date(d.year, 3, 10))
    held2 = make_training(
        "Alarmas comunitarias", status="done", barrios=[d.centro, d.cayetano], day=date(d.year, 4, 10)
    )
    planned = make_training("Aún no", day=date(d.year, 9, 10))
    valle = make_training("En El Valle", parish=d.valle, status="done", barrios=[d.jipiro], day=date(d.year, 5, 10))
    rosa = make_person("Rosa", "Guamán", barrio=d.centro)
    jorge = make_person("Jorge", "Pineda", barrio=d.cayetano)
    lucia = make_person("Lucía", "Armijos", barrio=d.jipiro)
    for t, p in ((held, rosa), (held2, rosa), (held2, jorge), (planned, jorge), (valle, lucia)):
        Attendance.objects.create(training=t, person=p)
    Attendance.objects.create(training=held, person=make_person("No", "Vino"), attended=False)
    held_ind = Indicator.objects.create(
        programme=d.programme, code="I1", name="Capacitaciones realizadas", metric="trainings_held"
    )
    people_ind = Indicator.objects.create(
        programme=d.programme, code="I2", name="Personas capacitadas", metric="people_trained"
    )
    year = (date(d.year, 1, 1), date(d.year, 12, 31))
    IndicatorTarget.objects.create(indicator=held_ind, starts_on=year[0], ends_on=year[1], parish=d.sagrario, target=4)
    IndicatorTarget.objects.create(
        indicator=people_ind, starts_on=year[0], ends_on=year[1], parish=d.sagrario, target=10
    )
    IndicatorTarget.objects.create(indicator=people_ind, starts_on=year[0], ends_on=year[1], parish=d.valle, target=5)
    IndicatorTarget.objects.create(indicator=held_ind, starts_on=year[0], ends_on=year[1], parish=None, target=12)
    return d


def rows_by_name(data):
    return {(r.parish.name if r.parish else None, r.barrio.name if r.barrio else None): r for r in data["rows"]}


def test_counts_per_parish_and_barrio(users, season):
    d = season
    data = selectors.coverage(users["tecnico"], date(d.year, 1, 1), date(d.year, 12, 31))
    rows = rows_by_name(data)
    sagrario = rows[("El Sagrario", None)]
    assert (sagrario.held, sagrario.people) == (2, 2)  # the planned training and the absent person do not count
    assert (rows[("El Sagrario", "Centro Histórico")].held, rows[("El Sagrario", "Centro Histórico")].people) == (2, 1)
    assert (rows[("El Sagrario", "San Cayetano Bajo")].held, rows[("El Sagrario", "San Cayetano Bajo")].people) == (
        1,
        1,
    )
    assert (rows[("El Valle", None)].held, rows[("El Valle", None)].people) == (1, 1)
    assert (rows[("Vilcabamba", None)].held, rows[("Vilcabamba", None)].people) == (0, 0)
    assert (data["canton"].held, data["canton"].people) == (3, 3)
    progress = {p.indicator.metric: p for p in sagrario.targets}
    assert progress["trainings_held"].actual == Decimal(2) and progress["trainings_held"].percent == 50
    assert progress["people_trained"].actual == Decimal(2) and progress["people_trained"].percent == 20
    assert [p.target.target for p in data["canton"].targets] == [Decimal(12)]


def test_period_limits_the_counts(users, season):
    d = season
    data = selectors.coverage(users["tecnico"], date(d.year, 3, 1), date(d.year, 3, 31))
    sagrario = rows_by_name(data)[("El Sagrario", None)]
    assert (sagrario.held, sagrario.people) == (1, 1)


def test_parish_president_sees_only_their_parish(client_for, season):
    response = client_for("presidente.sagrario").get(reverse("activities:training_coverage"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert {r.parish.name for r in rows} == {"El Sagrario"}
    assert response.context["canton"] is None
    body = response.content.decode()
    assert "El Valle" not in body and "Jipiro" not in body


def test_page_for_staff_with_period(client_for, season):
    d = season
    response = client_for("enlace.policia").get(
        reverse("activities:training_coverage"), {"desde": f"{d.year}-01-01", "hasta": f"{d.year}-12-31"}
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-metric="people_trained"' in body and "El Valle" in body
    bad = client_for("tecnico").get(
        reverse("activities:training_coverage"), {"desde": f"{d.year}-12-31", "hasta": f"{d.year}-01-01"}
    )
    assert bad.status_code == 200 and bad.context["form"].errors
