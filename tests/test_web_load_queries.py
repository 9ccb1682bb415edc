"""Web load (issue 10): the pages staff browse most read a fixed number of queries whatever the number of rows, and
never parse the boundaries of the parishes and barrios their rows belong to (they show those names only; parsing
them for every row was a good part of the lists' and maps' time). The camera pages: cameras/tests/test_dashboard.py."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from centinela.activities.tests import factories
from centinela.incidents.models import Category, Incident, Source
from centinela.territory.models import Parish

pytestmark = pytest.mark.django_db
BOUNDARY = re.compile(r'"(territory_parish|territory_barrio)"\."geometry"')


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def _joined_boundaries(queries):
    """Queries reading a parish's or barrio's boundary through another table (a row's parish or barrio)."""
    return [sql for sql in queries for table in BOUNDARY.findall(sql) if not re.search(rf'FROM "{table}"', sql)]


def _incidents(n, start=0):
    source, _ = Source.objects.get_or_create(code="ecu911", defaults={"name": "ECU 911"})
    category = Category.objects.first()
    for i, parish in zip(range(start, start + n), Parish.objects.order_by("code")[start : start + n]):
        barrio = parish.barrios.first()
        Incident.objects.create(
            source=source,
            source_ref=f"Q-{i}",
            category=category,
            parish=parish,
            barrio=barrio,
            occurred_at=datetime(2021, 1, 1, tzinfo=UTC) + timedelta(hours=i),
            lon=parish.centre_lon,
            lat=parish.centre_lat,
        )


def _activities(n, start=0):
    codes = list(Parish.objects.order_by("code").values_list("code", flat=True))
    for i in range(start, start + n):
        factories.activity(title=f"Recorrido {i}", parish_code=codes[i % len(codes)], day=1 + i % 27)


PAGES = {
    "list: incidents": (reverse("incidents:incident_list"), _incidents),
    "list: activities": (reverse("activities:activity_list"), _activities),
    "map: activities": (reverse("activities:activity_map"), _activities),
    "list: places": (reverse("territory:place_list"), None),
    "dashboard: home": (reverse("home"), _activities),
}


@pytest.mark.parametrize("name", PAGES)
def test_a_page_reads_no_boundary_of_its_rows_and_as_many_queries_for_more_rows(client_for, name):
    url, add = PAGES[name]
    client = client_for("directora")
    if add:
        add(2)
    before = _queries(client, url)
    if add:
        add(6, start=2)
        after = _queries(client, url)
        assert len(after) == len(before), name
    assert not _joined_boundaries(before), before


LISTS = ["list: incidents", "list: activities", "list: places"]


@pytest.mark.parametrize("name", LISTS)
def test_counting_a_lists_records_joins_no_other_table(client_for, name):
    """The rows of these lists read related names as annotations (one query, no instances); the count of records
    must not carry those joins: over every matching row it cost 10 ms instead of 0.6 ms for 15,000 incidents."""
    url, add = PAGES[name]
    if add:
        add(3)
    counts = [sql for sql in _queries(client_for("directora"), url) if "COUNT(" in sql.upper()]
    assert counts and not [sql for sql in counts if " JOIN " in sql.upper()], counts
