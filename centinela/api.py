"""The JSON API (django-ninja): OpenAPI schema at /api/openapi.json, docs at /api/docs."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError

from centinela.accounts.api_auth import API_AUTH
from centinela.lib.api_errors import HTTP_MESSAGES, translated_errors
from centinela.territory.api import router as territory_router

api = NinjaAPI(
    title="Centinela API",
    version="1",
    description="Territorio y registros del Concejo Cantonal de Seguridad Ciudadana. "
    "Autenticación: token (Authorization: Bearer ...) o sesión del navegador.",
    auth=API_AUTH,
    urls_namespace="api",
    docs_decorator=login_required,  # the docs and schema are for signed-in users and programs, like the rest
)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": str(HTTP_MESSAGES[403])}, status=403)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": str(HTTP_MESSAGES[404])}, status=404)


@api.exception_handler(HttpError)
def http_error(request, exc):
    """django-ninja's own refusals (401 "Unauthorized", 403 "Forbidden", 429) in the user's language; a message of
    ours (raised with HttpError and a translated text) is kept."""
    default = str(exc) in ("Unauthorized", "Forbidden", "Not Found") or str(exc).startswith("Too many requests")
    text = str(HTTP_MESSAGES.get(exc.status_code, exc)) if default else str(exc)
    return api.create_response(request, {"detail": text or _("Error")}, status=exc.status_code)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    # Open311 clients get the specification's error list (in JSON: the format is not known when the address itself
    # is refused); every other operation keeps django-ninja's 422.
    if "/open311/" in request.path:
        return invalid_open311_request(request, exc)
    return api.create_response(request, {"detail": translated_errors(exc.errors)}, status=422)


api.add_router("/", territory_router)

from centinela.incidents.api import router as incidents_router  # noqa: E402

api.add_router("/", incidents_router)

from centinela.participation.api import invalid_open311_request  # noqa: E402
from centinela.participation.api import router as open311_router  # noqa: E402

api.add_router("/", open311_router)
