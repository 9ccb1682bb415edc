"""Open data is cached (the figures and the tables' HTML) and the cache follows the incidents: a page served from the
cache runs no query over the incidents, and an incident saved, deleted or imported in bulk shows at once."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from centinela.incidents.models import Category, Incident, Source
from centinela.incidents.signals import incidents_created
from centinela.territory.models import Parish

LOJA = ZoneInfo("America/Guayaquil")
URL = "/datos-abiertos/?table=yearly&export=csv"
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "open-data-test"}}


def canton_2024(client) -> str:
    rows = client.get(URL).getvalue().decode("utf-8-sig").splitlines()
    return next(r for r in rows if r.startswith("total,") and ",2024," in r).split(",")[3]


@pytest.fixture
def cache(db):
    from django.core.cache import cache as django_cache

    with override_settings(CACHES=LOCMEM):
        django_cache.clear()
        yield django_cache


@pytest.fixture
def incidents(db):
    source = Source.objects.get(code="ecu911")
    cat = Category.objects.get(code="robo-personas")
    parish = Parish.objects.get(code="110101")
    Incident.objects.bulk_create(
        [
            Incident(
                source=source,
                category=cat,
                parish=parish,
                lon=-79.2,
                lat=-4.0,
                occurred_at=datetime(2024, 3, 1 + i % 27, 10, tzinfo=LOJA),
            )
            for i in range(40)
        ]
    )
    return source, cat, parish


def test_the_open_data_page_served_from_the_cache_reads_no_incident(client, cache, incidents):
    assert client.get("/datos-abiertos/").status_code == 200
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/datos-abiertos/")
    assert page.status_code == 200 and "yearly-table" in page.content.decode()
    heavy = [q["sql"] for q in queries if "incidents_incident" in q["sql"] and "MAX" not in q["sql"].upper()]
    assert heavy == []


def test_an_incident_saved_deleted_or_imported_in_bulk_shows_in_open_data_at_once(client, cache, incidents):
    source, cat, parish = incidents
    assert canton_2024(client) == "40"
    one = Incident.objects.create(
        source=source,
        category=cat,
        parish=parish,
        lon=-79.2,
        lat=-4.0,
        occurred_at=datetime(2024, 4, 2, 10, tzinfo=LOJA),
    )
    assert canton_2024(client) == "41"
    one.delete()
    assert canton_2024(client) == "40"
    oldest = Incident.objects.order_by("pk").first()
    Incident.objects.filter(pk=oldest.pk).update(occurred_at=datetime(2023, 4, 2, 10, tzinfo=LOJA))
    incidents_created.send(sender=Incident, ids=[oldest.pk])  # what an import announces after its set-based step
    assert canton_2024(client) == "39"


def test_the_indicators_page_is_served_from_the_cache_per_scope_and_follows_new_incidents(client_for, cache, incidents):
    source, cat, parish = incidents
    url = "/observatorio/indicadores/?period=year&year=2024&by=parish&series=group"
    staff = client_for("directora")
    assert staff.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        page = staff.get(url)
    assert page.status_code == 200
    heavy = [
        q["sql"]
        for q in queries
        if "incidents_incident" in q["sql"] and "MAX" not in q["sql"].upper() and "LIMIT" not in q["sql"].upper()
    ]
    assert heavy == []
    assert "40" in page.content.decode()
    other = client_for("presidente.valle").get(url).content.decode()  # another scope: its own entry, not the staff's
    assert ">40<" not in other
    before = page.content.decode()
    Incident.objects.create(
        source=source,
        category=cat,
        parish=parish,
        lon=-79.2,
        lat=-4.0,
        occurred_at=datetime(2024, 4, 2, 10, tzinfo=LOJA),
    )
    after = staff.get(url).content.decode()
    assert after != before and after.count("41") > before.count("41")


def test_a_process_keeps_the_current_figures_and_replaces_them_when_incidents_change(client, cache, incidents):
    """Each process keeps the figures of the current version unpickled (unpickling them from the file cache on
    every request was most of the page's time under load); a new incident makes a new version and new figures."""
    from centinela.observatory.views import open_data as views_open_data

    source, cat, parish = incidents
    assert canton_2024(client) == "40"
    kept = dict(views_open_data._kept)
    assert len(kept) == 1
    cache.delete(next(iter(kept)))  # gone from the shared cache: this process still has them
    with CaptureQueriesContext(connection) as queries:
        assert canton_2024(client) == "40"
    assert not [q["sql"] for q in queries if "incidents_incident" in q["sql"] and "MAX" not in q["sql"].upper()]
    assert views_open_data._kept == kept
    Incident.objects.create(
        source=source,
        category=cat,
        parish=parish,
        lon=-79.2,
        lat=-4.0,
        occurred_at=datetime(2024, 4, 2, 10, tzinfo=LOJA),
    )
    assert canton_2024(client) == "41"
    assert views_open_data._kept.keys() != kept.keys()


def test_while_another_process_computes_the_new_figures_visitors_get_those_before_and_no_process_keeps_them(
    client, cache, incidents
):
    """One computation at a time: after a change (an import of a million rows), the worker or a first visitor
    computes the figures; every other visitor meanwhile gets the figures before at once instead of computing them
    too (a page waited 25 s after a 1M-row import on SQLite), and no process keeps those as the new version's."""
    from django.conf import settings
    from django.utils import timezone

    from centinela.incidents.cache import cache_key, computing_key
    from centinela.observatory.views import open_data as views_open_data

    source, cat, parish = incidents
    assert canton_2024(client) == "40"
    Incident.objects.create(
        source=source, category=cat, parish=parish, lon=-79.2, lat=-4.0, occurred_at=datetime(2024, 4, 2, tzinfo=LOJA)
    )
    parts = (f"{timezone.localdate():%Y%m}", settings.OPEN_DATA_MIN_COUNT)
    key = cache_key(views_open_data.FIGURES, parts)
    cache.add(computing_key(views_open_data.FIGURES, parts), 1, 60)  # another process is computing the figures
    with CaptureQueriesContext(connection) as queries:
        assert canton_2024(client) == "40"
        page = client.get("/datos-abiertos/")
    assert page.status_code == 200
    assert not [q["sql"] for q in queries if "incidents_incident" in q["sql"] and "MAX" not in q["sql"].upper()]
    assert key not in views_open_data._kept
    cache.delete(computing_key(views_open_data.FIGURES, parts))  # ended, nothing kept: the next one computes
    assert canton_2024(client) == "41"
    assert key in views_open_data._kept


def test_the_indicators_html_made_from_the_figures_before_is_not_kept_as_the_new_versions(
    client_for, users, cache, incidents
):
    """While another request computes the new figures, the page shows the figures before; its tables' HTML made from
    them must not be cached under the new version, or the page would keep showing them once the figures are in."""
    from django.test import RequestFactory
    from django.utils import translation

    from centinela.incidents.cache import computing_key
    from centinela.observatory.views import indicators as view

    source, cat, parish = incidents
    url = "/observatorio/indicadores/?period=year&year=2024&by=parish&series=group"
    staff = client_for("directora")
    assert ">40<" in staff.get(url).content.decode()
    Incident.objects.create(
        source=source, category=cat, parish=parish, lon=-79.2, lat=-4.0, occurred_at=datetime(2024, 4, 2, tzinfo=LOJA)
    )
    request = RequestFactory().get(url)
    request.user = users["directora"]
    with translation.override("es-ec"):  # the language the page is made in
        form = view._form(request)
        assert form.is_valid()
        mark = computing_key("indicators", view._parts(request.user, form))
    cache.add(mark, 1, 60)  # another request is computing the new figures
    meanwhile = staff.get(url).content.decode()
    assert ">40<" in meanwhile and ">41<" not in meanwhile  # meanwhile: the figures before
    cache.delete(mark)  # that computation ended without keeping them: the next request computes
    assert ">41<" in staff.get(url).content.decode()
