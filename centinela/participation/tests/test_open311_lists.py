"""Open311 GeoReport v2 lists of requests as clients page through them, on the real API through Django's test
client: pages (the page and page_size extension the specification's Extensions page lists), several statuses at
once (comma delimited, as the specification allows), an end_date given as a day, and media_url (a report's photos
are never public, so none is ever given out)."""

import json
from datetime import datetime, time, timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from centinela.participation import services
from centinela.participation.models import Report

from .conftest import file_report, jpeg

BASE = "/api/open311/v2"
pytestmark = pytest.mark.django_db


@pytest.fixture
def published(categories, sagrario_point, users):
    """The codes of seven published reports filed an hour apart, newest first (as the API lists them)."""
    now = timezone.now()
    codes = []
    for i in range(7):
        report = file_report(categories["alumbrado-deficiente"], sagrario_point, f"Poste {i} sin luz desde el lunes")
        services.publish(users["tecnico"], report, True)
        Report.objects.filter(pk=report.pk).update(created_at=now - timedelta(hours=7 - i))
        codes.append(report.code)
    return codes[::-1]


def listed(client, params=None, fmt="json"):
    response = client.get(f"{BASE}/requests.{fmt}", params or {})
    assert response.status_code == 200, response.content[:300]
    if fmt == "xml":
        root = ElementTree.fromstring(response.content)
        return [r.findtext("service_request_id") for r in root.findall("request")]
    return [r["service_request_id"] for r in json.loads(response.content)]


def refused(client, params):
    response = client.get(f"{BASE}/requests.json", params)
    assert response.status_code == 400, (params, response.content[:300])
    return [e["description"] for e in json.loads(response.content)]


def test_pages_cover_the_list_once_in_order(client, published):
    assert listed(client) == published  # nothing asked: the first 1000 (here all), newest first
    pages = [listed(client, {"page": n, "page_size": 3}) for n in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [3, 3, 1, 0]
    assert sum(pages, []) == published
    assert listed(client, {"page_size": 3, "page": 2}, fmt="xml") == published[3:6]
    assert listed(client, {"page_size": 2}) == published[:2]  # page 1 unless asked
    assert listed(client, {"page_size": 2, "service_request_id": ",".join(published)}) == published  # ids: all


def test_bad_paging_is_an_open311_400_in_spanish(client, published):
    for params in ({"page": "0"}, {"page": "dos"}, {"page": "1e3"}, {"page_size": "1001"}, {"page_size": "-5"}):
        descriptions = refused(client, params)
        assert "número entero de 1 a" in descriptions[0], (params, descriptions)


def test_several_statuses_at_once_comma_delimited(client, published):
    Report.objects.filter(code=published[0]).update(status=Report.Status.RESOLVED)
    assert listed(client, {"status": "closed"}) == published[:1]
    assert listed(client, {"status": "open"}) == published[1:]
    assert listed(client, {"status": "open,closed"}) == published
    assert listed(client, {"status": "closed, open"}) == published
    assert "open o closed" in refused(client, {"status": "open,cerrado"})[0]


def test_an_end_date_given_as_a_day_ends_with_that_day(client, published):
    day = timezone.localdate() - timedelta(days=3)
    next_midnight = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    Report.objects.filter(code=published[0]).update(created_at=next_midnight)  # the next day already
    Report.objects.filter(code=published[1]).update(created_at=next_midnight - timedelta(seconds=1))
    assert listed(client, {"end_date": day.isoformat()}) == [published[1]]
    assert listed(client, {"start_date": (day + timedelta(days=1)).isoformat()})[-1] == published[0]


def test_media_url_never_gives_out_a_photo(client, categories, sagrario_point, users):
    """A report's photos are not public (a face, a plate, the reporter's door): staff see them through the
    permission check and the reporter through the private link. media_url stays empty, in every answer."""
    report = file_report(categories["alumbrado-deficiente"], sagrario_point, photos=[jpeg()])
    services.publish(users["tecnico"], report, True)
    photo = report.photos.get()
    for path in ("requests.json", f"requests/{report.code}.json"):
        assert [row["media_url"] for row in json.loads(client.get(f"{BASE}/{path}").content)] == [""]
    for path in ("requests.xml", f"requests/{report.code}.xml"):
        body = client.get(f"{BASE}/{path}").content
        assert [r.findtext("media_url") for r in ElementTree.fromstring(body).findall("request")] == [""]
        assert photo.file.name.rsplit("/", 1)[-1].encode() not in body and b"/fotos/" not in body
