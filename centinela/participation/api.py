"""The Open311 GeoReport v2 API of the citizen reports (issue 12), on the project's django-ninja API so its OpenAPI
document covers it: /api/open311/v2/services.{format}, services/{service_code}.{format}, requests.{format} (GET and
POST), requests/{service_request_id}.{format} and discovery.{format}, each in JSON or XML. Reading is public; posting
a request takes the api_key an administrator issued (participation.Open311Client) and goes through
`services.file_report` with the public page's checks and limits. Errors in the specification's format, in Spanish."""

from __future__ import annotations

from functools import wraps
from typing import Literal
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Form, Path, Query, Router, Schema
from pydantic import Field

from centinela.lib.middleware import NUL, nul_message
from centinela.lib.search import fold
from centinela.participation import limits, open311, selectors, services
from centinela.participation.open311 import Open311Error
from centinela.territory.selectors import find_places

PREFIX = "/open311/v2"
router = Router(tags=["open311"])


class ErrorItem(Schema):
    code: int
    description: str


class ServiceOut(Schema):
    service_code: str
    service_name: str
    description: str
    metadata: bool
    type: str
    keywords: str
    group: str


class ServiceDefinitionOut(Schema):
    service_code: str
    attributes: list[dict]


class RequestOut(Schema):
    service_request_id: str
    status: str
    status_notes: str
    service_name: str
    service_code: str
    description: str
    agency_responsible: str
    service_notice: str
    requested_datetime: str
    updated_datetime: str
    expected_datetime: str
    address: str
    address_id: str
    zipcode: str
    lat: float | None
    long: float | None
    media_url: str


class CreatedOut(Schema):
    service_request_id: str
    token: str | None
    service_notice: str
    account_id: str | None


class EndpointOut(Schema):
    specification: str
    url: str
    changeset: str
    type: str
    formats: list[str]


class DiscoveryOut(Schema):
    changeset: str
    contact: str
    key_service: str
    endpoints: list[EndpointOut]


class RequestsQuery(Schema):
    jurisdiction_id: str | None = None
    service_request_id: str | None = Field(None, description="Códigos separados por comas (anula los otros filtros)")
    service_code: str | None = Field(None, description="Códigos de servicio separados por comas")
    start_date: str | None = Field(
        None,
        description="ISO 8601 con zona horaria; por omisión, hace 90 días. Con end_date, a lo sumo 90 días entre ambas",
    )
    end_date: str | None = Field(
        None, description="ISO 8601 con zona horaria; con start_date, a lo sumo 90 días entre ambas"
    )
    status: str | None = Field(None, description="open o closed (o ambos, separados por comas)")
    page: str | None = Field(
        None,
        description="Extensión de paginación: número de página, desde 1 (por desplazamiento: si aparecen reportes "
        "entre dos pedidos, una página puede repetir o saltar uno; para leerlas todas, siga el encabezado Link)",
    )
    page_size: str | None = Field(None, description="Extensión de paginación: reportes por página, de 1 a 1000")
    after: str | None = Field(
        None,
        description='Cursor de la página siguiente, tal como viene en el encabezado Link (rel="next") de la '
        "anterior: los reportes posteriores al último leído, sin repetir ni saltar ninguno. No se combina con page",
    )
    api_key: str | None = Field(None, description="Opcional: con ella se leen también los reportes propios")


class OneRequestQuery(Schema):
    jurisdiction_id: str | None = None
    api_key: str | None = Field(None, description="Opcional: con ella se lee el reporte propio aún no publicado")


class JurisdictionQuery(Schema):
    jurisdiction_id: str | None = None


