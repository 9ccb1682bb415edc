"""What the observatory's analyses read from the records: incidents as numpy arrays (in the user's scope, through
the one permission check), camera positions and views, candidate sites for new cameras, and the areas an impact
study compares. Everything comes out projected to metres (UTM 17S, EPSG:32717) with times in days, as the analysis
engine wants it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

import numpy as np
import shapely
from django.db.models import FloatField, Func, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from centinela.incidents.models import Incident
from centinela.incidents.selectors import SYNTHETIC_SOURCE, incidents_for, sees_exact_location

CRS = "EPSG:32717"  # UTM zone 17 south: Loja (and most of Ecuador's sierra)
DAY_S = 86400.0


@dataclass
class IncidentArrays:
    """Incidents as arrays: x, y in metres (EPSG:32717), t in days since 1970-01-01 UTC, lon/lat as stored."""

    x: np.ndarray
    y: np.ndarray
    t: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    synthetic: bool = False
    crs: str = CRS
    parish: np.ndarray | None = None  # parish ids (NaN: none), with incident_arrays(with_parish=True)
    # Whether these are the incidents' exact points (incidents.selectors.sees_exact_location; else their barrios'
    # centres, see incident_arrays): only then are they handed out as points (running.points_layer)
    exact: bool = True

    def __len__(self) -> int:
        return int(self.x.size)

    def between(self, start: date, end: date) -> IncidentArrays:
        """The incidents of the local dates start..end (both included)."""
        lo, hi = day_number(start), day_number(end, end_of_day=True)
        keep = (self.t >= lo) & (self.t < hi)
        return IncidentArrays(
            self.x[keep],
            self.y[keep],
            self.t[keep],
            self.lon[keep],
            self.lat[keep],
            self.synthetic,
            self.crs,
            exact=self.exact,
        )


def _aware(d: date, *, end_of_day: bool = False) -> datetime:
    moment = datetime.combine(d, time.max if end_of_day else time.min)
    return timezone.make_aware(moment)


def day_number(d: date, *, end_of_day: bool = False) -> float:
    """A local date (America/Guayaquil) as days since the epoch, as `t` counts them; the end of the day is the
    start of the next one, so periods are half-open."""
    if end_of_day:
        return _aware(d).timestamp() / DAY_S + 1.0
    return _aware(d).timestamp() / DAY_S


def filtered_incidents(
    user, *, start: date | None = None, end: date | None = None, categories=(), group: str = "", parishes=()
):
    """The incidents a user may see, narrowed by dates (local, both included), categories (ids or codes; a
    category includes its sub-categories), a category group and parishes. Discarded reports never count."""
    qs = incidents_for(user).select_related(None).exclude(status=Incident.Status.DISCARDED)
    if start:
        qs = qs.filter(occurred_at__gte=_aware(start))
    if end:
        qs = qs.filter(occurred_at__lte=_aware(end, end_of_day=True))
    if categories:
        ids = [int(c) for c in categories]
        qs = qs.filter(_category_q(ids))
    if group:
        qs = qs.filter(category__group=group)
    if parishes:
        qs = qs.filter(parish_id__in=[int(p) for p in parishes])
    return qs


def _category_q(ids):
    return Q(category_id__in=ids) | Q(category__parent_id__in=ids)


class EpochDays(Func):
    """A date-time as days since 1970-01-01 UTC, computed by the database (no datetime object per row)."""

    output_field = FloatField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django keeps aware date-times in SQLite as UTC text, which julianday() reads
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s) - 2440587.5)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="(CAST(EXTRACT(EPOCH FROM %(expressions)s) AS double precision) / 86400.0)",
            **extra,
        )


FAST_VENDORS = {"sqlite", "postgresql"}


def _centre_of(axis: str) -> Coalesce:
    """An incident's barrio's centre (`axis`: lon or lat), its parish's when it has no barrio."""
    return Coalesce(f"barrio__centre_{axis}", f"parish__centre_{axis}")


