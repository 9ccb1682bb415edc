"""The one upload -> validate -> preview -> confirm page behind every import: the view flow over lib.imports
(run_import)
and lib.uploads (stash, path_of, discard); each import view supplies only its form, importer and success message.
Where the rows of a file are independent, the page also offers to apply only the valid rows and hands the rejected
ones back (`rejected_response`: the user's own columns and a reason column, as CSV or XLSX) to be fixed and
uploaded again."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from centinela.lib import uploads
from centinela.lib.exports import FORMATS, table_response
from centinela.lib.imports import Importer, ImportResult, Problem, run_import
from centinela.lib.tables import UnreadableTable, original_rows

REASONS = ".rejected.json"  # beside the stashed upload: {row number: the row's problems}


def problem_rows(problems: list[Problem]) -> list[int]:
    """The row numbers that have a problem (file-wide problems have none)."""
    return sorted({p.row for p in problems if p.row is not None})


def reasons_by_row(problems: list[Problem]) -> dict[int, str]:
    reasons: dict[int, list[str]] = {}
    for p in problems:
        if p.row is not None:
            reasons.setdefault(p.row, []).append(p.message)
    return {row: "; ".join(messages) for row, messages in reasons.items()}


def rejected_rows(path: Path, reasons: dict[int, str]) -> tuple[list[str], Iterator[list]]:
    """(header, rows) of the rejected rows of the file at `path`: its own header and cells, as the user wrote them,
    and a last column with the reason; read a row at a time (lib.tables.original_rows), so a large file is never
    held. A fixed copy uploads again as it is (importers ignore a column they do not read)."""
    header, body = original_rows(path)
    width = len(header)

    def wanted():
        for number, cells in body:
            reason = reasons.get(number)
            if reason is not None:
                yield [*cells, *[""] * (width - len(cells)), reason]

    return [*header, _("reason")], wanted()


def rejected_response(path: Path, reasons: dict[int, str], fmt: str, filename: str):
    """The download of the rejected rows (`fmt` csv or xlsx), named after the user's file, through the one export
    helper (cells made safe for spreadsheet programs; CSV streamed, XLSX written in write-only mode)."""
    header, body = rejected_rows(path, reasons)
    stem = Path(filename or "archivo").stem[:80] or "archivo"
    rejected = _("rejected")
    return table_response(header, body, fmt, f"{stem}-{rejected}", sheet_name=rejected)


def _keep_reasons(request, token: str, problems: list[Problem]) -> None:
    path = uploads.companion(request, token, REASONS)
    if path is not None:
        path.write_text(json.dumps(reasons_by_row(problems)), encoding="utf-8")


def _reasons(request, token: str) -> dict[int, str] | None:
    path = uploads.companion(request, token, REASONS)
    if path is None or not path.exists():
        return None
    return {int(row): reason for row, reason in json.loads(path.read_text(encoding="utf-8")).items()}


def import_page(
    request,
    *,
    template: str,
    context: dict,
    form_class,
    make_importer: Callable[..., Importer],
    extensions: set[str],
    max_bytes: int,
    session_key: str,
    on_success: Callable[[ImportResult, dict], tuple[str, str]],
    retry_url: str,
    skip_problem_rows: bool = False,
    confirm_as_job: Callable[..., str] | None = None,  # (path, params[, skipped rows])
):
    """Run one import page.

    GET shows `form_class`; a POST with a file stashes it and dry-runs `make_importer(params)` (params: the form's other
    fields), showing the preview and a confirmation token, or the problems. A POST with that token re-runs the import
    for real and redirects with `on_success(result, params) -> (message, url)`, or shows the problems when the data
    changed meanwhile; an unknown or expired token sends the user back to `retry_url`.
    With `confirm_as_job`, the confirmation does not import in the request: `confirm_as_job(path, params)` takes the
    stashed file (moves it where the job will find it), queues a background job that runs the import, and returns
    the URL to follow (the job's page with its progress bar).
    With `skip_problem_rows` (for files whose rows are independent), when only some rows have problems the preview
    also shows `partial` (a dry run without them), and a confirmation that says `apply_valid` (the checkbox the
    user ticks) imports just those valid rows: `make_importer(params, skip=frozenset of row numbers)`, whose
    `run_import` leaves them out and audits how many were applied and rejected. Whenever rows have problems, the
    page also offers them for download (`rejected_urls`: GET ?rejected=token&format=csv|xlsx) with the reasons.
    `confirm_as_job` then receives the row numbers to skip as a third argument.
    """

    def importer(params, skip=()):
        return make_importer(params, skip=frozenset(skip)) if skip_problem_rows else make_importer(params)

    if request.method == "GET" and request.GET.get("rejected"):  # the rejected rows of a previewed file
        token, fmt = request.GET["rejected"], request.GET.get("format", "csv")
        path, reasons = uploads.path_of(request, token), _reasons(request, token)
        if path is None or reasons is None or fmt not in FORMATS:
            messages.error(request, _("That upload has expired; upload the file again."))
            return redirect(retry_url)
        original = request.session.get(uploads.SESSION_KEY, {}).get(token, {}).get("original", "")
        try:
            return rejected_response(path, reasons, fmt, original)
        except UnreadableTable:
            messages.error(request, _("That upload has expired; upload the file again."))
            return redirect(retry_url)

    if request.method == "POST" and request.POST.get("token"):  # confirmation of a previewed file
        token = request.POST["token"]
        pending = request.session.get(session_key, {})
        if pending.get(token, {}).get("skip") and not request.POST.get("apply_valid"):
            messages.error(request, _("Tick the box to import only the valid rows, or correct the file first."))
            return redirect(retry_url)
        stored = pending.pop(token, None)
        request.session[session_key] = pending
        path = uploads.path_of(request, token)
        if stored is None or path is None:
            messages.error(request, _("That upload has expired; upload the file again."))
            return redirect(retry_url)
        if confirm_as_job is not None:
            try:
                if skip_problem_rows:
                    url = confirm_as_job(path, stored["params"], frozenset(stored["skip"]))
                else:
                    url = confirm_as_job(path, stored["params"])
            finally:
                uploads.discard(request, token)
            return redirect(url)
        try:
            result = run_import(importer(stored["params"], stored["skip"]), path)
        except (ValidationError, PermissionDenied) as exc:  # a rule refused a row at the last moment: nothing saved
            messages.error(request, "; ".join(getattr(exc, "messages", [])) or _("Nothing was imported."))
            return redirect(retry_url)
        finally:
            uploads.discard(request, token)
        if result.ok:
            message, url = on_success(result, stored["params"])
            messages.success(request, message)
            return redirect(url)
        context.update(  # the data changed since the preview: show what is wrong now
            form=form_class(initial=stored["params"]), result=result, problem_rows=problem_rows(result.problems)
        )
        return render(request, template, context)

    # a value in the address (?profile=3: the page's "cancel" after a preview) is kept as the form's choice
    initial = {k: v for k, v in request.GET.items() if k not in ("rejected", "format")}
    form = form_class(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        params = {k: v for k, v in form.cleaned_data.items() if k != "file"}
        try:
            token = uploads.stash(request, form.cleaned_data["file"], extensions=extensions, max_bytes=max_bytes)
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            path = uploads.path_of(request, token)
            result = run_import(importer(params), path, dry_run=True)
            bad_rows = problem_rows(result.problems)
            partial = None
            if skip_problem_rows and not result.ok and not any(p.row is None for p in result.problems):
                partial = run_import(importer(params, bad_rows), path, dry_run=True)
                if not partial.ok or not partial.rows:
                    partial = None
            if result.ok or partial is not None:
                pending = request.session.get(session_key, {})
                pending[token] = {"params": params, "skip": bad_rows if partial is not None else []}
                request.session[session_key] = pending
                context["token"] = token
            if skip_problem_rows and bad_rows:  # kept (until the upload expires) for the download of those rows
                _keep_reasons(request, token, result.problems)
                context["rejected_urls"] = {
                    fmt: f"{request.path}?{urlencode({'rejected': token, 'format': fmt})}" for fmt in ("csv", "xlsx")
                }
            elif not (result.ok or partial is not None):
                uploads.discard(request, token)
            context.update(
                result=result, partial=partial, problem_rows=bad_rows, filename=form.cleaned_data["file"].name
            )
    context["form"] = form
    return render(request, template, context)
