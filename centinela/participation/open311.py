"""The Open311 GeoReport v2 format (wiki.open311.org/GeoReport_v2) of the citizen reports: services (the council's
report categories), service requests (reports, as the public may read them), the filters of GET requests, the
errors, and the same data written as JSON or XML. The endpoints are in `participation/api.py`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from xml.etree import ElementTree

from django.core import signing
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from centinela.participation import selectors
from centinela.participation.models import CLOSED, OPEN, Report, ReportCategory, ReportUpdate

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
FORMATS = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
DEFAULT_DAYS = 90  # the specification's default span of GET requests (and longest start_date..end_date)...
MAX_REQUESTS = 1000  # ...and its most requests in one answer: the default and largest page_size
MAX_PAGE = 1_000_000  # page=n: a number the database's OFFSET can take
MAX_IDS = 100  # service_request_id=a,b,c: at most this many codes
STATUSES = {"open": OPEN, "closed": CLOSED}
CURSOR_SALT = "centinela.participation.open311.after"  # signs the `after` cursors: no other signed value passes


class Open311Error(Exception):
    """An answer in the specification's error format: an HTTP status and one or more (code, description)."""

    def __init__(self, status: int, *descriptions: str):
        super().__init__(descriptions[0] if descriptions else "")
        self.status = status
        self.descriptions = descriptions


def unknown_format() -> Open311Error:
    return Open311Error(404, _("Unknown format: end the address with .json or .xml."))


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise unknown_format()
    return fmt


# --- services --------------------------------------------------------------------------------------------------


def service(category: ReportCategory) -> dict:
    description = category.description
    if category.sensitive:
        note = _(
            "Sensitive category: its reports are not listed one by one; the public map counts them per barrio and "
            "month."
        )
        description = f"{description} {note}".strip()
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": description,
        "metadata": False,  # no extra attributes: a report is a place and a description
        "type": "realtime",  # the report exists as soon as it is posted, with its code
        "keywords": "",
        "group": "",
    }


def services() -> list[dict]:
    return [service(c) for c in selectors.categories()]


def service_definition(code: str) -> dict:
    category = selectors.categories().filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("There is no service with the code %(code)s.") % {"code": code[:60]})
    return {"service_code": category.code, "attributes": []}


# --- service requests ------------------------------------------------------------------------------------------


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 with the offset of Loja's time (America/Guayaquil, -05:00), as the specification asks."""
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def agency(report: Report) -> str:
    # Routing proposes an institution; the public reads it once triage has confirmed it (as on the tracking page).
    if report.assigned_institution_id and report.status not in (Report.Status.RECEIVED, Report.Status.IN_REVIEW):
        return report.assigned_institution.name
    return ""


def address(report: Report) -> str:
    return ", ".join(p.name for p in (report.barrio, report.parish) if p is not None)


def service_request(report: Report, notes: dict[int, str]) -> dict:
    """A report as an Open311 service request: never personal data (no contact, never the reporter's own words:
    the moderated public text), the point rounded as on the public map, and for sensitive categories (drugs,
    violence) neither a point nor any text (they could place it): only the barrio and parish."""
    hidden = report.category.sensitive
    lon, lat = (None, None) if hidden else selectors.public_point(report)
    expected = report.created_at + timedelta(days=report.category.days_to_resolve)
    return {
        "service_request_id": report.code,
        "status": "closed" if report.status in CLOSED else "open",
        "status_notes": "" if hidden else notes.get(report.pk, ""),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": "" if hidden or report.flagged else report.public_text,
        "agency_responsible": agency(report),
        "service_notice": "",
        "requested_datetime": iso(report.created_at),
        "updated_datetime": iso(report.updated_at),
        "expected_datetime": iso(expected),
        "address": address(report),
        "address_id": "",
        "zipcode": "",
        "lat": lat,
        "long": lon,
        "media_url": "",
    }


def last_public_notes(reports: list[Report]) -> dict[int, str]:
    """The text of each report's latest public update written by the council (never the reporter's additions,
    which nobody has moderated)."""
    notes: dict[int, str] = {}
    rows = (
        ReportUpdate.objects.filter(report__in=[r.pk for r in reports], public=True, by_reporter=False)
        .exclude(text="")
        .order_by("report_id", "created_at", "id")
        .values_list("report_id", "text")
    )
    for report_id, text in rows:
        notes[report_id] = text  # ordered oldest first: the last one stays
    return notes