def incident_arrays(user, *, with_parish: bool = False, **filters) -> IncidentArrays:
    """`filtered_incidents` straight into numpy: one values_list query of plain numbers (the database turns the
    date-times into days), read in blocks, no model instances. `with_parish`: also each incident's parish id.

    For a user who may not read incidents' exact points (a parish president, incidents.selectors
    .sees_exact_location) each incident stands at its barrio's centre (its parish's without a barrio), as on their
    incident map: an analysis is a function of its points, and with a grid of 2 m cells or a 2 m bandwidth it hands
    them back (a cell of one incident where it happened), whatever the result shows."""
    from django.db import connection

    exact = sees_exact_location(user)
    qs = filtered_incidents(user, **filters).order_by()
    extra = ("parish_id",) if with_parish else ()
    width = 3 + len(extra)
    lon_of, lat_of = ("lon", "lat") if exact else (_centre_of("lon"), _centre_of("lat"))
    if connection.vendor in FAST_VENDORS:
        rows = qs.values_list(lon_of, lat_of, EpochDays("occurred_at"), *extra)
        scale = 1.0
    else:  # other databases: the date-times come back as objects
        rows = (
            (lon, lat, moment.timestamp(), *rest)
            for lon, lat, moment, *rest in qs.values_list(lon_of, lat_of, "occurred_at", *extra)
        )
        scale = DAY_S
    blocks, block = [], []
    iterator = rows.iterator(chunk_size=20_000) if hasattr(rows, "iterator") else rows
    for row in iterator:
        block.append(row)
        if len(block) == 100_000:
            blocks.append(np.array(block, dtype=float))
            block = []
    if block or not blocks:
        blocks.append(np.array(block, dtype=float).reshape(-1, width))
    data = np.concatenate(blocks)
    lon, lat, t = data[:, 0].copy(), data[:, 1].copy(), data[:, 2] / scale
    x, y = project(lon, lat)
    synthetic = qs.filter(source__code=SYNTHETIC_SOURCE).exists()
    return IncidentArrays(
        x,
        y,
        t,
        lon,
        lat,
        synthetic,
        parish=data[:, 3].copy() if with_parish else None,
        exact=exact,
    )


def parish_names(user) -> dict[int, str]:
    """{parish id: name} of the parishes the user may see."""
    from centinela.territory.selectors import parishes_for

    return {p.pk: p.name for p in parishes_for(user)}


