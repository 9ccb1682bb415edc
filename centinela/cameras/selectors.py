"""Reading the camera network: scoped querysets, the live status of each camera, the dashboard figures, the
monitor's heartbeat, GeoJSON for the map (camera points and coverage sectors) and what each camera sees."""

from __future__ import annotations

import functools
import json
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import shapely
from django.conf import settings
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone
from shapely.geometry import mapping

from centinela.accounts.permissions import scope
from centinela.cameras import coverage
from centinela.cameras.models import (
    Device,
    FootageRequest,
    Lifecycle,
    MaintenanceSchedule,
    MaintenanceTicket,
    Outage,
    ProbeResult,
    Sighting,
    Site,
    StatusChange,
    System,
)
from centinela.lib.choices import display
from centinela.lib.urls import reverse
from centinela.territory import geometry

HEARTBEAT_FILE = "monitor_heartbeat.json"
DEFAULT_MONITOR_INTERVAL_S = 60
STATUSES = ("online", "degraded", "offline", "rejected", "maintenance", "unknown", "inactive")
INACTIVE = {Lifecycle.PLANNED, Lifecycle.ABANDONED, Lifecycle.DECOMMISSIONED}
OPEN_TICKET = ~Q(status=MaintenanceTicket.Status.RESOLVED)


# --- scoped querysets ----------------------------------------------------------------------------------------------


def sites_for(user):
    return scope(user, Site.objects.select_related("parish", "barrio", "place"))


def systems_for(user):
    return scope(user, System.objects.select_related("site", "site__parish", "reactivation", "owner_institution"))


def devices_for(user):
    # The parish's and barrio's boundaries are not read through a camera (pages and maps show their names): parsing
    # them for every camera of every list and map was a good part of those pages' time.
    return scope(
        user,
        Device.objects.select_related(
            "system",
            "system__site",
            "system__site__parish",
            "system__site__barrio",
            "system__owner_institution",
        ).defer("system__site__parish__geometry", "system__site__barrio__geometry"),
    )


def device_list_page(user):
    """devices_for(user) with only what the camera list's page shows (columns.DEVICE, on_page): a camera's own
    columns, its system's owner and monitoring, its site's name and its parish's name. The list read every column
    of every camera, system, site, parish, barrio and owning institution for each page; exports keep devices_for."""
    return scope(
        user,
        Device.objects.select_related("system__site__parish").only(
            "code",
            "name",
            "lifecycle",
            "health",
            "camera_type",
            "last_probe_at",
            "system",
            "system__owner",
            "system__monitored_by",
            "system__site",
            "system__site__name",
            "system__site__parish",
            "system__site__parish__name",
        ),
    )


def tickets_for(user):
    return scope(
        user,
        MaintenanceTicket.objects.select_related(
            "device",
            "device__system__site__parish",
            "assigned_to",
            "opened_by",
            "outage",
        ).defer("device__system__site__parish__geometry"),
    )


def schedules_for(user):
    return scope(
        user,
        MaintenanceSchedule.objects.select_related("device", "device__system__site__parish").defer(
            "device__system__site__parish__geometry"
        ),
    )


def footage_for(user):
    return scope(
        user, FootageRequest.objects.select_related("institution", "incident__category").prefetch_related("devices")
    )


# --- live status -------------------------------------------------------------------------------------------------


def status_of(device) -> str:
    """One word for the map and the counts: online, degraded (it answers, but its strongest probe fails: the
    monitor moved it to the degraded lifecycle), offline, rejected (it answers but refuses the stored credentials,
    or they cannot be decrypted), maintenance, unknown (never probed) or inactive (planned,
    abandoned, decommissioned: not expected to answer)."""
    return status_from(device.lifecycle, device.health)


def status_from(lifecycle: str, health: str) -> str:
    """status_of, from the two fields alone (pages that read rows, not model instances)."""
    if lifecycle == Lifecycle.MAINTENANCE:
        return "maintenance"
    if lifecycle in INACTIVE:
        return "inactive"
    if health == Device.Health.REJECTED:  # it answers but refuses the credentials: not a network fault
        return "rejected"
    if health == Device.Health.OFFLINE or lifecycle == Lifecycle.OFFLINE:
        return "offline"
    if lifecycle == Lifecycle.DEGRADED:
        return "degraded"
    if health == Device.Health.ONLINE:
        return "online"
    return "unknown"