def parse_moment(value: str, name: str, *, end: bool = False) -> datetime:
    """An ISO 8601 date and time (with an offset: "2026-11-05T08:15:30-05:00" or "...Z"); without an offset, Loja's
    time; a date alone is the start of that day (or, for `end`, its end). A "+" that a query string turned into a
    space is put back."""
    value = value.strip()
    value = re.sub(r" (\d{2}:?\d{2})$", r"+\1", value)
    try:
        # a date alone first: parse_datetime reads "2026-11-05" too (Python's fromisoformat), as its midnight
        day = parse_date(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
        moment = None if day else parse_datetime(value)
    except ValueError:
        moment = day = None
    if moment is None and day is not None:
        moment = datetime.combine(day, time.max if end else time.min)
    if moment is None:
        raise Open311Error(
            400,
            _("%(name)s is not an ISO 8601 date and time (for example 2026-11-05T08:15:30-05:00).") % {"name": name},
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def whole_number(params: dict, name: str, default: int, most: int) -> int:
    """The parameter `name`, a whole number from 1 to `most` (digits only), or `default` when it is not given."""
    value = (params.get(name) or "").strip()
    if not value:
        return default
    if not re.fullmatch(r"[0-9]{1,7}", value) or not 1 <= int(value) <= most:
        raise Open311Error(400, _("%(name)s is a whole number from 1 to %(n)s.") % {"name": name, "n": most})
    return int(value)


@dataclass
class RequestsPage:
    """One answer of GET requests: its reports and, when more follow, the query of the next page (the same filters,
    the window's start fixed, `after` the cursor of the last report; the view makes it the Link header)."""

    reports: list[Report]
    next_query: dict[str, str] | None = None


def cursor(report: Report) -> str:
    """The position just after `report` in the list (newest first, ties by id): its created_at to the microsecond and
    its id, signed so that clients take it as given (an opaque value the server may change) and a garbled or
    made-up one is refused with a message instead of silently giving a wrong page."""
    return signing.dumps([report.created_at.astimezone(UTC).isoformat(), report.pk], salt=CURSOR_SALT)


def read_cursor(value: str) -> tuple[datetime, int]:
    try:
        moment, pk = signing.loads(value.strip(), salt=CURSOR_SALT)
        moment = datetime.fromisoformat(moment)
        if timezone.is_naive(moment) or not isinstance(pk, int) or isinstance(pk, bool):
            raise ValueError(value)
    except (signing.BadSignature, ValueError, TypeError):
        raise Open311Error(
            400, _("after is not a cursor this server gave: follow the Link header of the previous page.")
        ) from None
    return moment, pk


def find_requests(params: dict, client=None) -> RequestsPage:
    """GET requests: the reports the public may read (and those `client` filed, published or not), filtered as the
    specification says. service_request_id (codes, comma separated) overrides every other filter; otherwise the
    last 90 days (or 90 days before end_date; start_date and end_date together may not span more than 90 days, the
    specification's limit), newest first, in pages of at most 1000 (the specification's limit).

    Pages: the next one is read after a cursor (`after`, in the Link header of each page that has a next): the
    reports strictly after the last one given, in the same order (keyset), so a report filed or published between
    two page requests never makes one repeat or be skipped (one that sorts before the cursor, newer than the last
    read, is not shown on the later pages). `page` (from 1) and `page_size` are the offset extension most servers
    implement (Chicago, Boston, Toronto: the specification's Extensions page), kept for the clients that use it; its
    pages shift when reports appear, which is why each answer also carries the cursor."""
    rows = selectors.open311_requests(client)
    ids = [c.strip() for c in (params.get("service_request_id") or "").split(",") if c.strip()]
    if ids:
        if len(ids) > MAX_IDS:
            raise Open311Error(400, _("Ask for at most %(n)s requests by code at once.") % {"n": MAX_IDS})
        return RequestsPage(list(rows.filter(code__in=ids)[:MAX_REQUESTS]))
    codes = [c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()]
    if codes:
        rows = rows.filter(category__code__in=codes)
    end = parse_moment(params["end_date"], "end_date", end=True) if params.get("end_date") else None
    start = parse_moment(params["start_date"], "start_date") if params.get("start_date") else None
    given_start = start is not None
    if start is None:
        start = (end or timezone.now()) - timedelta(days=DEFAULT_DAYS)
    if end is not None and end < start:
        raise Open311Error(400, _("end_date is before start_date."))
    if end is not None and end - start > timedelta(days=DEFAULT_DAYS):
        raise Open311Error(
            400,
            _("start_date and end_date may not span more than %(n)s days (the Open311 limit): ask for shorter spans.")
            % {"n": DEFAULT_DAYS},
        )
    rows = rows.filter(created_at__gte=start)
    if end is not None:
        rows = rows.filter(created_at__lte=end)
    asked = {s.strip().lower() for s in (params.get("status") or "").split(",") if s.strip()}
    if asked - set(STATUSES):
        raise Open311Error(400, _("status is open or closed."))
    if len(asked) == 1:  # open,closed (comma delimited, as the specification allows) is every status
        rows = rows.filter(status__in=list(STATUSES[asked.pop()]))
    size = whole_number(params, "page_size", MAX_REQUESTS, MAX_REQUESTS)
    after = (params.get("after") or "").strip()
    if after:
        if (params.get("page") or "").strip():
            raise Open311Error(400, _("Give page or after, not both: after already says where the page starts."))
        moment, pk = read_cursor(after)
        # the order of selectors.open311_requests (-created_at, -id), continued strictly after the cursor's row
        rows = rows.filter(Q(created_at__lt=moment) | Q(created_at=moment, pk__lt=pk))
        first = 0
    else:
        first = (whole_number(params, "page", 1, MAX_PAGE) - 1) * size
    reports = list(rows[first : first + size + 1])  # one more than the page: is there a next one?
    if len(reports) <= size:
        return RequestsPage(reports)
    reports = reports[:size]
    query = {k: str(v) for k, v in params.items() if v not in (None, "") and k not in ("page", "after")}
    if not given_start:  # the default window moves with the clock: the next pages keep the first one's
        query["start_date"] = timezone.localtime(start).isoformat()
    query["after"] = cursor(reports[-1])
    return RequestsPage(reports, query)


def service_requests(reports: list[Report]) -> list[dict]:
    notes = last_public_notes(reports)
    return [service_request(r, notes) for r in reports]


def discovery(base_url: str) -> dict:
    return {
        "changeset": "2026-12-03T00:00:00-05:00",
        "contact": _("Cantonal Council of Citizen Security of Loja: ask the council's administrator for a key."),
        "key_service": _("API keys are issued by the council's administrator."),
        "endpoints": [
            {
                "specification": SPECIFICATION,
                "url": base_url,
                "changeset": "2026-12-03T00:00:00-05:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


# --- JSON and XML ----------------------------------------------------------------------------------------------

# Characters XML 1.0 cannot carry at all (a report's text may hold them); ElementTree would write them as they are.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# The XML element of each item of a list, by the list's own element (the specification's names).
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "endpoints": "endpoint",
    "formats": "format",
}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return NOT_XML.sub("", str(value))


def _fill(element: ElementTree.Element, value) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _fill(ElementTree.SubElement(element, key), item)
    elif isinstance(value, list):
        for item in value:
            _fill(ElementTree.SubElement(element, ITEMS.get(element.tag, "item")), item)
    else:
        element.text = _text(value)


def to_xml(root: str, value) -> bytes:
    """The data as the specification's XML: `root` holds the list (or the object's fields); escaped by ElementTree,
    UTF-8 with its declaration."""
    element = ElementTree.Element(root)
    _fill(element, value)
    body = ElementTree.tostring(element, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body).encode("utf-8")


def respond(fmt: str, root: str, value, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, value), status=status, content_type=FORMATS["xml"])
    return HttpResponse(json.dumps(value, ensure_ascii=False), status=status, content_type=FORMATS["json"])


def error_response(fmt: str, error: Open311Error) -> HttpResponse:
    errors = [{"code": error.status, "description": d} for d in error.descriptions]
    return respond(fmt if fmt in FORMATS else "json", "errors", errors, status=error.status)
