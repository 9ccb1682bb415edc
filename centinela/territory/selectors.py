"""Reading the territory: scoped lists, the locate index, GeoJSON for maps and the API."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass

import numpy as np
from django.db.models import Count, F, Max
from django.urls import reverse
from django.utils.translation import gettext as _

from analysis.spatial import AreaIndex
from centinela.accounts.permissions import scope
from centinela.lib.choices import display
from centinela.lib.search import fold, matches
from centinela.territory import geometry
from centinela.territory.models import Barrio, Canton, Parish, Place, StreetSegment


def parishes_for(user, *, search: str = "", kind: str = ""):
    qs = (
        scope(user, Parish.objects.select_related("canton"))
        .annotate(barrio_count=Count("barrios", distinct=True), place_count=Count("places", distinct=True))
        .order_by("name")
    )  # Meta.ordering is not applied to aggregated queries
    if search:
        qs = qs.filter(matches(("name", "code", "seat"), search))
    if kind:
        qs = qs.filter(kind=kind)
    return qs


# Through a barrio or a place, pages and maps show the names of its parish and barrio, never their boundaries: those
# are not read (parsing them for every row was a good part of the lists' and maps' time; read when asked, all the same).
def barrios_for(user):
    return scope(user, Barrio.objects.select_related("parish").defer("parish__geometry"))


def places_for(user):
    return scope(user, Place.objects.select_related("parish", "barrio").defer("parish__geometry", "barrio__geometry"))


def place_rows_for(user):
    """The place list's rows (page and export): a place's parish and barrio names as columns of its own row, not as
    two model instances more per row (columns.PLACE reads them)."""
    return place_rows(listed_places(user))


def listed_places(user):
    """The places the list counts and filters (its rows add place_rows)."""
    return scope(user, Place.objects.all())


def place_rows(queryset):
    """What the list's rows read beyond a place's own columns (lib.views.list_view applies it to the page and exports
    only: the count of records joins nothing)."""
    return queryset.annotate(parish_name=F("parish__name"), barrio_name=F("barrio__name"))


# --- locate ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    parish: Parish | None
    barrio: Barrio | None


@dataclass(frozen=True)
class _Snapshot:
    version: tuple
    parish_ids: np.ndarray
    parishes: AreaIndex | None
    barrio_ids: np.ndarray
    barrios: AreaIndex | None


class _Indexes:
    """Parish and barrio indexes, rebuilt when an area changes (the version is a cheap aggregate query). A rebuild
    makes a new immutable snapshot and swaps one reference, so a reader never sees ids of one version with the
    index of another."""

    def __init__(self):
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None

    @staticmethod
    def _current_version():
        p = Parish.objects.aggregate(n=Count("id"), t=Max("updated_at"))
        b = Barrio.objects.aggregate(n=Count("id"), t=Max("updated_at"))
        return (p["n"], p["t"], b["n"], b["t"])

    def get(self) -> _Snapshot:
        version = self._current_version()
        snapshot = self._snapshot
        if snapshot is not None and snapshot.version == version:
            return snapshot
        with self._lock:
            if self._snapshot is None or self._snapshot.version != version:
                self._snapshot = self._build(version)
            return self._snapshot

    @staticmethod
    def _build(version) -> _Snapshot:
        def load(model):
            rows = list(model.objects.exclude(geometry=None).values_list("id", "geometry"))
            ids = np.array([pk for pk, _ in rows], dtype=np.int64)
            return ids, (AreaIndex([geom for _, geom in rows]) if rows else None)

        parish_ids, parishes = load(Parish)
        barrio_ids, barrios = load(Barrio)
        return _Snapshot(version, parish_ids, parishes, barrio_ids, barrios)


_indexes = _Indexes()


def locate_ids(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """Bulk form: parish and barrio ids (0 where none) for arrays of lon and lat."""
    idx = _indexes.get()
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)

    def ids_of(index, ids):
        if index is None or len(index) == 0:
            return np.zeros(lon.shape[0], dtype=np.int64)
        found = index.locate_many(lon, lat).index
        return np.where(found >= 0, ids[np.maximum(found, 0)], 0)

    return ids_of(idx.parishes, idx.parish_ids), ids_of(idx.barrios, idx.barrio_ids)


def locate(lon: float, lat: float) -> Location:
    parish_ids, barrio_ids = locate_ids([lon], [lat])
    parish = Parish.objects.filter(pk=int(parish_ids[0])).first() if parish_ids[0] else None
    barrio = Barrio.objects.filter(pk=int(barrio_ids[0])).first() if barrio_ids[0] else None
    return Location(parish, barrio)


def canton() -> Canton | None:
    return Canton.objects.first()


def in_canton(lon: float, lat: float) -> bool:
    c = canton()
    if c is None or c.outline is None:
        return True  # nothing to check against yet
    return bool(c.outline.buffer(0.001).intersects(geometry.point(lon, lat)))


# --- GeoJSON -----------------------------------------------------------------------------------------------------


def _parish_features(parishes) -> list[dict]:
    return [
        geometry.feature(
            p.geometry,
            {
                "id": p.pk,
                "code": p.code,
                "name": p.name,
                "kind": p.kind,
                "kind_label": str(display(p, "kind")),
                "approximate": p.is_approximate,
                "area_km2": round(p.area_km2 or 0, 1),
                "url": reverse("territory:parish_detail", args=[p.pk]),
            },
        )
        for p in parishes
    ]


def _barrio_features(barrios) -> list[dict]:
    return [
        geometry.feature(
            b.geometry,
            {
                "id": b.pk,
                "code": b.code,
                "name": b.name,
                "parish": b.parish.name,
                "approximate": b.is_approximate,
                "url": reverse("territory:barrio_detail", args=[b.pk]),
            },
        )
        for b in barrios
    ]


def _place_features(places) -> list[dict]:
    return [
        geometry.feature(
            geometry.point(p.lon, p.lat),
            {
                "id": p.pk,
                "name": p.name,
                "kind": p.kind,
                "kind_label": str(display(p, "kind")),
                "parish": p.parish.name if p.parish else "",
                "barrio": p.barrio.name if p.barrio else "",
                "verified": p.location_verified,
                "url": reverse("territory:place_detail", args=[p.pk]),
            },
        )
        for p in places
    ]


def _all_layers() -> dict:
    """Every parish, barrio and place as features, in the order of their lists, whoever asks (see territory.cache)."""
    return {
        "parishes": _parish_features(Parish.objects.all()),
        "barrios": _barrio_features(Barrio.objects.select_related("parish").defer("parish__geometry")),
        "places": _place_features(
            Place.objects.select_related("parish", "barrio").defer("parish__geometry", "barrio__geometry")
        ),
    }


def _visible(user, model, features: list[dict]) -> list[dict]:
    """The features of the rows scope(user, ...) lets the user see, in the same order. scope() gives back the very
    queryset it was given when it restricts nothing (staff): then no query at all."""
    everything = model.objects.all()
    scoped = scope(user, everything)
    if scoped is everything:
        return features
    ids = set(scoped.values_list("pk", flat=True))
    return [f for f in features if f["properties"]["id"] in ids]


_MODELS = {"parishes": Parish, "barrios": Barrio, "places": Place}


def visible_features(user, layer: str) -> list[dict]:
    """The features of one layer ("parishes", "barrios" or "places") this user may see, from the layers kept for the
    territory's current version (shared between requests: not to be changed)."""
    from centinela.territory import cache

    return _visible(user, _MODELS[layer], cache.layers(_all_layers)[layer])


