"""Thin generic views every domain list, detail and form builds on: scoped by the one permission check,
filtered with django-filter, exported with the one export helper, refreshed in place with htmx."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from centinela.accounts.permissions import can, require
from centinela.lib.dates import bound_dates
from centinela.lib.exports import FORMATS, export_response
from centinela.lib.maps import map_context

PER_PAGE = 50


def filter_list(request, queryset, filterset_class):
    """The rows a list's filters select: the list, its exports and its map (`map_points`) all read them here."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    bound_dates(filterset.form)  # an out-of-range date is a form error, not a 500
    return filterset, (filterset.qs if filterset.is_valid() else queryset.none())


def list_map_data(request, *, queryset, filterset_class, features):
    """The GeoJSON of a list's map: the very rows the list's filters select (same scoped queryset, same FilterSet),
    drawn by `features(qs)` -> (features, total), which caps or groups them."""
    require(request.user, "view", queryset.model)
    _filterset, qs = filter_list(request, queryset, filterset_class)
    found, total = features(qs)
    return JsonResponse({"type": "FeatureCollection", "features": found, "total": total, "shown": len(found)})


def list_view(
    request,
    *,
    queryset,
    filterset_class,
    columns,
    title,
    basename,
    add_url=None,
    template="lib/list.html",
    extra=None,
    permission_checked=False,
    rows=None,
    export_keys=False,
):
    """`permission_checked=True` when the caller has already applied a rule of its own (e.g. the audit trail).
    `rows(queryset)`, when given, adds what the rows read beyond the model's own columns (e.g. the names of related
    records as annotations): it is applied to the page's slice and to exports, never to the count of records, which
    would otherwise join every related table over every matching row (10 ms instead of 0.6 ms for 15,000 incidents
    on SQLite, issue 10).
    `export_keys=True` for a list whose download is a documented interchange format (the cameras' OpenStreetMap
    tags): its files keep the columns' keys as headers and their codes unchanged (`lib.exports.export_response`)."""
    model = queryset.model
    if not permission_checked:
        require(request.user, "view", model)
    filterset, qs = filter_list(request, queryset, filterset_class)
    shown = rows(qs) if rows is not None else qs
    fmt = request.GET.get("export")
    if fmt in FORMATS:
        if not permission_checked:
            require(request.user, "export", model)
        if export_keys:
            return export_response(shown, columns, fmt, basename, headers="keys", codes=True)
        return export_response(shown, columns, fmt, basename)
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    if rows is not None:  # the count came from `qs`; the page's records from `shown`, the same slice
        first = (page.number - 1) * PER_PAGE
        page.object_list = shown[first : first + PER_PAGE]
    page_columns = [c for c in columns if c.on_page]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("export", None)
    context = {
        "title": title,
        "filter": filterset,
        "page": page,
        "columns": page_columns,
        "rows": [
            [
                (c.shown(obj), obj.get_absolute_url() if c.link and hasattr(obj, "get_absolute_url") else None)
                for c in page_columns
            ]
            for obj in page.object_list
        ],
        "query": query.urlencode(),
        "add_url": add_url if add_url and can(request.user, "add", model) else None,
        "can_export": permission_checked or can(request.user, "export", model),
        **(extra or {}),
    }
    if context.get("list_map_url"):  # the list draws its filtered rows on a map (their GeoJSON: list_map_data)
        context.update(map_context(request))
    # htmx asks for the table alone, except on a history restore (it had no copy of the page): then the whole page.
    fragment = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    response = render(request, "lib/list_table.html" if fragment else template, context)
    patch_vary_headers(response, ["HX-Request", "HX-History-Restore-Request"])  # page and fragment share a URL
    return response


def get_scoped_or_404(queryset, pk):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def add_errors(form, exc: ValidationError) -> None:
    """A service's ValidationError shown on the form: field errors next to their fields, the rest on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_view(
    request, *, form_class, instance, save, title, success_url, template="lib/form.html", form_kwargs=None, extra=None
):
    """Create or edit: the form validates fields, `save(user, obj)` (a service) applies business rules and the
    permission check; its ValidationErrors come back as field errors, and what the user typed is kept."""
    action = "change" if instance.pk else "add"
    if not can(request.user, action, instance if instance.pk else type(instance)):
        raise PermissionDenied
    form = form_class(request.POST or None, instance=instance, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        obj = form.save(commit=False)
        try:
            save(request.user, obj)
        except ValidationError as exc:
            add_errors(form, exc)
        except PermissionDenied:
            form.add_error(None, _("You may not save this record here (it belongs to another parish)."))
        else:
            messages.success(request, _("Saved."))
            return redirect(success_url(obj))
    return render(request, template, {"form": form, "title": title, "object": instance, **(extra or {})})
