"""Reading citizen reports: the staff inbox (always through the one permission scope), a report's history, and the
reporter's view through the private link (public updates and status changes only, never an internal note)."""

from __future__ import annotations

import hashlib
import math
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Max, Min, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from centinela.accounts.models import Role, User
from centinela.accounts.permissions import can, can_see_personal_data, scope
from centinela.activities.models import Activity
from centinela.cameras.models import Device, Lifecycle
from centinela.incidents.selectors import sees_exact_location
from centinela.lib.disclosure import suppress
from centinela.participation.models import OPEN, Report, ReportCategory, ReportUpdate
from centinela.partners.models import Institution


def categories():
    """The categories a resident may choose (active ones, in the council's order)."""
    return ReportCategory.objects.filter(active=True).order_by("order", "name")


def reports_for(user):
    return scope(
        user,
        Report.objects.select_related("category", "parish", "barrio", "assigned_institution", "assigned_to").defer(
            "parish__geometry", "barrio__geometry"
        ),
    )


def report_by_token(token: str) -> Report | None:
    if not token or len(token) > 64:
        return None
    return (
        Report.objects.select_related("category", "parish", "barrio", "assigned_institution")
        .filter(token=token)
        .first()
    )


def history(report: Report):
    """Every update, oldest first (staff: the report's page)."""
    return ReportUpdate.objects.filter(report=report).select_related("author").order_by("created_at", "id")


def open_question(report: Report) -> ReportUpdate | None:
    """The council's latest question to the reporter, while it waits for an answer."""
    asked = ReportUpdate.objects.filter(report=report, question=True).order_by("-created_at", "-id").first()
    if asked is None or ReportUpdate.objects.filter(answers=asked).exists():
        return None
    return asked


def public_history(report: Report):
    """What the reporter reads: public updates, and the status changes of internal notes without their text."""
    rows = (
        ReportUpdate.objects.filter(report=report)
        .filter(Q(public=True) | ~Q(status_to=""))
        .order_by("created_at", "id")
    )
    return [
        {
            "at": u.created_at,
            "status_to": u.get_status_to_display() if u.status_to else "",
            "text": u.text if u.public else "",
            "by_reporter": u.by_reporter,
            "question": u.question,
            "answer": u.answers_id is not None,
        }
        for u in rows
    ]


def contact_of(user, report: Report) -> dict | None:
    """The reporter's contact for those who may see personal data (LOPDP); None for everyone else."""
    if not can_see_personal_data(user):
        return None
    return {
        "name": report.contact_name,
        "phone": report.contact_phone,
        "email": report.contact_email,
        "consent_at": report.consent_at,
    }


def institution_choices():
    return Institution.objects.filter(active=True).order_by("name")


def person_choices():
    """People a report may be assigned to: active council staff, parish presidents and liaisons."""
    return User.objects.filter(is_active=True, role__in=[r.value for r in Role]).order_by("first_name", "username")


# --- the public map, list and open data ------------------------------------------------------------------------

# Residents and the open data read a point rounded to 3 decimals (about 110 m in Loja), never the exact spot a
# neighbour tapped; staff read the exact point on the report's page and in the inbox's export.
PUBLIC_DECIMALS = 3


def public_reports():
    """Reports anyone may see: published by moderation and not merged into another report. No personal data is
    ever read from these rows by the public pages (see `public_row`)."""
    return (
        Report.objects.filter(published=True)
        .exclude(status=Report.Status.DUPLICATE)
        .select_related("category", "parish", "barrio")
        .defer("parish__geometry", "barrio__geometry", "contact_name", "contact_phone", "contact_email", "description")
    )


def public_points(queryset):
    """The reports shown one by one: those of categories that are not sensitive."""
    return queryset.filter(category__sensitive=False)


def public_point(report: Report) -> tuple[float, float]:
    return round(report.lon, PUBLIC_DECIMALS), round(report.lat, PUBLIC_DECIMALS)


