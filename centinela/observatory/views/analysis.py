"""The observatory's analysis pages: the index of methods, one form per method (which queues a background job and
sends the user to its progress page), and the result of each job: a map layer, the table, the parameters and
conventions, and downloads (CSV, GeoJSON, JSON). What differs between methods is asked of the method (the registry in
`methods/`); the views know none by name. Who may run an analysis: whoever may read the incident registry; a parish
president's analyses see only their parish's incidents (the selectors scope them)."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from centinela.accounts.permissions import require
from centinela.incidents.models import Category, Incident
from centinela.jobs import selectors as job_selectors
from centinela.jobs import services as job_services
from centinela.jobs.models import Job
from centinela.lib.exports import table_response
from centinela.lib.views import get_scoped_or_404
from centinela.observatory import labels
from centinela.observatory.methods import BY_NAME, METHODS
from centinela.observatory.methods.showing import format_figure

KIND_PREFIX = "observatory."


def _observatory_jobs(user):
    return job_selectors.visible_jobs(user).filter(kind__startswith=KIND_PREFIX)


@require_GET
def index(request):
    require(request.user, "view", Incident)
    jobs = list(_observatory_jobs(request.user)[:20])
    for job in jobs:
        method = BY_NAME.get(job.kind.removeprefix(KIND_PREFIX))
        job.method_title = method.title if method else job.kind
    return render(request, "observatory/index.html", {"methods": METHODS, "jobs": jobs})


def method_form(request, name):
    require(request.user, "view", Incident)
    method = BY_NAME[name]
    form = method.form(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        job = job_services.submit(request.user, f"{KIND_PREFIX}{name}", form.params())
        return redirect("jobs:job_detail", pk=job.pk)
    return render(request, "observatory/form.html", {"method": method, "form": form})


def _done_job(request, pk):
    require(request.user, "view", Incident)
    job = get_scoped_or_404(_observatory_jobs(request.user), pk)
    method = BY_NAME.get(job.kind.removeprefix(KIND_PREFIX))
    if method is None:
        raise Http404
    return job, method


@require_GET
def result(request, pk):
    job, method = _done_job(request, pk)
    if job.status != Job.Status.DONE or not job.result:
        return redirect("jobs:job_detail", pk=job.pk)
    data = job.result
    table = data.get("table") or {"header": [], "rows": [], "total": 0}
    context = {
        "job": job,
        "method": method,
        "result": data,
        "stats": summary(method, data),
        "parameters": parameters(method, job.params),
        "conventions": conventions(method, data),
        "header": labels.header(table["header"], method.columns),
        "rows": [[_cell(v) for v in row] for row in labels.rows(table["header"], table["rows"][:200])],
        "rows_total": table.get("total", len(table["rows"])),
        "extra_tables": [_shown_table(method, t) for t in data.get("tables", {}).values()],
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        "analysis_layers": layers(method, data),
        **method.page(data),
    }
    return render(request, "observatory/result.html", context)


SYNTHETIC_SUFFIX = "-sinteticos"
SYNTHETIC_COLUMN = "datos_sinteticos"


def _shown_table(method, table: dict) -> dict:
    key = table.get("key", "")
    return {
        "title": labels.TABLE_TITLES.get(key, key),
        "key": key,
        "header": labels.header(table["header"], method.columns),
        "rows": [[_cell(v) for v in row] for row in labels.rows(table["header"], table["rows"])],
    }


def _download_table(job, method, which: str) -> tuple[list, list]:
    """The header and rows of a result's table (or of one of its extra tables) as the downloads give them: the
    columns and coded values in words, numbers at full precision; synthetic data end with a `datos_sinteticos`
    column."""
    if which:
        table = (job.result.get("tables") or {}).get(which)
        if table is None:
            raise Http404
    else:
        table = job.result.get("table") or {"header": [], "rows": []}
    head = labels.header(table["header"], method.columns)
    body = labels.rows(table["header"], table["rows"])
    if job.result.get("synthetic"):
        head.append(SYNTHETIC_COLUMN)
        yes = _("yes")
        body = [list(row) + [yes] for row in body]
    return head, body


@require_GET
def download(request, pk, fmt):
    """CSV and XLSX: the table with translated headers and values (what the page shows, every row). GeoJSON: the
    map layer, with `synthetic: true` in the collection's properties when the data are synthetic. JSON: the whole
    result with the engine's own keys and values (machine-readable, as the CLI writes them). Synthetic data add
    "-sinteticos" to the file name."""
    job, method = _done_job(request, pk)
    require(request.user, "export", Incident)
    if job.status != Job.Status.DONE or not job.result:
        raise Http404
    synthetic = bool(job.result.get("synthetic"))
    which = request.GET.get("tabla", "")
    stamp = timezone.localtime(job.finished_at or timezone.now()).strftime("%Y%m%d-%H%M")
    basename = f"analisis-{method.name.replace('_', '-')}-{job.pk}{'-' + which if which else ''}-{stamp}"
    if synthetic:
        basename += SYNTHETIC_SUFFIX
    if fmt in ("csv", "xlsx"):  # through the one export helper: streamed, formula-looking cells made safe
        head, body = _download_table(job, method, which)
        return table_response(head, body, fmt, basename, sheet_name=f"{method.name}-{job.pk}")
    if fmt == "geojson":
        collection = dict(job.result.get("geojson") or {"type": "FeatureCollection", "features": []})
        if synthetic:
            collection["properties"] = {**(collection.get("properties") or {}), "synthetic": True}
        response = HttpResponse(json.dumps(collection, ensure_ascii=False), content_type="application/geo+json")
    elif fmt == "json":
        body = {
            "method": method.name,
            "job": job.pk,
            "finished_at": job.finished_at.isoformat() if job.finished_at else None,
            **job.result,
        }
        response = HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{basename}.{fmt}"'
    return response


# --- what the result page shows --------------------------------------------------------------------------------


def _cell(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return format_figure(value)
    if isinstance(value, float):
        return formats.number_format(float(f"{value:.6g}"), use_l10n=True)
    return value


def summary(method, data: dict) -> list[tuple[str, object]]:
    stats = data.get("stats") or {}
    rows = [(_("Incidents analysed"), data.get("n"))]
    return [(label, _cell(value)) for label, value in rows + method.summary(data, stats)]  # nothing reads "None"


def parameters(method, params: dict) -> list[tuple[str, str]]:
    """The parameters as the form named them, with the names of the chosen records."""
    from centinela.cameras.models import Device
    from centinela.territory.models import Barrio, Parish

    lookups = {
        "categories": Category,
        "parishes": Parish,
        "treated_parishes": Parish,
        "control_parishes": Parish,
        "treated_barrios": Barrio,
        "cameras": Device,
    }
    out = []
    for name, field in method.form.base_fields.items():
        value = params.get(name)
        if name in lookups:
            ids = [int(v) for v in value or []]
            model = lookups[name]
            shown = (
                ", ".join(
                    str(getattr(o, "code", "") if model is Device else o) for o in model.objects.filter(pk__in=ids)
                )
                if ids
                else _("all")
            )
            if name in ("cameras", "treated_parishes", "treated_barrios") and not ids:
                shown = "—"
        elif name in ("permutations", "seed") and params.get("p_method") == "exact":
            shown = _("does not apply (exact p-values)")
        elif value in (None, "", []):
            shown = "—"
        elif hasattr(field, "choices") and not isinstance(value, list):
            shown = dict((str(k), v) for k, v in field.choices).get(str(value), value)
        elif isinstance(value, bool):
            shown = format_figure(value)
        else:
            shown = value
        out.append((field.label, shown))
    return out


def conventions(method, data: dict) -> list[str]:
    notes = [
        _(
            "Coordinates projected to UTM zone 17 S (EPSG:32717), in metres; dates in Loja's time "
            "(America/Guayaquil); discarded reports are left out."
        )
    ]
    return notes + method.conventions(data)


def layers(method, data: dict) -> list[dict]:
    """The map layers for the result page's script: [{label, style, data}]; a sample of the incidents over the
    result's own layer where it helps to read it."""
    points = data.get("points")
    label = str(method.points_label)
    style = method.points_style
    over = [{"label": label, "style": style, "data": points}] if points else []
    geo = data.get("geojson") or {"type": "FeatureCollection", "features": []}
    return method.layers(data, geo) + over
