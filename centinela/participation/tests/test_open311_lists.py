"""Open311 GeoReport v2 lists of requests as clients page through them, on the real API through Django's test
client: pages (the page and page_size extension the specification's Extensions page lists, and the Link header's
next page after a cursor, which never repeats nor skips a report when others appear between two requests), the
specification's 90 days at most between start_date and end_date, several statuses at once (comma delimited, as the
specification allows), an end_date given as a day, and media_url (a report's photos are never public, so none is
ever given out)."""

import json
import re
from datetime import datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit
from xml.etree import ElementTree

import pytest
from django.core import signing
from django.utils import timezone

from centinela.participation import open311, services
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


def refused(client, params, fmt="json"):
    response = client.get(f"{BASE}/requests.{fmt}", params)
    assert response.status_code == 400, (params, response.content[:300])
    if fmt == "xml":
        root = ElementTree.fromstring(response.content)
        assert root.tag == "errors" and [e.findtext("code") for e in root.findall("error")] == ["400"]
        return [e.findtext("description") for e in root.findall("error")]
    return [e["description"] for e in json.loads(response.content)]


def page(client, url, params=None, fmt="json"):
    """The codes of one page and the URL of the next one (its Link header, RFC 8288), None on the last page."""
    response = client.get(url, params or {})
    assert response.status_code == 200, response.content[:300]
    if fmt == "xml":
        codes = [r.findtext("service_request_id") for r in ElementTree.fromstring(response.content).findall("request")]
    else:
        codes = [r["service_request_id"] for r in json.loads(response.content)]
    if not response.has_header("Link"):
        return codes, None
    match = re.fullmatch(r'<(http://testserver/[^>]+)>; rel="next"', response["Link"])
    assert match, response["Link"]
    return codes, match.group(1)


def every_page(client, params, fmt="json", between=None):
    """The codes of the first page and of every page its Link leads to, in order; `between` runs after each page.
    At most 50 pages: a Link that led back to a page already read would otherwise never end."""
    seen, link = page(client, f"{BASE}/requests.{fmt}", params, fmt)
    for _ in range(50):
        if not link:
            break
        if between:
            between()
        codes, link = page(client, link, fmt=fmt)
        seen += codes
    assert link is None, "still a next page after 50"
    return seen


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


def test_start_and_end_dates_more_than_90_days_apart_are_an_open311_400_in_spanish(client, published):
    """The specification: start_date and end_date "may not span more than 90 days"."""
    end = timezone.localtime().replace(microsecond=0)
    exactly = {"start_date": (end - timedelta(days=90)).isoformat(), "end_date": end.isoformat()}
    assert listed(client, exactly) == published  # 90 days is the limit itself
    over = {"start_date": (end - timedelta(days=90, seconds=1)).isoformat(), "end_date": end.isoformat()}
    for fmt in ("json", "xml"):
        descriptions = refused(client, over, fmt)
        assert descriptions == [
            "start_date y end_date no pueden abarcar más de 90 días (el límite de Open311): pida periodos más cortos."
        ], descriptions
    today = timezone.localdate()
    whole_days = {"start_date": (today - timedelta(days=89)).isoformat(), "end_date": today.isoformat()}
    assert listed(client, whole_days) == published  # days alone: 90 whole days, today's included
    assert "90 días" in refused(client, {**whole_days, "start_date": (today - timedelta(days=90)).isoformat()})[0]
    assert listed(client, {**over, "service_request_id": published[2]}) == [published[2]]  # ids: no dates at all


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_link_pages_never_repeat_nor_skip_a_report_when_others_appear_between_requests(
    client, published, categories, sagrario_point, users, fmt
):
    """Offset pages shift when a report appears newer than what was read (filed now, or filed earlier and published
    later by moderation): page 2 would repeat page 1's last report. The Link header's next page starts strictly
    after the last report read (created_at, id): each report once, and every report of the first request reached."""
    created = dict(Report.objects.filter(code__in=published).values_list("code", "created_at"))
    added = []

    def add(category, created_at):
        report = file_report(categories[category], sagrario_point, "Poste sin luz en la esquina de la escuela")
        services.publish(users["tecnico"], report, True)
        Report.objects.filter(pk=report.pk).update(created_at=created_at)
        added.append(report.code)

    def between():  # after each page: a new report, one published late, one of another service, one still unread
        if len(added) < 4:
            add("alumbrado-deficiente", timezone.now())
            add("alumbrado-deficiente", created[published[0]] - timedelta(minutes=1))  # among those already read
            add("lugar-abandonado", created[published[6]] + timedelta(minutes=1))  # other service: filtered out
            add("alumbrado-deficiente", created[published[4]] - timedelta(minutes=30))  # not read yet: it comes

    params = {"page_size": 3, "service_code": "alumbrado-deficiente", "status": "open,closed"}
    assert every_page(client, params, fmt, between) == published[:5] + [added[3]] + published[5:]
    _codes, link = page(client, f"{BASE}/requests.{fmt}", params, fmt)
    query = parse_qs(urlsplit(link).query)
    assert {k: v for k, v in query.items() if k in params} == {k: [str(v)] for k, v in params.items()}
    assert set(query) == {*params, "start_date", "after"}  # the default 90 days fixed at the first request


def test_reports_with_the_same_created_at_are_split_across_pages_without_a_repeat_or_a_gap(client, published):
    moment = Report.objects.get(code=published[3]).created_at.replace(microsecond=0)
    Report.objects.filter(code__in=published[1:6]).update(created_at=moment)  # five at the same instant
    everything = listed(client)  # one answer's order: newest first, ties by id (the latest filed first)
    ids = dict(Report.objects.filter(code__in=published).values_list("code", "id"))
    assert everything[1:6] == sorted(published[1:6], key=ids.get, reverse=True)
    for size in (1, 2, 3, 4, 6):
        assert every_page(client, {"page_size": size}) == everything, size
        assert every_page(client, {"page_size": size}, fmt="xml") == everything, size
    assert page(client, f"{BASE}/requests.json", {"page_size": 7})[1] is None  # no next page, no Link
    assert page(client, f"{BASE}/requests.json", {"page_size": 6})[1] is not None


def test_a_forged_or_garbled_cursor_is_an_open311_400_in_spanish(client, published):
    moment = timezone.now().isoformat()
    message = "after no es un cursor dado por este servidor: siga el encabezado Link de la página anterior."
    garbled = ["basura", "2026-12-01T00:00:00,1", signing.dumps([moment, 10**9], salt="another use of the key")]
    for value in garbled:
        for fmt in ("json", "xml"):
            assert refused(client, {"after": value}, fmt) == [message], value
    mine = signing.dumps([moment, 10**9], salt=open311.CURSOR_SALT)  # as the server would sign it
    payload, signature = mine.rsplit(":", 1)
    forged = [
        signing.dumps([moment, 10**9], salt=open311.CURSOR_SALT, key="a key that is not the server's"),
        f"{payload[:-1]}{'A' if payload[-1] != 'A' else 'B'}:{signature}",
        f"{payload}:{signature[::-1]}",
    ]
    for value in forged:
        assert refused(client, {"after": value}) == [message], value
    _codes, link = page(client, f"{BASE}/requests.json", {"page_size": 2})
    assert link is not None and page(client, link)[0] == published[2:4]
    after = parse_qs(urlsplit(link).query)["after"][0]
    assert "page o after" in refused(client, {"after": after, "page": "2"})[0]


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