def sensitive_period(date_from: date | None, date_to: date | None) -> tuple[date | None, date]:
    """The months the counts of sensitive reports cover for a filter's days: whole calendar months, from the first
    of `date_from`'s month to the end of `date_to`'s, and complete months only (until the end of last month). Half a
    month, or a month still filling up day by day, would let one count the reports of a single day (subtracting
    yesterday's figure from today's). Returns (first day of the first month or None: from the beginning, first day
    after the last month); an empty span when the first month is not complete yet."""
    this_month = timezone.localdate().replace(day=1)
    end = this_month
    if date_to is not None:
        end = min(end, _next_month(date_to.replace(day=1)))
    start = date_from.replace(day=1) if date_from is not None else None
    return start, end


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _local_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def sensitive_counts(filters: dict | None, *, k: int | None = None) -> dict:
    """Sensitive reports (drugs, violence) as counts per barrio and category, never as points: the barrio's own
    centre stands for them on the map (rows without a barrio count in their parish, without a point), with each
    parish's total and the canton's. `filters`: the public filter's cleaned data (None: an invalid filter, nothing).

    The rule of the incidents' open data (`lib.disclosure.suppress`, `OPEN_DATA_MIN_COUNT`): a count from 1 to k-1
    is never published, nor any count that the published totals would give back (complementary suppression); a
    hidden count is None. Counted over whole, complete months (`sensitive_period`) whatever their status, and the
    suppression is decided on the whole table (every barrio and sensitive category of the months): a filter by
    barrio or category shows part of that same table, never a smaller table whose own suppression would uncover
    a count the whole one hides."""
    k = settings.OPEN_DATA_MIN_COUNT if k is None else k
    invalid, filters = filters is None, filters or {}
    start, end = sensitive_period(filters.get("date_from"), filters.get("date_to"))
    last = (end - timedelta(days=1)).replace(day=1)
    result: dict = {"k": k, "first": start, "last": last, "rows": [], "parishes": [], "total": 0, "whole": True}
    if invalid or (start is not None and start >= end):
        return result
    reports = public_reports().filter(category__sensitive=True, created_at__lt=_local_start(end))
    if start is not None:
        reports = reports.filter(created_at__gte=_local_start(start))
    rows = (
        reports.values(
            "parish_id",
            "parish__name",
            "barrio_id",
            "barrio__name",
            "barrio__centre_lon",
            "barrio__centre_lat",
            "category_id",
            "category__name",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    blocks: dict = {}  # parish -> {(parish, barrio, category): count}
    for r in rows:
        blocks.setdefault(r["parish_id"], {})[(r["parish_id"], r["barrio_id"], r["category_id"])] = r["n"]
    hidden = suppress(blocks, k, root="canton")
    category, barrio = filters.get("category"), filters.get("barrio")
    cells = [
        {
            "barrio": r["barrio__name"] or "",
            "parish": r["parish__name"] or "",
            "category": r["category__name"],
            "count": None if (r["parish_id"], r["barrio_id"], r["category_id"]) in hidden else r["n"],
            "lon": r["barrio__centre_lon"] if r["barrio_id"] else None,
            "lat": r["barrio__centre_lat"] if r["barrio_id"] else None,
        }
        for r in rows
        if (category is None or r["category_id"] == category.pk) and (barrio is None or r["barrio_id"] == barrio.pk)
    ]
    cells.sort(key=lambda c: (c["parish"], c["barrio"], c["category"]))
    names = {r["parish_id"]: r["parish__name"] or "" for r in rows}
    # the totals are of the whole table: shown with it, not beside a part of it where they would read as its sum
    whole = category is None and barrio is None
    totals = [
        {"parish": names[p], "count": None if p in hidden else sum(cells_.values())} for p, cells_ in blocks.items()
    ]
    grand = sum(sum(cells_.values()) for cells_ in blocks.values())
    result.update(
        rows=cells,
        parishes=sorted(totals, key=lambda t: str(t["parish"])) if whole else [],
        total=(None if "canton" in hidden else grand) if whole else None,
        whole=whole,
    )
    return result


def public_row(report: Report) -> dict:
    lon, lat = public_point(report)
    return {
        "code": report.code,
        "category": report.category.name,
        "status": report.get_status_display(),
        "status_code": report.status,
        "date": timezone.localtime(report.created_at).date().isoformat(),
        "parish": report.parish.name if report.parish_id else "",
        "barrio": report.barrio.name if report.barrio_id else "",
        "text": report.public_text,
        "lon": lon,
        "lat": lat,
    }


# What the public pages read of a report, as plain values: the map, its list and the GeoJSON open data read
# thousands of rows, and model instances (with their category, parish and barrio) cost several times more.
PUBLIC_VALUES = (
    "code",
    "status",
    "created_at",
    "lon",
    "lat",
    "public_text",
    "category__name",
    "parish__name",
    "barrio__name",
)


def public_values(queryset):
    """The reports shown one by one (`public_points`), newest first, as tuples of PUBLIC_VALUES (public_row_of)."""
    return public_points(queryset).order_by("-created_at", "-id").values_list(*PUBLIC_VALUES)


def public_row_of(values: tuple, labels: dict | None = None) -> dict:
    """public_row for a tuple of `public_values` (`labels`: status -> label, read once by the caller)."""
    code, status, created_at, lon, lat, text, category, parish, barrio = values
    labels = labels or status_labels()
    return {
        "code": code,
        "category": category,
        "status": labels.get(status, status),
        "status_code": status,
        "date": timezone.localtime(created_at).date().isoformat(),
        "parish": parish or "",
        "barrio": barrio or "",
        "text": text,
        "lon": round(lon, PUBLIC_DECIMALS),
        "lat": round(lat, PUBLIC_DECIMALS),
    }


def status_labels() -> dict:
    return {value: str(label) for value, label in Report.Status.choices}


def sees_exact_point(user, report: Report) -> bool:
    """The exact point of a report: those who see incidents' exact points (staff and the institutions' liaisons,
    incidents.selectors.sees_exact_location) always; a parish president, who triages the reports of their parish,
    for every category but the sensitive ones (drugs, violence), whose point they read rounded as the public does."""
    return sees_exact_location(user) or not report.category.sensitive


def point_for(user, report: Report) -> tuple[float, float]:
    return (report.lon, report.lat) if sees_exact_point(user, report) else public_point(report)


def staff_geojson(user, report: Report) -> dict:
    """The report's point for its staff page's map: exact, or rounded (see sees_exact_point)."""
    lon, lat = point_for(user, report)
    properties = {**public_row(report), "lon": lon, "lat": lat}
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}
    return {"type": "FeatureCollection", "features": [feature]}


# The public map draws at most this many points (the latest of the filter), so it stays light on a phone and fast
# with thousands of reports; the list below it pages through all of them and the open data downloads them all.
MAP_POINTS = 300
MAP_TEXT_CHARS = 200  # a popup shows the start of the public text; the list and the open data carry all of it


def _point_feature(row: dict, text_chars: int | None = None) -> dict:
    lon, lat = row.pop("lon"), row.pop("lat")
    if text_chars is not None and len(row["text"]) > text_chars:
        row["text"] = row["text"][: text_chars - 1] + "…"
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": row}


def _count_features(counts: dict):
    for c in counts["rows"]:
        if c["lon"] is None or c["lat"] is None:
            continue
        yield {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [c["lon"], c["lat"]]},
            "properties": {
                "aggregated": True,
                "barrio": c["barrio"],
                "parish": c["parish"],
                "category": c["category"],
                "count": c["count"],  # None: hidden (sensitive_counts)
                "suppressed": c["count"] is None,
                "count_label": str(c["count"]) if c["count"] is not None else _("hidden count"),
                "month_from": counts["first"].strftime("%Y-%m") if counts["first"] else "",
                "month_to": counts["last"].strftime("%Y-%m"),
            },
        }


