"""A camera's view as a geodesic sector (PTZ: the full disc of its reach), and the places and barrios in view."""

import re
from decimal import Decimal

import pytest
from pyproj import Geod

from centinela.cameras import coverage
from centinela.cameras.selectors import in_view, view_of
from centinela.cameras.tests.test_inventory_factories import make_device, make_site, make_system
from centinela.territory.models import Barrio, Place

GEOD = Geod(ellps="WGS84")
LON, LAT = -79.2017, -3.996  # Loja, Parque Central


def _at(bearing, distance):
    lon, lat, _ = GEOD.fwd(LON, LAT, bearing, distance)
    return lon, lat


def test_a_sector_covers_what_lies_ahead_within_range_and_nothing_behind():
    view = coverage.sector(LON, LAT, 0, 90, 100)
    assert coverage.contains(view, *_at(0, 90))  # straight ahead, inside the range
    assert coverage.contains(view, *_at(40, 90))  # inside the 90° field of view
    assert not coverage.contains(view, *_at(50, 90))  # just outside it
    assert not coverage.contains(view, *_at(0, 110))  # beyond the range
    assert not coverage.contains(view, *_at(180, 20))  # behind the camera


def test_a_sector_across_north_wraps_around():
    view = coverage.sector(LON, LAT, 350, 60, 100)
    assert coverage.contains(view, *_at(10, 50)) and coverage.contains(view, *_at(330, 50))
    assert not coverage.contains(view, *_at(90, 50))


def test_the_sector_area_matches_the_geodesic_formula():
    view = coverage.sector(LON, LAT, 45, 90, 100)
    expected = 3.141592653589793 * 100**2 / 4
    assert coverage.covered_area_m2([view]) == pytest.approx(expected, rel=0.01)


def test_ptz_and_a_360_field_of_view_are_full_discs():
    for view in (coverage.sector(LON, LAT, 0, 60, 80, full_circle=True), coverage.sector(LON, LAT, 0, 360, 80)):
        assert coverage.contains(view, *_at(180, 70)) and coverage.contains(view, *_at(90, 70))
        assert coverage.covered_area_m2([view]) == pytest.approx(3.141592653589793 * 80**2, rel=0.01)


@pytest.mark.parametrize("fov", [0, 361, -10])
def test_an_impossible_field_of_view_is_an_error(fov):
    with pytest.raises(ValueError):
        coverage.sector(LON, LAT, 0, fov, 50)


def test_overlapping_views_are_counted_once():
    a = coverage.sector(LON, LAT, 0, 90, 100)
    assert coverage.covered_area_m2([a, a]) == pytest.approx(coverage.covered_area_m2([a]))


def test_points_and_areas_in_view():
    view = coverage.sector(LON, LAT, 90, 60, 100)
    points = {"east": _at(90, 50), "west": _at(270, 50)}
    assert coverage.points_in_view(view, points) == ["east"]
    from shapely.geometry import Point

    areas = {"near": Point(*_at(90, 80)).buffer(0.0002), "far": Point(*_at(90, 500)).buffer(0.0002)}
    assert coverage.areas_in_view(view, areas) == ["near"]


@pytest.mark.django_db
def test_the_camera_page_lists_the_places_and_barrios_in_view(client_for, users):
    place = Place.objects.exclude(barrio=None).order_by("name").first()
    site = make_site(name="Frente al lugar", place=place)
    # the camera stands 30 m west of the place and looks east at it
    lon, lat, _ = GEOD.fwd(place.lon, place.lat, 270, 30)
    site.lon, site.lat = lon, lat
    site.save()
    device = make_device(make_system(site), bearing=Decimal("90"), field_of_view=Decimal("60"), range_m=60)
    seen = in_view(device, users["tecnico"])
    assert place in seen["places"] and place.barrio in seen["barrios"]
    device.bearing = Decimal("270")  # looking away
    assert place not in in_view(device, users["tecnico"])["places"]
    body = (
        client_for("tecnico")
        .get(
            make_device(
                make_system(site, name="NVR 2"),
                code="CAM-T-2",
                bearing=Decimal("90"),
                field_of_view=Decimal("60"),
                range_m=60,
            ).get_absolute_url()
        )
        .content.decode()
    )
    assert place.name in body