class RequestIn(Schema):
    api_key: str | None = Field(None, description="La clave emitida por el administrador del Concejo (obligatoria)")
    jurisdiction_id: str | None = None
    service_code: str | None = None
    lat: str | None = Field(None, description="Latitud WGS84 (obligatoria salvo que se dé address_string)")
    long: str | None = Field(None, description="Longitud WGS84 (obligatoria salvo que se dé address_string)")
    address_string: str | None = Field(
        None,
        description="Sin lat/long: el nombre de un barrio, parroquia, lugar público o calle del cantón, ubicado con "
        "la búsqueda de lugares del formulario público cuando corresponde a un solo lugar (si no, 400)",
    )
    address_id: str | None = None
    description: str | None = None
    email: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    phone: str | None = None
    device_id: str | None = None
    account_id: str | None = None
    media_url: str | None = Field(None, description="No se descarga: Centinela no acepta fotos por dirección")
    consent: str | None = Field(
        None,
        description="Extensión de Centinela: true si la persona aceptó el uso de sus datos de contacto. Sin ella, el "
        "reporte se presenta como anónimo: los datos de contacto se descartan sin guardarse y service_notice lo dice",
    )


FORMAT = Path(..., description="json o xml")
Format = Literal["json", "xml"]
XML = {"text/xml": {"schema": {"type": "string", "description": "El mismo contenido en XML (GeoReport v2)"}}}


def documented(*statuses: int, headers: dict | None = None) -> dict:
    """Each answer documented in JSON (the schema) and in XML; `headers`, those of the 200 answer."""
    extra = {"headers": headers} if headers else {}
    return {"responses": {status: {"content": XML, **(extra if status == 200 else {})} for status in statuses}}


NEXT_LINK = {
    "Link": {
        "description": '<URL>; rel="next" (RFC 8288): la dirección completa de la página siguiente, con los mismos '
        "filtros y su cursor after; solo cuando hay una página siguiente",
        "schema": {"type": "string"},
    }
}


def open311_view(view):
    """Answers in Spanish (the council's language, whatever the client's Accept-Language), and an Open311Error as the
    specification's error document in the asked format."""

    @wraps(view)
    def wrapper(request, format, *args, **kwargs):
        with translation.override(settings.LANGUAGE_CODE):
            try:
                open311.check_format(format)
                return view(request, format, *args, **kwargs)
            except Open311Error as error:
                return open311.error_response(format, error)

    return wrapper


def invalid_open311_request(request, exc) -> HttpResponse:
    """What django-ninja refuses before a view runs (a format other than json or xml, a body it cannot read), as an
    Open311 error in JSON."""
    with translation.override(settings.LANGUAGE_CODE):
        if any(error.get("loc", ())[-1:] == ("format",) for error in exc.errors):
            return open311.error_response("json", open311.unknown_format())
        return open311.error_response("json", Open311Error(400, _("The request could not be read.")))


def nul_refusal(request, message: str) -> HttpResponse:
    """A NUL character in an Open311 request (refused by lib.middleware before any view): a 400 in the format the
    address names (json when it names none it knows)."""
    fmt = request.path_info.rsplit(".", 1)[-1] if "." in request.path_info.rsplit("/", 1)[-1] else "json"
    return open311.error_response(fmt, Open311Error(400, message))


def client_for(key: str | None):
    """The Open311 client of the key, None without a key; an unknown or inactive key is refused (403)."""
    if not key:
        return None
    client = services.open311_client_for(key)
    if client is None:
        raise Open311Error(403, _("Unknown or inactive api_key: ask the council's administrator for a key."))
    return client


@router.get(
    PREFIX + "/discovery.{format}",
    auth=None,
    response={200: DiscoveryOut, 400: list[ErrorItem], 404: list[ErrorItem]},
    openapi_extra=documented(200, 400, 404),
    summary="Open311: descubrimiento del servicio",
)
@open311_view
def open311_discovery(request, format: Format = FORMAT, query: Query[JurisdictionQuery] = None):
    base = request.build_absolute_uri(request.path.rsplit("/", 1)[0] + "/")
    return open311.respond(format, "discovery", open311.discovery(base))


