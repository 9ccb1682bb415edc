"""Boundary upload page: the import pipeline in the browser. Upload -> validate -> preview -> confirm -> apply."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.accounts.permissions import can
from centinela.jobs.services import hold, submit
from centinela.lib.import_views import import_page
from centinela.lib.uploads import size_limit
from centinela.territory.boundaries import barrio_importer, parish_importer
from centinela.territory.jobs import KIND
from centinela.territory.models import Parish

EXTENSIONS = {".geojson", ".json", ".zip", ".gpkg"}
MAX_BYTES = 50 * 1024 * 1024


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (GeoJSON, zipped Shapefile or GeoPackage)"),
                           validators=[size_limit])
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=[("parish", gettext_lazy("Parishes")), ("barrio", gettext_lazy("Barrios"))])
    name_field = forms.CharField(label=gettext_lazy("Name field"), max_length=60, initial="nombre")
    code_field = forms.CharField(label=gettext_lazy("Code field"), max_length=60, initial="codigo")


def importer_for(params, user):
    if params["level"] == "parish":
        return parish_importer(params["name_field"], params["code_field"], allow_create=can(user, "add", Parish))
    return barrio_importer(params["name_field"], params["code_field"])


def boundary_import(request):
    if not can(request.user, "change", Parish):
        raise PermissionDenied

    def on_success(result, params):
        message = _("Boundaries imported: %(counts)s") % {"counts": result.counts}
        return message, reverse("territory:parish_list" if params["level"] == "parish" else "territory:barrio_list")

    def confirm_as_job(path, params):
        job = submit(request.user, KIND, {**params, "file": hold(path)})
        messages.success(request, _("The import runs in the background; this page follows it."))
        return reverse("jobs:job_detail", args=[job.pk])

    return import_page(
        request, template="territory/boundary_import.html", context={"title": _("Import boundaries")},
        form_class=BoundaryUploadForm, make_importer=lambda params: importer_for(params, request.user),
        extensions=EXTENSIONS, max_bytes=MAX_BYTES, session_key="boundary_import", on_success=on_success,
        retry_url=reverse("territory:boundary_import"), confirm_as_job=confirm_as_job,
    )
