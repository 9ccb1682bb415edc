"""The public map stays light with thousands of reports: it draws the latest MAP_POINTS points of the filter and
says how many it shows of how many; the list pages through all of them and the open data (streamed) holds them all,
with the counts of sensitive reports per barrio whatever the cap."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from centinela.participation import selectors
from centinela.participation.models import Report
from centinela.territory.models import Barrio

from .conftest import file_report

URL = "/participa/mapa/"


def layer(page: str) -> dict:
    found = re.search(r'<script id="map-layers" type="application/json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))["reports"]


@pytest.fixture
def many(categories, sagrario_point, monkeypatch):
    """Eight published reports of lighting a day apart (the latest last), and one of drugs in a barrio (40 days
    ago)."""
    monkeypatch.setattr(selectors, "MAP_POINTS", 5)
    now = timezone.now()
    made = []
    for i in range(8):
        point = (sagrario_point[0] + 0.001 * i, sagrario_point[1])
        report = file_report(categories["alumbrado-deficiente"], point, description=f"Poste apagado número {i}")
        Report.objects.filter(pk=report.pk).update(published=True, created_at=now - timedelta(days=8 - i))
        made.append(report)
    drugs = file_report(categories["drogas-via-publica"], sagrario_point, description="Venden droga en la esquina")
    barrio = Barrio.objects.filter(parish=drugs.parish).exclude(centre_lon=None).first()
    # a month that has ended (the public counts of sensitive reports cover complete months only)
    Report.objects.filter(pk=drugs.pk).update(published=True, barrio=barrio, created_at=now - timedelta(days=40))
    return made, drugs


def test_the_map_draws_the_latest_points_and_says_how_many_of_how_many(client, many):
    made, drugs = many
    page = client.get(URL).content.decode()
    features = layer(page)["features"]
    points = [f["properties"]["code"] for f in features if not f["properties"].get("aggregated")]
    assert points == [r.code for r in reversed(made[-5:])]
    # one report: a hidden count (under OPEN_DATA_MIN_COUNT)
    assert [f["properties"]["count"] for f in features if f["properties"].get("aggregated")] == [None]
    assert 'id="map-cap"' in page and "5 reportes más recientes de 8" in page
    assert all(r.code in page for r in made[-8:])  # the list below the map pages through all of them (50 a page)
    assert drugs.code not in page


def test_no_note_when_every_point_is_drawn(client, many):
    made, _drugs = many
    since = timezone.localtime(Report.objects.get(pk=made[-3].pk).created_at).date().isoformat()
    page = client.get(URL + f"?date_from={since}").content.decode()
    assert len([f for f in layer(page)["features"] if not f["properties"].get("aggregated")]) == 3
    assert 'id="map-cap"' not in page


def test_the_open_data_holds_every_report_whatever_the_cap(client, many):
    made, drugs = many
    response = client.get(URL + "?export=geojson")
    assert response.streaming
    data = json.loads(b"".join(response.streaming_content))
    codes = {f["properties"].get("code") for f in data["features"]}
    assert {r.code for r in made} <= codes and drugs.code not in codes
    assert sum(1 for f in data["features"] if f["properties"].get("aggregated")) == 1


def test_the_cached_page_follows_every_public_change(client, many, settings, users):
    """The page's data is cached under the reports' public version: publishing, a status change and withdrawing
    show at once, while a report filed and not yet published leaves the cached page as it is."""
    from centinela.participation import services

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "map"}}
    made, _drugs = many
    latest = made[-1]
    assert latest.code in client.get(URL).content.decode()
    # a change no service makes (updated_at untouched) is not seen: the page came from the cache
    Report.objects.filter(pk=latest.pk).update(public_text="Texto cambiado por debajo")
    assert "Texto cambiado por debajo" not in client.get(URL).content.decode()
    latest.refresh_from_db()
    services.post_update(users["tecnico"], latest, status="resolved", text="Luminaria cambiada", public=True)
    page = client.get(URL).content.decode()
    assert "Luminaria cambiada" not in page  # the public text is the reporter's, the status is staff's
    assert "Resuelto" in page.split(latest.code, 1)[1].split("</tr>", 1)[0]
    services.publish(users["tecnico"], latest, False)
    assert latest.code not in client.get(URL).content.decode()
    fresh = file_report(made[0].category, (latest.lon, latest.lat), description="Otro poste apagado")
    assert fresh.code not in client.get(URL).content.decode()
    services.publish(users["tecnico"], fresh, True)
    assert fresh.code in client.get(URL).content.decode()


def _geojson(client):
    response = client.get(URL + "?export=geojson")
    assert response.streaming
    return json.loads(b"".join(response.streaming_content))


def test_the_open_data_is_sent_again_from_the_cache_until_a_public_change(client, many, settings, users, monkeypatch):
    from centinela.lib import exports
    from centinela.participation import services

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "geo"}}
    made, _drugs = many
    first = _geojson(client)
    Report.objects.filter(pk=made[0].pk).update(public_text="Texto cambiado por debajo")
    assert _geojson(client) == first  # from the cache: a change no service makes leaves the version as it was
    services.publish(users["tecnico"], made[0], False)
    codes = {f["properties"].get("code") for f in _geojson(client)["features"]}
    assert made[0].code not in codes and made[1].code in codes

    # a download larger than the cache takes is only streamed: the next one reads the reports again
    monkeypatch.setattr(exports, "CACHED_DOWNLOAD_MAX_BYTES", 100)
    services.publish(users["tecnico"], made[0], True)
    assert made[0].code in {f["properties"].get("code") for f in _geojson(client)["features"]}
    Report.objects.filter(pk=made[1].pk).update(public_text="Otro texto por debajo")
    texts = {f["properties"].get("text") for f in _geojson(client)["features"]}
    assert "Otro texto por debajo" in texts
