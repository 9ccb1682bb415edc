"""What each camera list shows and exports. Credentials are never a column; URLs are exported without the user
and password they may carry, and only to the network managers (permissions.can_manage_network)."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from centinela.accounts.permissions import can_manage_network
from centinela.cameras import osm
from centinela.cameras.selectors import STATUS_LABELS, safe_url, status_of
from centinela.lib.choices import display
from centinela.lib.exports import Column


def _date(value):
    return value.strftime("%d/%m/%Y") if value else ""


def _num(value):
    return float(value) if value is not None else None


SITE = [
    Column("name", _("Name"), lambda s: s.name, link=True),
    Column("place", _("Place"), lambda s: s.place.name if s.place_id else ""),
    Column("parish", _("Parish"), lambda s: s.parish.name if s.parish_id else ""),
    Column("barrio", _("Barrio"), lambda s: s.barrio.name if s.barrio_id else ""),
    Column("lat", _("Latitude"), lambda s: s.lat),
    Column("lon", _("Longitude"), lambda s: s.lon),
    Column("address", _("Address"), lambda s: s.address),
    Column("height", _("Mounting height (m)"), lambda s: _num(s.mounting_height_m)),
    Column("devices", _("Cameras"), lambda s: getattr(s, "device_count", None)),
]

# Camera exports use OpenStreetMap's surveillance keys where they overlap (cameras/osm.py holds the mapping and its
# decisions) and `centinela:` keys for the rest, the same keys as the GeoJSON export and the ECU 911 files.
DEVICE = [
    Column("ref", _("Code"), lambda d: d.code, link=True),
    Column("name", _("Name"), lambda d: d.name),
    Column("centinela:status", _("Status now"), lambda d: status_of(d), display=lambda d: STATUS_LABELS[status_of(d)]),
    Column("centinela:lifecycle", _("Lifecycle"), lambda d: d.lifecycle, display=lambda d: display(d, "lifecycle")),
    Column("surveillance", _("Surveillance"), lambda d: osm.SURVEILLANCE, on_page=False),
    Column("surveillance:type", _("Surveillance type"), lambda d: osm.SURVEILLANCE_TYPE, on_page=False),
    Column("surveillance:zone", _("Surveillance zone"), lambda d: osm.SURVEILLANCE_ZONE, on_page=False),
    Column(
        "camera:type",
        _("Camera type"),
        lambda d: osm.CAMERA_TYPE.get(d.camera_type, "fixed"),
        display=lambda d: display(d, "camera_type"),
    ),
    Column("centinela:site", _("Site"), lambda d: d.system.site.name),
    Column("centinela:system", _("System"), lambda d: d.system.name, on_page=False),
    Column("centinela:parish", _("Parish"), lambda d: d.system.site.parish.name if d.system.site.parish_id else ""),
    Column(
        "centinela:barrio",
        _("Barrio"),
        lambda d: d.system.site.barrio.name if d.system.site.barrio_id else "",
        on_page=False,
    ),
    Column("lat", _("Latitude"), lambda d: d.system.site.lat, on_page=False),
    Column("lon", _("Longitude"), lambda d: d.system.site.lon, on_page=False),
    Column("operator", _("Operator"), lambda d: osm.operator_of(d), on_page=False),
    Column("centinela:owner", _("Owner"), lambda d: d.system.owner, display=lambda d: display(d.system, "owner")),
    Column(
        "centinela:monitored_by",
        _("Monitored by"),
        lambda d: d.system.monitored_by,
        display=lambda d: display(d.system, "monitored_by"),
    ),
    Column("camera:direction", _("Bearing (°)"), lambda d: _num(d.bearing), on_page=False),
    Column("camera:angle", _("Tilt below the horizontal (°)"), lambda d: _num(d.tilt), on_page=False),
    Column("centinela:field_of_view", _("Field of view (°)"), lambda d: _num(d.field_of_view), on_page=False),
    Column("centinela:range_m", _("Range (m)"), lambda d: d.range_m, on_page=False),
    Column("height", _("Height (m)"), lambda d: _num(osm.height_of(d)), on_page=False),
    Column("manufacturer", _("Brand"), lambda d: d.brand, on_page=False),
    Column("model", _("Model"), lambda d: d.model, on_page=False),
    Column("centinela:serial", _("Serial number"), lambda d: d.serial, on_page=False),
    Column("centinela:stream_url", _("Stream URL"), lambda d: safe_url(d.stream_url), on_page=False),
    Column("centinela:snapshot_url", _("Snapshot URL"), lambda d: safe_url(d.snapshot_url), on_page=False),
    Column("centinela:onvif_url", _("ONVIF endpoint"), lambda d: safe_url(d.onvif_url), on_page=False),
    Column("centinela:installed_on", _("Installed on"), lambda d: d.installed_on, on_page=False),
    Column("centinela:reactivated_on", _("Reactivated on"), lambda d: d.reactivated_on, on_page=False),
    Column("centinela:last_probe_at", _("Last probe"), lambda d: d.last_probe_at),
]
# How to reach the cameras (their addresses on the council's network): only the network managers export them.
NETWORK_ONLY_DEVICE = {"centinela:stream_url", "centinela:snapshot_url", "centinela:onvif_url"}


def device_columns(user) -> list[Column]:
    """The camera list's columns for this user: without the cameras' addresses unless they manage the network."""
    if can_manage_network(user):
        return DEVICE
    return [c for c in DEVICE if c.key not in NETWORK_ONLY_DEVICE]


TICKET = [
    Column("id", _("Ticket"), lambda t: f"#{t.pk}", link=True),
    Column("device", _("Camera"), lambda t: t.device.code),
    Column("parish", _("Parish"), lambda t: t.device.system.site.parish.name if t.device.system.site.parish_id else ""),
    Column("status", _("Status"), lambda t: t.status, display=lambda t: display(t, "status")),
    Column("opened_at", _("Opened at"), lambda t: t.opened_at),
    Column(
        "assigned_to",
        _("Assigned to"),
        lambda t: (t.assigned_to.get_full_name() or t.assigned_to.username) if t.assigned_to_id else "",
    ),
    Column("description", _("Description"), lambda t: t.description, on_page=False),
    Column("cause", _("Cause"), lambda t: t.cause, on_page=False),
    Column("parts", _("Parts replaced"), lambda t: t.parts, on_page=False),
    Column("cost", _("Cost (USD)"), lambda t: _num(t.cost), on_page=False),
    Column("resolved_at", _("Resolved at"), lambda t: t.resolved_at),
]

FOOTAGE = [
    Column(
        "id",
        _("Request"),
        lambda f: f"#{f.pk}",
        display=lambda f: format_html('<a href="{}">#{}</a>', reverse("cameras:footage_detail", args=[f.pk]), f.pk),
    ),
    Column("institution", _("Requesting institution"), lambda f: str(f.institution)),
    Column("requester", _("Requested by"), lambda f: f.requester),
    Column("requested_at", _("Requested at"), lambda f: f.requested_at),
    Column("incident_id", _("Incident number"), lambda f: f.incident_id or ""),
    Column("incident", _("Incident reference"), lambda f: f.incident_reference),
    Column("cameras", _("Cameras"), lambda f: ", ".join(d.code for d in f.devices.all())),
    Column("period_start", _("Footage from"), lambda f: f.period_start, on_page=False),
    Column("period_end", _("Footage to"), lambda f: f.period_end, on_page=False),
    Column("answered_at", _("Answered at"), lambda f: f.answered_at),
    Column("outcome", _("Outcome"), lambda f: f.outcome, display=lambda f: display(f, "outcome")),
]
