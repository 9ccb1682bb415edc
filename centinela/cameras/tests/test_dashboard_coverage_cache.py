"""Web load (issue 10): the dashboard's incident coverage is kept in the cache (selectors.dashboard_coverage). Served
from it, the page counts no incident; every change of an incident or of a link between an incident and a camera
(by hand, in bulk, by deleting a camera) shows on the next request; each scope has its own figure."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from centinela.cameras import services
from centinela.cameras.models import Device, Sighting
from centinela.cameras.tests.test_inventory_factories import make_device, make_system
from centinela.cameras.tests.test_sightings import at, incident, offset
from centinela.incidents.models import Incident

pytestmark = pytest.mark.django_db
LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "camera-coverage-test"}}


@pytest.fixture
def cache(db):
    from django.core.cache import cache as django_cache

    with override_settings(CACHES=LOCMEM):
        django_cache.clear()
        yield django_cache


def shown(client):
    """(total, in view) of the dashboard's headline, and the SQL the request ran."""
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cameras:dashboard"))
    assert response.status_code == 200
    cov = response.context["incident_coverage"]
    return (cov.total, cov.in_view), [q["sql"] for q in ctx.captured_queries]


def counted_incidents(queries) -> bool:
    return any('COUNT("incidents_incident"' in sql for sql in queries)


def test_from_the_cache_the_figure_is_the_same_and_counts_no_incident(client_for, cache, hand_made):
    client = client_for("directora")
    first, queries = shown(client)
    assert first == (4, 1) and counted_incidents(queries)
    again, queries = shown(client)
    assert again == first and not counted_incidents(queries)


def test_each_scope_has_its_own_figure(client_for, cache, hand_made):
    assert shown(client_for("directora"))[0] == (4, 1)
    assert shown(client_for("presidente.valle"))[0] == (1, 0)
    assert shown(client_for("presidente.sagrario"))[0] == (3, 1)
    assert shown(client_for("directora"))[0] == (4, 1)


def test_links_made_and_removed_by_hand_show_at_once(client_for, users, cache, hand_made):
    client = client_for("directora")
    assert shown(client)[0] == (4, 1)
    camera = Device.objects.get(code="CAM-C-1")
    sighting = services.link_manually(users["tecnico"], camera, hand_made["out"])
    assert shown(client)[0] == (4, 2)
    services.unlink(users["tecnico"], sighting)
    assert shown(client)[0] == (4, 1)


def test_links_removed_and_made_in_bulk_show_at_once(client_for, cache, hand_made):
    client = client_for("directora")
    assert shown(client)[0] == (4, 1)
    Sighting.objects.filter(automatic=True).delete()  # as the link_camera_incidents command starts
    assert shown(client)[0] == (4, 0)
    services.link_incidents()  # bulk inserts: no signal of their own
    assert shown(client)[0] == (4, 1)


def test_a_camera_deleted_takes_its_links_with_it(client_for, cache, hand_made):
    client = client_for("directora")
    site = Device.objects.get(code="CAM-C-1").system.site
    other = make_device(
        make_system(site, installed_on=date(2019, 1, 1), name="NVR 2"),
        code="CAM-C-2",
        lifecycle="operational",
        installed_on=date(2019, 1, 1),
    )
    services.link_incidents(devices=Device.objects.filter(pk=other.pk))
    Sighting.objects.filter(device__code="CAM-C-1").delete()
    seen_by_other = shown(client)[0]
    assert seen_by_other[1] >= 1  # the second camera, at the same place, sees the incident too
    other.delete()
    assert shown(client)[0] == (4, 0)


def test_incidents_changed_added_or_discarded_show_at_once(client_for, cache, hand_made):
    client = client_for("directora")
    assert shown(client)[0] == (4, 1)
    camera = Device.objects.get(code="CAM-C-1")
    new = incident(*offset(camera, 90, 20), at(2021, 9, 1, 12))
    services.link_incidents(incident_ids=[new.pk])
    assert shown(client)[0] == (5, 2)
    seen = Incident.objects.get(pk=hand_made["seen"].pk)
    seen.status = Incident.Status.DISCARDED
    seen.save()
    assert shown(client)[0] == (4, 1)
    new.delete()
    assert shown(client)[0] == (3, 0)


def test_a_version_counter_lost_from_the_cache_never_starts_again_at_an_old_value(cache):
    from centinela.cameras.versions import SIGHTINGS_VERSION_KEY, bump_sightings, sightings_version

    seen = [sightings_version()]
    bump_sightings()
    seen.append(sightings_version())
    cache.delete(SIGHTINGS_VERSION_KEY)  # culled by the file cache, or never made
    again = sightings_version()
    assert again not in seen and again > max(seen)
    cache.delete(SIGHTINGS_VERSION_KEY)
    bump_sightings()
    assert sightings_version() > again
