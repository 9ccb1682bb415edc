import numpy as np
import pytest
import shapely

from centinela.territory import selectors
from centinela.territory.models import Barrio, Parish

pytestmark = pytest.mark.django_db


def test_each_parish_centre_locates_to_its_parish():
    for parish in Parish.objects.all():
        assert selectors.locate(parish.centre_lon, parish.centre_lat).parish == parish


def test_barrio_centre_gives_parish_and_barrio():
    barrio = Barrio.objects.get(code="LOJA-B-CIUDADELA-ZAMORA")
    location = selectors.locate(barrio.centre_lon, barrio.centre_lat)
    assert location.barrio == barrio and location.parish == barrio.parish


def test_point_outside_the_canton_has_no_parish():
    location = selectors.locate(-79.88, -2.19)  # Guayaquil
    assert location.parish is None and location.barrio is None
    assert not selectors.in_canton(-79.88, -2.19)


def test_bulk_locate_agrees_with_polygon_containment():
    rng = np.random.default_rng(7)
    lon = rng.uniform(-79.5, -79.1, 5000)
    lat = rng.uniform(-4.5, -3.6, 5000)
    parish_ids, _ = selectors.locate_ids(lon, lat)
    parishes = list(Parish.objects.all())
    expected = np.zeros(len(lon), dtype=np.int64)
    for p in parishes:
        inside = shapely.intersects_xy(p.geometry, lon, lat)
        expected[(expected == 0) & inside] = p.pk
    assert (parish_ids > 0).sum() > 1000
    assert np.array_equal(parish_ids, expected)


def test_index_follows_boundary_changes():
    parish = Parish.objects.get(code="110157")
    assert selectors.locate(-78.0, -2.0).parish is None
    parish.geometry = parish.geometry.union(shapely.box(-78.01, -2.01, -77.99, -1.99))
    parish.save()
    assert selectors.locate(-78.0, -2.0).parish == parish
