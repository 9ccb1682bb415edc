"""A job's page: a progress bar that follows the worker (htmx polls the status fragment every second) and, when
the job is done, a link to its result."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from centinela.jobs import registry, selectors


def _context(request, pk):
    job = selectors.live_progress(get_object_or_404(selectors.visible_jobs(request.user), pk=pk))
    kind = registry.KINDS.get(job.kind) or registry.get(job.kind)
    result_url = kind.result_url(job) if (kind.result_url and job.status == job.Status.DONE) else None
    return {
        "job": job,
        "kind": kind,
        "result_url": result_url,
        "worker_running": selectors.worker_running(),
        "follow": bool(request.GET.get("follow")),  # go on to the result by itself once the job is done
    }


@require_GET
def job_detail(request, pk):
    return render(request, "jobs/job_detail.html", _context(request, pk))


@require_GET
def job_status(request, pk):
    context = _context(request, pk)
    response = render(request, "jobs/_status.html", context)
    if context["result_url"] and request.GET.get("follow"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = context["result_url"]
    return response


@require_GET
def job_list(request):
    registry.autodiscover()
    jobs = list(selectors.visible_jobs(request.user)[:100])
    for job in jobs:
        selectors.live_progress(job)
        kind = registry.KINDS.get(job.kind)
        job.kind_label = kind.label if kind else job.kind
    return render(request, "jobs/job_list.html", {"jobs": jobs, "worker_running": selectors.worker_running()})