def project(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    from analysis.io import to_metres

    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    if lon.size == 0:
        return np.empty(0), np.empty(0)
    x, y, _crs = to_metres(lon, lat, CRS)
    return x, y


def to_metres_geometry(geom):
    """A lon/lat shapely geometry in metres (EPSG:32717)."""
    from pyproj import Transformer

    transformer = Transformer.from_crs("EPSG:4326", CRS, always_xy=True)
    return shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def to_lonlat_geometry(geom):
    from pyproj import Transformer

    transformer = Transformer.from_crs(CRS, "EPSG:4326", always_xy=True)
    return shapely.transform(geom, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


# --- cameras ------------------------------------------------------------------------------------------------------


@dataclass
class Cameras:
    """Cameras in metres: positions, views (shapely polygons in metres) and codes."""

    ids: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    x: np.ndarray = field(default_factory=lambda: np.empty(0))
    y: np.ndarray = field(default_factory=lambda: np.empty(0))
    views: list = field(default_factory=list)
    lonlat: list[tuple[float, float]] = field(default_factory=list)


def cameras(user, *, ids=None, working_only: bool = True) -> Cameras:
    """The cameras a user may see (or those of `ids`): in service only by default (planned, abandoned and
    decommissioned cameras watch nothing)."""
    from centinela.cameras.selectors import devices_for, position, status_of, view_of

    qs = devices_for(user)
    if ids:
        qs = qs.filter(pk__in=[int(i) for i in ids])
    out = Cameras()
    for device in qs.order_by("code"):
        if working_only and status_of(device) == "inactive":
            continue
        lon, lat = position(device)
        if lon is None or lat is None:
            continue
        out.ids.append(device.pk)
        out.codes.append(device.code)
        out.lonlat.append((lon, lat))
        out.views.append(to_metres_geometry(view_of(device)))
    if out.lonlat:
        out.x, out.y = project([p[0] for p in out.lonlat], [p[1] for p in out.lonlat])
    return out


def camera_choices(user):
    from centinela.cameras.selectors import devices_for

    return [
        (d.pk, f"{d.code} · {d.name}")
        for d in devices_for(user).select_related(None).only("code", "name").order_by("code")
    ]


# --- areas ---------------------------------------------------------------------------------------------------------


def urban_area(user):
    """The urban area the user may look at, in lon/lat: the union of the urban parishes in their scope (a parish
    president: their own parish, whatever its kind)."""
    from centinela.territory.models import Parish
    from centinela.territory.selectors import parishes_for

    parishes = list(parishes_for(user).exclude(geometry=None))
    urban = [p.geometry for p in parishes if p.kind == Parish.Kind.URBAN] or [p.geometry for p in parishes]
    return shapely.union_all(urban) if urban else None


def study_area(user, parish_ids=()):
    """The land an analysis covers, in metres: the chosen parishes, or every parish in the user's scope."""
    from centinela.territory.selectors import parishes_for

    qs = parishes_for(user).exclude(geometry=None)
    if parish_ids:
        qs = qs.filter(pk__in=[int(i) for i in parish_ids])
    geoms = [p.geometry for p in qs]
    return to_metres_geometry(shapely.union_all(geoms)) if geoms else None


def parish_area(user, parish_ids):
    from centinela.territory.selectors import parishes_for

    geoms = [p.geometry for p in parishes_for(user).filter(pk__in=[int(i) for i in parish_ids]).exclude(geometry=None)]
    return shapely.union_all(geoms) if geoms else None


def barrio_area(user, barrio_ids):
    from centinela.territory.selectors import barrios_for

    geoms = [b.geometry for b in barrios_for(user).filter(pk__in=[int(i) for i in barrio_ids]).exclude(geometry=None)]
    return shapely.union_all(geoms) if geoms else None


# --- candidate sites for new cameras ---------------------------------------------------------------------------


def candidate_sites(user, *, spacing: float = 150.0, near_x=None, near_y=None, reach: float | None = None):
    """Where a new camera could go: the gazetteer's places (markets, parks, schools... in the user's scope) plus
    a regular grid of points every `spacing` metres over the urban area. With `near_x/near_y/reach`, grid points
    farther than `reach` from every incident are dropped (a camera there would watch nothing). Returns
    (x, y, labels) in metres."""
    from centinela.territory.selectors import places_for

    xs, ys, labels = [], [], []
    places = list(places_for(user).order_by("name"))
    if places:
        px, py = project([p.lon for p in places], [p.lat for p in places])
        xs.extend(px.tolist())
        ys.extend(py.tolist())
        labels.extend(p.name for p in places)
    area = urban_area(user)
    if area is not None:
        metric = to_metres_geometry(area)
        minx, miny, maxx, maxy = metric.bounds
        gx, gy = np.meshgrid(np.arange(minx + spacing / 2, maxx, spacing), np.arange(miny + spacing / 2, maxy, spacing))
        gx, gy = gx.ravel(), gy.ravel()
        inside = shapely.contains_xy(metric, gx, gy)
        gx, gy = gx[inside], gy[inside]
        if near_x is not None and len(near_x) and reach:
            from scipy.spatial import cKDTree

            dist, _ = cKDTree(np.column_stack([near_x, near_y])).query(
                np.column_stack([gx, gy]), distance_upper_bound=reach
            )
            keep = np.isfinite(dist)
            gx, gy = gx[keep], gy[keep]
        xs.extend(gx.tolist())
        ys.extend(gy.tolist())
        labels.extend(f"grid {int(a)},{int(b)}" for a, b in zip(gx, gy))
    return np.asarray(xs, dtype=float), np.asarray(ys, dtype=float), labels
