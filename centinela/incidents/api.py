"""Incident API: the list (the page's filters, paginated), one incident and the categories, under the same
permission check as the pages (a parish president's token sees their parish only; the exact point and address
only for the roles that see them on the pages)."""

from datetime import datetime

from django.core.paginator import Paginator
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from centinela.accounts.permissions import require
from centinela.incidents import selectors
from centinela.incidents.filters import IncidentFilter
from centinela.incidents.models import Category, Incident
from centinela.lib.api_errors import ERRORS

router = Router(tags=["incidentes"])
MAX_PAGE_SIZE = 1000


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    group: str
    parent_id: int | None
    active: bool


class IncidentOut(Schema):
    id: int
    occurred_at: datetime
    time_known: bool = True  # False: the source gave the date only (occurred_at holds 00:00 of that day)
    reported_at: datetime | None
    category_id: int
    category: str
    group: str
    source: str
    source_ref: str
    status: str
    parish_id: int | None
    parish: str | None
    barrio_id: int | None
    barrio: str | None
    lon: float | None = None  # None for roles that do not see the exact point
    lat: float | None = None
    precision: str | None = None
    address: str | None = None


class IncidentPage(Schema):
    count: int
    page: int
    pages: int
    results: list[IncidentOut]


class IncidentQuery(Schema):
    q: str | None = None
    period: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    group: str | None = None
    category: int | None = None
    source: int | None = None
    parish: int | None = None
    barrio: int | None = None
    status: str | None = None
    page: int = 1
    page_size: int = 100


def _out(incident: Incident, exact: bool) -> dict:
    data = {
        "id": incident.pk,
        "occurred_at": incident.occurred_at,
        "time_known": incident.time_known,
        "reported_at": incident.reported_at,
        "category_id": incident.category_id,
        "category": incident.category.code,
        "group": incident.category.group,
        "source": incident.source.code,
        "source_ref": incident.source_ref,
        "status": incident.status,
        "parish_id": incident.parish_id,
        "parish": incident.parish.name if incident.parish_id else None,
        "barrio_id": incident.barrio_id,
        "barrio": incident.barrio.name if incident.barrio_id else None,
    }
    if exact:
        data.update(lon=incident.lon, lat=incident.lat, precision=incident.precision, address=incident.address)
    return data


@router.get("/incidents", response={200: IncidentPage, **ERRORS}, summary="Incidents, filtered as on the list page")
def incidents(request, filters: Query[IncidentQuery]):
    user = request.user
    require(user, "view", Incident)
    params = {k: v for k, v in filters.dict().items() if v not in (None, "") and k not in ("page", "page_size")}
    filterset = IncidentFilter(params, queryset=selectors.incidents_for(user), request=request)
    if not filterset.is_valid():
        raise HttpError(422, "; ".join(f"{k}: {' '.join(v)}" for k, v in filterset.errors.items()))
    size = max(1, min(filters.page_size, MAX_PAGE_SIZE))
    paginator = Paginator(filterset.qs, size)
    page = paginator.get_page(filters.page)
    exact = selectors.sees_exact_location(user)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "results": [_out(i, exact) for i in page.object_list],
    }


@router.get("/incidents/{incident_id}", response={200: IncidentOut, **ERRORS})
def incident(request, incident_id: int):
    found = selectors.incidents_for(request.user).filter(pk=incident_id).first()
    if found is None:
        raise HttpError(404, "No encontrado")
    return _out(found, selectors.sees_exact_location(request.user))


@router.get("/incident-categories", response={200: list[CategoryOut], **ERRORS})
def categories(request):
    """The taxonomy is no secret: every signed-in role reads it (a parish president included)."""
    return list(Category.objects.all())