def status_counts(user, devices=None) -> dict:
    """`devices`: the MapRows of the cameras the user may see, when the caller has read them already."""
    counts = dict.fromkeys(STATUSES, 0)
    pairs = (
        ((d.lifecycle, d.health) for d in devices)
        if devices is not None
        else (devices_for(user).values_list("lifecycle", "health").order_by())
    )
    for lifecycle, health in pairs:
        counts[status_from(lifecycle, health)] += 1
    counts["total"] = sum(counts[s] for s in STATUSES)
    return counts


def ticket_citizen_reports(user, ticket: MaintenanceTicket):
    """The citizen reports tied to the ticket (a resident's "cámara dañada" report, participation's Report.ticket),
    those the user may read: through the reverse relation, so this app does not import the one above it."""
    return scope(user, ticket.citizen_reports.all()).only("pk", "code", "status", "created_at", "parish_id")


def device_citizen_reports(user, device: Device, limit: int = 10):
    """The latest citizen reports that named this camera ("cámara dañada"), those the user may read: through the
    reverse relation Device.citizen_reports, as for tickets."""
    return (
        scope(user, device.citizen_reports.all())
        .only("pk", "code", "status", "created_at", "parish_id")
        .order_by("-created_at", "-pk")[:limit]
    )


def opened_by_citizen(ticket: MaintenanceTicket) -> bool:
    """A ticket opened by no person of the council and not by the monitor: a resident's report opened it."""
    return ticket.opened_by_id is None and ticket.outage_id is None and ticket.citizen_reports.exists()


def open_tickets(user):
    return tickets_for(user).filter(OPEN_TICKET)


def worst_devices(user, *, days: int = 30, limit: int = 10):
    since = timezone.now() - timedelta(days=days)
    return (
        devices_for(user)
        .select_related(None)  # the dashboard's lists show a camera's own fields
        .annotate(recent_outages=Count("outages", filter=Q(outages__started_at__gte=since)))
        .filter(recent_outages__gt=0)
        .order_by("-recent_outages", "code")[:limit]
    )


WATCHED = (Lifecycle.INSTALLED, Lifecycle.OPERATIONAL, Lifecycle.OFFLINE, Lifecycle.DEGRADED)


def devices_without_probe(user):
    """Devices that should be watched but have never been probed."""
    return (
        devices_for(user)
        .select_related(None)
        .filter(lifecycle__in=[s.value for s in WATCHED], last_probe_at__isnull=True)
    )


def due_schedules(user, *, within_days: int = 14, today=None):
    today = today or timezone.localdate()
    return schedules_for(user).filter(next_due__lte=today + timedelta(days=within_days)).order_by("next_due")


@dataclass(frozen=True, slots=True)
class CameraLink:
    """A camera as the dashboard's lists show it: its code and name, linked to its page."""

    pk: int
    code: str
    name: str = ""
    recent_outages: int | None = None

    @property
    def url(self) -> str:
        return reverse("cameras:device_detail", args=[self.pk])


@dataclass(frozen=True, slots=True)
class TicketLink:
    pk: int
    status: str
    opened_at: datetime
    device: CameraLink

    @property
    def url(self) -> str:
        return reverse("cameras:ticket_detail", args=[self.pk])

    @property
    def status_label(self) -> str:
        return str(_TICKET_STATUS_LABELS.get(self.status, self.status))


@dataclass(frozen=True, slots=True)
class ScheduleLink:
    task: str
    next_due: object
    device: CameraLink


