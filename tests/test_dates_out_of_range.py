"""A date out of range in any filter (year 99999, 0000-00-00, 2020-13-45, or a real date too far away such as
9999-12-31 or 0001-01-01, where adding a day or converting to UTC overflows) is a form error shown on the page,
never a 500: every page with a date input is walked, the list pages, the indicators, the training coverage, the
calendar and the API."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db
BAD = ["99999-01-01", "0000-00-00", "2020-13-45", "9999-12-31", "0001-01-01"]
GET_FORM = re.compile(r'<form[^>]*method="get"[^>]*>(.*?)</form>', re.S | re.I)
DATE_INPUT = re.compile(r'<input[^>]*(?:type="date"|data-datepicker)[^>]*>')
NAME = re.compile(r'name="([^"]+)"')


def _pages():
    def walk(resolver, namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and not pattern.pattern.regex.groupindex:
                yield namespace + pattern.name

    for name in walk(get_resolver()):
        try:
            yield reverse(name)
        except Exception:  # a pattern that needs arguments not in the regex (converters with defaults)
            continue


def test_every_date_input_of_every_page_refuses_dates_out_of_range(client_for):
    c = client_for("tecnico")
    checked = []
    for url in _pages():
        if url.startswith(("/api", "/salir", "/logout", "/admin")):
            continue
        page = c.get(url)
        if page.status_code != 200 or "text/html" not in page.get("Content-Type", ""):
            continue
        filters = "".join(GET_FORM.findall(page.content.decode()))  # filter forms (GET), not the forms that save
        names = {NAME.search(tag).group(1) for tag in DATE_INPUT.findall(filters) if NAME.search(tag)}
        for name in sorted(names):
            for value in BAD:
                response = c.get(url, {name: value})
                assert response.status_code < 500, (url, name, value)
                body = response.content.decode()
                assert (
                    "Ingrese una fecha entre 1900-01-01 y 2100-12-31" in body or "Introduzca una fecha válida" in body
                ), (url, name, value)
                checked.append((url, name))
    pages = {url for url, _name in checked}
    for must in (reverse("incidents:incident_list"), reverse("activities:activity_list")):
        assert must in pages, sorted(pages)
    assert len(pages) >= 4, sorted(pages)


@pytest.mark.parametrize("value", BAD)
def test_the_calendar_and_the_api_survive_dates_out_of_range(client_for, value):
    c = client_for("tecnico")
    for view in ("mes", "semana"):
        assert c.get(reverse("activities:calendar"), {"vista": view, "fecha": value}).status_code == 200
    response = c.get("/api/incidents", {"date_to": value})
    assert response.status_code in (200, 404, 422), response.status_code
