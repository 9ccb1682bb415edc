"""Changing cameras: lifecycle changes with their history (who, when, why) and the maintenance-ticket workflow
(reported or detected -> assigned -> in progress -> resolved). The health monitor uses the same functions, as
user None, so a change made by a person and one made by the monitor are recorded alike."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from centinela.accounts.permissions import require
from centinela.cameras import versions
from centinela.cameras.models import (
    MONITORED_STATES,
    TRANSITIONS,
    Device,
    FootageRequest,
    Lifecycle,
    MaintenanceTicket,
    Site,
    StatusChange,
)
from centinela.territory import selectors as territory

Status = MaintenanceTicket.Status
# Ticket workflow: a ticket is reported by a person or detected by the monitor, then assigned, worked on, resolved.
TICKET_FLOW = {
    Status.REPORTED: {Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED},
    Status.DETECTED: {Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED},
    Status.ASSIGNED: {Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED},
    Status.IN_PROGRESS: {Status.ASSIGNED, Status.RESOLVED},
    Status.RESOLVED: set(),
}
OPEN_TICKET = [Status.REPORTED, Status.DETECTED, Status.ASSIGNED, Status.IN_PROGRESS]


def _label(status: str) -> str:
    return str(Lifecycle(status).label)


def check_transition(from_status: str, to_status: str) -> None:
    """Raise a ValidationError (in the user's language) unless TRANSITIONS allows the change."""
    if to_status not in Lifecycle.values:
        raise ValidationError(_("Unknown lifecycle status: %(s)s.") % {"s": to_status})
    if to_status not in TRANSITIONS.get(from_status, set()):
        raise ValidationError(
            _("A camera cannot go from “%(a)s” to “%(b)s”.") % {"a": _label(from_status), "b": _label(to_status)}
        )


def away_since_abandoned(device: Device) -> bool:
    """Whether the device has not been operational since it was last abandoned: it is abandoned now, or it went
    from abandoned through other states (under maintenance, installed, offline...) without yet working again.
    Its first return to operational is then a reactivation."""
    if device.lifecycle == Lifecycle.ABANDONED:
        return True
    if device.lifecycle == Lifecycle.OPERATIONAL or not device.pk:
        return False
    last = (
        StatusChange.objects.filter(device_id=device.pk, to_status=Lifecycle.ABANDONED)
        .order_by("-at", "-pk")
        .values_list("at", flat=True)
        .first()
    )
    if last is None:
        return False
    return not StatusChange.objects.filter(device_id=device.pk, to_status=Lifecycle.OPERATIONAL, at__gte=last).exists()


def change_lifecycle(
    user, device: Device, to_status: str, reason: str = "", *, at=None, reactivation=None
) -> StatusChange | None:
    """Move a device to another lifecycle status and record who, when and why. `user` None is the monitor.

    The first return to operational after the device was abandoned (directly, or through maintenance or other
    states) is a reactivation: it sets the device's reactivated_on, and `reactivation`, an activity of the
    video-surveillance programme, is linked to its system as System.reactivation is (with the system's
    reactivated_on when it has none or an earlier one). The update is conditional on the status read
    (compare-and-set), so a person and the monitor changing the same device at once cannot both win: the loser
    gets a ValidationError (a person) or None (the monitor)."""
    if user is not None:
        require(user, "change", device)
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the status changes.")})
    from_status = device.lifecycle
    check_transition(from_status, to_status)
    at = at or timezone.now()
    fields = {"lifecycle": to_status}
    if to_status in MONITORED_STATES and from_status not in MONITORED_STATES:
        # back under watch: probe soon, and forget the counters from before it left
        fields.update(next_probe_at=None, consecutive_failures=0, consecutive_successes=0)
    reactivating = to_status == Lifecycle.OPERATIONAL and away_since_abandoned(device)
    if reactivating:
        fields["reactivated_on"] = timezone.localdate(at)  # a reactivation, as in 2020's twelve systems
    if reactivation is not None:
        if not reactivating:
            raise ValidationError(
                {
                    "reactivation": _(
                        "Only a camera returning to service after being abandoned is linked to a reactivation activity."
                    )
                }
            )
        if getattr(reactivation.programme, "kind", None) != "surveillance":
            raise ValidationError({"reactivation": _("Choose an activity of the video-surveillance programme.")})
        require(user, "change", device.system)
    with transaction.atomic():
        updated = Device.objects.filter(pk=device.pk, lifecycle=from_status).update(**fields)
        if not updated:
            if user is None:
                return None
            raise ValidationError(_("Someone else changed this camera's status just now; reload and try again."))
        for name, value in fields.items():
            setattr(device, name, value)
        if reactivation is not None:
            system = device.system
            system.reactivation = reactivation
            if system.reactivated_on is None or system.reactivated_on < fields["reactivated_on"]:
                system.reactivated_on = fields["reactivated_on"]
            system.save(update_fields=["reactivation", "reactivated_on"])  # audited (auditlog)
        return StatusChange.objects.create(
            device=device,
            at=at,
            from_status=from_status,
            to_status=to_status,
            by=user,
            reason=(reason or "")[:300],
        )


# --- addresses and credentials -------------------------------------------------------------------------------------
#
# A camera's addresses and credentials are the network managers' business (permissions.can_manage_network). The
# stored user and password belong to the endpoints they were entered for: a change of scheme, host or port of any
# of the device's addresses drops them, unless a new password is entered in the same change. This is enforced here,
# so every way of saving a camera (form, command, test, future API) obeys it; the drop is audited.

NETWORK_MODEL_FIELDS = ("stream_url", "snapshot_url", "onvif_url", "host", "port", "username")


def endpoints(device: Device) -> frozenset:
    """The (scheme, host, port) the monitor would connect to for this device: each URL's and the TCP check's."""
    from urllib.parse import urlsplit

    from centinela.cameras.probes import DEFAULT_PORTS

    out = set()
    for url in (device.stream_url, device.snapshot_url, device.onvif_url):
        if not url:
            continue
        try:
            parts = urlsplit(url.strip())
            scheme = parts.scheme.lower()
            out.add((scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme)))
        except ValueError:
            out.add(("?", url.strip().lower(), None))  # malformed: any edit of it counts as a change
    if device.host or device.port:
        out.add(("tcp", (device.host or "").strip().lower(), device.port))
    return frozenset(out)