def dashboard_lists(user, devices=None) -> dict:
    """The dashboard's lists (as worst_devices, open_tickets, devices_without_probe show them), read as rows of the
    few columns shown: the dashboard and its lists, refreshed every 10 s, read these on every request, and model
    instances with their related rows were most of their cost. `devices`: the MapRows of the cameras the user may
    see, in their order (the code's), when the caller has read them already: the cameras never probed among them."""
    worst = worst_devices(user).values_list("pk", "code", "name", "recent_outages")
    tickets = open_tickets(user)[:20].values_list("pk", "status", "opened_at", "device_id", "device__code")
    if devices is None:
        no_probe = [CameraLink(*row) for row in devices_without_probe(user)[:30].values_list("pk", "code", "name")]
    else:
        no_probe = [
            CameraLink(d.pk, d.code, d.name) for d in devices if d.last_probe_at is None and d.lifecycle in WATCHED
        ][:30]
    return {
        "worst": [CameraLink(*row) for row in worst],
        "open_tickets": [
            TicketLink(pk, status, opened_at, CameraLink(device_id, code))
            for pk, status, opened_at, device_id, code in tickets
        ],
        "no_probe": no_probe,
    }


def due_schedule_links(user, *, limit: int = 20) -> list[ScheduleLink]:
    """due_schedules(user)[:limit] as the dashboard shows them (rows, see dashboard_lists)."""
    return [
        ScheduleLink(task, next_due, CameraLink(device_id, code))
        for task, next_due, device_id, code in due_schedules(user)[:limit].values_list(
            "task", "next_due", "device_id", "device__code"
        )
    ]


def device_history(device, user=None):
    return {
        "changes": StatusChange.objects.filter(device=device).select_related("by")[:50],
        "probes": ProbeResult.objects.filter(device=device)[:20],
        "outages": Outage.objects.filter(device=device)[:20],
        "tickets": MaintenanceTicket.objects.filter(device=device).select_related("assigned_to")[:20],
        # a liaison sees their own institution's requests only
        "footage": scope(user, device.footage_requests.select_related("institution"))[:20] if user else [],
        "schedules": device.schedules.all(),
    }


def uptime_trend(user, *, days: int = 14, devices=None):
    """Daily network uptime (availability.Uptime) of the cameras the user may see, oldest first; None
    when that module is not installed (the dashboard then shows counts only). `devices`: their MapRows, when the
    caller has read them already."""
    try:
        from centinela.cameras import availability
    except ImportError:
        return None
    if devices is None:
        scoped = devices_for(user).order_by()
    else:
        scoped = [
            availability.service_row(d.pk, d.lifecycle, d.installed_on, d.monitored_since, d.system_installed_on)
            for d in devices
        ]
    return availability.daily_uptime(scoped, days=days)


# --- the monitor's heartbeat ---------------------------------------------------------------------------------------


def heartbeat(now: datetime | None = None) -> dict:
    """Whether the monitor is alive: its heartbeat file (written every round) must be younger than three intervals."""
    now = now or timezone.now()
    path = settings.VAR_DIR / HEARTBEAT_FILE
    result = {"ok": False, "at": None, "age_s": None, "interval_s": DEFAULT_MONITOR_INTERVAL_S}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        raw = data.get("at") or data.get("timestamp")
        at = (
            datetime.fromisoformat(raw) if isinstance(raw, str) else datetime.fromtimestamp(float(raw), tz=timezone.utc)
        )
        if timezone.is_naive(at):
            at = timezone.make_aware(at, timezone.utc)
        interval = float(data.get("interval_s") or data.get("interval") or DEFAULT_MONITOR_INTERVAL_S)
    except (OSError, ValueError, TypeError, AttributeError):
        return result
    age = (now - at).total_seconds()
    result.update(at=at, age_s=age, interval_s=interval, ok=age <= 3 * interval)
    # how late the monitor starts the probes that are due (its own measure, see Monitor.lag): behind schedule when
    # its rounds cannot keep up, e.g. many cameras hang until their timeout
    try:
        lag = float(data.get("lag_s") or 0)
    except (TypeError, ValueError):
        lag = 0.0
    result.update(lag_s=lag, behind=bool(data.get("behind")))
    return result


# --- map layers ---------------------------------------------------------------------------------------------------


def safe_url(url: str) -> str:
    """A URL without its user and password, for pages and exports."""
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    if ":" in host:
        host = f"[{host}]"
    if parts.port:
        host += f":{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def position(device) -> tuple[float, float]:
    site = device.system.site
    return site.lon, site.lat