def public_features(queryset, counts: dict):
    """Every feature of the open data's GeoJSON, one at a time (the download is streamed): points of the reports
    that are not sensitive (rounded), then the counts of sensitive ones at their barrio's centre (`aggregated`,
    `counts`: sensitive_counts, small counts hidden)."""
    labels = status_labels()
    for values in public_values(queryset).iterator(chunk_size=2000):
        yield _point_feature(public_row_of(values, labels))
    yield from _count_features(counts)


def public_map_layer(queryset, counts: dict) -> dict:
    """The public map's layer: the latest MAP_POINTS points of the filter (`shown` of `total`) and every barrio
    count of sensitive reports."""
    labels = status_labels()
    points = public_values(queryset)
    features = [_point_feature(public_row_of(v, labels), MAP_TEXT_CHARS) for v in points[:MAP_POINTS]]
    shown = len(features)
    total = shown if shown < MAP_POINTS else points.count()
    features.extend(_count_features(counts))
    return {"type": "FeatureCollection", "features": features, "shown": shown, "total": total}


PUBLIC_PER_PAGE = 50
PUBLIC_CACHE_SECONDS = 60  # a change of a category (a name, the sensitive flag) shows within this time


def public_version() -> tuple:
    """What changes whenever the public pages would: the number of published reports and their latest change (a
    status, a text, publishing or merging one: every service saves `updated_at`). Reports filed but not yet
    published, 60 a minute at a busy time, leave it as it is."""
    v = Report.objects.filter(published=True).aggregate(n=Count("id"), t=Max("updated_at"))
    return v["n"], v["t"].isoformat() if v["t"] else ""


