"""Synthetic incidents for the demo: Loja, 2018-2021. NOT REAL DATA: every row comes from the source
"Datos sintéticos (demo)" (code `selectors.SYNTHETIC_SOURCE`), and pages showing incident figures say so.

What is drawn (`generate`, seeded: the same seed gives the same rows), built on `analysis.synthetic.events`:

* the city (`URBAN_SHARE` of the incidents), in a rectangle around the urban parishes' centres, projected to
  metres in UTM 17S (EPSG:32717):
  - background, uniform over the rectangle;
  - hot spots (`HOTSPOT_SHARE` of the first incidents) around the anchors: the centre (El Sagrario's centre, the
    Parque Central) first, then the markets, then the parks of the gazetteer, with a normal spread of
    `HOTSPOT_SD_M` metres and Zipf-like weights (1/rank: the centre strongest);
  - near-repeat contagion: `REPEAT_SHARE` of the incidents copy an earlier one, up to `REPEAT_DISTANCE_M`
    metres away and an exponential delay of mean `REPEAT_DAYS`/2 days later;
* the rural parishes (the rest): around each rural parish's centre with a spread of `RURAL_SD_M` metres;
* times: the weekly and daily cycles of analysis.synthetic (Friday and Saturday, evenings and nights highest),
  in America/Guayaquil local time, from 1 January 2018 (a Monday, as the generator's day 0) to 31 December 2021;
* categories: Ecuador's taxonomy with plausible shares (`HOTSPOT_CATEGORIES` at markets, parks and the centre:
  robbery of persons first; `DISPERSED_CATEGORIES` elsewhere: more burglaries and violence within the family);
* the cameras' effect: after a camera's 2020 reactivation (or its installation, for the circuit extended in
  2020) the incidents inside its view sector are thinned by `CAMERA_DROP` = 35 % (each removed with that
  probability, once even if two cameras see it), so an impact analysis has a known effect to find. Measured on
  the default draw (tests/test_demo.py): the incidents in view after reactivation are 0.65 of the same draw
  without thinning; a plain before/after comparison against the rest of the canton sees a relative rate near
  0.8, the difference being the draw's own noise (without thinning the same comparison gives about 1.15).

Points that fall in no parish (outside the canton) are dropped; parish and barrio are assigned by the importer's
bulk locate. About 14,000 incidents remain of `N` = 15,000 drawn. Loading is idempotent: each drawn incident has a
stable reference (SINT-000001...), and references already present are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np

SEED = 2018
N = 15_000
START = date(2018, 1, 1)  # a Monday: analysis.synthetic's day 0
END = date(2022, 1, 1)
CRS = "EPSG:32717"  # UTM 17S, Loja
URBAN_SHARE = 0.9
URBAN_MARGIN_M = 1_500.0  # the city rectangle: the urban parishes' centres plus this margin
HOTSPOT_SHARE = 0.6
HOTSPOT_SD_M = 100.0
REPEAT_SHARE = 0.15
REPEAT_DISTANCE_M = 200.0
REPEAT_DAYS = 7.0
RURAL_SD_M = 700.0
CAMERA_DROP = 0.35
SOURCE_NAME = "Datos sintéticos (demo)"
ADDRESS = "Dato sintético (demo)"
REF_PREFIX = "SINT-"
BATCH = 5_000

# (category code, share): where crime concentrates (markets, parks, the centre) and elsewhere.
HOTSPOT_CATEGORIES = [
    ("robo-personas", 0.30),
    ("robo-unidades-economicas", 0.06),
    ("robo-bienes-accesorios-autopartes", 0.05),
    ("robo-motos", 0.03),
    ("robo-carros", 0.015),
    ("robo-domicilios", 0.03),
    ("homicidio-intencional", 0.002),
    ("contravenciones", 0.20),
    ("violencia-mujer-familia", 0.05),
    ("ecu911-seguridad-ciudadana", 0.15),
    ("ecu911-gestion-sanitaria", 0.05),
    ("ecu911-transito-movilidad", 0.04),
    ("ecu911-servicios-municipales", 0.02),
    ("ecu911-gestion-siniestros", 0.005),
]
DISPERSED_CATEGORIES = [
    ("robo-personas", 0.14),
    ("robo-domicilios", 0.11),
    ("robo-unidades-economicas", 0.03),
    ("robo-bienes-accesorios-autopartes", 0.04),
    ("robo-motos", 0.03),
    ("robo-carros", 0.02),
    ("robo-ejes-viales", 0.005),
    ("homicidio-intencional", 0.003),
    ("contravenciones", 0.12),
    ("violencia-mujer-familia", 0.19),
    ("ecu911-seguridad-ciudadana", 0.12),
    ("ecu911-gestion-sanitaria", 0.09),
    ("ecu911-transito-movilidad", 0.07),
    ("ecu911-gestion-riesgos", 0.015),
    ("ecu911-servicios-municipales", 0.015),
    ("ecu911-gestion-siniestros", 0.012),
]


@dataclass
class Synthetic:
    """The drawn incidents (all arrays of the same length, in reference order) and which are kept."""

    lon: np.ndarray
    lat: np.ndarray
    ts: np.ndarray  # POSIX seconds, whole minutes
    category: np.ndarray  # category codes
    hotspot: np.ndarray  # bool: drawn around an anchor (or a near repeat)
    dropped: np.ndarray  # bool: thinned away near a reactivated camera

    def __len__(self) -> int:
        return len(self.lon)


def day_start_timestamp(day: date) -> float:
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo("America/Guayaquil")).timestamp()


def _categories(rng, n, shares):
    codes = np.array([c for c, _s in shares])
    p = np.array([s for _c, s in shares], dtype=float)
    return codes[rng.choice(len(codes), size=n, p=p / p.sum())]


def generate(
    *, anchors, urban_centres, rural_centres, views=(), seed: int = SEED, n: int = N, drop: float = CAMERA_DROP
) -> Synthetic:
    """Draw the demo's incidents (see the module's docstring). `anchors`, `urban_centres`, `rural_centres`:
    (k, 2) arrays of lon, lat; `views`: (shapely polygon in lon/lat, POSIX seconds since when its camera works)
    pairs. No database: the same arguments give the same incidents."""
    import shapely

    from analysis.io import to_lonlat, to_metres
    from analysis.synthetic import events

    days = float((END - START).days)
    anchors = np.asarray(anchors, dtype=float).reshape(-1, 2)
    urban = np.asarray(urban_centres, dtype=float).reshape(-1, 2)
    rural = np.asarray(rural_centres, dtype=float).reshape(-1, 2)
    n_urban = int(round(n * URBAN_SHARE)) if len(rural) else n
    n_rural = n - n_urban
    ux, uy, _crs = to_metres(urban[:, 0], urban[:, 1], CRS)
    extent = (
        ux.min() - URBAN_MARGIN_M,
        uy.min() - URBAN_MARGIN_M,
        ux.max() + URBAN_MARGIN_M,
        uy.max() + URBAN_MARGIN_M,
    )
    ax, ay, _crs = to_metres(anchors[:, 0], anchors[:, 1], CRS) if len(anchors) else (None, None, CRS)
    city = events(
        n_urban,
        seed=seed,
        extent=extent,
        days=days,
        anchors=np.column_stack([ax, ay]) if len(anchors) else None,
        hotspot_share=HOTSPOT_SHARE if len(anchors) else 0.0,
        hotspot_sd=HOTSPOT_SD_M,
        repeat_share=REPEAT_SHARE,
        repeat_distance=REPEAT_DISTANCE_M,
        repeat_days=REPEAT_DAYS,
    )
    parts = [city]
    if n_rural:
        rx, ry, _crs = to_metres(rural[:, 0], rural[:, 1], CRS)
        margin = 5 * RURAL_SD_M
        parts.append(
            events(
                n_rural,
                seed=seed + 1,
                extent=(rx.min() - margin, ry.min() - margin, rx.max() + margin, ry.max() + margin),
                days=days,
                anchors=np.column_stack([rx, ry]),
                hotspot_share=1.0,
                hotspot_sd=RURAL_SD_M,
                repeat_share=0.05,
                repeat_distance=REPEAT_DISTANCE_M,
                repeat_days=REPEAT_DAYS,
            )
        )
    x = np.concatenate([p.x for p in parts])
    y = np.concatenate([p.y for p in parts])
    t = np.concatenate([p.t for p in parts])
    hotspot = np.concatenate([city.kind > 0] + [np.zeros(n_rural, dtype=bool)] * bool(n_rural))
    lon, lat = to_lonlat(x, y, CRS)
    ts = np.floor((day_start_timestamp(START) + t * 86400.0) / 60.0) * 60.0
    rng = np.random.default_rng(seed + 2)
    category = np.where(hotspot, _categories(rng, n, HOTSPOT_CATEGORIES), _categories(rng, n, DISPERSED_CATEGORIES))
    u = np.random.default_rng(seed + 3).uniform(size=n)
    seen = np.zeros(n, dtype=bool)
    for view, since in views:
        seen |= shapely.intersects_xy(view, lon, lat) & (ts >= since)
    return Synthetic(lon=lon, lat=lat, ts=ts, category=category, hotspot=hotspot, dropped=seen & (u < drop))


# --- the demo's inputs, from the database --------------------------------------------------------------------------


def anchor_points():
    """The centre (El Sagrario's centre), the markets and the parks, strongest first: (k, 2) lon, lat."""
    from centinela.territory.models import Parish, Place

    points = [(p.centre_lon, p.centre_lat) for p in Parish.objects.filter(code="110101") if p.centre_lon is not None]
    for kind in (Place.Kind.MARKET, Place.Kind.PARK):
        points += [(p.lon, p.lat) for p in Place.objects.filter(kind=kind).order_by("name")]
    return np.array(points, dtype=float).reshape(-1, 2)


def parish_centres(kind: str):
    from centinela.territory.models import Parish

    return np.array(
        [
            (p.centre_lon, p.centre_lat)
            for p in Parish.objects.filter(kind=kind).order_by("code")
            if p.centre_lon is not None
        ],
        dtype=float,
    ).reshape(-1, 2)


# Where the demo's incidents are thinned: functions returning (view sector, since) pairs, registered by the apps
# that know such views when they are ready (cameras: its reactivated cameras, `cameras.demo.camera_views`), so
# this app imports none of them.
VIEW_SOURCES: list = []


def demo_views() -> list:
    """(view sector, since) of every registered source, in registration order."""
    return [view for source in VIEW_SOURCES for view in source()]


def load_demo_incidents(*, seed: int = SEED, n: int = N) -> dict:
    """Create the demo's synthetic incidents (after the demo cameras, whose reactivations thin them), then announce
    them (incidents_created: the cameras app links them to the cameras that saw them). Safe to re-run."""
    from django.db import transaction

    from centinela.incidents.importer import locate_ids
    from centinela.incidents.models import Category, Incident, Source
    from centinela.incidents.profiles import ensure_shipped_profiles
    from centinela.incidents.selectors import SYNTHETIC_SOURCE
    from centinela.incidents.signals import incidents_created

    profiles = ensure_shipped_profiles()  # the ECU 911 and police import profiles, should a database lack them
    urban = parish_centres("urban")
    if not len(urban):
        return {"created": 0, "total": 0, "dropped_near_cameras": 0, "profiles_created": profiles}
    drawn = generate(
        anchors=anchor_points(),
        urban_centres=urban,
        rural_centres=parish_centres("rural"),
        views=demo_views(),
        seed=seed,
        n=n,
    )
    parish_ids, barrio_ids = locate_ids(drawn.lon, drawn.lat)
    keep = ~drawn.dropped & (parish_ids > 0)
    categories = dict(Category.objects.values_list("code", "id"))
    with transaction.atomic():
        source, _created = Source.objects.get_or_create(code=SYNTHETIC_SOURCE, defaults={"name": SOURCE_NAME})
        existing = set(Incident.objects.filter(source=source).values_list("source_ref", flat=True))
        objs = []
        reported_delay = np.random.default_rng(seed + 4).exponential(20.0, len(drawn))  # minutes to the report
        for i in np.flatnonzero(keep).tolist():
            ref = f"{REF_PREFIX}{i + 1:06d}"
            if ref in existing or drawn.category[i] not in categories:
                continue
            occurred = datetime.fromtimestamp(float(drawn.ts[i]), tz=_utc())
            objs.append(
                Incident(
                    source=source,
                    source_ref=ref,
                    occurred_at=occurred,
                    reported_at=occurred + timedelta(minutes=round(float(reported_delay[i]) + 1)),
                    category_id=categories[drawn.category[i]],
                    lon=round(float(drawn.lon[i]), 6),
                    lat=round(float(drawn.lat[i]), 6),
                    address=ADDRESS,
                    precision=Incident.Precision.EXACT,
                    parish_id=int(parish_ids[i]),
                    barrio_id=int(barrio_ids[i]) or None,
                    status=Incident.Status.VERIFIED,
                )
            )
        Incident.objects.bulk_create(objs, batch_size=BATCH)
        ids = [o.pk for o in objs]
        if objs and ids[0] is None:  # a backend that does not return ids: find them by reference
            refs = {o.source_ref for o in objs}
            ids = [
                pk for pk, ref in Incident.objects.filter(source=source).values_list("pk", "source_ref") if ref in refs
            ]
        if ids:
            incidents_created.send(sender=Incident, ids=ids)
    return {
        "created": len(objs),
        "total": Incident.objects.filter(source=source).count(),
        "dropped_near_cameras": int(drawn.dropped.sum()),
        "profiles_created": profiles,
    }


def _utc():

    return UTC