def save_device(user, device: Device, *, password: str | None = None, clear_password: bool = False) -> Device:
    """Create or change a camera. Only network managers may set or change its addresses and credentials (others'
    saves must leave them as stored). `password`: a new password to store (encrypted); `clear_password`: remove
    the stored one. When the device's endpoints (scheme, host, port) change and no new password comes with the
    change, the stored user and password are dropped: they are never sent to an address they were not entered for."""
    from auditlog.models import LogEntry

    from centinela.accounts.permissions import can_manage_network
    from centinela.lib import crypto

    require(user, "change" if device.pk else "add", device)
    old = Device.objects.filter(pk=device.pk).first() if device.pk else None
    if not can_manage_network(user):
        stored = old or Device()
        if (
            password
            or clear_password
            or any(getattr(device, f) != getattr(stored, f) for f in NETWORK_MODEL_FIELDS)
            or device.password_encrypted != stored.password_encrypted
        ):
            raise PermissionDenied(_("Only the network administrators may change a camera's addresses or credentials."))
    dropped = False
    if password:
        device.password_encrypted = crypto.encrypt(password)
        device.auth_scheme = ""
    elif clear_password:
        device.password_encrypted = ""
        device.auth_scheme = ""
    elif old is not None and endpoints(old) != endpoints(device):
        device.auth_scheme = ""
        if old.password_encrypted or old.username:
            device.password_encrypted, device.username = "", ""
            dropped = True
    device.full_clean()
    with transaction.atomic():
        device.save()
        pending = getattr(device, "_pending_m2m", None)
        if pending:  # a form saved with commit=False: the many-to-many fields follow once the row exists
            pending()
        if dropped:
            LogEntry.objects.log_create(
                device,
                force_log=True,
                action=LogEntry.Action.UPDATE,
                changes={"credentials": [str(_("stored")), str(_("dropped: the camera's address changed"))]},
            )
    return device


