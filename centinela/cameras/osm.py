"""How a camera maps to OpenStreetMap's surveillance tags (https://wiki.openstreetmap.org/wiki/Key:surveillance),
for the GeoJSON exports. Credentials and URLs are never part of the tags."""
from __future__ import annotations

from decimal import Decimal

CAMERA_TYPE = {"fixed": "fixed", "panning": "panning", "dome": "dome"}
OPERATOR = {"municipality": "Municipio de Loja", "ecu911": "SIS ECU 911"}


def _number(value):
    if value is None:
        return None
    value = Decimal(value).normalize() if not isinstance(value, float) else Decimal(str(value)).normalize()
    text = format(value, "f")
    return text


def tags(device) -> dict:
    """OSM tags for a device (a cameras.Device with its system and site loaded)."""
    system = device.system
    site = system.site
    out = {
        "man_made": "surveillance",
        "surveillance": "public",
        "surveillance:type": "camera",
        "surveillance:zone": "street",
        "camera:type": CAMERA_TYPE.get(device.camera_type, "fixed"),
        "ref": device.code,
        "name": device.name,
    }
    if device.bearing is not None:
        out["camera:direction"] = _number(device.bearing)
    if device.field_of_view is not None:
        out["camera:angle"] = _number(device.field_of_view)
    height = device.height_m if device.height_m is not None else site.mounting_height_m
    if height is not None:
        out["height"] = _number(height)
    operator = OPERATOR.get(system.owner)
    if system.owner_institution_id:
        operator = system.owner_institution.name
    if operator:
        out["operator"] = operator
    if device.brand:
        out["manufacturer"] = device.brand
    if device.model:
        out["model"] = device.model
    return {k: v for k, v in out.items() if v not in (None, "")}
