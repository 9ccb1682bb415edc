"""How a camera maps to OpenStreetMap's surveillance tags (https://wiki.openstreetmap.org/wiki/Key:surveillance), the
one mapping behind every inventory export (CSV, XLSX, GeoJSON and the ECU 911 files). Credentials and URLs are never
part of the tags.

Decisions:
- `camera:angle` is, in OSM, the camera's tilt measured from the horizontal (how far it looks down), not its
  horizontal field of view. It is written from `Device.tilt` (degrees below the horizontal, 0-90) and left out when
  the tilt is unknown. (OSM's newer `camera:tilt` counts downwards as negative; we keep `camera:angle`, the key the
  issue and most surveillance maps read.)
- The horizontal field of view has no OSM key: it goes out as `centinela:field_of_view`, and the useful range as
  `centinela:range_m`. Every other non-OSM value carries the `centinela:` prefix too, so nobody mistakes it for a tag.
- `camera:mount` (wall, pole, ...) is not recorded in the inventory yet, so it is never written.
- `height` is the camera's own height, or else its site's mounting height.
"""

from __future__ import annotations

from decimal import Decimal

CAMERA_TYPE = {"fixed": "fixed", "panning": "panning", "dome": "dome"}
OPERATOR = {"municipality": "Municipio de Loja", "ecu911": "SIS ECU 911"}
# A council camera watches a public street or square: surveillance=public, surveillance:zone=street.
SURVEILLANCE = "public"
SURVEILLANCE_TYPE = "camera"
SURVEILLANCE_ZONE = "street"


def number(value) -> str | None:
    """An OSM number: no trailing zeros, no exponent (90.0 -> "90", 7.50 -> "7.5")."""
    if value is None:
        return None
    value = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    text = format(value.normalize(), "f")
    return text


def height_of(device):
    return device.height_m if device.height_m is not None else device.system.site.mounting_height_m


def operator_of(device) -> str:
    system = device.system
    if system.owner_institution_id:
        return system.owner_institution.name
    return OPERATOR.get(system.owner, "")


def tags(device) -> dict:
    """OSM tags (and centinela: keys) for a device with its system and site loaded; keys without a value are left
    out."""
    out = {
        "man_made": "surveillance",
        "surveillance": SURVEILLANCE,
        "surveillance:type": SURVEILLANCE_TYPE,
        "surveillance:zone": SURVEILLANCE_ZONE,
        "camera:type": CAMERA_TYPE.get(device.camera_type, "fixed"),
        "camera:direction": number(device.bearing),
        "camera:angle": number(device.tilt),
        "height": number(height_of(device)),
        "ref": device.code,
        "name": device.name,
        "operator": operator_of(device),
        "manufacturer": device.brand,
        "model": device.model,
        "centinela:field_of_view": number(device.field_of_view),
        "centinela:range_m": None if device.range_m is None else str(device.range_m),
    }
    return {k: v for k, v in out.items() if v not in (None, "")}
