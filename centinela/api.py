"""The JSON API (django-ninja): OpenAPI schema at /api/openapi.json, docs at /api/docs."""
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from ninja import NinjaAPI

from centinela.accounts.api_auth import API_AUTH
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
    return api.create_response(request, {"detail": "Permiso denegado"}, status=403)


api.add_router("/", territory_router)

from centinela.incidents.api import router as incidents_router  # noqa: E402

api.add_router("/", incidents_router)
