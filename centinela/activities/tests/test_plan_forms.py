import pytest
from django.urls import reverse

from centinela.activities.models import Indicator, Plan, Programme
from centinela.activities.tests import factories as f
from centinela.territory.models import Parish

pytestmark = pytest.mark.django_db


def plan_data(**over):
    data = {
        "name": "Plan 2030",
        "level": "cantonal",
        "parent": "",
        "parish": "",
        "starts_on": "2030-01-01",
        "ends_on": "2030-12-31",
        "objectives": "",
        "purpose": "",
    }
    data.update(over)
    return data


def test_director_creates_a_plan_and_a_programme(client_for):
    c = client_for("directora")
    assert c.post(reverse("activities:plan_create"), plan_data()).status_code == 302
    plan = Plan.objects.get(name="Plan 2030")
    response = c.post(
        reverse("activities:programme_create", args=[plan.pk]),
        {"code": "CAP", "name": "Capacitación", "kind": "training", "objective": "", "responsible": ""},
    )
    assert response.status_code == 302 and Programme.objects.get(plan=plan).code == "CAP"


def test_plan_dates_out_of_order_are_refused_in_spanish(client_for):
    response = client_for("directora").post(reverse("activities:plan_create"), plan_data(ends_on="2029-01-01"))
    assert response.status_code == 200 and "termina antes de empezar" in str(response.context["form"].errors)
    assert response.context["form"]["name"].value() == "Plan 2030"


def test_parish_president_nests_a_plan_for_their_parish_only(client_for):
    cantonal = Plan.objects.create(name="Cantonal 2030", starts_on="2030-01-01", ends_on="2030-12-31")
    c = client_for("presidente.sagrario")
    own = plan_data(
        name="Plan El Sagrario", level="parish", parent=cantonal.pk, parish=Parish.objects.get(code="110101").pk
    )
    assert c.post(reverse("activities:plan_create"), own).status_code == 302
    other = plan_data(
        name="Plan El Valle", level="parish", parent=cantonal.pk, parish=Parish.objects.get(code="110104").pk
    )
    assert c.post(reverse("activities:plan_create"), other).status_code == 200
    assert not Plan.objects.filter(name="Plan El Valle").exists()
    assert Plan.objects.get(name="Plan El Sagrario").parent == cantonal


def test_indicator_with_targets_per_parish(client_for):
    prog = f.programme("training", code="CAP")
    c = client_for("tecnico")
    year = prog.plan.starts_on.year
    data = {
        "code": "I1",
        "name": "Capacitaciones",
        "metric": "trainings_held",
        "unit": "",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-0-starts_on": f"{year}-01-01",
        "targets-0-ends_on": f"{year}-12-31",
        "targets-0-parish": "",
        "targets-0-target": "6",
        "targets-1-starts_on": f"{year}-01-01",
        "targets-1-ends_on": f"{year}-12-31",
        "targets-1-parish": Parish.objects.get(code="110101").pk,
        "targets-1-target": "1",
    }
    assert c.post(reverse("activities:indicator_create", args=[prog.pk]), data).status_code == 302
    indicator = Indicator.objects.get(code="I1")
    assert indicator.targets.count() == 2
    bad = {**data, "code": "I2", "metric": "typed_by_hand"}
    response = c.post(reverse("activities:indicator_create", args=[prog.pk]), bad)
    assert response.status_code == 200 and "metric" in response.context["form"].errors


def test_liaison_cannot_create_plans(client_for):
    assert client_for("enlace.policia").post(reverse("activities:plan_create"), plan_data()).status_code == 403


def test_cantonal_plans_have_no_parish_and_presidents_cannot_make_one(client_for):
    c = client_for("presidente.sagrario")
    data = plan_data(name="Plan X", level="cantonal", parish=Parish.objects.get(code="110101").pk)
    assert c.post(reverse("activities:plan_create"), data).status_code == 200
    refused = c.post(reverse("activities:plan_create"), plan_data(name="Plan Y"))
    assert refused.status_code == 200 and refused.context["form"].non_field_errors()
    assert not Plan.objects.filter(name__in=["Plan X", "Plan Y"]).exists()


def test_a_plan_cannot_shrink_past_its_activities(client_for):
    a = f.activity(title="Octubre", month=10, day=5)
    plan = a.programme.plan
    data = plan_data(
        name=plan.name,
        starts_on=plan.starts_on.isoformat(),
        ends_on=plan.starts_on.replace(month=6, day=30).isoformat(),
    )
    response = client_for("directora").post(reverse("activities:plan_edit", args=[plan.pk]), data)
    assert response.status_code == 200 and "fuera del plan" in str(response.context["form"].errors)
    plan.refresh_from_db()
    assert plan.ends_on.month == 12


def test_an_evening_activity_on_the_plans_last_day_is_inside_it(users):
    from datetime import datetime

    from django.utils import timezone

    from centinela.activities.models import Activity
    from centinela.activities.services import plans as services

    prog = f.programme()
    last = prog.plan.ends_on
    # 21:00 in Loja is 02:00 UTC the next day: the plan-period check must use the local date
    activity = Activity.objects.create(
        programme=prog, title="Cierre", starts_at=timezone.make_aware(datetime(last.year, last.month, last.day, 21, 0))
    )
    activity.refresh_from_db()
    services.set_status(users["tecnico"], activity, "done")
    activity.refresh_from_db()
    assert activity.status == "done"


def test_plan_list_filters_and_exports(client_for):
    import csv
    import io

    f.plan()
    Plan.objects.create(
        name="Plan parroquial El Sagrario",
        level="parish",
        parish=Parish.objects.get(code="110101"),
        parent=f.plan(),
        starts_on=f.plan().starts_on,
        ends_on=f.plan().ends_on,
    )
    c = client_for("directora")
    page = c.get(reverse("activities:plan_list"), {"level": "parish"})
    assert [p.name for p in page.context["page"].paginator.object_list] == ["Plan parroquial El Sagrario"]
    rows = list(
        csv.DictReader(
            io.StringIO(c.get(reverse("activities:plan_list"), {"export": "csv"}).getvalue().decode("utf-8-sig"))
        )
    )
    assert {r["Nivel"] for r in rows} == {"Plan cantonal", "Plan parroquial"}  # in Spanish (issue 13 item 1)
