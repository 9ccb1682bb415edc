"""What each territory list shows and exports: one column list per model, for the page and the files alike."""

from django.utils.translation import gettext_lazy as _

from centinela.lib.choices import display
from centinela.lib.exports import Column
from centinela.territory.labels import label
from centinela.territory.models import Place

PARISH = [
    Column("code", _("Code"), lambda p: p.code),
    Column("name", _("Name"), lambda p: p.name, link=True),
    Column("kind", _("Type"), lambda p: display(p, "kind")),
    Column("seat", _("Seat / other name"), lambda p: p.seat),
    Column("area_km2", _("Area (km²)"), lambda p: round(p.area_km2, 1) if p.area_km2 else None),
    Column("boundary", _("Boundary"), lambda p: display(p, "geometry_source")),
    Column("barrios", _("Barrios"), lambda p: getattr(p, "barrio_count", None)),
    Column("places", _("Places"), lambda p: getattr(p, "place_count", None)),
]

BARRIO = [
    Column("code", _("Code"), lambda b: b.code),
    Column("name", _("Name"), lambda b: b.name, link=True),
    Column("parish", _("Parish"), lambda b: b.parish.name),
    Column("centre_lat", _("Latitude"), lambda b: b.centre_lat),
    Column("centre_lon", _("Longitude"), lambda b: b.centre_lon),
    Column("boundary", _("Boundary"), lambda b: display(b, "geometry_source")),
]

PLACE = [
    Column("name", _("Name"), lambda p: p.name, link=True),
    Column("kind", _("Type"), lambda p: label(Place, "kind", p.kind)),
    # rows from selectors.place_rows_for: the names come with the place
    Column("parish", _("Parish"), lambda p: p.parish_name if p.parish_id else ""),
    Column("barrio", _("Barrio"), lambda p: p.barrio_name if p.barrio_id else ""),
    Column("lat", _("Latitude"), lambda p: p.lat),
    Column("lon", _("Longitude"), lambda p: p.lon),
    Column("location_verified", _("Verified"), lambda p: _("yes") if p.location_verified else _("no")),
]