# --- maintenance tickets ------------------------------------------------------------------------------------------


def _append_note(ticket: MaintenanceTicket, line: str) -> None:
    ticket.notes = f"{ticket.notes.rstrip()}\n{line}".strip()


def local_time_text(at) -> str:
    """'14:05 del 25/11/2026' style text in the site's time zone, for ticket notes."""
    local = timezone.localtime(at)
    return _("%(time)s on %(date)s") % {"time": local.strftime("%H:%M"), "date": date_format(local, "d/m/Y")}


def open_ticket(user, device: Device, description: str, *, at=None) -> MaintenanceTicket:
    """A ticket reported by a person."""
    require(user, "add", MaintenanceTicket(device=device))
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe the problem.")})
    return MaintenanceTicket.objects.create(
        device=device,
        status=Status.REPORTED,
        opened_at=at or timezone.now(),
        opened_by=user,
        description=description,
    )


def ticket_for_failure_report(user, device: Device, description: str, *, note: str, at=None):
    """A failure someone outside the maintenance team reported (a resident's "cámara dañada" report, or staff
    confirming the camera in triage): the camera's open ticket when it has one, with `note` added to it, else a new
    ticket "reported". Returns (ticket, opened). `user` None: on behalf of a resident, as the monitor acts (there is
    no account to check); otherwise the person's permission to open a ticket for this camera is checked."""
    if user is not None:
        require(user, "add", MaintenanceTicket(device=device))
    ticket = MaintenanceTicket.objects.filter(device=device, status__in=OPEN_TICKET).order_by("-opened_at").first()
    if ticket is not None:
        _append_note(ticket, note)
        ticket.save(update_fields=["notes"])
        return ticket, False
    if not (description or "").strip():
        raise ValidationError({"description": _("Describe the problem.")})
    ticket = MaintenanceTicket.objects.create(
        device=device,
        status=Status.REPORTED,
        opened_at=at or timezone.now(),
        opened_by=user,
        description=description,
    )
    return ticket, True


def _move(user, ticket: MaintenanceTicket, to: str) -> None:
    require(user, "change", ticket)
    if to not in TICKET_FLOW[ticket.status]:
        raise ValidationError(
            _("A ticket cannot go from “%(a)s” to “%(b)s”.") % {"a": Status(ticket.status).label, "b": Status(to).label}
        )
    ticket.status = to


def assign_ticket(user, ticket: MaintenanceTicket, assignee, note: str = "") -> MaintenanceTicket:
    _move(user, ticket, Status.ASSIGNED)
    ticket.assigned_to = assignee
    _append_note(ticket, _("Assigned to %(who)s.") % {"who": assignee.get_full_name() or assignee.username})
    if note:
        _append_note(ticket, note)
    ticket.save(update_fields=["status", "assigned_to", "notes"])
    return ticket


def start_ticket(user, ticket: MaintenanceTicket, note: str = "") -> MaintenanceTicket:
    _move(user, ticket, Status.IN_PROGRESS)
    if note:
        _append_note(ticket, note)
    ticket.save(update_fields=["status", "notes"])
    return ticket


def add_ticket_note(user, ticket: MaintenanceTicket, note: str) -> MaintenanceTicket:
    require(user, "change", ticket)
    _append_note(ticket, note)
    ticket.save(update_fields=["notes"])
    return ticket


def resolve_ticket(
    user, ticket: MaintenanceTicket, *, cause: str, parts: str = "", cost=0, at=None
) -> MaintenanceTicket:
    """Close a ticket with its cause, the parts replaced and the cost (USD)."""
    if not (cause or "").strip():
        raise ValidationError({"cause": _("Say what caused the failure.")})
    cost = Decimal(str(cost or 0))
    if cost < 0:
        raise ValidationError({"cost": _("The cost cannot be negative.")})
    _move(user, ticket, Status.RESOLVED)
    ticket.cause, ticket.parts, ticket.cost = cause, parts, cost
    ticket.resolved_at = at or timezone.now()
    ticket.save(update_fields=["status", "cause", "parts", "cost", "resolved_at"])
    return ticket


