"""The observatory's analysis pages: the index of methods, one form per method (which queues a background job and
sends the user to its progress page), and the result of each job: a map layer, the table, the parameters and
conventions, and downloads (CSV, GeoJSON, JSON). Who may run an analysis: whoever may read the incident registry;
a parish president's analyses see only their parish's incidents (the selectors scope them)."""
from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from centinela.accounts.permissions import require
from centinela.incidents.models import Category, Incident
from centinela.jobs import selectors as job_selectors
from centinela.jobs import services as job_services
from centinela.jobs.models import Job
from centinela.lib.exports import table_response
from centinela.lib.views import get_scoped_or_404
from centinela.observatory import labels
from centinela.observatory.forms import NearRepeatForm
from centinela.observatory.methods import BY_NAME, METHODS

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
        "job": job, "method": method, "result": data, "stats": summary(method.name, data),
        "parameters": parameters(method, job.params), "conventions": conventions(method.name, data),
        "header": labels.header(method.name, table["header"]),
        "rows": [[_cell(v) for v in row] for row in labels.rows(table["header"], table["rows"][:200])],
        "rows_total": table.get("total", len(table["rows"])),
        "extra_tables": [_shown_table(method.name, t) for t in data.get("tables", {}).values()],
        "map_tiles": {"url": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        "analysis_layers": layers(method.name, data),
        "knox": knox_table(data["knox"]) if data.get("knox") else None,
    }
    return render(request, "observatory/result.html", context)


SYNTHETIC_SUFFIX = "-sinteticos"
SYNTHETIC_COLUMN = "datos_sinteticos"


def _shown_table(method_name: str, table: dict) -> dict:
    key = table.get("key", "")
    return {"title": labels.TABLE_TITLES.get(key, key), "key": key,
            "header": labels.header(method_name, table["header"]),
            "rows": [[_cell(v) for v in row] for row in labels.rows(table["header"], table["rows"])]}


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
    head = labels.header(method.name, table["header"])
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
        body = {"method": method.name, "job": job.pk, "finished_at": job.finished_at.isoformat() if job.finished_at else None,
                **job.result}
        response = HttpResponse(json.dumps(body, ensure_ascii=False, indent=1), content_type="application/json")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{basename}.{fmt}"'
    return response


# --- what the result page shows --------------------------------------------------------------------------------