@functools.lru_cache(maxsize=4096)
def _sector(lon, lat, bearing, fov, range_m, full_circle):
    # a view depends on these numbers alone and shapely geometries are immutable: each is computed once per process
    # instead of on every map refresh (the dashboard's map asks every 10 s)
    return coverage.sector(lon, lat, bearing, fov, range_m, full_circle=full_circle)


def view_of(device):
    lon, lat = position(device)
    return _sector(
        lon,
        lat,
        float(device.bearing) if device.bearing is not None else None,
        float(device.field_of_view) if device.field_of_view is not None else None,
        device.range_m,
        device.camera_type == Device.CameraType.PANNING,
    )


def _props(device) -> dict:
    status = status_of(device)
    return {
        "id": device.pk,
        "code": device.code,
        "name": device.name,
        "status": status,
        "status_label": str(STATUS_LABELS[status]),
        "lifecycle": str(display(device, "lifecycle")),
        "site": device.system.site.name,
        "url": device.get_absolute_url(),
    }


def cameras_geojson(user, queryset=None) -> dict:
    return camera_layers(user, queryset)[0]


def coverage_geojson(user, queryset=None) -> dict:
    return camera_layers(user, queryset)[1]


@dataclass(frozen=True, slots=True)
class MapRow:
    """What the map layers and the covered area read of a camera: a few columns, not a model instance with its
    system, site, parish and barrio (the dashboard and its map, asked every 10 s, read every camera the user sees)."""

    pk: int
    code: str
    name: str
    lifecycle: str
    health: str
    bearing: object
    field_of_view: object
    range_m: int | None
    camera_type: str
    site: str
    lon: float
    lat: float
    # for the dashboard's other figures (status counts, uptime trend, cameras never probed), read in the same query
    # when asked for (map_rows(..., dashboard=True)); the map alone does not read them
    last_probe_at: datetime | None = None
    installed_on: object = None
    monitored_since: datetime | None = None
    system_installed_on: object = None

    @property
    def status(self) -> str:
        return status_from(self.lifecycle, self.health)

    @property
    def sector_key(self) -> tuple:
        return (
            self.lon,
            self.lat,
            float(self.bearing) if self.bearing is not None else None,
            float(self.field_of_view) if self.field_of_view is not None else None,
            self.range_m,
            self.camera_type == Device.CameraType.PANNING,
        )


_MAP_COLUMNS = (
    "pk",
    "code",
    "name",
    "lifecycle",
    "health",
    "bearing",
    "field_of_view",
    "range_m",
    "camera_type",
    "system__site__name",
    "system__site__lon",
    "system__site__lat",
)
_DASHBOARD_COLUMNS = _MAP_COLUMNS + ("last_probe_at", "installed_on", "monitored_since", "system__installed_on")


def map_rows(user, devices=None, *, dashboard: bool = False) -> list[MapRow]:
    """The cameras the user may see (or `devices`: a queryset already scoped, or model instances read already), in
    the list's order, as MapRows; `dashboard`: with the columns the dashboard's other figures read too."""
    if devices is None or isinstance(devices, QuerySet):
        qs = devices_for(user) if devices is None else devices
        return [MapRow(*values) for values in qs.values_list(*(_DASHBOARD_COLUMNS if dashboard else _MAP_COLUMNS))]
    return [
        MapRow(
            d.pk,
            d.code,
            d.name,
            d.lifecycle,
            d.health,
            d.bearing,
            d.field_of_view,
            d.range_m,
            d.camera_type,
            d.system.site.name,
            d.system.site.lon,
            d.system.site.lat,
            d.last_probe_at,
            d.installed_on,
            d.monitored_since,
            d.system.installed_on,
        )
        for d in devices
    ]


@functools.lru_cache(maxsize=4096)
def _sector_geojson(key: tuple) -> dict:
    # the GeoJSON geometry of a view, made once per process like the view itself; shared by every feature that
    # shows it, so it must never be changed (features are only serialised)
    return mapping(_sector(*key))