@router.get(
    PREFIX + "/services.{format}",
    auth=None,
    response={200: list[ServiceOut], 400: list[ErrorItem], 404: list[ErrorItem]},
    openapi_extra=documented(200, 400, 404),
    summary="Open311: lista de servicios (las categorías de reporte)",
)
@open311_view
def open311_services(request, format: Format = FORMAT, query: Query[JurisdictionQuery] = None):
    return open311.respond(format, "services", open311.services())


@router.get(
    PREFIX + "/services/{service_code}.{format}",
    auth=None,
    response={200: ServiceDefinitionOut, 400: list[ErrorItem], 404: list[ErrorItem]},
    openapi_extra=documented(200, 400, 404),
    summary="Open311: definición de un servicio (sin atributos adicionales)",
)
@open311_view
def open311_service_definition(
    request, format: Format = FORMAT, service_code: str = Path(...), query: Query[JurisdictionQuery] = None
):
    return open311.respond(format, "service_definition", open311.service_definition(service_code))


@router.get(
    PREFIX + "/requests.{format}",
    auth=None,
    response={200: list[RequestOut], 400: list[ErrorItem], 403: list[ErrorItem], 404: list[ErrorItem]},
    openapi_extra=documented(200, 400, 403, 404, headers=NEXT_LINK),
    summary="Open311: reportes públicos, filtrados",
    description="Los más recientes primero, a lo sumo 1000 por respuesta (page_size). Cuando hay más, la respuesta "
    'lleva el encabezado Link: <URL>; rel="next" con la página siguiente (mismos filtros, cursor after): seguirlo lee '
    "cada reporte una sola vez aunque se publiquen otros entre un pedido y el siguiente. start_date y end_date juntas "
    "no pueden abarcar más de 90 días (límite de GeoReport v2): 400.",
)
@open311_view
def open311_requests(request, format: Format = FORMAT, query: Query[RequestsQuery] = None):
    params = query.dict() if query else {}
    client = client_for(params.get("api_key"))
    page = open311.find_requests(params, client)
    response = open311.respond(format, "service_requests", open311.service_requests(page.reports))
    if page.next_query is not None:
        url = request.build_absolute_uri(request.path) + "?" + urlencode(page.next_query)
        response["Link"] = f'<{url}>; rel="next"'
    return response


@router.get(
    PREFIX + "/requests/{service_request_id}.{format}",
    auth=None,
    response={200: list[RequestOut], 400: list[ErrorItem], 403: list[ErrorItem], 404: list[ErrorItem]},
    openapi_extra=documented(200, 400, 403, 404),
    summary="Open311: un reporte por su código",
)
@open311_view
def open311_request(
    request, format: Format = FORMAT, service_request_id: str = Path(...), query: Query[OneRequestQuery] = None
):
    client = client_for(query.api_key if query else None)
    report = selectors.open311_requests(client).filter(code=service_request_id[:12]).first()
    if report is None:
        raise Open311Error(
            404, _("There is no public request with the code %(code)s.") % {"code": service_request_id[:20]}
        )
    return open311.respond(format, "service_requests", open311.service_requests([report]))


