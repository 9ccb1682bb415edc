"""The incidents an analysis reads: the user's scope, narrowed by dates, categories, group and parishes, as arrays in
metres and days; discarded reports never count."""

from datetime import date

import pytest

from centinela.incidents.models import Category, Incident
from centinela.observatory import selectors

pytestmark = pytest.mark.django_db


def test_arrays_follow_the_filters_and_the_scope(registry, users):
    staff = users["tecnico"]
    everything = selectors.incident_arrays(staff)
    assert len(everything) == Incident.objects.count() == 400 and everything.synthetic
    # metres in UTM 17S around Loja, days since 1970
    assert 690_000 < everything.x.mean() < 710_000 and 9_550_000 < everything.y.mean() < 9_570_000
    assert date(2024, 1, 1) <= date.fromtimestamp(everything.t.min() * 86400) <= date(2024, 1, 2)

    january = selectors.incident_arrays(staff, start=date(2024, 1, 1), end=date(2024, 1, 31))
    in_january = Incident.objects.filter(occurred_at__date__lte=date(2024, 1, 31)).count()
    assert 0 < len(january) == in_january < 400

    other = Category.objects.get(code="robo-domicilios")
    Incident.objects.filter(pk__in=Incident.objects.order_by("pk").values("pk")[:50]).update(category=other)
    assert len(selectors.incident_arrays(staff, categories=[other.pk])) == 50
    assert len(selectors.incident_arrays(staff, group="dmcs")) == 400
    assert len(selectors.incident_arrays(staff, group="contravention")) == 0

    Incident.objects.filter(pk__in=Incident.objects.order_by("pk").values("pk")[:10]).update(status="discarded")
    assert len(selectors.incident_arrays(staff)) == 390

    president = users["presidente.valle"]
    theirs = Incident.objects.filter(parish=president.parish).exclude(status="discarded").count()
    assert len(selectors.incident_arrays(president)) == theirs
    # asking for another parish gives nothing outside their scope
    sagrario = users["presidente.sagrario"].parish
    assert len(selectors.incident_arrays(president, parishes=[sagrario.pk])) == 0


def test_candidate_sites_are_places_and_a_grid_near_the_incidents(registry, users):
    staff = users["tecnico"]
    incidents = selectors.incident_arrays(staff)
    xs, ys, labels = selectors.candidate_sites(staff, spacing=150)
    near_x, near_y, near_labels = selectors.candidate_sites(
        staff, spacing=150, near_x=incidents.x, near_y=incidents.y, reach=150
    )
    places = sum(1 for label in labels if not label.startswith("grid "))
    assert places > 0 and len(xs) > places
    assert places < len(near_x) < len(xs)  # grid points far from every incident are dropped, places stay
    assert sum(1 for label in near_labels if not label.startswith("grid ")) == places