def _fmt(value, digits=3):
    """A figure in the page's language (es-EC: 1.234,5)."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, float):
        return formats.number_format(round(value, digits), use_l10n=True, force_grouping=abs(value) >= 10_000)
    return value


def _cell(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _fmt(value)
    if isinstance(value, float):
        return formats.number_format(float(f"{value:.6g}"), use_l10n=True)
    return value


def _pct(value):
    return "—" if value is None else f"{formats.number_format(round(100 * float(value), 1), 1, use_l10n=True)} %"


def summary(name: str, data: dict) -> list[tuple[str, object]]:
    stats = data.get("stats") or {}
    rows = [(_("Incidents analysed"), data.get("n"))]
    if name == "kde":
        rows += [(_("Bandwidth (m)"), _fmt(stats.get("bandwidth_m"), 1)),
                 (_("Bandwidth rule"), labels.word("bandwidth_rule", stats.get("bandwidth_rule"))),
                 (_("Kernel"), labels.word("kernel", stats.get("kernel"))),
                 (_("Highest density (incidents per km²)"), _fmt(stats.get("max_density"), 1)),
                 (_("Cells on the map"), data["geojson"].get("total"))]
    elif name == "gistar":
        cats = stats.get("categories") or {}
        rows += [(_("Cells tested"), stats.get("n")), (_("Significant cells"), stats.get("significant")),
                 (_("Method of the p-values"), labels.word("p_method", stats.get("p_method")))]
        if stats.get("p_method") == "mc":
            rows += [(_("Permutations"), stats.get("permutations")), (_("Random seed"), stats.get("seed"))]
        rows += [(GISTAR_LABELS.get(label, label), count) for label, count in cats.items()
                 if label != "not significant"]
    elif name == "near_repeat":
        knox = data.get("knox") or {}
        rows += [(_("Pairs of incidents"), knox.get("pairs")), (_("Pairs within the largest distance"),
                                                                  knox.get("close_pairs")),
                 (_("Permutations"), knox.get("permutations")), (_("Random seed"), knox.get("seed"))]
    elif name == "coverage":
        rows += [(_("Incidents seen by a working camera"), stats.get("seen")),
                 (_("Share seen"), _pct(stats.get("share"))),
                 (_("Cameras considered"), stats.get("cameras")),
                 (_("Cameras with incidents in view"), stats.get("cameras_with_incidents"))]
    elif name == "placement":
        rows += [(_("Candidate sites"), stats.get("candidates")),
                 (_("Cameras in service counted"), stats.get("existing_cameras")),
                 (_("Incidents seen by the cameras in service now"), _pct(stats.get("seen_now_share"))),
                 (_("Incidents covered with the new cameras"), _pct(stats.get("share"))),
                 (_("Proven optimal"), _fmt(stats.get("optimal"))), (_("Gap to the best bound"), _pct(stats.get("gap"))),
                 (_("Greedy's gap"), _pct(stats.get("greedy_gap")))]
    elif name == "impact":
        rows += _impact_summary(stats)
    elif name == "accuracy":
        rows += [(_("Incidents in the training period"), stats.get("train_n")),
                 (_("Incidents in the test period"), stats.get("test_n")),
                 (_("Cells flagged"), stats.get("cells")),
                 (_("Area flagged (km²)"), _fmt(stats.get("area_km2"), 3)),
                 (_("Study area (km²)"), _fmt(stats.get("study_km2"), 2)),
                 (_("Hit rate"), _pct(stats.get("hit_rate"))),
                 (_("PAI"), _fmt(stats.get("pai"), 2)), (_("Best PAI possible"), _fmt(stats.get("max_pai"), 2)),
                 (_("PEI"), _fmt(stats.get("pei"), 2)),
                 (_("Test incidents outside the study area"), stats.get("outside"))]
    return rows


WDQ_TEXTS = {
    "the control area has no incidents in a period: the WDQ is undefined":
        gettext_lazy("the control area has no incidents in a period: the WDQ is undefined"),
    "no success in the treated area (it did not improve relative to the control): the WDQ is not interpretable":
        gettext_lazy("no success in the treated area (it did not improve relative to the control): the WDQ is not "
                     "interpretable"),
    "diffusion of benefits larger than the direct effect":
        gettext_lazy("diffusion of benefits larger than the direct effect"),
    "diffusion of benefits to the buffer, smaller than the direct effect":
        gettext_lazy("diffusion of benefits to the buffer, smaller than the direct effect"),
    "neither displacement nor diffusion of benefits": gettext_lazy("neither displacement nor diffusion of benefits"),
    "some displacement to the buffer, smaller than the direct effect (net benefit)":
        gettext_lazy("some displacement to the buffer, smaller than the direct effect (net benefit)"),
    "displacement to the buffer larger than the direct effect (net loss)":
        gettext_lazy("displacement to the buffer larger than the direct effect (net loss)"),
}


def _impact_summary(stats: dict) -> list:
    counts = stats.get("counts") or {}
    names = {"treated": _("Treated area"), "buffer": _("Buffer ring"), "control": _("Control area")}
    rows = [(_("%(area)s: before → after") % {"area": names[k]}, f"{v[0]} → {v[1]}")
            for k, v in counts.items() if k in names]
    d = stats.get("did") or {}
    if d:
        low, high = d.get("ratio_low"), d.get("ratio_high")
        rows.append((_("Relative effect (after/before, treated over control)"),
                     f"{_fmt(d.get('ratio'), 2)} ({_fmt(low, 2)}–{_fmt(high, 2)})" if d.get("ratio") is not None
                     else "—"))
        rows.append((_("Relative change"), "—" if d.get("percent_change") is None
                     else ("+" if d["percent_change"] > 0 else "") + _pct(d["percent_change"] / 100)))
        rows.append((_("Difference in differences (incidents per day)") if d.get("per_day")
                     else _("Difference in differences (incidents)"),
                     f"{_fmt(d.get('did'), 2)} ({_fmt(d.get('did_low'), 2)}–{_fmt(d.get('did_high'), 2)})"))
        if low is not None and high is not None:
            if high < 1:
                verdict = _("Incidents fell in the treated area relative to the control (the 95 percent interval lies "
                            "below 1).")
            elif low > 1:
                verdict = _("Incidents rose in the treated area relative to the control (the 95 percent interval lies "
                            "above 1).")
            else:
                verdict = _("No significant relative change (the 95 percent interval includes 1).")
            rows.append((_("Reading"), verdict))
    w = stats.get("wdq")
    if w:
        rows.append((_("Weighted displacement quotient (WDQ)"), _fmt(w.get("wdq"), 2)))
        rows.append((_("WDQ reading"), WDQ_TEXTS.get(w.get("interpretation"), w.get("interpretation"))))
        rows.append((_("Total net effect (incidents prevented)"), _fmt(w.get("total_net_effect"), 1)))
    return rows


GISTAR_LABELS = labels.GISTAR_CATEGORIES


def parameters(method, params: dict) -> list[tuple[str, str]]:
    """The parameters as the form named them, with the names of the chosen records."""
    from centinela.cameras.models import Device
    from centinela.territory.models import Barrio, Parish

    lookups = {"categories": Category, "parishes": Parish, "treated_parishes": Parish, "control_parishes": Parish,
               "treated_barrios": Barrio, "cameras": Device}
    out = []
    for name, field in method.form.base_fields.items():
        value = params.get(name)
        if name in lookups:
            ids = [int(v) for v in value or []]
            model = lookups[name]
            shown = ", ".join(str(getattr(o, "code", "") if model is Device else o)
                              for o in model.objects.filter(pk__in=ids)) if ids else _("all")
            if name in ("cameras", "treated_parishes", "treated_barrios") and not ids:
                shown = "—"
        elif name in ("permutations", "seed") and params.get("p_method") == "exact":
            shown = _("does not apply (exact p-values)")
        elif value in (None, "", []):
            shown = "—"
        elif hasattr(field, "choices") and not isinstance(value, list):
            shown = dict((str(k), v) for k, v in field.choices).get(str(value), value)
        elif isinstance(value, bool):
            shown = _fmt(value)
        else:
            shown = value
        out.append((field.label, shown))
    return out


def conventions(name: str, data: dict) -> list[str]:
    notes = [_("Coordinates projected to UTM zone 17 S (EPSG:32717), in metres; dates in Loja's time "
               "(America/Guayaquil); discarded reports are left out.")]
    if name == "near_repeat":
        knox = data.get("knox") or {}
        notes.append(_("Bands are half-open: a pair is in the band [a, b) when a ≤ distance < b metres and a ≤ days "
                       "apart < b. The first row holds pairs at the same place (under %(s)s m); the last row and "
                       "column, everything from the largest edge on. Distance: %(m)s. Expected counts: the exact "
                       "average if the dates were shuffled among the places; p-value: share of %(p)s random "
                       "shuffles with at least as many pairs (seed %(seed)s). Each pair counts once.")
                     % {"s": knox.get("same_location"),
                        "m": dict(NearRepeatForm.base_fields["metric"].choices).get(knox.get("metric"), knox.get("metric")),
                        "p": knox.get("permutations"),
                        "seed": knox.get("seed")})
    elif name == "kde":
        notes.append(_("Density in incidents per km² at each cell's centre; only cells with a density above zero "
                       "are listed and mapped (at most the 5,000 densest on the map)."))
    elif name == "gistar":
        notes.append(_("A cell's statistic adds its own count and its neighbours'; hot and cold spots at 90, 95 and "
                       "99 percent confidence (two-sided), after the false discovery rate correction when one was "
                       "given. Only significant cells are mapped; the table lists cells with incidents or "
                       "significance."))
    elif name == "coverage":
        notes.append(_("An incident is seen when it lies in the view sector of a camera (its bearing, angle and "
                       "range today) that was working at the incident's time: installed, in service by its status "
                       "history and not in an outage recorded by the monitor (the rule of the automatic sightings). "
                       "Cameras not in service today count for the years they worked. The map shows a sample of at "
                       "most 3,000 incidents."))
    elif name == "placement":
        notes.append(_("A camera is taken to watch every incident within the radius of its site (a disc); cameras "
                       "in service count with the same radius. Candidate sites: the places of the gazetteer and a "
                       "grid over the urban area, keeping grid points within the radius of an incident."))
    elif name == "impact":
        notes.append(_("Periods include their first and last days. The control area leaves out the treated area "
                       "and its buffer ring. Relative effect: (treated after / before) over (control after / "
                       "before), below 1 when incidents fell more in the treated area, with a 95 percent Poisson "
                       "interval; WDQ after Bowers and Johnson (2003)."))
    elif name == "accuracy":
        notes.append(_("Hit rate: share of the test period's incidents in the flagged cells. PAI: hit rate over "
                       "the share of the area flagged. PEI: PAI over the best PAI possible with the same area. The "
                       "study area is the cells whose centre lies in the parishes analysed."))
    return notes


def layers(name: str, data: dict) -> list[dict]:
    """The map layers for the result page's script: [{label, style, data}]; a sample of the incidents over the
    result's own layer where it helps to read it."""
    points = data.get("points")
    label = _("Incidents of the test period") if name == "accuracy" else _("Incidents analysed")
    style = "seen" if name == "coverage" else "points"
    over = [{"label": label, "style": style, "data": points}] if points else []
    return _result_layers(name, data) + over


