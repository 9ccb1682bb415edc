"""The open data keep each category group's label as its value in the cache (not a lazy string, costly to unpickle)
and still show it in the reader's language, read back from the cache, as Category.Group's label."""

import csv
import io
import pickle
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test.utils import override_settings
from django.utils import translation

from centinela.incidents.models import Category, Incident, Source
from centinela.observatory import indicators
from centinela.territory.models import Parish

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "open-data-labels"}}
LOJA = ZoneInfo("America/Guayaquil")


def test_a_group_label_is_the_groups_label_in_each_language():
    for value, label in Category.Group.choices:
        shown = pickle.loads(pickle.dumps(indicators.GroupLabel(value)))
        for language in ("es", "en"):
            with translation.override(language):
                assert str(shown) == str(label)


@pytest.mark.django_db
def test_the_page_and_the_csv_show_the_labels_in_the_readers_language(client):
    from django.core.cache import cache

    source, parish = Source.objects.get(code="ecu911"), Parish.objects.get(code="110101")
    for cat in Category.objects.all():
        Incident.objects.bulk_create(
            [
                Incident(
                    source=source,
                    category=cat,
                    parish=parish,
                    lon=-79.2,
                    lat=-4.0,
                    occurred_at=datetime(2024, 3, 1 + i, 10, tzinfo=LOJA),
                )
                for i in range(6)
            ]
        )
    with override_settings(CACHES=LOCMEM):
        cache.clear()
        for language in ("es", "en"):
            client.cookies["django_language"] = language
            with translation.override(language):
                labels = [str(label) for _value, label in Category.Group.choices]
            for _ in range(2):  # computed, then read back from the cache
                page = client.get("/datos-abiertos/", {"year": "2024"}).content.decode()
                assert all(f'<th class="num">{label}</th>' in page for label in labels), language
                rows = list(
                    csv.DictReader(
                        io.StringIO(
                            client.get("/datos-abiertos/", {"table": "monthly", "export": "csv"})
                            .getvalue()
                            .decode("utf-8-sig")
                        )
                    )
                )
                assert {r["category_group_label"] for r in rows} == set(labels)
        cache.clear()


@pytest.mark.django_db
def test_incidents_without_a_parish_are_named_in_the_readers_language(client):
    """The open data are computed once for every reader: the row of the incidents with no parish was named in the
    language of whoever computed them, for everyone after."""
    from django.core.cache import cache

    source, cat = Source.objects.get(code="ecu911"), Category.objects.first()
    Incident.objects.bulk_create(
        [
            Incident(
                source=source,
                category=cat,
                parish=None,
                lon=-79.2,
                lat=-4.0,
                occurred_at=datetime(2024, 3, 1 + i, 10, tzinfo=LOJA),
            )
            for i in range(6)
        ]
    )
    with override_settings(CACHES=LOCMEM):
        cache.clear()
        for language, name in (("en", "No parish assigned"), ("es", "Sin parroquia asignada")):
            client.cookies["django_language"] = language
            rows = list(
                csv.DictReader(
                    io.StringIO(
                        client.get("/datos-abiertos/", {"table": "yearly", "export": "csv"})
                        .getvalue()
                        .decode("utf-8-sig")
                    )
                )
            )
            assert name in {r["parish"] for r in rows}, (language, {r["parish"] for r in rows})
        cache.clear()
