"""The home page's map layers and counts are what they were when every request built them from model instances
(the reference below is that code), for every demo role; and, kept per version of the territory (territory.cache),
they follow a parish, barrio or place saved or deleted at once."""

import json
import re

import pytest
from django.db.models import Count
from django.test.utils import override_settings
from django.urls import reverse

from centinela.accounts.demo import DEMO_USERS
from centinela.accounts.permissions import scope
from centinela.lib.choices import display
from centinela.lib.maps import shared_layers
from centinela.territory import geometry, selectors
from centinela.territory.models import Barrio, Parish, Place

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "territory-test"}}
ROLES = [username for username, *_ in DEMO_USERS]


def reference_layers(user) -> dict:
    """The layers as views.home built them before they were kept: one feature per model instance, per request."""
    parishes = [
        geometry.feature(
            p.geometry,
            {
                "id": p.pk,
                "code": p.code,
                "name": p.name,
                "kind": p.kind,
                "kind_label": str(display(p, "kind")),
                "approximate": p.is_approximate,
                "area_km2": round(p.area_km2 or 0, 1),
                "url": reverse("territory:parish_detail", args=[p.pk]),
            },
        )
        for p in scope(user, Parish.objects.all())
    ]
    barrios = [
        geometry.feature(
            b.geometry,
            {
                "id": b.pk,
                "code": b.code,
                "name": b.name,
                "parish": b.parish.name,
                "approximate": b.is_approximate,
                "url": reverse("territory:barrio_detail", args=[b.pk]),
            },
        )
        for b in selectors.barrios_for(user)
    ]
    places = [
        geometry.feature(
            geometry.point(p.lon, p.lat),
            {
                "id": p.pk,
                "name": p.name,
                "kind": p.kind,
                "kind_label": str(display(p, "kind")),
                "parish": p.parish.name if p.parish else "",
                "barrio": p.barrio.name if p.barrio else "",
                "verified": p.location_verified,
                "url": reverse("territory:place_detail", args=[p.pk]),
            },
        )
        for p in selectors.places_for(user)
    ]
    layers = json.loads(
        json.dumps(
            {
                name: geometry.feature_collection(features)
                for name, features in (("parishes", parishes), ("barrios", barrios), ("places", places))
            }
        )
    )
    # the layers other apps register (lib.maps.shared_layers: the open citizen reports) are checked by their own
    # tests (participation/tests/test_staff_map_layer.py)
    return layers | json.loads(json.dumps(shared_layers(user)))


def reference_counts(user) -> dict:
    return {
        "parishes": scope(user, Parish.objects.all()).count(),
        "urban": scope(user, Parish.objects.filter(kind=Parish.Kind.URBAN)).count(),
        "rural": scope(user, Parish.objects.filter(kind=Parish.Kind.RURAL)).count(),
        "barrios": selectors.barrios_for(user).count(),
        "places": selectors.places_for(user).count(),
        "places_by_kind": {
            row["kind"]: row["n"] for row in selectors.places_for(user).values("kind").annotate(n=Count("id"))
        },
    }


