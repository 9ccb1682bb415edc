"""Incident files (CSV/XLSX from ECU 911, the police, ...) through the one import pipeline, mapped by an
ImportProfile. Parishes and barrios are assigned in bulk; re-importing a file adds nothing (source + source_ref, or a
hash of the row when the source gives no id)."""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from centinela.lib.imports import Importer, Problem, Row, run_import
from centinela.lib.tables import normalise, read_rows
from centinela.incidents.models import Category, ImportProfile, Incident

FIELDS = ("source_ref", "occurred_at", "reported_at", "category", "lon", "lat", "address", "precision")
REQUIRED = ("occurred_at", "category", "lon", "lat")
BATCH = 5000
LOOKUP = 5000  # ids per IN (...) query: under SQLite's 32,766 variables


def _parse_datetime(text: str, fmt: str):
    text = text.strip()
    try:
        value = datetime.strptime(text, fmt) if fmt else None
    except ValueError:
        value = None
    if value is None:
        # ISO too: XLSX cells holding real dates reach us as "YYYY-MM-DD HH:MM" whatever the profile says
        value = datetime.fromisoformat(text.replace("T", " "))
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _number(text: str) -> float:
    return float(text.strip().replace(",", "."))


def row_hash(source_id: int, data: dict) -> str:
    key = "|".join(str(data.get(f) or "") for f in FIELDS)
    return hashlib.sha256(f"{source_id}|{key}".encode()).hexdigest()


