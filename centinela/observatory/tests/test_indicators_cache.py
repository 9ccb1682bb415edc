"""Web load (issue 10): the indicators page keeps its results' HTML in the cache beside its figures. Served from the
cache it runs no query over the incidents and writes the same page; an incident added shows at once; each scope
(role and parish) and language has its own copy, never another's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from centinela.incidents.models import Incident
from centinela.observatory.tests.test_indicators import SAGRARIO, URL, add

PAGE = URL + "?period=month&year=2024&month=3&by=parish"
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "indicators-test"}}


@pytest.fixture
def cache(db):
    from django.core.cache import cache as django_cache

    with override_settings(CACHES=LOCMEM):
        django_cache.clear()
        yield django_cache


def results(html: str) -> str:
    """The results part of the page (the rest holds the request's own CSRF token)."""
    start = html.index('<div id="results">')
    return html[start : html.index("<footer>", start)]


def breakdown(html: str) -> str:
    return html[html.index('id="breakdown-table"') : html.index("</table>", html.index('id="breakdown-table"'))]


def test_served_from_the_cache_the_page_is_the_same_and_reads_no_incident(client_for, cache, march, monkeypatch):
    from centinela.observatory.views import indicators as views_indicators

    made = []
    heat_rows = views_indicators._heat_rows
    monkeypatch.setattr(views_indicators, "_heat_rows", lambda heat: made.append(1) or heat_rows(heat))
    client = client_for("directora")
    first = client.get(PAGE).content.decode()
    with CaptureQueriesContext(connection) as queries:
        again = client.get(PAGE).content.decode()
    heavy = [
        q["sql"]
        for q in queries
        if "incidents_incident" in q["sql"] and "MAX(" not in q["sql"].upper() and "LIMIT 1" not in q["sql"].upper()
    ]
    assert heavy == [] and results(again) == results(first)
    assert len(made) == 1  # the tables were written once, then served as they were
    fragment = client.get(PAGE, headers={"HX-Request": "true"}).content.decode()
    assert breakdown(fragment) == breakdown(first)
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}):
        assert results(client.get(PAGE).content.decode()) == results(first)  # what it writes without any cache


def test_an_incident_added_shows_at_once(client_for, cache, march):
    client = client_for("directora")
    assert ">5<" in breakdown(client.get(PAGE).content.decode())  # March 2024: 5 counted
    add([(SAGRARIO, "robo-motos", (2024, 3, 3, 10))])
    assert ">6<" in breakdown(client.get(PAGE).content.decode())
    Incident.objects.filter(occurred_at__day=3, occurred_at__month=3, occurred_at__year=2024).delete()
    assert ">5<" in breakdown(client.get(PAGE).content.decode())


def test_each_scope_and_language_has_its_own_copy(client_for, cache, march):
    director = breakdown(client_for("directora").get(PAGE).content.decode())
    president = breakdown(client_for("presidente.sagrario").get(PAGE).content.decode())
    assert "El Cisne" in director and "El Cisne" not in president and "El Sagrario" in president
    english = client_for("directora")
    english.cookies["django_language"] = "en"
    assert "Parish" in breakdown(english.get(PAGE).content.decode()) and "Parroquia" in director
