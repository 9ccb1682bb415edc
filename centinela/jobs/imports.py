"""A confirmed import of the one import page (`lib.import_views.import_page`) applied by the queue, not in the web
request: the page's confirmation holds the upload and queues a job of the import's kind (`queue`), the worker checks
again that the user may still do that import and runs the importer's apply exactly as the request did (one
transaction, the audit entry naming the user through auditlog's actor, the rows the user chose to leave out left
out and their download written), and the job's result leads back to the import page (`?applied=<job id>`), which
says what was saved as the request said it (`applied_result`).

An app declares each of its imports once, in its `jobs.py`:

    import_job_kind("activities.import", label=gettext_lazy("Activity import"), make_importer=...,
                    may_import=..., summary=..., page_url=...)

The incident and boundary imports have job kinds of their own (`incidents/jobs.py`, `territory/jobs.py`): they
stage a million rows, report progress from inside their transaction and compute figures after."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from auditlog.context import set_actor
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from centinela.jobs.registry import JobError, job_kind
from centinela.jobs.selectors import own_result
from centinela.jobs.services import held_path, hold, submit
from centinela.lib.import_views import keep_rejected_in_job
from centinela.lib.imports import Importer, ImportResult, run_import

SHOWN_PROBLEMS = 20


def nothing_imported(problems) -> JobError:
    """The failure of an import job whose file no longer passed when it ran (the data changed since the preview):
    how many problems, the first SHOWN_PROBLEMS of them, and how many more."""
    shown = "; ".join(str(p) for p in problems[:SHOWN_PROBLEMS])
    more = len(problems) - SHOWN_PROBLEMS
    return JobError(
        _("%(n)s problems; nothing was imported.") % {"n": len(problems)}
        + " "
        + shown
        + (" " + _("(and %(n)s more)") % {"n": more} if more > 0 else "")
    )


def import_job_kind(
    name: str,
    *,
    label,
    make_importer: Callable[[object, dict, frozenset[int]], Importer],
    may_import: Callable[[object, dict], bool],
    summary: Callable[[ImportResult, dict], tuple[str, str]],
    page_url: Callable[[dict], str],
):
    """Register the job kind `name` that applies a confirmed upload of an import page.

    `make_importer(user, params, skip)`: the importer the page used (params: the form's values and what the page's
    view added to them; skip: the row numbers the user chose to leave out); it raises JobError when what it imports
    into is gone. `may_import(user, params)`: the page's own permission check, asked again in the worker (a right,
    or the account, can be taken away while the job waits). `summary(result, params) -> (message, url)`: what the
    page said once the file was applied (its counts) and where it led. `page_url(params)`: the import page, where
    the job's result is shown (`?applied=<job id>`)."""

    def result_url(job):
        return f"{page_url(job.params)}?{urlencode({'applied': job.pk})}"

    @job_kind(name, label=label, result_url=result_url)
    def run(job, progress):
        params = job.params
        path = held_path(job)  # kept by the queue until the job has ended (a retried job reads it again)
        with translation.override(settings.LANGUAGE_CODE):
            user = job.created_by
            if user is None or not user.is_active or not may_import(user, params):
                raise JobError(_("The account that asked for this import may no longer do it; nothing was imported."))
            if path is None or not path.exists():
                raise JobError(_("The uploaded file is no longer there; upload it again."))
            skip = frozenset(params.get("skip") or ())
            progress(0.05, _("Reading the file"))
            # the rows left out, written where the page's download finds them (never read again in a web request)
            kept = keep_rejected_in_job(params, path)
            try:
                with set_actor(user):  # the import's audit entry names who asked for it, as in the request
                    result = run_import(make_importer(user, params, skip), path, filename=params.get("filename", ""))
            except (ValidationError, PermissionDenied) as exc:  # a rule refused a row at the last moment
                raise JobError("; ".join(getattr(exc, "messages", [])) or _("Nothing was imported.")) from None
            if not result.ok:  # the data changed since the preview: nothing was imported
                raise nothing_imported(result.problems)
            message, url = summary(result, params)
            progress(1.0, message)
        return {
            "counts": result.counts,
            "message": message,
            "url": url,
            "filename": params.get("filename", ""),
            "rejected": len(skip),
            "rejected_rows": sorted(skip),
            # the job's page and the result page offer the rows left out, when they could be kept
            "rejected_urls": params.get("rejected_urls") if kept else None,
        }

    return run


def queue(request, kind: str, path, params: dict, skip: frozenset[int] = frozenset()) -> str:
    """`confirm_as_job` of an import page: the stashed upload held for the job (until it has ended), the job queued
    for the page's user, and the address of its page, which follows the job to its result."""
    job = submit(request.user, kind, {**params, "file": hold(path), "skip": sorted(skip)})
    messages.success(request, _("The import runs in the background; this page follows it."))
    return reverse("jobs:job_detail", args=[job.pk]) + "?follow=1"


def applied_result(user, kind: str) -> Callable[[str], dict | None]:
    """`applied` of an import page: the result of `user`'s finished job of `kind` (None for anyone else's)."""
    return lambda job_id: own_result(user, job_id, kind)
