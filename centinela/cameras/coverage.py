"""What a camera sees, without Django: its view as a geodesic sector polygon (position, bearing, horizontal field
of view, useful range; a PTZ camera as the full disc of its reach), and which points and areas fall inside it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import shapely
from pyproj import Geod
from shapely.geometry import Point, Polygon

GEOD = Geod(ellps="WGS84")
DEFAULT_RANGE_M = 50.0  # a camera with no range recorded still covers something plausible on the map
SEGMENTS_PER_CIRCLE = 48


def sector(
    lon: float,
    lat: float,
    bearing: float | None,
    fov: float | None,
    range_m: float | None,
    *,
    full_circle: bool = False,
) -> Polygon:
    """The area a camera at (lon, lat) sees: the apex at the camera, two edges at bearing ± fov/2 and a geodesic arc
    at `range_m` metres between them. `full_circle` (a PTZ camera) or a field of view of 360° give a disc."""
    radius = float(range_m) if range_m else DEFAULT_RANGE_M
    if radius <= 0:
        raise ValueError("range must be positive")
    fov = 360.0 if fov is None else float(fov)
    if not 0 < fov <= 360:
        raise ValueError("field of view must be above 0 and at most 360")
    if full_circle or fov >= 360 or bearing is None:
        azimuths = [i * 360.0 / SEGMENTS_PER_CIRCLE for i in range(SEGMENTS_PER_CIRCLE)]
        lons, lats, _ = GEOD.fwd([lon] * len(azimuths), [lat] * len(azimuths), azimuths, [radius] * len(azimuths))
        return Polygon(list(zip(lons, lats)))
    steps = max(2, int(round(fov / 360.0 * SEGMENTS_PER_CIRCLE)) + 1)
    start = float(bearing) - fov / 2
    azimuths = [(start + fov * i / (steps - 1)) % 360 for i in range(steps)]
    lons, lats, _ = GEOD.fwd([lon] * steps, [lat] * steps, azimuths, [radius] * steps)
    return Polygon([(lon, lat), *zip(lons, lats), (lon, lat)])


def points_in_view(view: Polygon, points: Mapping[object, tuple[float, float]]) -> list:
    """The keys of `points` ({key: (lon, lat)}) that lie inside the view (on its edge counts)."""
    if view is None or view.is_empty or not points:
        return []
    keys = list(points)
    geoms = shapely.points([points[k] for k in keys])
    inside = shapely.intersects(view, geoms)
    return [k for k, hit in zip(keys, inside) if hit]


def areas_in_view(view: Polygon, areas: Mapping[object, object]) -> list:
    """The keys of `areas` ({key: shapely geometry}) whose geometry the view touches."""
    if view is None or view.is_empty:
        return []
    return [k for k, geom in areas.items() if geom is not None and not geom.is_empty and view.intersects(geom)]


def covered_area_m2(views: Iterable[Polygon]) -> float:
    """The area covered by the union of views (overlaps counted once), in square metres."""
    views = [v for v in views if v is not None and not v.is_empty]
    if not views:
        return 0.0
    area, _ = GEOD.geometry_area_perimeter(shapely.union_all(views))
    return abs(area)


def contains(view: Polygon, lon: float, lat: float) -> bool:
    return bool(view is not None and view.intersects(Point(lon, lat)))
