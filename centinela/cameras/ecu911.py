"""Sharing the network with the SIS ECU 911: an adapter interface, so that a direct link can be added when the
agreement provides one, and the file export used until then (CSV and GeoJSON with OpenStreetMap tags).
Credentials and URLs carrying credentials never leave Centinela."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from centinela.cameras import osm
from centinela.lib import exports

# OpenStreetMap's surveillance keys where they overlap, centinela: keys for the rest (the mapping: osm.py).
INVENTORY_FIELDS = [
    "ref",
    "name",
    "lon",
    "lat",
    "surveillance",
    "surveillance:type",
    "surveillance:zone",
    "camera:type",
    "camera:direction",
    "camera:angle",
    "height",
    "operator",
    "centinela:field_of_view",
    "centinela:range_m",
    "centinela:site",
    "centinela:parish",
    "centinela:owner",
    "centinela:monitored_by",
    "centinela:lifecycle",
    "centinela:status",
    "centinela:last_probe_at",
    "centinela:status_detail",
]
STATUS_FIELDS = ["ref", "at", "from_status", "to_status", "reason"]


def inventory_row(device) -> dict:
    """One CSV row: the device's OSM tags (no URLs, no credentials) and the live status."""
    from centinela.cameras.selectors import status_of

    site = device.system.site
    tags = osm.tags(device)
    row = {key: tags.get(key, "") for key in INVENTORY_FIELDS}
    row.update(
        {
            "lon": site.lon,
            "lat": site.lat,
            "centinela:site": site.name,
            "centinela:parish": site.parish.name if site.parish_id else "",
            "centinela:owner": device.system.owner,
            "centinela:monitored_by": device.system.monitored_by,
            "centinela:lifecycle": device.lifecycle,
            "centinela:status": status_of(device),
            "centinela:last_probe_at": device.last_probe_at.isoformat() if device.last_probe_at else "",
            "centinela:status_detail": device.last_detail,  # the monitor's last finding, in the site's language
        }
    )
    return row


def inventory_csv(devices: Iterable) -> str:
    """Through the one export helper, like every CSV Centinela writes (formula-looking cells made safe)."""
    return "".join(exports.csv_chunks(INVENTORY_FIELDS, _inventory_body(devices)))


def _inventory_body(devices: Iterable):
    for device in devices:
        row = inventory_row(device)
        yield [row[key] for key in INVENTORY_FIELDS]


def inventory_geojson(devices: Iterable) -> dict:
    """A FeatureCollection of camera points, properties = OSM tags + live status."""
    from centinela.cameras.selectors import status_of

    features = []
    for device in devices:
        site = device.system.site
        props = osm.tags(device)
        props.update({"centinela:status": status_of(device), "centinela:lifecycle": device.lifecycle})
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [site.lon, site.lat]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def status_rows(changes: Iterable) -> list[dict]:
    return [
        {
            "ref": c.device.code,
            "at": c.at.isoformat(),
            "from_status": c.from_status,
            "to_status": c.to_status,
            "reason": c.reason,
        }
        for c in changes
    ]


class Ecu911Link(ABC):
    """How Centinela hands the ECU 911 its inventory and status changes. Implementations must never send
    credentials."""

    @abstractmethod
    def push_inventory(self, devices: Iterable) -> object:
        """Send the whole inventory (devices with system and site loaded)."""

    @abstractmethod
    def push_status(self, changes: Iterable) -> object:
        """Send lifecycle/health changes (StatusChange rows with their device)."""


class FileExportLink(Ecu911Link):
    """Writes files for the ECU 911 to pick up: inventory as CSV and GeoJSON, status changes as CSV. Returns the
    paths written."""

    def __init__(self, directory: Path | str, *, stamp: str | None = None):
        self.directory = Path(directory)
        self.stamp = stamp or datetime.now().strftime("%Y%m%d-%H%M%S")

    def push_inventory(self, devices: Iterable) -> list[Path]:
        devices = list(devices)
        self.directory.mkdir(parents=True, exist_ok=True)
        csv_path = self.directory / f"camaras-ecu911-{self.stamp}.csv"
        geo_path = self.directory / f"camaras-ecu911-{self.stamp}.geojson"
        exports.write_csv(csv_path, INVENTORY_FIELDS, _inventory_body(devices))
        geo_path.write_text(json.dumps(inventory_geojson(devices), ensure_ascii=False), encoding="utf-8")
        return [csv_path, geo_path]

    def push_status(self, changes: Iterable) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"estados-ecu911-{self.stamp}.csv"
        exports.write_csv(path, STATUS_FIELDS, ([r[k] for k in STATUS_FIELDS] for r in status_rows(changes)), bom=False)
        return path
