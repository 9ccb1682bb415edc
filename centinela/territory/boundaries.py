"""Importing parish or barrio boundaries from GeoJSON, zipped Shapefile or GeoPackage (read with pyogrio).

Any CRS is reprojected to WGS84 (Ecuadorian data often comes in UTM 17S, EPSG:32717). Invalid polygons are
repaired with `make_valid` when that yields polygons, and rejected otherwise, naming the feature.
Existing areas are updated in place by code, so everything linked to them stays linked.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio
import shapely
from django.utils.translation import gettext as _
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from centinela.lib.archives import UnsafeArchive, check_zip, is_zip
from centinela.lib.import_views import RejectedRows, file_download, rejected_name
from centinela.lib.imports import Importer, Problem, Row
from centinela.lib.tables import UnreadableTable
from centinela.territory import geometry, selectors
from centinela.territory.models import Barrio, Canton, GeometrySource, Parish, Place, StreetSegment


def _collapsed(geom) -> bool:
    """A polygon whose area is nothing next to its extent (all points on a line) is not an area."""
    return geom.area <= 1e-9 * max(geom.envelope.area, geom.length**2)


LINES = ("LineString", "MultiLineString")
POLYGONS = ("Polygon", "MultiPolygon")


class _Unreadable(Exception):
    """The file as a whole cannot be read: its problems (no row of it is checked)."""

    def __init__(self, path: Path, *messages: str):
        super().__init__(*messages)
        self.problems = [Problem(None, path.name, message) for message in messages]


def _read(path: Path, name_field: str, code_field: str, *, kinds=POLYGONS) -> tuple[list[Row], list[Problem]]:
    """Features of a spatial file as rows in WGS84; `kinds`: the geometry types accepted (polygons for areas,
    lines for street segments). Polygons are repaired or rejected; lines must have a length."""
    path = Path(path)
    try:
        fields, wkb, values, transformer = _open(path, name_field, code_field)
    except _Unreadable as exc:
        return [], exc.problems
    names = values[fields.index(name_field)]
    codes = values[fields.index(code_field)]
    rows, problems = [], []
    for i, blob in enumerate(wkb):
        number = i + 1
        name, code, label = _name_and_code(number, names[i], codes[i], name_field, code_field, problems)
        geom = _geometry(number, label, blob, kinds, transformer, problems)
        if geom is None:
            continue
        row = Row(number, label, {"name": name, "code": code, "geometry": geom})
        if _shape_checked(row, kinds, problems):
            rows.append(row)
    return rows, problems


def _open(path: Path, name_field: str, code_field: str):
    """The file's fields, geometries (WKB) and values, and the transformer to WGS84 (None when already in it);
    raises _Unreadable when the file is missing, unsafe, unreadable, without the two fields or without a known CRS."""
    if not path.exists():
        raise _Unreadable(path, _("The file does not exist."))
    try:
        if is_zip(path):  # a zipped Shapefile: refused before GDAL expands it when it is a zip bomb
            check_zip(path)
    except UnsafeArchive as exc:
        raise _Unreadable(path, _("The file cannot be read: %(e)s.") % {"e": exc}) from exc
    try:
        info = pyogrio.read_info(path)
        meta, _fids, wkb, values = pyogrio.raw.read(path)
    except Exception as exc:  # pyogrio raises several DataSourceError kinds; all mean "cannot read this file"
        raise _Unreadable(
            path, _("The file cannot be read as GeoJSON, Shapefile or GeoPackage: %(e)s") % {"e": exc}
        ) from exc
    fields = list(meta["fields"])
    missing = [f for f in (name_field, code_field) if f not in fields]
    if missing:
        raise _Unreadable(
            path,
            *(_("Field %(f)s is missing; the file has: %(all)s") % {"f": f, "all": ", ".join(fields)} for f in missing),
        )
    return fields, wkb, values, _to_wgs84(path, info)


def _to_wgs84(path: Path, info: dict) -> Transformer | None:
    """The transformer from the file's CRS to WGS84; None when the file is in WGS84 already."""
    if not info.get("crs"):
        raise _Unreadable(path, _("The file does not say its coordinate reference system (CRS)."))
    try:
        source_crs = CRS.from_user_input(info["crs"])
    except CRSError as exc:
        raise _Unreadable(path, _("Unknown coordinate reference system: %(crs)s") % {"crs": info["crs"]}) from exc
    if source_crs.equals(CRS.from_epsg(4326), ignore_axis_order=True):
        return None
    return Transformer.from_crs(source_crs, 4326, always_xy=True)