@router.post(
    PREFIX + "/requests.{format}",
    auth=None,
    response={
        200: list[CreatedOut],
        400: list[ErrorItem],
        403: list[ErrorItem],
        404: list[ErrorItem],
        429: list[ErrorItem],
    },
    openapi_extra=documented(200, 400, 403, 404, 429),
    summary="Open311: presentar un reporte (requiere api_key)",
)
@open311_view
def open311_create_request(request, format: Format = FORMAT, data: Form[RequestIn] = None):
    data = data or RequestIn()
    if any(isinstance(value, str) and NUL in value for value in data.dict().values()):
        raise Open311Error(400, nul_message())  # a multipart body (lib.middleware reads the others)
    client = client_for(data.api_key)
    if client is None:
        raise Open311Error(403, _("Posting a request needs an api_key: ask the council's administrator for one."))
    if limits.over_limit(request, client):
        raise Open311Error(
            429, _("Too many reports with this key from this address in the last hour. Try again later.")
        )
    category = selectors.categories().filter(code=(data.service_code or "").strip()[:60]).first()
    errors = []
    if category is None:
        errors.append(_("service_code is not one of the services (see services.json)."))
    lon, lat = _place(data, errors)
    contact = services.Contact(
        name=" ".join(p.strip() for p in (data.first_name or "", data.last_name or "") if p.strip()),
        phone=(data.phone or "").strip(),
        email=(data.email or "").strip(),
        consent=True,
    )
    # Contact data is kept only when the client says the person agreed (consent=true, Centinela's extension); a
    # client that follows the specification alone sends none: the report is filed anonymously, its contact dropped
    # before anything is stored, and the answer says so.
    dropped = contact.given and (data.consent or "").strip().lower() not in ("true", "1", "yes", "si", "sí")
    if dropped:
        contact = services.Contact()
    if errors:
        raise Open311Error(400, *errors)
    try:
        report = services.file_report(
            category=category,
            lon=lon,
            lat=lat,
            description=data.description or "",
            contact=contact,
            base_url=f"{request.scheme}://{request.get_host()}",
            open311_client=client,
        )
    except limits.TooManyReports as exc:
        raise Open311Error(429, *exc.messages) from exc
    except ValidationError as exc:
        raise Open311Error(400, *_messages(exc)) from exc
    limits.count_report(request, client)
    notice = _("Report %(code)s received. The council reads it before publishing it; for an emergency call 911.") % {
        "code": report.code
    }
    if dropped:
        notice += " " + _(
            "Filed anonymously: the contact data sent (e-mail, name, phone) were not stored, because the request did "
            "not say the person agreed to their use (consent=true)."
        )
    created = [{"service_request_id": report.code, "token": None, "service_notice": notice, "account_id": None}]
    return open311.respond(format, "service_requests", created)


def _place(data: RequestIn, errors: list[str]) -> tuple[float | None, float | None]:
    """(lon, lat) of the request: its lat and long, or else its address_string when the report page's place search
    (territory.selectors.find_places: barrios, parishes, public places, streets) finds one place for it."""
    address = " ".join((data.address_string or "").split())
    if (data.lat or "").strip() or (data.long or "").strip() or not address:
        return _coordinate(data.long, "long", errors), _coordinate(data.lat, "lat", errors)
    found = find_places(address[:80])
    exact = [p for p in found if fold(p["name"]) == fold(address)]
    if len(exact) == 1 or len(found) == 1:
        place = (exact or found)[0]
        return place["lon"], place["lat"]
    if not found:
        errors.append(
            _(
                "address_string: no barrio, parish, public place or street of the canton is called “%(address)s”; "
                "give the place as lat and long."
            )
            % {"address": address[:80]}
        )
    else:
        errors.append(
            _(
                "address_string: “%(address)s” matches %(n)s places (%(names)s); give a more precise name or the "
                "place as lat and long."
            )
            % {"address": address[:80], "n": len(found), "names": ", ".join(p["name"] for p in found[:5])}
        )
    return None, None


def _coordinate(value: str | None, name: str, errors: list[str]) -> float | None:
    value = (value or "").strip()
    if not value:
        errors.append(
            _(
                "%(name)s is required: give the place as lat and long, or an address_string the canton's place "
                "search finds."
            )
            % {"name": name}
        )
        return None
    try:
        return float(value)
    except ValueError:
        errors.append(_("%(name)s is not a number.") % {"name": name})
        return None


# The fields of file_report's checks and of the report's own validation, by the names an Open311 client sends.
FIELDS = {
    "lat": "lat/long",
    "category": "service_code",
    "description": "description",
    "consent": "consent",
    "contact_email": "email",
    "contact_phone": "phone",
    "contact_name": "first_name/last_name",
}


def _messages(exc: ValidationError) -> list[str]:
    if not hasattr(exc, "message_dict"):
        return list(exc.messages)
    return [f"{FIELDS.get(field, field)}: {m}" for field, messages in exc.message_dict.items() for m in messages]