def camera_layers(user, queryset=None) -> tuple[dict, dict]:
    """(cameras_geojson, coverage_geojson) of the same devices (those the user may see, else `queryset`: scoped
    already, a queryset or model instances), each device's properties made once for both."""
    rows = (
        queryset
        if isinstance(queryset, list) and queryset and isinstance(queryset[0], MapRow)
        else map_rows(user, queryset)
    )
    labels = {status: str(label) for status, label in STATUS_LABELS.items()}
    lifecycles = {}
    cameras, sectors = [], []
    for row in rows:
        status = row.status
        lifecycle = lifecycles.get(row.lifecycle)
        if lifecycle is None:
            lifecycle = lifecycles[row.lifecycle] = str(_LIFECYCLE_LABELS.get(row.lifecycle, row.lifecycle))
        props = {
            "id": row.pk,
            "code": row.code,
            "name": row.name,
            "status": status,
            "status_label": labels[status],
            "lifecycle": lifecycle,
            "site": row.site,
            "url": reverse("cameras:device_detail", args=[row.pk]),
        }
        cameras.append(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": (row.lon, row.lat)}, "properties": props}
        )
        sectors.append({"type": "Feature", "geometry": _sector_geojson(row.sector_key), "properties": props})
    return geometry.feature_collection(cameras), geometry.feature_collection(sectors)


@functools.lru_cache(maxsize=256)
def _covered_area_m2(keys: tuple) -> float:
    # the same cameras online in the same places cover the same ground: the union is computed once per process
    return coverage.covered_area_m2(_sector(*key) for key in keys)


def covered_area_m2(user, devices=None) -> float:
    """The ground watched right now: the union of the views of the cameras online (overlaps counted once).
    `devices`: those the user may see, when the caller has read them already (model instances or MapRows)."""
    devices = devices_for(user) if devices is None else devices
    if isinstance(devices, QuerySet) or (devices and not isinstance(devices[0], MapRow)):
        devices = map_rows(user, devices)
    return _covered_area_m2(tuple(row.sector_key for row in devices if row.status == "online"))


class _GeometryIndex:
    """An STRtree of one model's geometries (barrios, street segments), kept in memory and rebuilt when a row is
    added, removed or saved (the version is a cheap aggregate query). Those tables hold geometries as WKB text with
    no bounding-box columns, so the tree is what lets a camera page load only the rows near the camera's view
    instead of every geometry in the canton. A rebuild swaps one immutable tuple, so readers never mix versions."""

    def __init__(self, model_path: str):
        self.model_path = model_path
        self._lock = threading.Lock()
        self._snapshot = None  # (version, ids array, STRtree or None)

    def _model(self):
        from django.apps import apps

        return apps.get_model(self.model_path)

    def _version(self, model):
        agg = model.objects.aggregate(n=Count("id"), top=Max("id"), t=Max("updated_at"))
        return (agg["n"], agg["top"], agg["t"])

    def _get(self):
        model = self._model()
        version = self._version(model)
        snapshot = self._snapshot
        if snapshot is not None and snapshot[0] == version:
            return snapshot
        with self._lock:
            if self._snapshot is None or self._snapshot[0] != version:
                rows = [
                    (pk, geom)
                    for pk, geom in model.objects.exclude(geometry=None).values_list("id", "geometry")
                    if geom is not None and not geom.is_empty
                ]
                ids = np.array([pk for pk, _ in rows], dtype=np.int64)
                tree = shapely.STRtree([geom for _, geom in rows]) if rows else None
                self._snapshot = (version, ids, tree)
            return self._snapshot

    def candidates(self, view) -> list[int]:
        """Ids of the rows whose bounding box meets the view's (the exact test is coverage.areas_in_view)."""
        if view is None or view.is_empty:
            return []
        _, ids, tree = self._get()
        if tree is None:
            return []
        return ids[tree.query(view)].tolist()


_barrio_index = _GeometryIndex("territory.Barrio")
_street_index = _GeometryIndex("territory.StreetSegment")