def _name_and_code(number: int, raw_name, raw_code, name_field: str, code_field: str, problems: list[Problem]):
    """A feature's name, code and the label it is shown by; an empty name or code is a problem of the feature."""
    name = "" if raw_name is None else str(raw_name).strip()
    code = "" if raw_code is None else str(raw_code).strip()
    label = name or code or _("feature %(n)s") % {"n": number}
    if not name:
        problems.append(Problem(number, label, _("The name field (%(f)s) is empty.") % {"f": name_field}))
    if not code:
        problems.append(Problem(number, label, _("The code field (%(f)s) is empty.") % {"f": code_field}))
    return name, code, label


def _geometry(number: int, label: str, blob, kinds, transformer: Transformer | None, problems: list[Problem]):
    """A feature's geometry in WGS84, or None (and a problem) when it is empty, of another kind or not numbers."""
    geom = shapely.from_wkb(blob) if blob is not None else None
    if geom is None or geom.is_empty:
        problems.append(Problem(number, label, _("The geometry is empty.")))
        return None
    if geom.geom_type not in kinds:
        expected = _("a polygon") if kinds == POLYGONS else _("a line")
        problems.append(
            Problem(number, label, _("The geometry is a %(t)s, not %(e)s.") % {"t": geom.geom_type, "e": expected})
        )
        return None
    if not np.isfinite(shapely.get_coordinates(geom)).all():
        problems.append(
            Problem(number, label, _("The geometry has coordinates that are not numbers (NaN or infinite)."))
        )
        return None
    if transformer is not None:
        geom = _reproject(geom, transformer)
    return geom


def _shape_checked(row: Row, kinds, problems: list[Problem]) -> bool:
    """Whether the row's geometry is a shape to keep: a line with a length; a valid polygon with an area, or one
    repaired into one (the row's geometry replaced, the repair noted); in longitude/latitude once reprojected."""
    number, label, geom = row.number, row.label, row.data["geometry"]
    if kinds == LINES:
        if geom.length <= 0:
            problems.append(Problem(number, label, _("The line has no length.")))
            return False
    elif not geom.is_valid or _collapsed(geom):
        # Repair what make_valid can turn into polygons (self-touching rings, bow-ties, wrong orientation);
        # reject what collapses (zero area) so a broken feature is never silently dropped or shrunk to nothing.
        reason = shapely.is_valid_reason(geom) if not geom.is_valid else _("zero area")
        repaired = geometry.polygonal_part(shapely.make_valid(geom))
        if repaired is None or _collapsed(repaired):
            problems.append(
                Problem(number, label, _("Invalid polygon that cannot be repaired (%(r)s).") % {"r": reason})
            )
            return False
        row.data["geometry"] = repaired
        row.notes.append(_("repaired: %(r)s") % {"r": reason})
    minx, miny, maxx, maxy = row.data["geometry"].bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        problems.append(
            Problem(number, label, _("The coordinates are not longitude/latitude after reprojection; check the CRS."))
        )
        return False
    return True