# --- preventive maintenance ---------------------------------------------------------------------------------------
#
# A visit done under a schedule is recorded as a ticket opened and resolved on the day it was done (who, when, the
# note: audited like every ticket), its description tagged with the schedule's number (availability.PREVENTIVE_TAG,
# which keeps such visits out of the mean time to repair); the schedule's next due date moves to the day of the
# latest visit plus its interval.


def _preventive_tag(schedule) -> str:
    from centinela.cameras.availability import PREVENTIVE_TAG

    return f"{PREVENTIVE_TAG}{schedule.pk}]"


def preventive_visits(schedules) -> dict:
    """{schedule id: its latest visit (a resolved ticket)} for the schedules given, in one query."""
    from centinela.cameras.availability import PREVENTIVE_TAG

    schedules = list(schedules)
    if not schedules:
        return {}
    wanted = {s.pk for s in schedules}
    latest = {}
    for ticket in (
        MaintenanceTicket.objects.filter(
            device_id__in={s.device_id for s in schedules},
            description__startswith=PREVENTIVE_TAG,
            resolved_at__isnull=False,
        )
        .select_related("opened_by")
        .order_by("resolved_at", "pk")
    ):
        number = ticket.description[len(PREVENTIVE_TAG) :].split("]", 1)[0]
        if number.isdigit() and int(number) in wanted:
            latest[int(number)] = ticket
    return latest


def complete_schedule(user, schedule, *, done_on, note: str = "") -> MaintenanceTicket:
    """Record that the preventive task of `schedule` was done on `done_on` (a date, not in the future), with a
    note, and move its next due date to the latest visit plus `every_days`."""
    from datetime import datetime, time, timedelta

    from centinela.cameras.models import MaintenanceSchedule

    require(user, "change", schedule)
    require(user, "add", MaintenanceTicket(device=schedule.device))
    if done_on is None:
        raise ValidationError({"done_on": _("Give the date it was done.")})
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("The date it was done cannot be in the future.")})
    if done_on == timezone.localdate():
        at = timezone.now()
    else:
        at = timezone.make_aware(datetime.combine(done_on, time(12)), timezone.get_current_timezone())
    with transaction.atomic():
        locked = MaintenanceSchedule.objects.select_for_update().get(pk=schedule.pk)
        previous = preventive_visits([locked]).get(locked.pk)
        ticket = MaintenanceTicket.objects.create(
            device_id=locked.device_id,
            status=Status.RESOLVED,
            opened_at=at,
            opened_by=user,
            assigned_to=user,
            description=f"{_preventive_tag(locked)} {locked.task}"[:2000],
            cause=_("Preventive maintenance"),
            resolved_at=at,
            notes=(note or "").strip(),
        )
        latest = max(done_on, timezone.localdate(previous.resolved_at)) if previous else done_on
        locked.next_due = latest + timedelta(days=locked.every_days)
        locked.save(update_fields=["next_due"])
    schedule.next_due = locked.next_due
    return ticket


# --- incidents seen by cameras ------------------------------------------------------------------------------------
#
# The rule for "the camera was working" at an instant t (working_mask), from the records, never typed:
#   1. it had been installed: t on or after the device's installed_on (else its system's; unknown: assumed installed);
#   2. its lifecycle at t was installed, operational or degraded: the status its StatusChange history reached last
#      before t (before the first recorded change, the status that change left; no history: its current status);
#   3. before its recorded history, a reactivated camera (reactivated_on) was abandoned until that day: the demo's
#      twelve systems of 2020 and any camera brought back before Centinela watched it;
#   4. no Outage (the monitor's offline periods; an open one runs until now) covers t.
# The time before the monitor first probed a camera therefore counts as working once it was installed or
# reactivated: nobody knew otherwise. Incidents before a camera's installation are not linked to it at all (it was
# not there); those in its view while it was abandoned, in maintenance or down are linked with camera_working=False.

