"""Territory API: GeoJSON FeatureCollections, locate, and places (read and write), under the same permission
check as the pages."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.errors import HttpError

from centinela.accounts.permissions import require
from centinela.lib.api_errors import ERRORS
from centinela.territory import selectors, services
from centinela.territory.models import Parish, Place

router = Router(tags=["territorio"])


class LocateOut(Schema):
    lon: float
    lat: float
    in_canton: bool
    parish_id: int | None = None
    parish_code: str | None = None
    parish: str | None = None
    barrio_id: int | None = None
    barrio: str | None = None


class PlaceIn(Schema):
    name: str = Field(..., max_length=160)
    kind: Place.Kind = Place.Kind.OTHER
    lon: float = Field(..., ge=-180, le=180)
    lat: float = Field(..., ge=-90, le=90)
    address: str = ""
    notes: str = ""


class PlaceOut(Schema):
    id: int
    name: str
    kind: str
    lon: float
    lat: float
    parish_id: int | None
    barrio_id: int | None
    address: str
    location_verified: bool


@router.get("/parishes", response={200: dict, **ERRORS}, summary="Parishes as a GeoJSON FeatureCollection")
def parishes(request):
    require(request.user, "view", Parish)
    return selectors.parishes_geojson(request.user)


@router.get("/barrios", response={200: dict, **ERRORS}, summary="Barrios as a GeoJSON FeatureCollection")
def barrios(request):
    return selectors.barrios_geojson(request.user)


@router.get("/places", response={200: dict, **ERRORS}, summary="Places as a GeoJSON FeatureCollection")
def places(request, kind: Place.Kind | None = None):
    require(request.user, "view", Place)
    qs = selectors.places_for(request.user)
    if kind:
        qs = qs.filter(kind=kind)
    return selectors.places_geojson(request.user, qs)


@router.get("/places/{place_id}", response={200: PlaceOut, **ERRORS})
def place(request, place_id: int):
    return get_object_or_404(selectors.places_for(request.user), pk=place_id)


@router.post("/places", response={201: PlaceOut, **ERRORS})
def create_place(request, payload: PlaceIn):
    require(request.user, "add", Place)
    try:
        return 201, services.save_place(request.user, Place(**payload.dict()))
    except ValidationError as exc:
        raise HttpError(422, "; ".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise HttpError(403, "Fuera de su parroquia") from exc


@router.get(
    "/locate", response={200: LocateOut, **ERRORS}, summary="Parish and barrio holding a point", url_name="locate"
)
def locate(request, lon: float, lat: float):
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise HttpError(422, "lon/lat fuera de rango")
    loc = selectors.locate(lon, lat)
    return {
        "lon": lon,
        "lat": lat,
        "in_canton": selectors.in_canton(lon, lat),
        "parish_id": loc.parish.pk if loc.parish else None,
        "parish_code": loc.parish.code if loc.parish else None,
        "parish": loc.parish.name if loc.parish else None,
        "barrio_id": loc.barrio.pk if loc.barrio else None,
        "barrio": loc.barrio.name if loc.barrio else None,
    }