def _reproject(geom, transformer: Transformer):
    def to_wgs84(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(transformer.transform(coords[:, 0], coords[:, 1]))

    return shapely.transform(geom, to_wgs84)


def relocate_places() -> int:
    """After boundaries change, each place moves to the parish and barrio that now hold its point."""
    places = list(Place.objects.only("id", "lon", "lat", "parish_id", "barrio_id"))
    if not places:
        return 0
    parish_ids, barrio_ids = selectors.locate_ids([p.lon for p in places], [p.lat for p in places])
    changed = []
    for place, parish_id, barrio_id in zip(places, parish_ids.tolist(), barrio_ids.tolist()):
        parish_id, barrio_id = parish_id or None, barrio_id or None
        if (place.parish_id, place.barrio_id) != (parish_id, barrio_id):
            place.parish_id, place.barrio_id = parish_id, barrio_id
            changed.append(place)
    Place.objects.bulk_update(changed, ["parish", "barrio"])
    if changed:  # bulk_update sends no signals: the map layers (territory.cache) learn of it here
        from centinela.territory import cache

        cache.changed()
    return len(changed)


def _duplicates(rows: list[Row]) -> list[Problem]:
    seen: dict[str, int] = {}
    problems = []
    for row in rows:
        code = row.data["code"]
        if code in seen:
            problems.append(
                Problem(
                    row.number,
                    row.label,
                    _("Code %(c)s is repeated (also in row %(n)s).") % {"c": code, "n": seen[code]},
                )
            )
        else:
            seen[code] = row.number
    return problems


class BoundaryImporter(Importer):
    """Features of a spatial file, matched by code: `name_field` and `code_field` name the file's fields, `kinds` the
    geometry types accepted, `model` the table updated (in place, by code, so links stay). A code twice in the file
    is a problem; then each row is checked by `validate_row`."""

    kinds = POLYGONS
    model: type[Barrio] | type[Parish] | type[StreetSegment]

    def __init__(self, name_field: str, code_field: str, *, skip: frozenset[int] = frozenset()):
        super().__init__(skip=skip)
        self.name_field, self.code_field = name_field, code_field

    def parse(self, path):
        """The features; a feature the user chose to leave out (`skip`) is left out with the problems reading it
        found (lib.imports's `without` drops it from the rows)."""
        rows, problems = _read(path, self.name_field, self.code_field, kinds=self.kinds)
        return rows, [p for p in problems if p.row is None or p.row not in self.skip]

    def audit_target(self):
        return self.model  # a file changes many areas: the entry names their model and the file

    def validate(self, rows):
        return _duplicates(rows) + super().validate(rows)

    def preview(self, rows):
        existing = set(
            self.model.objects.filter(code__in=[r.data["code"] for r in rows]).values_list("code", flat=True)
        )
        return {
            "update": len(existing),
            "create": len(rows) - len(existing),
            "repaired": sum(bool(r.notes) for r in rows),
        }


class ParishImporter(BoundaryImporter):
    """`allow_create=False` (a user who may change parishes but not add them): a code not yet known is a problem."""

    model = Parish

    def __init__(
        self, name_field: str, code_field: str, *, allow_create: bool = True, skip: frozenset[int] = frozenset()
    ):
        super().__init__(name_field, code_field, skip=skip)
        self.allow_create = allow_create

    def validate(self, rows):
        problems = super().validate(rows)
        if not Canton.objects.exists():
            problems.append(Problem(None, "", _("Load the canton first (manage.py load_demo or a gazetteer).")))
        return problems

    def prepare(self, rows):
        self.known = None if self.allow_create else set(Parish.objects.values_list("code", flat=True))

    def validate_row(self, row):
        if self.known is not None and row.data["code"] not in self.known:
            yield (
                _("Code %(c)s is not a parish of the canton; only administrators add parishes.")
                % {"c": row.data["code"]}
            )

    def apply(self, rows):
        canton = Canton.objects.first()
        counts = {"updated": 0, "created": 0}
        for row in rows:
            d = row.data
            parish = Parish.objects.filter(code=d["code"]).first()
            if parish is None:
                parish = Parish(code=d["code"], canton=canton, kind=_parish_kind(d["code"]))
                counts["created"] += 1
            else:
                counts["updated"] += 1
            parish.name = d["name"]
            _set_boundary(parish, d["geometry"])
            parish.save()
        counts["places_moved"] = relocate_places()
        return counts


def _parish_kind(code: str) -> str:
    # INEC DPA convention: parish digits 50 and above are the cabecera and rural parishes.
    return Parish.Kind.RURAL if code[-2:].isdigit() and int(code[-2:]) >= 50 else Parish.Kind.URBAN


class BarrioImporter(BoundaryImporter):
    """Barrios, each in the parish that holds its representative point."""

    model = Barrio

    def validate_row(self, row):
        rp = row.data["geometry"].representative_point()
        location = selectors.locate(rp.x, rp.y)
        if location.parish is None:
            yield _("The barrio lies outside every parish of the canton.")
        row.data["parish"] = location.parish

    def apply(self, rows):
        counts = {"updated": 0, "created": 0}
        for row in rows:
            d = row.data
            barrio = Barrio.objects.filter(code=d["code"]).first()
            if barrio is None:
                barrio = Barrio(code=d["code"])
                counts["created"] += 1
            else:
                counts["updated"] += 1
            barrio.name, barrio.parish = d["name"], d["parish"]
            _set_boundary(barrio, d["geometry"])
            barrio.save()
        counts["places_moved"] = relocate_places()
        return counts


def _set_boundary(area, geom) -> None:
    area.geometry = geom
    area.geometry_source = GeometrySource.OFFICIAL
    area.area_km2 = geometry.area_km2(geom)
    centre = geom.representative_point()
    if area.centre_lon is None:
        area.centre_lon, area.centre_lat = centre.x, centre.y


class StreetImporter(BoundaryImporter):
    """Street segments (lines) from the same kinds of file; updated by code, each placed in the parish that holds
    its midpoint."""

    kinds = LINES
    model = StreetSegment

    def validate_row(self, row):
        mid = row.data["geometry"].interpolate(0.5, normalized=True)
        row.data["parish"] = selectors.locate(mid.x, mid.y).parish
        if row.data["parish"] is None:
            yield _("The street lies outside every parish of the canton.")

    def preview(self, rows):
        return {**super().preview(rows), "repaired": 0}

    def apply(self, rows):
        counts = {"updated": 0, "created": 0}
        for row in rows:
            d = row.data
            segment = StreetSegment.objects.filter(code=d["code"]).first()
            counts["updated" if segment else "created"] += 1
            segment = segment or StreetSegment(code=d["code"])
            segment.name, segment.geometry, segment.parish = d["name"], d["geometry"], d["parish"]
            segment.length_m = geometry.length_m(d["geometry"])
            segment.save()
        return counts


# The entry points of the upload page, the job and the management commands.


def parish_importer(
    name_field: str, code_field: str, *, allow_create: bool = True, skip: frozenset[int] = frozenset()
) -> ParishImporter:
    return ParishImporter(name_field, code_field, allow_create=allow_create, skip=skip)


def barrio_importer(name_field: str, code_field: str, *, skip: frozenset[int] = frozenset()) -> BarrioImporter:
    return BarrioImporter(name_field, code_field, skip=skip)


def street_importer(name_field: str, code_field: str) -> StreetImporter:
    return StreetImporter(name_field, code_field)


def importer_for(params, user, *, skip: frozenset[int] = frozenset()):
    """The boundary importer a page or job asked for: parishes (new ones only for who may add them) or barrios;
    `skip`: the features the user chose to leave out (those the preview showed with problems)."""
    from centinela.accounts.permissions import can

    if params["level"] == "parish":
        return parish_importer(
            params["name_field"], params["code_field"], allow_create=can(user, "add", Parish), skip=skip
        )
    return barrio_importer(params["name_field"], params["code_field"], skip=skip)


GEOJSON_TYPE = "application/geo+json"


class RejectedFeatures(RejectedRows):
    """The rejected features of a boundary import handed back as a file the same import reads: a GeoJSON with each
    rejected feature as the user's file holds it (its attributes, its geometry, in the file's own CRS) and a reason
    field, numbered as `_read` numbers the features. Fixed in a GIS, it uploads again as it is: the import reads only
    its name and code fields, so the reason field is ignored. (A CSV or XLSX has no place for the geometry that
    most often needs the fixing.)"""

    formats = ("geojson",)
    kept_suffix = ".rejected.geojson"

    def keep(self, path, reasons, kept) -> bool:
        try:
            meta, _fids, wkb, values = pyogrio.raw.read(Path(path))
        except Exception:  # any file pyogrio cannot read has no features to hand back
            kept.unlink(missing_ok=True)
            return False
        numbers = [n for n in sorted(reasons) if 1 <= n <= len(wkb)]
        index = np.array([n - 1 for n in numbers], dtype=np.int64)
        fields = [str(f) for f in meta["fields"]]
        reason = str(_("reason"))
        while reason in fields:  # the user's file has a field of that name: theirs is kept as it is
            reason += "_"
        kept.unlink(missing_ok=True)  # GDAL does not overwrite a GeoJSON
        try:
            pyogrio.raw.write(
                str(kept),
                np.array([wkb[i] for i in index], dtype=object),
                [column[index] for column in values] + [np.array([reasons[n] for n in numbers], dtype=object)],
                fields=[*fields, reason],
                driver="GeoJSON",
                geometry_type="Unknown",
                crs=meta.get("crs"),
            )
        except Exception:  # a value GeoJSON cannot hold: no download rather than a broken one
            kept.unlink(missing_ok=True)
            return False
        return True

    def from_upload(self, path, reasons, fmt, filename):
        kept = Path(path).with_name(Path(path).stem + self.kept_suffix)  # beside the upload, removed with it
        if not self.keep(path, reasons, kept):
            raise UnreadableTable(Path(path).name)
        return self.from_kept(kept, fmt, filename)

    def from_kept(self, kept, fmt, filename):
        return file_download(kept, f"{rejected_name(filename)}.geojson", GEOJSON_TYPE)