def public_cache_key(*parts) -> str:
    """A cache key of the public pages and open data: what they show (`parts`: the filter, the page...) under the
    reports' public version and the language."""
    described = repr((public_version(), translation.get_language(), *parts))
    return "participation:public:" + hashlib.sha256(described.encode()).hexdigest()


def public_page(queryset, counts_of, *, query: str, page_number) -> dict:
    """The public map page's data for a filter (`queryset`, described by `query`) and a page of its list: the map's
    layer (the latest MAP_POINTS points and the barrio counts, `counts_of()`), the list's rows and its pager. Kept in
    the cache under the reports' public version, so thousands of visitors on the same map do not each read the same
    rows again."""
    key = public_cache_key("page", query, str(page_number), MAP_POINTS)
    data = cache.get(key)
    if data is not None:
        return data
    counts = counts_of()
    page = Paginator(public_values(queryset), PUBLIC_PER_PAGE).get_page(page_number)
    labels = status_labels()
    layer = public_map_layer(queryset, counts)
    data = {
        "counts": counts,
        "rows": [public_row_of(values, labels) for values in page.object_list],
        "pager": {
            "count": page.paginator.count,
            "number": page.number,
            "num_pages": page.paginator.num_pages,
            "previous": page.previous_page_number() if page.has_previous() else None,
            "next": page.next_page_number() if page.has_next() else None,
        },
        "map_shown": layer.pop("shown"),
        "map_total": layer.pop("total"),
        "layer": layer,
    }
    cache.set(key, data, PUBLIC_CACHE_SECONDS)
    return data


def open311_requests(client=None):
    """The reports the Open311 API lists (`participation.open311`): the public ones but those of sensitive categories,
    and every report the given Open311 client filed itself (published or not, merged or not, sensitive or not),
    newest first. Never read for personal data. Sensitive reports (drugs, violence) reach the public only as counts
    per barrio over whole months, small ones hidden (`sensitive_counts`): one by one, even without point or text,
    their barrio and the second they were filed said who was there, and their codes can be tried."""
    visible = Q(published=True) & ~Q(status=Report.Status.DUPLICATE) & Q(category__sensitive=False)
    if client is not None:
        visible |= Q(open311_client=client)
    return (
        Report.objects.filter(visible)
        .select_related("category", "parish", "barrio", "assigned_institution")
        .defer(
            "parish__geometry",
            "barrio__geometry",
            "contact_name",
            "contact_phone",
            "contact_email",
            "description",
            "token",
        )
        .order_by("-created_at", "-id")
    )


# --- duplicates ------------------------------------------------------------------------------------------------

EARTH_RADIUS_M = 6_371_008.8