def in_view(device, user) -> dict:
    """The places, barrios and street segments (those the user may see) that fall in this camera's view. Only the
    rows near the view are read: places by their lon/lat columns within the view's bounding box, barrios and
    streets through an in-memory index of their bounding boxes; the exact geometric test follows on those few."""
    from centinela.territory.models import StreetSegment
    from centinela.territory.selectors import barrios_for, places_for

    view = view_of(device)
    if view is None or view.is_empty:
        return {"places": [], "barrios": [], "streets": []}
    min_lon, min_lat, max_lon, max_lat = view.bounds
    places = {
        p.pk: p for p in places_for(user).filter(lon__gte=min_lon, lon__lte=max_lon, lat__gte=min_lat, lat__lte=max_lat)
    }
    place_ids = coverage.points_in_view(view, {pk: (p.lon, p.lat) for pk, p in places.items()})
    barrios = {b.pk: b for b in barrios_for(user).filter(pk__in=_barrio_index.candidates(view))}
    barrio_ids = coverage.areas_in_view(view, {pk: b.geometry for pk, b in barrios.items()})
    streets = {s.pk: s for s in scope(user, StreetSegment.objects.filter(pk__in=_street_index.candidates(view)))}
    street_ids = coverage.areas_in_view(view, {pk: s.geometry for pk, s in streets.items()})
    return {
        "places": sorted((places[i] for i in place_ids), key=lambda p: p.name),
        "barrios": sorted((barrios[i] for i in barrio_ids), key=lambda b: b.name),
        "streets": sorted((streets[i] for i in street_ids), key=lambda s: (s.name, s.code)),
    }


# --- ECU 911 --------------------------------------------------------------------------------------------------------


def ecu911_devices(user):
    return devices_for(user).filter(system__monitored_by=System.MonitoredBy.ECU911_ROOM)


def ecu911_trainings(user):
    """Operator trainings on the system: training activities naming the ECU 911, or linked to an obligation of an
    agreement with the ECU 911."""
    from centinela.activities.models import Activity

    ecu = (
        Q(title__icontains="ECU 911")
        | Q(training__topic__icontains="ECU 911")
        | Q(training__audience__icontains="ECU 911")
    )
    ecu |= Q(obligations__agreement__counterpart__name__icontains="ECU 911")
    return (
        scope(user, Activity.objects.filter(kind=Activity.Kind.TRAINING))
        .filter(ecu)
        .select_related("place", "training")
        .distinct()
        .order_by("-starts_at")
    )


def _labels():
    from django.utils.translation import gettext_lazy as _

    return {
        "online": _("Online"),
        "degraded": _("Degraded"),
        "offline": _("Offline"),
        "rejected": _("Credentials rejected"),
        "maintenance": _("Under maintenance"),
        "unknown": _("No probe yet"),
        "inactive": _("Not in service"),
    }


STATUS_LABELS = _labels()
_LIFECYCLE_LABELS = dict(Lifecycle.choices)
_TICKET_STATUS_LABELS = dict(MaintenanceTicket.Status.choices)


# --- incidents seen by cameras -------------------------------------------------------------------------------------


@dataclass
class IncidentCoverage:
    """The headline indicator: of the incidents registered in a period, how many happened in view of a camera that
    was working at the time (the rule of services.working_mask). Discarded incidents are not counted."""

    start: datetime
    end: datetime
    total: int
    in_view: int
    synthetic: bool = False  # some of the incidents are the demo's synthetic ones

    @property
    def share(self) -> float | None:
        return None if not self.total else self.in_view / self.total

    @property
    def share_pct(self) -> float | None:
        return None if self.share is None else round(100 * self.share, 1)


def incident_coverage(user, start: datetime, end: datetime) -> IncidentCoverage:
    """Incidents with start <= occurred_at < end that the user may see (all of them for user None, as the yearly
    report does for the whole canton), and those of them in view of a working camera."""
    from centinela.incidents.models import Incident
    from centinela.incidents.selectors import SYNTHETIC_SOURCE

    qs = Incident.objects.filter(occurred_at__gte=start, occurred_at__lt=end).exclude(status=Incident.Status.DISCARDED)
    if user is not None:
        qs = scope(user, qs)
    # one pass over the period's incidents, not three (a count, a count of those in view, an exists): the dashboard
    # asks on every request, over a year of incidents
    figures = qs.aggregate(
        total=Count("pk"),
        in_view=Count("pk", filter=Q(pk__in=Sighting.objects.filter(camera_working=True).values("incident_id"))),
        synthetic=Count("pk", filter=Q(source__code=SYNTHETIC_SOURCE)),
    )
    total = figures["total"]
    in_view = figures["in_view"] if total else 0
    return IncidentCoverage(start, end, total, in_view, total > 0 and figures["synthetic"] > 0)


