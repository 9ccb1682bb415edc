from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import include, path
from django.views.i18n import set_language

from centinela.api import api
from centinela.territory import views as territory_views


@login_not_required
def health(request):
    return JsonResponse({"status": "ok"})


# The Django admin is for administrators only: User.save keeps is_staff equal to "role is administrator".
admin.site.site_header = "Centinela"
urlpatterns = [
    path("", territory_views.home, name="home"),
    path("territorio/", include("centinela.territory.urls")),
    path("actividades/", include("centinela.activities.urls")),
    path("socios/", include("centinela.partners.urls")),
    path("informes/", include("centinela.reports.urls")),
    path("camaras/", include("centinela.cameras.urls")),
    path("incidentes/", include("centinela.incidents.urls")),
    path("observatorio/indicadores/", include("centinela.incidents.urls_indicators")),
    path("observatorio/analisis/", include("centinela.observatory.urls")),
    path("datos-abiertos/", include("centinela.incidents.urls_public")),
    path("cuenta/", include("centinela.accounts.urls")),
    path("trabajos/", include("centinela.jobs.urls")),
    path("i18n/idioma/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("salud/", health, name="health"),
]
