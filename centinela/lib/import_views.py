"""The one upload -> validate -> preview -> confirm page behind every import: the view flow over lib.imports
(run_import)
and lib.uploads (stash, path_of, discard); each import view supplies only its form, importer and success message.
Where the rows of a file are independent, the page also offers to apply only the valid rows and hands the rejected
ones back (`rejected_response`: the user's own columns and a reason column, as CSV or XLSX) to be fixed and
uploaded again: from the preview, and still after the valid rows were applied (the result page, or the job's page
when the import ran as a job), for as long as uploads are kept (lib.uploads.MAX_AGE_SECONDS)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from centinela.lib import uploads
from centinela.lib.exports import table_response
from centinela.lib.imports import Importer, ImportResult, Problem, run_import
from centinela.lib.tables import UnreadableTable, original_rows

REASONS = ".rejected.json"  # beside the stashed upload: {row number: the row's problems}
# once the valid rows were applied (the upload itself is gone or moved to its job): the rejected rows as they will
# download, one JSON list a line, the header first
REJECTED_ROWS = ".rejected-rows.jsonl"
REJECTED_FORMATS = ("csv", "xlsx")
Reader = Callable[[Path], tuple[list[str], Iterator[tuple[int, list]]]]


def problem_rows(problems: list[Problem]) -> list[int]:
    """The row numbers that have a problem (file-wide problems have none)."""
    return sorted({p.row for p in problems if p.row is not None})


def reasons_by_row(problems: list[Problem]) -> dict[int, str]:
    reasons: dict[int, list[str]] = {}
    for p in problems:
        if p.row is not None:
            reasons.setdefault(p.row, []).append(p.message)
    return {row: "; ".join(messages) for row, messages in reasons.items()}


def rejected_rows(
    path: Path, reasons: dict[int, str], reader: Reader = original_rows
) -> tuple[list[str], Iterator[list]]:
    """(header, rows) of the rejected rows of the file at `path`: its own header and cells, as the user wrote them,
    and a last column with the reason; read a row at a time (`reader`: lib.tables.original_rows for CSV and XLSX),
    so a large file is never held. A fixed copy uploads again as it is (importers ignore a column they do not
    read)."""
    header, body = reader(path)
    width = len(header)

    def wanted():
        for number, cells in body:
            reason = reasons.get(number)
            if reason is not None:
                yield [*cells, *[""] * (width - len(cells)), reason]

    return [*header, _("reason")], wanted()


def rejected_response(path: Path, reasons: dict[int, str], fmt: str, filename: str, reader: Reader = original_rows):
    """The download of the rejected rows (`fmt` csv or xlsx), named after the user's file, through the one export
    helper (cells made safe for spreadsheet programs; CSV streamed, XLSX written in write-only mode)."""
    header, body = rejected_rows(path, reasons, reader)
    return _download(header, body, fmt, filename)


def _download(header, body, fmt: str, filename: str):
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


def _keep_rejected_rows(request, token: str, path: Path, reader: Reader) -> bool:
    """Before the upload goes (applied, or moved to its job): its rejected rows written beside it as they will
    download, so the download outlives it. False when there are none to keep."""
    reasons, kept = _reasons(request, token), uploads.companion(request, token, REJECTED_ROWS)
    if not reasons or kept is None:
        return False
    try:
        header, body = rejected_rows(path, reasons, reader)
        with kept.open("w", encoding="utf-8") as out:
            for row in (header, *body):
                out.write(json.dumps(list(row), default=str, ensure_ascii=False) + "\n")
    except UnreadableTable:
        kept.unlink(missing_ok=True)
        return False
    return True


def _kept_rejected_rows(path: Path) -> tuple[list[str], Iterator[list]]:
    def lines():
        with path.open(encoding="utf-8") as kept:
            yield from (json.loads(line) for line in kept)

    rows = lines()
    return next(rows), rows


def _rejected_urls(request, token: str) -> dict[str, str]:
    return {fmt: f"{request.path}?{urlencode({'rejected': token, 'format': fmt})}" for fmt in REJECTED_FORMATS}


def _rejected_download(request, token: str, fmt: str, retry_url: str, reader: Reader):
    """GET ?rejected=token&format=csv|xlsx: the rejected rows of a previewed file, or of an applied one."""
    if fmt not in REJECTED_FORMATS:
        return HttpResponseBadRequest(
            _("The format %(format)s is not offered for the rejected rows; choose CSV or XLSX.") % {"format": fmt},
            content_type="text/plain; charset=utf-8",
        )
    original = request.session.get(uploads.SESSION_KEY, {}).get(token, {}).get("original", "")
    kept = uploads.companion(request, token, REJECTED_ROWS)
    if kept is not None and kept.exists():  # the valid rows were applied; the upload is gone
        header, body = _kept_rejected_rows(kept)
        return _download(header, body, fmt, original)
    path, reasons = uploads.path_of(request, token), _reasons(request, token)
    if path is not None and reasons is not None:
        try:
            return rejected_response(path, reasons, fmt, original, reader)
        except UnreadableTable:
            pass
    messages.error(request, _("That upload has expired; upload the file again."))
    return redirect(retry_url)


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
    rejected_reader: Reader = original_rows,
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
    page also offers them for download (`rejected_urls`: GET ?rejected=token&format=csv|xlsx) with the reasons,
    read from the file by `rejected_reader` (lib.tables.original_rows: CSV and XLSX). `confirm_as_job` then
    receives the row numbers to skip as a third argument.
    Once only the valid rows were applied, the rejected rows stay downloadable (kept beside the upload, which goes):
    the confirmation leads to a result page (GET ?applied=token: the success message, the downloads and the way on)
    or, for a job, passes the download addresses in the job's params (`rejected_urls`, which the job returns in its
    result for its page to offer). The params given to `confirm_as_job` also carry the user's file name
    (`filename`), which the audit entry names.
    """

    def importer(params, skip=()):
        return make_importer(params, skip=frozenset(skip)) if skip_problem_rows else make_importer(params)

    done_key = f"{session_key}:done"
    if request.method == "GET" and request.GET.get("rejected"):  # the rejected rows of a previewed or applied file
        return _rejected_download(
            request, request.GET["rejected"], request.GET.get("format", "csv"), retry_url, rejected_reader
        )

    if request.method == "GET" and request.GET.get("applied"):  # the result of an import of the valid rows only
        token = request.GET["applied"]
        done = request.session.get(done_key, {}).get(token)
        kept = uploads.companion(request, token, REJECTED_ROWS)
        if done is None:
            return redirect(retry_url)
        context.update(
            applied=done,
            rejected_urls=_rejected_urls(request, token) if kept is not None and kept.exists() else None,
            problem_rows=done["rejected"],
        )
        return render(request, "lib/import_done.html", context)

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
        original = request.session.get(uploads.SESSION_KEY, {}).get(token, {}).get("original", "")
        # only the valid rows: their rejected ones stay downloadable once the upload is gone
        keep = bool(stored["skip"]) and _keep_rejected_rows(request, token, path, rejected_reader)
        if confirm_as_job is not None:
            params = {**stored["params"], "filename": original}
            if keep:
                params["rejected_urls"] = _rejected_urls(request, token)
            try:
                if skip_problem_rows:
                    url = confirm_as_job(path, params, frozenset(stored["skip"]))
                else:
                    url = confirm_as_job(path, params)
            finally:
                uploads.discard(request, token, keep=(REJECTED_ROWS,) if keep else ())
            return redirect(url)
        try:
            result = run_import(importer(stored["params"], stored["skip"]), path, filename=original)
        except (ValidationError, PermissionDenied) as exc:  # a rule refused a row at the last moment: nothing saved
            messages.error(request, "; ".join(getattr(exc, "messages", [])) or _("Nothing was imported."))
            keep = False
            return redirect(retry_url)
        finally:
            uploads.discard(request, token, keep=(REJECTED_ROWS,) if keep else ())
        if result.ok:
            message, url = on_success(result, stored["params"])
            messages.success(request, message)
            if keep:  # the result page: the downloads of the rejected rows, and the way on
                done = request.session.get(done_key, {})
                done[token] = {"url": url, "rejected": list(stored["skip"]), "filename": original}
                request.session[done_key] = done
                return redirect(f"{request.path}?{urlencode({'applied': token})}")
            return redirect(url)
        context.update(  # the data changed since the preview: show what is wrong now
            form=form_class(initial=stored["params"]), result=result, problem_rows=problem_rows(result.problems)
        )
        return render(request, template, context)

    # a value in the address (?profile=3: the page's "cancel" after a preview) is kept as the form's choice
    initial = {k: v for k, v in request.GET.items() if k not in ("rejected", "format", "applied")}
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
                context["rejected_urls"] = _rejected_urls(request, token)
            elif not (result.ok or partial is not None):
                uploads.discard(request, token)
            context.update(
                result=result, partial=partial, problem_rows=bad_rows, filename=form.cleaned_data["file"].name
            )
    context["form"] = form
    return render(request, template, context)