def latest_incident_year(user) -> int | None:
    """The year of the latest incident the user may see (the dashboard shows that year's coverage)."""
    from centinela.incidents.models import Incident

    latest = scope(user, Incident.objects.all()).order_by("-occurred_at").values_list("occurred_at", flat=True).first()
    return timezone.localtime(latest).year if latest else None


def year_coverage(user, year: int) -> IncidentCoverage:
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime(year, 1, 1), tz)
    return incident_coverage(user, start, timezone.make_aware(datetime(year + 1, 1, 1), tz))


def dashboard_coverage(user) -> IncidentCoverage | None:
    """The dashboard's headline: year_coverage for the year of the latest incident the user may see (None without
    any). It counts a year of incidents and their links to cameras on every request of the most requested camera
    page (a third of its SQL time on SQLite), so it is kept in the Django cache under the incidents' data version
    (incidents.cache: bumped by every change of an incident, held while an import runs, as the indicators pages)
    and the links' version (cameras.versions), per the scope the user reads incidents with (scope(): role, parish,
    institution) and time zone: any change of either makes a new key, seen on the next request."""
    import hashlib

    from django.core.cache import cache

    from centinela.cameras.versions import sightings_version
    from centinela.incidents.cache import data_version

    who = (
        bool(user.is_superuser),
        getattr(user, "role", None),
        getattr(user, "parish_id", None),
        getattr(user, "institution_id", None),
        bool(user.is_active),
    )
    parts = (
        data_version(),
        sightings_version(),
        who,
        timezone.get_current_timezone_name(),
        timezone.get_default_timezone_name(),
    )
    key = "cameras:dashboard-coverage:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    hit = cache.get(key)
    if hit is not None:
        return hit[0]
    year = latest_incident_year(user)
    value = year_coverage(user, year) if year else None
    # keys change with the data; the timeout is the incidents' cached pages' own (incidents.cache), a bound should a
    # version counter be culled from the file cache and start again at a value an old key was made with
    cache.set(key, (value,), settings.OPEN_DATA_CACHE_SECONDS)
    return value


def sightings_of_device(device, user, *, limit: int = 20) -> dict:
    """The incidents this camera saw that the user may see: how many (and how many while working), the latest."""
    from centinela.incidents.models import Incident

    visible = scope(user, Incident.objects.all()).values("pk")
    qs = Sighting.objects.filter(device=device, incident__in=visible)
    return {
        "count": qs.count(),
        "working": qs.filter(camera_working=True).count(),
        "latest": list(
            qs.select_related("incident", "incident__category", "created_by").order_by("-incident__occurred_at")[:limit]
        ),
    }


def incident_url(incident) -> str | None:
    """The incident's page, once the incident pages exist (incidents:incident_detail); else None."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("incidents:incident_detail", args=[incident.pk])
    except NoReverseMatch:
        return None


def lifecycle_at(devices, moment: datetime) -> dict[int, str | None]:
    """Each device's lifecycle status at `moment`, from its StatusChange history, never today's field alone: the
    status the last change at or before `moment` reached; before its first recorded change, the status that change
    left; with no history, its current status. None: not installed yet at `moment` (its installed_on, else its
    system's, is later), so it was not part of the network then."""
    devices = list(devices)
    first_after: dict[int, str] = {}
    last_before: dict[int, str] = {}
    for device_id, at, from_status, to_status in (
        StatusChange.objects.filter(device_id__in=[d.pk for d in devices])
        .order_by("at", "pk")
        .values_list("device_id", "at", "from_status", "to_status")
    ):
        if at <= moment:
            last_before[device_id] = to_status
        else:
            first_after.setdefault(device_id, from_status)
    day = timezone.localtime(moment).date()
    out = {}
    for d in devices:
        installed = d.installed_on or d.system.installed_on
        if installed and installed > day:
            out[d.pk] = None
        else:
            out[d.pk] = last_before.get(d.pk) or first_after.get(d.pk) or d.lifecycle
    return out