def parishes_geojson(user, queryset=None) -> dict:
    if queryset is None:
        return geometry.feature_collection(visible_features(user, "parishes"))
    return geometry.feature_collection(_parish_features(queryset))


def barrios_geojson(user, queryset=None) -> dict:
    if queryset is None:
        return geometry.feature_collection(visible_features(user, "barrios"))
    return geometry.feature_collection(_barrio_features(queryset))


def places_geojson(user, queryset=None) -> dict:
    if queryset is None:
        return geometry.feature_collection(visible_features(user, "places"))
    return geometry.feature_collection(_place_features(queryset))


def counts(user) -> dict:
    """What the home page counts: the features of the map's layers the user sees (one reading for both)."""
    parishes = visible_features(user, "parishes")
    places = visible_features(user, "places")
    kinds = Counter(f["properties"]["kind"] for f in places)
    return {
        "parishes": len(parishes),
        "urban": sum(f["properties"]["kind"] == Parish.Kind.URBAN for f in parishes),
        "rural": sum(f["properties"]["kind"] == Parish.Kind.RURAL for f in parishes),
        "barrios": len(visible_features(user, "barrios")),
        "places": len(places),
        "places_by_kind": [{"kind": kind, "n": n} for kind, n in kinds.most_common()],
    }


def any_approximate(user) -> bool:
    return any(f["properties"]["approximate"] for f in visible_features(user, "parishes"))


def find_places(text: str, *, limit: int = 8) -> list[dict]:
    """Where a resident may be, by name (the public report page's search): barrios, parishes, named places and
    streets whose name holds the typed text, case- and accent-insensitive, names that start with it first. Each with
    a point to put on the map (a barrio's or parish's centre, a place's point, a street's middle) and what it is.
    Public data only: of the places, those marked public (the gazetteer's, and those staff chose), never a venue
    someone created in the app; nothing is returned under three letters."""
    text = " ".join((text or "").split())
    if len(text) < 3:
        return []
    starts = fold(text)
    found: list[dict] = []
    for rows, kind in (
        (Barrio.objects.filter(name__search=text, centre_lon__isnull=False).select_related("parish"), _("Barrio")),
        (Parish.objects.filter(name__search=text, centre_lon__isnull=False), _("Parish")),
        (Place.objects.filter(name__search=text, public=True).select_related("parish"), None),
    ):
        for row in rows.defer("geometry") if kind is not None else rows:
            lon = getattr(row, "centre_lon", None) if kind is not None else row.lon
            lat = getattr(row, "centre_lat", None) if kind is not None else row.lat
            parish = getattr(row, "parish", None)
            found.append(
                {
                    "name": row.name,
                    "kind": str(kind if kind is not None else row.get_kind_display()),
                    "parish": parish.name if parish is not None else "",
                    "lon": round(lon, 6),
                    "lat": round(lat, 6),
                }
            )
    streets: dict[str, dict] = {}
    for street in (
        StreetSegment.objects.filter(name__search=text).select_related("parish").order_by("name", "code")[:200]
    ):
        if street.name in streets or street.geometry is None:
            continue
        middle = street.geometry.interpolate(0.5, normalized=True)
        streets[street.name] = {
            "name": street.name,
            "kind": str(_("Street")),
            "parish": street.parish.name if street.parish_id else "",
            "lon": round(middle.x, 6),
            "lat": round(middle.y, 6),
        }
    found.extend(streets.values())
    found.sort(key=lambda f: (not fold(f["name"]).startswith(starts), fold(f["name"])))
    return found[:limit]