def _result_layers(name: str, data: dict) -> list[dict]:
    geo = data.get("geojson") or {"type": "FeatureCollection", "features": []}
    if name == "kde":
        return [{"label": _("Density"), "style": "density", "key": "density", "data": geo}]
    if name == "gistar":
        return [{"label": _("Hot and cold spots"), "style": "gistar", "data": geo}]
    if name == "near_repeat":
        return [{"label": _("Incidents analysed"), "style": "points", "data": geo}]
    if name == "coverage":
        return [{"label": _("Camera views"), "style": "sectors", "data": geo}]
    if name == "placement":
        return [{"label": _("Cameras in service"), "style": "existing", "data": data.get("existing") or geo},
                {"label": _("Ground the new cameras watch"), "style": "discs", "data": data.get("discs") or geo},
                {"label": _("New camera sites"), "style": "sites", "data": geo}]
    if name == "impact":
        return [{"label": _("Areas compared"), "style": "areas", "data": geo}]
    if name == "accuracy":
        return [{"label": _("Cells flagged by the prediction"), "style": "density", "key": "score", "data": geo}]
    return [{"label": name, "style": "points", "data": geo}]


def knox_table(knox: dict) -> dict:
    """The near-repeat table with each cell coloured by its Knox ratio (red above 1, blue below) and marked when
    significant (p ≤ 0.05)."""
    rows = []
    for r, label in enumerate(knox["row_labels"]):
        cells = []
        for c, _col in enumerate(knox["col_labels"]):
            ratio = knox["ratio"][r][c]
            p = knox["p_value"][r][c]
            cells.append({"observed": knox["observed"][r][c], "expected": knox["expected"][r][c], "ratio": ratio,
                          "p": p, "significant": p is not None and p <= 0.05, "colour": _heat(ratio)})
        rows.append({"label": label, "cells": cells})
    return {"columns": knox["col_labels"], "rows": rows}


def _heat(ratio) -> str:
    if ratio is None:
        return "#f4f6f6"
    if ratio >= 1:
        strength = min(1.0, (ratio - 1) / 1.0)
        return f"rgba(192, 57, 43, {0.08 + 0.6 * strength:.2f})"
    strength = min(1.0, 1 - ratio)
    return f"rgba(36, 113, 163, {0.08 + 0.5 * strength:.2f})"
