"""What each camera list shows and exports. Credentials are never a column; URLs are exported without the user
and password they may carry."""
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from centinela.cameras.selectors import STATUS_LABELS, safe_url, status_of
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

DEVICE = [
    Column("ref", _("Code"), lambda d: d.code, link=True),
    Column("name", _("Name"), lambda d: d.name),
    Column("status", _("Status now"), lambda d: status_of(d), display=lambda d: STATUS_LABELS[status_of(d)]),
    Column("lifecycle", _("Lifecycle"), lambda d: d.lifecycle, display=lambda d: d.get_lifecycle_display()),
    Column("camera_type", _("Camera type"), lambda d: d.camera_type, display=lambda d: d.get_camera_type_display()),
    Column("site", _("Site"), lambda d: d.system.site.name),
    Column("system", _("System"), lambda d: d.system.name, on_page=False),
    Column("parish", _("Parish"), lambda d: d.system.site.parish.name if d.system.site.parish_id else ""),
    Column("barrio", _("Barrio"), lambda d: d.system.site.barrio.name if d.system.site.barrio_id else "", on_page=False),
    Column("lat", _("Latitude"), lambda d: d.system.site.lat, on_page=False),
    Column("lon", _("Longitude"), lambda d: d.system.site.lon, on_page=False),
    Column("owner", _("Owner"), lambda d: d.system.owner, display=lambda d: d.system.get_owner_display()),
    Column("monitored_by", _("Monitored by"), lambda d: d.system.monitored_by, display=lambda d: d.system.get_monitored_by_display()),
    Column("camera_direction", _("Bearing (°)"), lambda d: _num(d.bearing), on_page=False),
    Column("camera_angle", _("Field of view (°)"), lambda d: _num(d.field_of_view), on_page=False),
    Column("range_m", _("Range (m)"), lambda d: d.range_m, on_page=False),
    Column("height", _("Height (m)"), lambda d: _num(d.height_m), on_page=False),
    Column("brand", _("Brand"), lambda d: d.brand, on_page=False),
    Column("model", _("Model"), lambda d: d.model, on_page=False),
    Column("serial", _("Serial number"), lambda d: d.serial, on_page=False),
    Column("stream_url", _("Stream URL"), lambda d: safe_url(d.stream_url), on_page=False),
    Column("snapshot_url", _("Snapshot URL"), lambda d: safe_url(d.snapshot_url), on_page=False),
    Column("onvif_url", _("ONVIF endpoint"), lambda d: safe_url(d.onvif_url), on_page=False),
    Column("installed_on", _("Installed on"), lambda d: d.installed_on, on_page=False),
    Column("reactivated_on", _("Reactivated on"), lambda d: d.reactivated_on, on_page=False),
    Column("last_probe_at", _("Last probe"), lambda d: d.last_probe_at),
]

TICKET = [
    Column("id", _("Ticket"), lambda t: f"#{t.pk}", link=True),
    Column("device", _("Camera"), lambda t: t.device.code),
    Column("parish", _("Parish"), lambda t: t.device.system.site.parish.name if t.device.system.site.parish_id else ""),
    Column("status", _("Status"), lambda t: t.status, display=lambda t: t.get_status_display()),
    Column("opened_at", _("Opened at"), lambda t: t.opened_at),
    Column("assigned_to", _("Assigned to"), lambda t: (t.assigned_to.get_full_name() or t.assigned_to.username) if t.assigned_to_id else ""),
    Column("description", _("Description"), lambda t: t.description, on_page=False),
    Column("cause", _("Cause"), lambda t: t.cause, on_page=False),
    Column("parts", _("Parts replaced"), lambda t: t.parts, on_page=False),
    Column("cost", _("Cost (USD)"), lambda t: _num(t.cost), on_page=False),
    Column("resolved_at", _("Resolved at"), lambda t: t.resolved_at),
]

FOOTAGE = [
    Column("id", _("Request"), lambda f: f"#{f.pk}",
           display=lambda f: format_html('<a href="{}">#{}</a>', reverse("cameras:footage_detail", args=[f.pk]), f.pk)),
    Column("institution", _("Requesting institution"), lambda f: str(f.institution)),
    Column("requester", _("Requested by"), lambda f: f.requester),
    Column("requested_at", _("Requested at"), lambda f: f.requested_at),
    Column("incident_id", _("Incident number"), lambda f: f.incident_id or ""),
    Column("incident", _("Incident reference"), lambda f: f.incident_reference),
    Column("cameras", _("Cameras"), lambda f: ", ".join(d.code for d in f.devices.all())),
    Column("period_start", _("Footage from"), lambda f: f.period_start, on_page=False),
    Column("period_end", _("Footage to"), lambda f: f.period_end, on_page=False),
    Column("answered_at", _("Answered at"), lambda f: f.answered_at),
    Column("outcome", _("Outcome"), lambda f: f.outcome, display=lambda f: f.get_outcome_display()),
]
