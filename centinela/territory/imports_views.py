"""Boundary upload page: the import pipeline in the browser. Upload -> validate -> preview -> confirm -> apply."""
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centinela.accounts.permissions import can
from centinela.lib import uploads
from centinela.lib.imports import run_import
from centinela.territory.boundaries import barrio_importer, parish_importer
from centinela.territory.models import Parish

EXTENSIONS = {".geojson", ".json", ".zip", ".gpkg"}
MAX_BYTES = 50 * 1024 * 1024


class BoundaryUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("File (GeoJSON, zipped Shapefile or GeoPackage)"))
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=[("parish", gettext_lazy("Parishes")), ("barrio", gettext_lazy("Barrios"))])
    name_field = forms.CharField(label=gettext_lazy("Name field"), max_length=60, initial="nombre")
    code_field = forms.CharField(label=gettext_lazy("Code field"), max_length=60, initial="codigo")


def _importer(params, user):
    if params["level"] == "parish":
        return parish_importer(params["name_field"], params["code_field"], allow_create=can(user, "add", Parish))
    return barrio_importer(params["name_field"], params["code_field"])


def boundary_import(request):
    if not can(request.user, "change", Parish):
        raise PermissionDenied
    context = {"title": _("Import boundaries")}
    if request.method == "POST" and request.POST.get("token"):  # confirmation of a previewed file
        token = request.POST["token"]
        params = request.session.get("boundary_import_params", {}).get(token)
        path = uploads.path_of(request, token)
        if not params or path is None:
            messages.error(request, _("That upload has expired; upload the file again."))
            return redirect("territory:boundary_import")
        result = run_import(_importer(params, request.user), path)
        uploads.discard(request, token)
        if not result.ok:  # the data changed since the preview
            context.update(form=BoundaryUploadForm(initial=params), result=result)
            return render(request, "territory/boundary_import.html", context)
        messages.success(request, _("Boundaries imported: %(counts)s") % {"counts": result.counts})
        return redirect("territory:parish_list" if params["level"] == "parish" else "territory:barrio_list")

    form = BoundaryUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        params = {k: form.cleaned_data[k] for k in ("level", "name_field", "code_field")}
        try:
            token = uploads.stash(request, form.cleaned_data["file"], extensions=EXTENSIONS, max_bytes=MAX_BYTES)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            result = run_import(_importer(params, request.user), uploads.path_of(request, token), dry_run=True)
            if result.ok:
                stored = request.session.get("boundary_import_params", {})
                stored[token] = params
                request.session["boundary_import_params"] = stored
                context["token"] = token
            else:
                uploads.discard(request, token)
            context.update(result=result, filename=form.cleaned_data["file"].name)
    context["form"] = form
    return render(request, "territory/boundary_import.html", context)