def metres_between(lon1, lat1, lon2, lat2) -> float:
    """Great-circle distance (haversine): exact enough for a few hundred metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def duplicate_candidates(user, report: Report, *, metres=None, days=None) -> list[tuple[Report, float]]:
    """Reports the user sees that may be the same problem: same category, not merged themselves, filed within
    PARTICIPATION_DUPLICATE_DAYS and PARTICIPATION_DUPLICATE_METRES of this one; nearest first, with the distance.
    A bounding box narrows the rows in the database, the exact distance is measured here."""
    metres = settings.PARTICIPATION_DUPLICATE_METRES if metres is None else metres
    days = settings.PARTICIPATION_DUPLICATE_DAYS if days is None else days
    dlat = metres / 111_320
    dlon = metres / (111_320 * max(0.01, math.cos(math.radians(report.lat))))
    window = timedelta(days=days)
    rows = (
        reports_for(user)
        .filter(
            category_id=report.category_id,
            created_at__gte=report.created_at - window,
            created_at__lte=report.created_at + window,
            lat__range=(report.lat - dlat, report.lat + dlat),
            lon__range=(report.lon - dlon, report.lon + dlon),
        )
        .exclude(pk=report.pk)
        .exclude(status=Report.Status.DUPLICATE)
    )
    found = [(r, metres_between(report.lon, report.lat, r.lon, r.lat)) for r in rows]
    return sorted([(r, d) for r, d in found if d <= metres], key=lambda pair: (pair[1], pair[0].pk))


def duplicates_of(report: Report):
    """The reports merged into this one."""
    return Report.objects.filter(duplicate_of=report, status=Report.Status.DUPLICATE).order_by("created_at", "id")


# --- the overdue board -----------------------------------------------------------------------------------------


def overdue_by_institution(user) -> list[dict]:
    """Reports the user sees that are past their category's time limit and not closed (`Report.overdue`: the limit
    counted in local days from the day received), by assigned institution (unassigned last), most overdue first.
    Only open reports older than the shortest time limit are read, so the database narrows the rows."""
    shortest = ReportCategory.objects.aggregate(n=Min("days_to_resolve"))["n"] or 1
    candidates = reports_for(user).filter(
        status__in=list(OPEN), created_at__lt=timezone.now() - timedelta(days=shortest)
    )
    today = timezone.localdate()
    groups: dict[int | None, dict] = {}
    for report in candidates:
        if not report.overdue:
            continue
        key = report.assigned_institution_id
        group = groups.setdefault(key, {"institution": report.assigned_institution, "reports": []})
        report.days_overdue = (today - report.due_on).days
        group["reports"].append(report)
    for group in groups.values():
        group["reports"].sort(key=lambda r: (-r.days_overdue, r.pk))
    return sorted(
        groups.values(),
        key=lambda g: (g["institution"] is None, g["institution"].name if g["institution"] else ""),
    )


# --- ties to cameras and activities (issue 12 item 6) -----------------------------------------------------------

NEARBY_CAMERAS = 20


def nearby_cameras(user, report: Report, limit: int = NEARBY_CAMERAS) -> list[tuple[Device, float]]:
    """The cameras the user sees that are not decommissioned, nearest to the report first, with the distance in
    metres: what triage offers for a "cámara dañada" report (any other is chosen by its code)."""
    rows = (
        scope(user, Device.objects.select_related("system__site"))
        .exclude(lifecycle=Lifecycle.DECOMMISSIONED)
        .defer("password_encrypted")
    )
    found = [(d, metres_between(report.lon, report.lat, d.system.site.lon, d.system.site.lat)) for d in rows]
    return sorted(found, key=lambda pair: (pair[1], pair[0].code))[:limit]


def cameras_for(user):
    """The cameras a user may name on a report in triage."""
    return scope(user, Device.objects.all()).exclude(lifecycle=Lifecycle.DECOMMISSIONED)


SUGGESTED_ACTIVITIES = 50
ACTIVITY_LOOKBACK_DAYS = 30


def activity_suggestions(user, report: Report, limit: int = SUGGESTED_ACTIVITIES):
    """Activities that may answer the report: those the user sees in its parish (any parish when it has none), not
    cancelled, from a month before it was received on; those in its barrio first, then by date."""
    qs = (
        scope(user, Activity.objects.all())
        .exclude(status=Activity.Status.CANCELLED)
        .exclude(pk__in=report.answered_by.values("pk"))
        .filter(starts_at__gte=report.created_at - timedelta(days=ACTIVITY_LOOKBACK_DAYS))
        .select_related("parish")
        .defer("parish__geometry")
    )
    if report.parish_id:
        qs = qs.filter(parish_id=report.parish_id)
    if report.barrio_id:
        qs = qs.annotate(in_barrio=Count("barrios", filter=Q(barrios=report.barrio_id))).order_by(
            "-in_barrio", "starts_at", "pk"
        )
    else:
        qs = qs.order_by("starts_at", "pk")
    return qs[:limit]


def visible_activities(user):
    return scope(user, Activity.objects.all())


def answering_activities(user, report: Report):
    """The activities linked as answering the report, those the user sees."""
    return scope(user, report.answered_by.all()).order_by("starts_at", "pk")


# --- the staff map layer ---------------------------------------------------------------------------------------


def staff_layer(user) -> dict | None:
    """The open citizen reports the user sees, as a map layer beside the cameras (lib.maps.shared_layers): exact or
    rounded points by role and category (`point_for`), each linking to its report's page. None for those who may
    not read reports and when there is no open report, so their maps have no such layer."""
    if not can(user, "view", Report):
        return None
    rows = (
        reports_for(user)
        .filter(status__in=list(OPEN))
        .select_related("camera")
        .defer("description", "contact_name", "contact_phone", "contact_email", "camera__password_encrypted")
    )
    features = []
    for report in rows.iterator(chunk_size=2000):
        lon, lat = point_for(user, report)
        properties = {**public_row(report), "url": report.get_absolute_url()}
        properties.pop("lon"), properties.pop("lat")
        properties["camera"] = report.camera.code if report.camera_id else ""
        features.append(
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]}, "properties": properties}
        )
    if not features:  # no empty overlay in the map's layer switcher
        return None
    return {"type": "FeatureCollection", "features": features, "label": _("Citizen reports")}