WORKING_STATES = frozenset({Lifecycle.INSTALLED, Lifecycle.OPERATIONAL, Lifecycle.DEGRADED})
LINK_CHUNK = 50_000  # incidents per pass: bounded memory for a registry of millions
LINK_LOOKUP = 5_000  # ids per IN (...) query: under SQLite's 32,766 variables


def _day_start_ts(day) -> float:
    from datetime import datetime, time

    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone()).timestamp()


class _DeviceTimeline:
    """What working_mask needs about one device, read once: installation, reactivation, history, outages."""

    def __init__(self, device: Device, changes, outages, now_ts: float):
        import numpy as np

        installed = device.installed_on or device.system.installed_on
        self.installed_ts = _day_start_ts(installed) if installed else -np.inf
        self.reactivated_ts = _day_start_ts(device.reactivated_on) if device.reactivated_on else -np.inf
        changes = sorted(changes, key=lambda c: c.at)
        self.change_ts = np.array([c.at.timestamp() for c in changes], dtype=float)
        states = [changes[0].from_status] if changes else [device.lifecycle]
        states += [c.to_status for c in changes]
        self.state_working = np.array([s in WORKING_STATES for s in states], dtype=bool)
        self.first_change_ts = self.change_ts[0] if changes else np.inf
        merged = []
        for s, e in sorted(
            (o.started_at.timestamp(), o.ended_at.timestamp() if o.ended_at else now_ts) for o in outages
        ):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            elif e > s:
                merged.append([s, e])
        self.outage_start = np.array([m[0] for m in merged], dtype=float)
        self.outage_end = np.array([m[1] for m in merged], dtype=float)

    def installed(self, t):
        import numpy as np

        return np.asarray(t, dtype=float) >= self.installed_ts

    def working(self, t):
        import numpy as np

        t = np.asarray(t, dtype=float)
        ok = t >= self.installed_ts
        ok &= self.state_working[np.searchsorted(self.change_ts, t, side="right")]
        ok &= ~((t < self.first_change_ts) & (t < self.reactivated_ts))
        if len(self.outage_start):
            i = np.searchsorted(self.outage_start, t, side="right") - 1
            ok &= ~((i >= 0) & (t < self.outage_end[np.maximum(i, 0)]))
        return ok


def _timelines(devices) -> dict:
    from centinela.cameras.models import Outage

    ids = [d.pk for d in devices]
    changes, outages = {}, {}
    for i in range(0, len(ids), LINK_LOOKUP):
        for c in StatusChange.objects.filter(device_id__in=ids[i : i + LINK_LOOKUP]).only(
            "device_id", "at", "from_status", "to_status"
        ):
            changes.setdefault(c.device_id, []).append(c)
        for o in Outage.objects.filter(device_id__in=ids[i : i + LINK_LOOKUP]).only(
            "device_id", "started_at", "ended_at"
        ):
            outages.setdefault(o.device_id, []).append(o)
    now_ts = timezone.now().timestamp()
    return {d.pk: _DeviceTimeline(d, changes.get(d.pk, []), outages.get(d.pk, []), now_ts) for d in devices}


def working_mask(device: Device, times) -> np.ndarray:  # noqa: F821
    """Whether `device` was working at each of `times` (aware datetimes or POSIX seconds); the rule above."""
    import numpy as np

    ts = np.array([t.timestamp() if hasattr(t, "timestamp") else float(t) for t in times], dtype=float)
    return _timelines([device])[device.pk].working(ts)


def _distances(device_lonlat, lon, lat):
    import numpy as np

    from centinela.cameras.coverage import GEOD

    n = len(lon)
    _az1, _az2, dist = GEOD.inv(np.full(n, device_lonlat[0]), np.full(n, device_lonlat[1]), lon, lat)
    return np.abs(np.asarray(dist, dtype=float))