def incident_importer(profile: ImportProfile) -> Importer:
    columns = {f: normalise(c) for f, c in profile.columns.items() if f in FIELDS and c}
    categories = {}
    for c in Category.objects.filter(active=True).only("id", "code", "name"):
        categories[c.code.lower()] = c.id
        categories[c.name.strip().lower()] = c.id
    mapped = {str(k).strip().lower(): str(v).strip().lower() for k, v in profile.category_values.items()}
    precisions = set(Incident.Precision.values)

    def parse(path):
        try:
            raw = read_rows(Path(path))
        except (ValueError, OSError) as exc:
            return [], [Problem(None, "", _("The file cannot be read as CSV or XLSX: %(e)s") % {"e": exc})]
        if not raw:
            return [], [Problem(None, "", _("The file has no rows."))]
        missing = [f for f in REQUIRED if f not in columns]
        absent = sorted({c for c in columns.values() if c not in raw[0][1]})
        problems = []
        if missing:
            problems.append(Problem(None, "", _("The profile does not map: %(f)s") % {"f": ", ".join(missing)}))
        if absent:
            problems.append(Problem(None, "", _("Columns not in the file: %(c)s") % {"c": ", ".join(absent)}))
        if problems:
            return [], problems
        rows = []
        for number, cells in raw:
            data = {f: cells.get(col, "").strip() for f, col in columns.items()}
            rows.append(Row(number=number, label=data.get("source_ref", ""), data=data))
        return rows, []

    def validate(rows):
        problems = []
        good = []
        for row in rows:
            d = row.data

            def bad(message):
                problems.append(Problem(row.number, row.label, message))

            empty = [f for f in REQUIRED if not d.get(f)]
            if empty:
                bad(_("Missing value: %(f)s") % {"f": ", ".join(empty)})
                continue
            try:
                d["_occurred"] = _parse_datetime(d["occurred_at"], profile.date_format)
            except ValueError:
                bad(_("Unparseable date: %(v)s") % {"v": d["occurred_at"]})
            d["_reported"] = None
            if d.get("reported_at"):
                try:
                    d["_reported"] = _parse_datetime(d["reported_at"], profile.date_format)
                except ValueError:
                    bad(_("Unparseable date: %(v)s") % {"v": d["reported_at"]})
            value = d["category"].strip().lower()
            d["_category"] = categories.get(mapped.get(value, value))
            if d["_category"] is None:
                bad(_("Unknown category: %(v)s") % {"v": d["category"]})
            try:
                d["_lon"], d["_lat"] = _number(d["lon"]), _number(d["lat"])
            except ValueError:
                bad(_("Coordinates are not numbers: %(lon)s, %(lat)s") % {"lon": d["lon"], "lat": d["lat"]})
                continue
            precision = (d.get("precision") or profile.default_precision or "exact").lower()
            if precision not in precisions:
                bad(_("Unknown precision: %(v)s") % {"v": precision})
            d["_precision"] = precision
            good.append(row)
        if good:
            # one bulk point-in-polygon for the whole file: a point in no parish is outside the canton
            parish_ids, barrio_ids = locate_ids([r.data["_lon"] for r in good], [r.data["_lat"] for r in good])
            check = has_parishes()
            for row, parish_id, barrio_id in zip(good, parish_ids.tolist(), barrio_ids.tolist()):
                row.data["_parish"], row.data["_barrio"] = parish_id or None, barrio_id or None
                if not parish_id and check:
                    d = row.data
                    problems.append(Problem(row.number, row.label, _(
                        "The point %(lon)s, %(lat)s is outside the canton (coordinates swapped?)"
                    ) % {"lon": d["lon"], "lat": d["lat"]}))
        seen = {}
        for row in rows:
            key = row.data.get("source_ref") or row_hash(profile.source_id, row.data)
            row.data["_hash"] = "" if row.data.get("source_ref") else key
            if key in seen and row.data.get("source_ref"):
                problems.append(Problem(row.number, row.label, _("Duplicate id in the file (also row %(n)s)")
                                        % {"n": seen[key]}))
            seen.setdefault(key, row.number)
        problems.sort(key=lambda p: p.row or 0)
        return problems

    cache = {}

    def _new(rows):
        # preview and apply both need the new rows: look them up once per list of rows
        if cache.get("rows") is not rows:
            cache["rows"], cache["new"] = rows, _lookup_new(rows)
        return cache["new"]

    def _lookup_new(rows):
        refs = {r.data["source_ref"] for r in rows if r.data.get("source_ref")}
        hashes = {r.data["_hash"] for r in rows if r.data["_hash"]}
        existing_refs, existing_hashes = set(), set()
        qs = Incident.objects.filter(source_id=profile.source_id)
        refs_list, hashes_list = list(refs), list(hashes)
        for i in range(0, len(refs_list), LOOKUP):
            existing_refs.update(qs.filter(source_ref__in=refs_list[i:i + LOOKUP])
                                 .values_list("source_ref", flat=True))
        for i in range(0, len(hashes_list), LOOKUP):
            existing_hashes.update(qs.filter(source_ref="", row_hash__in=hashes_list[i:i + LOOKUP])
                                   .values_list("row_hash", flat=True))
        new, seen_hashes = [], set()
        for r in rows:
            ref, h = r.data.get("source_ref"), r.data["_hash"]
            if ref and ref in existing_refs or h and (h in existing_hashes or h in seen_hashes):
                continue
            seen_hashes.add(h)
            new.append(r)
        return new

    def preview(rows):
        new = _new(rows)
        return {"rows": len(rows), "new": len(new), "already_imported": len(rows) - len(new),
                "without_parish": sum(1 for r in new if not r.data["_parish"])}

    def apply(rows):
        new = _new(rows)
        objs = (Incident(
            source_id=profile.source_id, source_ref=r.data.get("source_ref", ""), occurred_at=r.data["_occurred"],
            reported_at=r.data["_reported"], category_id=r.data["_category"], lon=r.data["_lon"],
            lat=r.data["_lat"], address=r.data.get("address", "")[:255], precision=r.data["_precision"],
            parish_id=r.data["_parish"], barrio_id=r.data["_barrio"], row_hash=r.data["_hash"],
        ) for r in new)
        batch = []
        for obj in objs:
            batch.append(obj)
            if len(batch) >= BATCH:
                Incident.objects.bulk_create(batch)
                batch = []
        if batch:
            Incident.objects.bulk_create(batch)
        return {"created": len(new), "already_imported": len(rows) - len(new)}

    return Importer(parse=parse, validate=validate, preview=preview, apply=apply)


def locate_ids(lon, lat):
    from centinela.territory.selectors import locate_ids as _locate

    return _locate(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


def has_parishes() -> bool:
    from centinela.territory.models import Parish

    return Parish.objects.exists()


def import_incidents(path, profile: ImportProfile, *, dry_run: bool = False):
    return run_import(incident_importer(profile), path, dry_run=dry_run)