def page_layers(response) -> dict:
    found = re.search(
        r'<script id="map-layers" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    return json.loads(found.group(1))


def check_home(client, user):
    response = client.get("/")
    assert response.status_code == 200
    assert page_layers(response) == reference_layers(user)
    counts = dict(response.context["counts"])
    counts["places_by_kind"] = {row["kind"]: row["n"] for row in counts["places_by_kind"]}
    assert counts == reference_counts(user)
    approximate = selectors.parishes_for(user).filter(geometry_source="approximate").exists()
    assert response.context["any_approximate"] == approximate
    return response


@pytest.fixture
def kept(db):
    """The layers kept as in production (the tests' default cache keeps nothing)."""
    from django.core.cache import cache

    with override_settings(CACHES=LOCMEM):
        cache.clear()
        yield cache
        cache.clear()


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_home_layers_and_counts_are_the_reference_for_every_role(client_for, users, username, kept):
    client = client_for(username)
    check_home(client, users[username])
    check_home(client, users[username])  # the second time from the kept layers


@pytest.mark.django_db
def test_a_president_sees_only_their_parish_on_the_map(client_for, users, kept):
    layers = page_layers(client_for("presidente.valle").get("/"))
    valle = Parish.objects.get(code="110104")
    assert [f["properties"]["id"] for f in layers["parishes"]["features"]] == [valle.pk]
    assert {f["properties"]["parish"] for f in layers["places"]["features"]} <= {valle.name}


@pytest.mark.django_db
def test_english_labels_are_kept_apart_from_spanish(client_for, kept):
    client = client_for("tecnico")
    spanish = page_layers(client.get("/"))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = page_layers(client.get("/"))
    labels = {f["properties"]["kind_label"] for f in english["parishes"]["features"]}
    assert labels == {"Urban", "Rural"}
    assert {f["properties"]["kind_label"] for f in spanish["parishes"]["features"]} != labels


@pytest.mark.django_db(transaction=True)
def test_a_change_to_the_territory_shows_at_once(reference_data, client_for, users, kept):
    """Outside a test transaction, as in production: each change commits and bumps the version."""
    client = client_for("tecnico")
    user = users["tecnico"]
    check_home(client, user)
    parish = Parish.objects.get(code="110104")
    parish.name = "El Valle (renombrada)"
    parish.save()
    layers = page_layers(check_home(client, user))
    assert "El Valle (renombrada)" in {f["properties"]["name"] for f in layers["parishes"]["features"]}
    assert "El Valle (renombrada)" in {f["properties"]["parish"] for f in layers["barrios"]["features"]}
    place = Place.objects.create(name="Nuevo parque", kind=Place.Kind.PARK, lon=-79.2, lat=-4.0, parish=parish)
    places = page_layers(check_home(client, user))["places"]["features"]
    assert "Nuevo parque" in {f["properties"]["name"] for f in places}
    barrio = Barrio.objects.filter(parish=parish).first()
    barrio.name = "Barrio renombrado"
    barrio.save()
    layers = page_layers(check_home(client, user))
    assert "Barrio renombrado" in {f["properties"]["name"] for f in layers["barrios"]["features"]}
    place.delete()
    assert "Nuevo parque" not in {
        f["properties"]["name"] for f in page_layers(check_home(client, user))["places"]["features"]
    }


@pytest.mark.django_db(transaction=True)
def test_places_moved_in_bulk_by_new_boundaries_show_at_once(reference_data, client_for, users, kept):
    from centinela.territory import cache as territory_cache
    from centinela.territory.boundaries import relocate_places

    client = client_for("tecnico")
    place = Place.objects.exclude(parish=None).first()
    # boundaries just imported (their saves bump the version) and the places not yet moved: a page reads them so
    Place.objects.filter(pk=place.pk).update(parish=None, barrio=None)
    territory_cache.bump()
    check_home(client, users["tecnico"])
    assert relocate_places() >= 1  # moved back in bulk, without signals
    layers = page_layers(check_home(client, users["tecnico"]))
    assert {f["properties"]["parish"] for f in layers["places"]["features"] if f["properties"]["id"] == place.pk} == {
        place.parish.name
    }


@pytest.mark.django_db
def test_a_change_inside_a_transaction_is_seen_by_it_and_not_kept(client_for, users, kept):
    """A test runs in a transaction: the page read after a delete in it shows the delete, and the layers it built
    (which a rollback would undo) are not kept for other workers, whose layers stay those of the committed rows."""
    from centinela.territory import cache as territory_cache

    client = client_for("tecnico")
    check_home(client, users["tecnico"])
    before = Place.objects.count()
    assert [len(value["places"]) for value in territory_cache._layers.values()] == [before]
    Place.objects.filter(kind=Place.Kind.BANK).first().delete()
    check_home(client, users["tecnico"])
    assert [len(value["places"]) for value in territory_cache._layers.values()] == [before]