@pytest.mark.django_db
def test_a_ptz_camera_covers_its_whole_reach():
    device = make_device(camera_type="panning", bearing=Decimal("0"), field_of_view=Decimal("60"), range_m=100)
    view = view_of(device)
    lon, lat = device.system.site.lon, device.system.site.lat
    back_lon, back_lat, _ = GEOD.fwd(lon, lat, 180, 80)
    assert coverage.contains(view, back_lon, back_lat)


def _street(code, name, parish, *points):
    from shapely.geometry import LineString

    from centinela.territory.models import StreetSegment

    return StreetSegment.objects.create(code=code, name=name, parish=parish, geometry=LineString(points))


@pytest.mark.django_db
def test_the_camera_page_lists_the_street_segments_in_view(client_for, users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    site = make_site(name="Esquina")
    device = make_device(make_system(site), bearing=Decimal("90"), field_of_view=Decimal("60"), range_m=60)
    lon, lat = site.lon, site.lat

    def at(east, north):  # metres from the camera
        x, y, _ = GEOD.fwd(lon, lat, 90, east)
        x, y, _ = GEOD.fwd(x, y, 0, north)
        return x, y

    ahead = _street("S-AHEAD", "Calle Bolívar", site.parish, at(30, -40), at(30, 40))  # crosses the view
    behind = _street("S-BEHIND", "Calle Sucre", site.parish, at(-30, -40), at(-30, 40))
    far = _street("S-FAR", "Avenida Universitaria", site.parish, at(1000, -40), at(1000, 40))
    # within the view's bounding box but outside the sector (north of its upper edge): the exact test rejects it
    grazing = _street("S-GRAZE", "Calle Rocafuerte", site.parish, at(5, 25), at(20, 25))
    seen = in_view(device, users["tecnico"])["streets"]
    assert seen == [ahead]
    # only the streets near the view are read from the database, not every segment of the canton
    with CaptureQueriesContext(connection) as queries:
        in_view(device, users["tecnico"])
    street_sql = [
        q["sql"] for q in queries.captured_queries if "territory_streetsegment" in q["sql"] and "geometry" in q["sql"]
    ]
    assert len(street_sql) == 1
    read = {
        int(pk)
        for pk in re.search(r'"territory_streetsegment"\."id" IN \(([\d, ]+)\)', street_sql[0]).group(1).split(",")
    }
    assert read == {ahead.pk, grazing.pk}, (read, far.pk, behind.pk)
    # a street added or moved later is seen at once
    new = _street("S-NEW", "Calle 10 de Agosto", site.parish, at(10, -10), at(40, 10))
    from shapely.geometry import LineString

    ahead.geometry = LineString([at(-60, -40), at(-60, 40)])
    ahead.save()
    assert in_view(device, users["tecnico"])["streets"] == [new]
    body = client_for("tecnico").get(device.get_absolute_url()).content.decode()
    streets_line = body.split('id="streets-in-view"')[1].split("</p>")[0]
    assert "Calle 10 de Agosto" in streets_line and "Calle Bolívar" not in streets_line
    # a parish president of another parish does not see this parish's streets
    assert in_view(device, users["presidente.valle"])["streets"] == []


@pytest.mark.django_db
def test_places_and_barrios_are_filtered_near_the_view_in_the_query(users):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    device = make_device(bearing=Decimal("90"), field_of_view=Decimal("60"), range_m=60)
    with CaptureQueriesContext(connection) as queries:
        seen = in_view(device, users["tecnico"])
    place_sql = [q["sql"] for q in queries.captured_queries if 'FROM "territory_place"' in q["sql"]]
    barrio_sql = [
        q["sql"]
        for q in queries.captured_queries
        if 'FROM "territory_barrio"' in q["sql"] and '"geometry"' in q["sql"] and "MAX(" not in q["sql"].upper()
    ]
    assert place_sql and all('"lon" >=' in sql and '"lat" <=' in sql for sql in place_sql)
    assert len(barrio_sql) == 1 and seen["barrios"], (barrio_sql, seen)
    read = re.search(r'"territory_barrio"\."id" IN \(([\d, ]+)\)', barrio_sql[0]).group(1).split(",")
    assert 0 < len(read) < Barrio.objects.exclude(geometry=None).count()
