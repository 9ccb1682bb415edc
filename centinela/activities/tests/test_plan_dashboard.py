"""The plan dashboard: indicator actuals computed from records against targets, per canton and per parish;
calendar and map show the activities of the period."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from centinela.activities import indicators
from centinela.activities.models import Attendance, Person, Plan, Training
from centinela.activities.tests import factories as f
from centinela.territory.models import Parish

pytestmark = pytest.mark.django_db


def trained(activity, people):
    training = Training.objects.create(activity=activity, topic="Normas de seguridad ciudadana")
    for i, (sex, role) in enumerate(people):
        person = Person.objects.create(first_names=f"Persona{i}", last_names="Demo", age_band="0-17", sex=sex)
        Attendance.objects.create(training=training, person=person, role=role)
    return training


def test_indicator_actuals_come_from_the_records():
    prog = f.programme("training", code="CAP")
    done = f.activity(title="Capacitación El Sagrario", kind="training", parish_code="110101", status="done", prog=prog)
    f.activity(title="Capacitación El Valle", kind="training", parish_code="110104", status="planned", prog=prog)
    trained(done, [("F", "resident"), ("M", "police"), ("F", "parish_president")])
    held = f.indicator(prog, "trainings_held", 6)
    people = f.indicator(prog, "people_trained", 100)
    women = f.indicator(prog, "women_trained", 10, parish="110101")
    assert [p.actual for p in indicators.progress(held)] == [1]
    assert [p.actual for p in indicators.progress(people)] == [3]
    (w,) = indicators.progress(women)
    assert w.actual == 2 and w.percent == 20


def test_dashboard_page_shows_progress_to_the_director(client_for):
    prog = f.programme("training", code="CAP")
    f.activity(title="Hecha", kind="training", status="done", prog=prog)
    f.activity(title="Pendiente", kind="training", status="planned", prog=prog)
    f.indicator(prog, "trainings_held", 4)
    response = client_for("directora").get(reverse("activities:plan_detail", args=[prog.plan.pk]))
    (summary,) = response.context["programmes"]
    assert summary["done"] == 1 and summary["activities"] == 2 and summary["percent_done"] == 50
    assert summary["indicators"][0].percent == 25
    assert 'id="plan-dashboard"' in response.content.decode()


def test_plan_dates_in_order_and_nested_plans_inside_their_parent():
    cantonal = f.plan()
    bad = Plan(name="Al revés", starts_on=date(2030, 5, 1), ends_on=date(2030, 1, 1))
    with pytest.raises(ValidationError) as err:
        bad.full_clean()
    assert "ends_on" in err.value.message_dict
    child = Plan(
        name="Plan parroquial",
        level="parish",
        parish=Parish.objects.get(code="110101"),
        parent=cantonal,
        starts_on=cantonal.starts_on.replace(year=cantonal.starts_on.year - 1),
        ends_on=cantonal.ends_on,
    )
    with pytest.raises(ValidationError):
        child.full_clean()


def test_calendar_places_activities_on_their_days(client_for):
    a = f.activity(title="Operativo de marzo", month=3, day=10)
    c = client_for("tecnico")
    month = c.get(reverse("activities:calendar"), {"fecha": a.starts_at.date().replace(day=1).isoformat()})
    cells = {day: items for week in month.context["weeks"] for day, items in week}
    assert [x.title for x in cells[a.starts_at.date()]] == ["Operativo de marzo"]
    week = c.get(reverse("activities:calendar"), {"vista": "semana", "fecha": a.starts_at.date().isoformat()})
    assert week.context["count"] == 1 and len(week.context["weeks"][0]) == 7
    other = c.get(
        reverse("activities:calendar"), {"vista": "semana", "fecha": a.starts_at.date().replace(month=5).isoformat()}
    )
    assert other.context["count"] == 0


def test_activity_map_filters_by_type(client_for):
    f.activity(title="Op", kind="operation", place="Teatro Bolívar")
    f.activity(title="Camp", kind="campaign", place="Banco de Loja (matriz)")
    c = client_for("enlace.ecu911")
    features = c.get(reverse("activities:activity_map"), {"kind": "campaign"}).context["map_layers"]["activities"][
        "features"
    ]
    assert [x["properties"]["name"] for x in features] == ["Camp"]
    assert features[0]["geometry"]["coordinates"][1] == pytest.approx(-3.9972)