def _incident_chunks(incident_ids, bbox):
    """(ids, lon, lat, POSIX seconds) arrays of incidents, in chunks, by id list or over the whole registry."""
    import numpy as np

    from centinela.incidents.models import Incident

    fields = ("pk", "lon", "lat", "occurred_at")

    def arrays(rows):
        return (
            np.array([r[0] for r in rows], dtype=np.int64),
            np.array([r[1] for r in rows], dtype=float),
            np.array([r[2] for r in rows], dtype=float),
            np.array([r[3].timestamp() for r in rows], dtype=float),
        )

    qs = Incident.objects.all()
    if bbox is not None:
        minx, miny, maxx, maxy = bbox
        qs = qs.filter(lon__gte=minx, lon__lte=maxx, lat__gte=miny, lat__lte=maxy)
    if incident_ids is not None:
        ids = sorted({int(i) for i in incident_ids})
        for i in range(0, len(ids), LINK_LOOKUP):
            rows = list(qs.filter(pk__in=ids[i : i + LINK_LOOKUP]).values_list(*fields))
            if rows:
                yield arrays(rows)
        return
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk").values_list(*fields)[:LINK_CHUNK])
        if not rows:
            return
        last = rows[-1][0]
        yield arrays(rows)


def link_incidents(incident_ids=None, *, devices=None) -> int:
    """Link incidents to the cameras in whose view they happened (automatic Sightings), with whether each camera
    was working then (the rule above) and its distance; pairs already linked are left alone. `incident_ids` None:
    the whole registry; `devices`: only these cameras (after a camera moves). Returns the number of links made.

    Vectorised for large registries: one STRtree over the cameras' view sectors, queried with all the points of a
    chunk of incidents at once, and bulk inserts (5,000 cameras x 1M incidents stays minutes, not hours).
    Automatic links are derived from the records and written in bulk, so they leave no audit entry each; links
    made or removed by hand (link_manually, unlink) are audited."""
    import numpy as np
    import shapely

    from centinela.cameras import selectors
    from centinela.cameras.models import Sighting

    if devices is None:
        devices = Device.objects.exclude(lifecycle=Lifecycle.PLANNED)
    devices = [
        d
        for d in (devices.select_related("system__site") if hasattr(devices, "select_related") else devices)
        if d.lifecycle != Lifecycle.PLANNED
    ]
    if not devices:
        return 0
    views = [selectors.view_of(d) for d in devices]
    tree = shapely.STRtree(views)
    bbox = tuple(shapely.total_bounds(views)) if len(devices) < 50 else None  # few cameras: let SQL pre-filter
    timelines = _timelines(devices)
    device_ids = np.array([d.pk for d in devices], dtype=np.int64)
    created = 0
    for ids, lon, lat, ts in _incident_chunks(incident_ids, bbox):
        which, hit = tree.query(shapely.points(lon, lat), predicate="intersects")
        if not len(which):
            continue
        existing = set()
        hit_ids = np.unique(ids[which]).tolist()
        for i in range(0, len(hit_ids), LINK_LOOKUP):
            existing.update(
                Sighting.objects.filter(incident_id__in=hit_ids[i : i + LINK_LOOKUP]).values_list(
                    "incident_id", "device_id"
                )
            )
        order = np.argsort(hit, kind="stable")
        which, hit = which[order], hit[order]
        starts = np.flatnonzero(np.r_[True, hit[1:] != hit[:-1]])
        batch = []
        for s, e in zip(starts, np.r_[starts[1:], len(hit)]):
            j = int(hit[s])
            rows = which[s:e]
            device, timeline = devices[j], timelines[int(device_ids[j])]
            rows = rows[timeline.installed(ts[rows])]
            if not len(rows):
                continue
            working = timeline.working(ts[rows])
            dist = _distances(selectors.position(device), lon[rows], lat[rows])
            for r, w, d in zip(rows.tolist(), working.tolist(), dist.tolist()):
                incident_id = int(ids[r])
                if (incident_id, device.pk) in existing:
                    continue
                batch.append(
                    Sighting(
                        incident_id=incident_id,
                        device_id=device.pk,
                        automatic=True,
                        camera_working=w,
                        distance_m=round(d, 1),
                    )
                )
        Sighting.objects.bulk_create(batch, batch_size=LINK_LOOKUP, ignore_conflicts=True)
        created += len(batch)
    if created:
        versions.bump_sightings()  # bulk inserts send no signal: what the cache keeps from the links is made again
    return created


