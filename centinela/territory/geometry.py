"""Geometry helpers for the territory, without Django: approximate areas, areas in km², repairs, GeoJSON."""

from __future__ import annotations

import json

import shapely
from pyproj import Geod
from shapely.geometry import MultiPoint, Point, mapping

GEOD = Geod(ellps="WGS84")
UTM17S = "EPSG:32717"


def area_km2(geom) -> float:
    if geom is None or geom.is_empty:
        return 0.0
    area, _ = GEOD.geometry_area_perimeter(geom)
    return abs(area) / 1e6


def length_m(geom) -> float:
    return GEOD.geometry_length(geom) if geom is not None and not geom.is_empty else 0.0


def voronoi_cells(centres: list[tuple[float, float]], within) -> list:
    """One cell per centre (in the same order), the Voronoi partition of `within` (Okabe et al., Spatial
    Tessellations, 2000). Used to draw approximate areas until official boundaries are imported."""
    if len(centres) == 1:
        return [within]
    cells = shapely.voronoi_polygons(MultiPoint(centres), extend_to=within, ordered=True)
    return [shapely.make_valid(cell.intersection(within)) for cell in cells.geoms]


def circle(lon: float, lat: float, radius_m: float, within=None):
    """A disc of `radius_m` metres around a point, as a lon/lat polygon (geodesic, 32 segments)."""
    lons, lats, _ = GEOD.fwd([lon] * 32, [lat] * 32, [i * 360 / 32 for i in range(32)], [radius_m] * 32)
    disc = shapely.Polygon(list(zip(lons, lats)))
    return disc.intersection(within) if within is not None else disc


def polygonal_part(geom):
    """The polygons in a geometry (make_valid may return a collection with stray lines or points)."""
    if geom is None or geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    if not parts:
        return None
    return shapely.union_all(parts)


def feature(geom, properties: dict) -> dict:
    return {"type": "Feature", "geometry": mapping(geom) if geom is not None else None, "properties": properties}


def point_feature(lon: float, lat: float, properties: dict) -> dict:
    """feature(point(lon, lat), properties), without making a shapely point to read its two numbers back (maps of
    many points)."""
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": (float(lon), float(lat))},
        "properties": properties,
    }


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def point(lon: float, lat: float) -> Point:
    return Point(lon, lat)


def dumps(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
