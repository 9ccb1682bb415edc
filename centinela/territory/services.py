"""Changing the territory: loading a gazetteer, drawing approximate areas, saving places and barrios,
applying imported boundaries. Every function checks permission with the one check in accounts.permissions."""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.accounts.permissions import require
from centinela.lib.records import save_checked
from centinela.territory import geometry, selectors
from centinela.territory.models import (
    Barrio,
    Canton,
    GeometrySource,
    Parish,
    ParishPopulation,
    Place,
    PopulationKind,
)


@transaction.atomic
def load_gazetteer(directory: Path) -> dict:
    """Load (or refresh) a canton's gazetteer. Safe to re-run: rows are matched by code (places by name and
    type), imported boundaries and verified places are never overwritten, nothing is duplicated."""
    data = json.loads((Path(directory) / "gazetteer.json").read_text(encoding="utf-8"))
    c = data["canton"]
    canton, _created = Canton.objects.update_or_create(
        code=c["code"],
        defaults={"name": c["name"], "province": c["province"]},
    )
    if canton.outline is None or canton.outline_source == GeometrySource.APPROXIMATE:
        canton.outline = shapely.Polygon(c["outline"])
        canton.save()

    stats = {"parishes": 0, "barrios": 0, "places": 0}
    for row in data["parishes"]:
        lat, lon = row["centre"]
        parish, _created = Parish.objects.update_or_create(
            code=row["code"],
            defaults={
                "canton": canton,
                "name": row["name"],
                "kind": row["kind"],
                "seat": row.get("seat", ""),
                "centre_lon": lon,
                "centre_lat": lat,
                "notes": row.get("notes", ""),
            },
        )
        for pop in row.get("populations", []):
            ParishPopulation.objects.update_or_create(
                parish=parish,
                year=pop["year"],
                kind=pop.get("kind", PopulationKind.CENSUS),
                defaults={
                    "population": pop["population"],
                    "source": pop["source"],
                    "source_url": pop.get("source_url", ""),
                },
            )
        stats["parishes"] += 1
    draw_approximate_parishes(canton, urban_outline=shapely.Polygon(c["urban_outline"]))

    for row in data.get("barrios", []):
        lat, lon = row["centre"]
        location = selectors.locate(lon, lat)
        if location.parish is None:
            raise ValidationError(_("Barrio %(name)s lies outside every parish.") % {"name": row["name"]})
        barrio = Barrio.objects.filter(code=row["code"]).first() or Barrio(code=row["code"])
        barrio.name, barrio.centre_lon, barrio.centre_lat = row["name"], lon, lat
        barrio.parish = location.parish
        if barrio.geometry is None or barrio.is_approximate:
            barrio.geometry = geometry.circle(lon, lat, row.get("radius_m", 300), within=location.parish.geometry)
            barrio.geometry_source = GeometrySource.APPROXIMATE
            barrio.area_km2 = geometry.area_km2(barrio.geometry)
        barrio.save()
        stats["barrios"] += 1

    for row in data.get("places", []):
        place = Place.objects.filter(name=row["name"], kind=row["kind"]).first()
        if place is None:
            place = Place(name=row["name"], kind=row["kind"], public=True)  # public data; staff may withdraw it
        elif place.location_verified and not row.get("verified"):
            continue  # staff checked this one; the gazetteer's guess must not move it back
        place.lon, place.lat = row["lon"], row["lat"]
        place.notes = row.get("notes", "")
        place.location_verified = bool(row.get("verified", False))
        _locate_place(place)
        place.save()
        stats["places"] += 1
    return stats


def draw_approximate_parishes(canton: Canton, *, urban_outline) -> None:
    """Voronoi cells of the parish centres: urban parishes share the city's outline, rural ones the rest of the
    canton. Parishes with an imported boundary keep it."""
    outline = canton.outline
    urban_outline = urban_outline.intersection(outline)
    rural_area = outline.difference(urban_outline)
    for kind, within in ((Parish.Kind.URBAN, urban_outline), (Parish.Kind.RURAL, rural_area)):
        parishes = list(canton.parishes.filter(kind=kind).exclude(centre_lon=None).order_by("code"))
        if not parishes:
            continue
        cells = geometry.voronoi_cells([(p.centre_lon, p.centre_lat) for p in parishes], within)
        for parish, cell in zip(parishes, cells):
            if parish.geometry is not None and not parish.is_approximate:
                continue
            parish.geometry = geometry.polygonal_part(cell)
            parish.geometry_source = GeometrySource.APPROXIMATE
            parish.area_km2 = geometry.area_km2(parish.geometry)
            parish.save(update_fields=["geometry", "geometry_source", "area_km2", "updated_at"])


def _locate_place(place: Place) -> None:
    if not selectors.in_canton(place.lon, place.lat):
        raise ValidationError(
            {
                "lat": _("The point (%(lat).5f, %(lon).5f) lies outside the canton.")
                % {"lat": place.lat, "lon": place.lon}
            }
        )
    location = selectors.locate(place.lon, place.lat)
    place.parish, place.barrio = location.parish, location.barrio


def save_place(user, place: Place) -> Place:
    """Create or update a place; its parish and barrio follow from its point."""
    _locate_place(place)
    require(user, "change" if place.pk else "add", place)
    place.full_clean()
    place.save()
    return place


def save_population(user, figure):
    """A parish's or barrio's population for a year (a census count or an estimate with its source): audited by
    django-auditlog like every territory record."""
    if figure.year and figure.year > timezone.localdate().year + 1:
        raise ValidationError({"year": _("A population for a year still to come is a projection: enter it later.")})
    return save_checked(user, figure)


def save_barrio(user, barrio: Barrio) -> Barrio:
    if barrio.centre_lon is not None and barrio.centre_lat is not None:
        if not selectors.in_canton(barrio.centre_lon, barrio.centre_lat):
            raise ValidationError({"centre_lat": _("The centre lies outside the canton.")})
        found = selectors.locate(barrio.centre_lon, barrio.centre_lat).parish
        if found is not None and barrio.parish_id is not None and found.pk != barrio.parish_id:
            raise ValidationError(
                {
                    "parish": _("The centre lies in parish %(found)s, not in %(chosen)s.")
                    % {"found": found, "chosen": barrio.parish}
                }
            )
        if barrio.geometry is None or barrio.is_approximate:
            within = barrio.parish.geometry if barrio.parish_id else None
            barrio.geometry = geometry.circle(barrio.centre_lon, barrio.centre_lat, 300, within=within)
            barrio.geometry_source = GeometrySource.APPROXIMATE
            barrio.area_km2 = geometry.area_km2(barrio.geometry)
    require(user, "change" if barrio.pk else "add", barrio)
    barrio.full_clean()
    barrio.save()
    return barrio


def save_parish(user, parish: Parish) -> Parish:
    return save_checked(user, parish)


def delete(user, obj) -> None:
    require(user, "delete", obj)
    obj.delete()