def relink_device(device: Device) -> int:
    """After a camera's position, bearing, angle or range changed: its automatic links are made again (the links
    staff made by hand stay)."""
    from centinela.cameras.models import Sighting

    Sighting.objects.filter(device=device, automatic=True).delete()
    return link_incidents(devices=[device])


def link_new_incidents(sender, ids=None, **kwargs):
    """Receiver of incidents.signals.incidents_created: link the new incidents to the cameras that saw them."""
    if ids:
        link_incidents(incident_ids=ids)


def link_manually(user, device: Device, incident) -> Sighting:  # noqa: F821
    """Staff record that a camera saw an incident the automatic link missed (it happened just outside the drawn
    sector, or the camera was turned towards it)."""
    from centinela.cameras import selectors
    from centinela.cameras.models import Sighting

    require(user, "change", device)
    sighting = Sighting(incident=incident, device=device, automatic=False, created_by=user)
    require(user, "add", sighting)
    if Sighting.objects.filter(incident=incident, device=device).exists():
        raise ValidationError(_("This incident is already linked to this camera."))
    timeline = _timelines([device])[device.pk]
    t = incident.occurred_at.timestamp()
    if not timeline.installed([t])[0]:
        raise ValidationError(_("The camera was not installed yet when the incident happened."))
    sighting.camera_working = bool(timeline.working([t])[0])
    sighting.distance_m = round(float(_distances(selectors.position(device), [incident.lon], [incident.lat])[0]), 1)
    sighting.full_clean()
    sighting.save()
    return sighting


def unlink(user, sighting) -> None:
    """Staff remove a link (the camera did not, in fact, see it)."""
    require(user, "change", sighting.device)
    require(user, "delete", sighting)
    sighting.delete()


@transaction.atomic
def save_footage_request(user, item: FootageRequest) -> FootageRequest:
    """A footage request made or answered. A liaison asks for their own institution, in their own name, now: those
    three are theirs, never chosen (the permission check then holds them to their institution's requests)."""
    from centinela.accounts.models import Role

    if getattr(user, "role", None) == Role.LIAISON and not user.is_superuser:
        item.institution_id = user.institution_id
        item.requester = (user.get_full_name() or user.username)[:160]
        if not item.pk:
            item.requested_at = timezone.now()
    require(user, "change" if item.pk else "add", item)
    item.full_clean()
    item.save()
    pending = getattr(item, "_pending_m2m", None)
    if pending:  # the form saved with commit=False: the cameras follow once the row exists
        pending()
    return item


def save_site(user, site: Site) -> Site:
    """A site's parish and barrio follow from its point, which must lie in the canton."""
    if site.lon is not None and site.lat is not None:
        if not territory.in_canton(site.lon, site.lat):
            raise ValidationError(
                {
                    "lat": _("The point (%(lat).5f, %(lon).5f) lies outside the canton.")
                    % {"lat": site.lat, "lon": site.lon}
                }
            )
        location = territory.locate(site.lon, site.lat)
        site.parish, site.barrio = location.parish, location.barrio
    require(user, "change" if site.pk else "add", site)
    site.full_clean()
    site.save()
    return site


def save_record(user, obj):
    """Create or update a camera record (site, system, ticket...) for `user`: the permission check, the model's
    validation, the save, then the many-to-many fields the form left pending."""
    require(user, "change" if obj.pk else "add", obj)
    obj.full_clean()
    obj.save()
    pending = getattr(obj, "_pending_m2m", None)
    if pending:  # form_view saves with commit=False: the many-to-many fields follow once the row exists
        pending()
    return obj
