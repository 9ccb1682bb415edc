from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django.views.i18n import set_language

from centinela.api import api
from centinela.core import views as core_views
from centinela.lib import health as health_checks


@login_not_required
@require_safe
@never_cache
def health(request):
    """For the uptime checker: 200 when every part is well, else 503 naming the parts that failed (lib/health.py)."""
    report = health_checks.report()
    return JsonResponse(
        report, status=200 if report["status"] == "ok" else 503, json_dumps_params={"ensure_ascii": False}
    )


# The Django admin is for administrators only: User.save keeps is_staff equal to "role is administrator".
admin.site.site_header = "Centinela"
urlpatterns = [
    path("", core_views.home, name="home"),
    path("territorio/", include("centinela.territory.urls")),
    path("actividades/", include("centinela.activities.urls")),
    path("socios/", include("centinela.partners.urls")),
    path("participa/", include("centinela.participation.urls")),
    path("informes/", include("centinela.reports.urls")),
    path("camaras/", include("centinela.cameras.urls")),
    path("incidentes/", include("centinela.incidents.urls")),
    path("observatorio/indicadores/", include("centinela.observatory.urls.indicators")),
    path("observatorio/participacion/", include("centinela.observatory.urls.participation")),
    path("observatorio/analisis/", include("centinela.observatory.urls.analysis")),
    path("datos-abiertos/", include("centinela.observatory.urls.open_data")),
    path("cuenta/", include("centinela.accounts.urls")),
    path("trabajos/", include("centinela.jobs.urls")),
    path("avisos/", include("centinela.notifications.urls")),
    path("i18n/idioma/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("salud/", health, name="health"),
]
