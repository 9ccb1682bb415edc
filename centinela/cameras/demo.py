"""The demo camera network, as the council's 2020 account tells it: twelve abandoned systems reactivated, the
circuit extended to the Centro de Revisión Vehicular and Puerto Seco Comercial, and the cameras of the three
centros de abasto. Each system sits at the place its activity names and links to that activity.

`load_demo_cameras()` is safe to re-run (sites by name, systems by site and name, cameras by code). Streams and
snapshots point at the local camera simulator on loopback, so `make run` shows a live network."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from centinela.cameras.models import Device, Lifecycle, MaintenanceSchedule, Site, System
from centinela.lib import crypto
from centinela.territory import selectors as territory

# The camera simulator (cameras/simulator.py) answers RTSP and HTTP on one loopback port, camera K at /cam/K.
SIMULATOR_PORT = 18554
RTSP_URL = "rtsp://127.0.0.1:{port}/cam/{k}"
SNAPSHOT_URL = "http://127.0.0.1:{port}/cam/{k}/snapshot.jpg"
ONVIF_URL = "http://127.0.0.1:{port}/cam/{k}/onvif/device_service"
BRANDS = [
    ("Hikvision", "DS-2CD2143G2-I"),
    ("Dahua", "IPC-HDBW2431E"),
    ("Hikvision", "DS-2DE4425IW-DE"),
    ("Axis", "M3106-L Mk II"),
]
RESPONSIBLE = ["enlace.ecu911", "tecnico"]
# Cameras per system, in the order of activities.demo.SURVEILLANCE: 38 in all, within the simulator's default 40.
CAMERAS_PER_SYSTEM = [3, 2, 2, 3, 2, 2, 4, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2]
# The simulator's default credentials (used only when it runs with --auth).
USERNAME, PASSWORD = "admin", "centinela"


def _rows():
    from centinela.activities.demo import SURVEILLANCE

    for index, (stem, item, place_name, kind, day, _planned, _executed) in enumerate(SURVEILLANCE, start=1):
        if stem.startswith("Ampliación"):
            group = "circuit"
        elif kind == "market":
            group = "market"
        else:
            group = "reactivated"
        yield index, f"{stem}: {item}", place_name, kind, date.fromisoformat(day), group


def _upsert(model, keys: dict, **values):
    obj = model.objects.filter(**keys).first()
    if obj is None:
        obj = model(**keys, **values)
    elif all(getattr(obj, f) == v for f, v in values.items()):
        return obj
    else:
        for f, v in values.items():
            setattr(obj, f, v)
    obj.full_clean()
    obj.save()
    return obj


@transaction.atomic
def load_demo_cameras() -> dict:
    from centinela.accounts.models import User
    from centinela.activities.models import Activity
    from centinela.territory.models import Place

    rng = random.Random(911)
    responsible = list(User.objects.filter(username__in=RESPONSIBLE))
    stats = {"sites": 0, "systems": 0, "devices": 0, "linked": 0}
    k = 0  # the simulator's camera number, in the order the cameras are made
    for index, title, place_name, _kind, day, group in _rows():
        place = Place.objects.filter(name=place_name).first()
        if place is None:
            continue  # the 2020 demo year is not loaded: no place to put the system at
        location = territory.locate(place.lon, place.lat)
        site = _upsert(
            Site,
            {"name": place_name},
            place=place,
            parish=location.parish,
            barrio=location.barrio,
            lon=place.lon,
            lat=place.lat,
            address=place.address,
            mounting_height_m=Decimal("6.0"),
        )
        activity = Activity.objects.filter(title=title).first()
        installed = day if group == "circuit" else date(2014 + index % 4, 3, 1)
        system = _upsert(
            System,
            {"site": site, "name": "Sistema de videovigilancia"},
            kind=System.Kind.DVR if group == "market" else System.Kind.NVR,
            owner=System.Owner.MUNICIPALITY,
            monitored_by=System.MonitoredBy.MUNICIPAL_ROOM if group == "market" else System.MonitoredBy.ECU911_ROOM,
            installed_on=installed,
            reactivated_on=None if group == "circuit" else day,
            reactivation=activity,
        )
        stats["sites"] += 1
        stats["systems"] += 1
        stats["linked"] += activity is not None
        count = CAMERAS_PER_SYSTEM[(index - 1) % len(CAMERAS_PER_SYSTEM)]
        first_bearing = rng.randrange(0, 90)
        for n in range(count):
            code = f"CAM-{index:02d}-{n + 1}"
            ptz = n == count - 1 and count >= 3
            brand, model = BRANDS[2] if ptz else BRANDS[rng.randrange(len(BRANDS))]
            camera_type = (
                Device.CameraType.PANNING if ptz else (Device.CameraType.DOME if n % 2 else Device.CameraType.FIXED)
            )
            device = Device.objects.filter(code=code).first() or Device(code=code)
            values = dict(
                system=system,
                name=f"{place_name} · cámara {n + 1}",
                camera_type=camera_type,
                brand=brand,
                model=model,
                serial=f"DEMO{index:02d}{n + 1:02d}{rng.randrange(10**5):05d}",
                stream_url=RTSP_URL.format(port=SIMULATOR_PORT, k=k),
                snapshot_url=SNAPSHOT_URL.format(port=SIMULATOR_PORT, k=k),
                onvif_url=ONVIF_URL.format(port=SIMULATOR_PORT, k=k) if ptz else "",
                host="127.0.0.1",
                port=SIMULATOR_PORT,
                username=USERNAME,
                bearing=Decimal((first_bearing + n * 360 // count) % 360),
                field_of_view=Decimal(360 if ptz else rng.choice([60, 75, 90, 100])),
                range_m=120 if ptz else rng.choice([35, 45, 60, 80]),
                height_m=Decimal("6.0"),
                installed_on=installed,
                reactivated_on=None if group == "circuit" else day,
            )
            for field, value in values.items():
                setattr(device, field, value)
            if device.pk is None:
                device.lifecycle = Lifecycle.OPERATIONAL
            if not device.password_encrypted:
                device.password_encrypted = crypto.encrypt(PASSWORD)
            device.full_clean()
            device.save()
            device.responsible.set(responsible)
            stats["devices"] += 1
            k += 1
        first = system.devices.order_by("code").first()
        if first is not None:
            _upsert(
                MaintenanceSchedule,
                {"device": first, "task": "Limpieza de lentes y revisión de conectores y fuente"},
                every_days=90,
                next_due=timezone.localdate() + timedelta(days=(index * 5) % 40 - 7),
            )
    return stats


def camera_views():
    """(view sector, since) for the cameras that came into service within the demo's years (the 2020
    reactivations and the circuit's extension): their date's local midnight as POSIX seconds."""
    from centinela.cameras.selectors import view_of
    from centinela.incidents.demo import END, START, day_start_timestamp

    out = []
    for device in Device.objects.select_related("system__site").order_by("code"):
        day = device.reactivated_on or device.installed_on or device.system.installed_on
        if day and START <= day < END:
            out.append((view_of(device), day_start_timestamp(day)))
    return out
