"""The one upload -> validate -> preview -> confirm page behind every import: the view flow over lib.imports
(run_import) and lib.uploads (stash, path_of, discard); each import view supplies only its form, its importer and
the job that applies it.
Where the rows of a file are independent, the page also offers to apply only the valid rows and hands the rejected
ones back (`RejectedRows`: the user's own columns and a reason column, as CSV or XLSX; another kind of file, such as
a boundary file, in a format of its own) to be fixed and uploaded again: from the preview, and still after the valid
rows were applied (the result page and the job's page), for as long as uploads are kept (lib.uploads.MAX_AGE_SECONDS).
The confirmation is always applied by a background job (`confirm_as_job`; centinela.jobs.imports for most imports),
never in the request; the job writes the rejected rows (`keep_rejected_in_job`): a web request never reads a large
file again to pick its rejected rows. Likewise a large upload is checked by a background
job (`PreviewAsJob`, `check_in_job`) rather than in the request, when the import view offers one: a web worker
never holds a file of a million rows."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from centinela.lib import uploads
from centinela.lib.exports import table_response
from centinela.lib.imports import Importer, ImportResult, Problem, Row, run_import
from centinela.lib.tables import UnreadableTable, original_rows

REASONS = ".rejected.json"  # beside the stashed upload: {row number: the row's problems}
# once the valid rows were applied (the upload itself is gone or moved to its job): the rejected rows as they will
# download, one JSON list a line, the header first
REJECTED_ROWS = ".rejected-rows.jsonl"
REJECTED_FORMATS = ("csv", "xlsx")
NOTED_ROWS = 1000  # a check run by a job keeps what it noted of this many rows at most (the preview counts them all)
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


def rejected_name(filename: str) -> str:
    """The download's name, without extension: the user's file's, marked as its rejected rows
    ("personas-rechazadas")."""
    stem = Path(filename or "archivo").stem[:80] or "archivo"
    rejected = _("rejected")
    return f"{stem}-{rejected}"


def _download(header, body, fmt: str, filename: str):
    return table_response(header, body, fmt, rejected_name(filename), sheet_name=_("rejected"))


class RejectedRows:
    """How an import hands its rejected rows back, to be fixed and uploaded again as they are: a table (CSV or XLSX)
    in the user's own columns and a reason column, read a row at a time from the upload by `reader`
    (lib.tables.original_rows). A file that is no table hands them back in its own format (a subclass:
    territory.boundaries.RejectedFeatures, a GeoJSON of the rejected features)."""

    formats: tuple[str, ...] = REJECTED_FORMATS
    kept_suffix = REJECTED_ROWS  # the rejected rows kept beside the upload once it is gone (applied, or its job's)

    def __init__(self, reader: Reader = original_rows):
        self.reader = reader

    def keep(self, path: Path, reasons: dict[int, str], kept: Path) -> bool:
        """Write the rejected rows of the upload at `path` to `kept` as they will download; False when the upload
        cannot be read (nothing is kept then)."""
        try:
            header, body = rejected_rows(path, reasons, self.reader)
            with kept.open("w", encoding="utf-8") as out:
                for row in (header, *body):
                    out.write(json.dumps(list(row), default=str, ensure_ascii=False) + "\n")
        except UnreadableTable:
            kept.unlink(missing_ok=True)
            return False
        return True

    def from_upload(self, path: Path, reasons: dict[int, str], fmt: str, filename: str):
        """The download, read from the upload itself (a previewed file): raises UnreadableTable."""
        return rejected_response(path, reasons, fmt, filename, self.reader)

    def from_kept(self, kept: Path, fmt: str, filename: str):
        header, body = _kept_rejected_rows(kept)
        return _download(header, body, fmt, filename)


def file_download(path: Path, filename: str, content_type: str):
    """A kept file of rejected rows sent as it is (RejectedRows subclasses whose kept file is the download)."""
    return FileResponse(path.open("rb"), as_attachment=True, filename=filename, content_type=content_type)


def _keep_reasons(request, token: str, problems: list[Problem]) -> None:
    path = uploads.companion(request, token, REASONS)
    if path is not None:
        path.write_text(json.dumps(reasons_by_row(problems)), encoding="utf-8")


def _reasons(request, token: str) -> dict[int, str] | None:
    path = uploads.companion(request, token, REASONS)
    if path is None or not path.exists():
        return None
    return {int(row): reason for row, reason in json.loads(path.read_text(encoding="utf-8")).items()}


def _hand_rejected_to_job(request, token: str, rejected: RejectedRows) -> dict | None:
    """For an import of the valid rows that runs as a job: where the job finds the reasons and writes the rejected
    rows (`keep_rejected_in_job`), beside the upload in var/imports where the page's download looks for them. The
    request reads nothing: a file of a million rows is read again by the worker, not while the user waits."""
    reasons = uploads.companion(request, token, REASONS)
    kept = uploads.companion(request, token, rejected.kept_suffix)
    if reasons is None or kept is None or not reasons.exists():
        return None
    return {"reasons": reasons.name, "kept": kept.name}


def keep_rejected_in_job(params: dict, path: Path, rejected: RejectedRows | None = None) -> bool:
    """In the job (`run_jobs`), before the import: the rejected rows of the held upload at `path` written where the
    page's download finds them, when the page handed them over (`params["rejected"]`, from _hand_rejected_to_job).
    False when there is nothing to keep (a whole file), or the reasons are gone (the job waited longer than uploads
    are kept): the job's page then offers no download."""
    names = params.get("rejected") or {}
    if not names.get("reasons") or not names.get("kept"):
        return False
    rejected = rejected or RejectedRows()
    reasons_file, kept = uploads.kept_file(names["reasons"]), uploads.kept_file(names["kept"])
    if kept.exists():  # a retried job: written by the first attempt
        return True
    if not reasons_file.exists():
        return False
    reasons = {int(row): reason for row, reason in json.loads(reasons_file.read_text(encoding="utf-8")).items()}
    return bool(reasons) and rejected.keep(path, reasons, kept)


def _kept_rejected_rows(path: Path) -> tuple[list[str], Iterator[list]]:
    def lines():
        with path.open(encoding="utf-8") as kept:
            yield from (json.loads(line) for line in kept)

    rows = lines()
    return next(rows), rows


def _rejected_urls(request, token: str, rejected: RejectedRows) -> dict[str, str]:
    return {fmt: f"{request.path}?{urlencode({'rejected': token, 'format': fmt})}" for fmt in rejected.formats}


def _rejected_download(request, token: str, fmt: str, retry_url: str, rejected: RejectedRows):
    """GET ?rejected=token&format=csv|xlsx (or the import's own formats): the rejected rows of a previewed file, or
    of an applied one."""
    if fmt not in rejected.formats:
        return HttpResponseBadRequest(
            _("The format %(format)s is not offered for the rejected rows; choose one of: %(formats)s.")
            % {"format": fmt, "formats": ", ".join(f.upper() for f in rejected.formats)},
            content_type="text/plain; charset=utf-8",
        )
    original = request.session.get(uploads.SESSION_KEY, {}).get(token, {}).get("original", "")
    kept = uploads.companion(request, token, rejected.kept_suffix)
    if kept is not None and kept.exists():  # the valid rows were applied; the upload is gone
        return rejected.from_kept(kept, fmt, original)
    path, reasons = uploads.path_of(request, token), _reasons(request, token)
    if path is not None and reasons is not None:
        try:
            return rejected.from_upload(path, reasons, fmt, original)
        except UnreadableTable:
            pass
    elif reasons is not None:  # the upload went to its job, which has not written them yet
        messages.info(request, _("The rejected rows are ready once the import has run; its page offers them."))
        return redirect(retry_url)
    messages.error(request, _("That upload has expired; upload the file again."))
    return redirect(retry_url)


@dataclass(frozen=True)
class PreviewAsJob:
    """How an import view has a large upload checked by a background job: `submit(params)` queues the job (params:
    see `check_in_job`) and returns the URL of its page, which follows it back to the import page
    (`?checked=<job id>`, the job kind's result URL); `result(job_id)` is the finished job's result when the job is
    the current user's, else None. Uploads of more than `above_bytes` go to the job (default: the setting
    IMPORT_CHECK_IN_REQUEST_MAX_BYTES)."""

    submit: Callable[[dict], str]
    result: Callable[[str], dict | None]
    above_bytes: int | None = None

    def wanted_for(self, path: Path) -> bool:
        limit = settings.IMPORT_CHECK_IN_REQUEST_MAX_BYTES if self.above_bytes is None else self.above_bytes
        return path.stat().st_size > limit


def dry_runs(
    importer: Callable[..., Importer], path: Path | None, *, skip_problem_rows: bool
) -> tuple[ImportResult, list[int], ImportResult | None]:
    """The checks of an upload, the same whether the page runs them or a job (`check_in_job`): the dry run of the
    whole file, the numbers of its rows with problems and, where the rows are independent (`skip_problem_rows`) and
    every problem is a row's, the dry run without those rows (None when there is nothing to offer: no valid row, or
    rows that still fail together). `importer(skip=())` makes the importer, leaving out the rows in `skip`."""
    result = run_import(importer(), path, dry_run=True)
    bad_rows = problem_rows(result.problems)
    partial = None
    if skip_problem_rows and not result.ok and not any(p.row is None for p in result.problems):
        partial = run_import(importer(bad_rows), path, dry_run=True)
        if not partial.ok or not partial.rows:
            partial = None
    return result, bad_rows, partial


def check_in_job(
    make_importer: Callable[..., Importer], params: dict, *, skip_problem_rows: bool, shown: int = 20
) -> dict:
    """In the job (`run_jobs`): the checks the import page runs on an upload (the dry run and, for files whose rows
    are independent, the dry run without the rows that have problems), summarised for the page that shows them.
    `params`: {"upload": the stashed upload (left where it is: the confirmation needs it), "reasons": where the
    rows' problems are written (the page's download and its confirmation read them there), "token", "filename",
    "params": the form's values}. Raises FileNotFoundError when the upload is gone (kept
    lib.uploads.MAX_AGE_SECONDS)."""
    path = Path(params["upload"])
    if not path.exists():
        raise FileNotFoundError(path)

    def importer(skip=()):
        if skip_problem_rows:
            return make_importer(params["params"], skip=frozenset(skip))
        return make_importer(params["params"])

    result, bad_rows, partial = dry_runs(importer, path, skip_problem_rows=skip_problem_rows)
    if skip_problem_rows and bad_rows:
        Path(params["reasons"]).write_text(json.dumps(reasons_by_row(result.problems)), encoding="utf-8")
    rows = result.rows
    sample = getattr(rows, "sample", None)
    # what the preview says of single rows (a boundary's repair): rows in a list (lib.imports.Row), not a column
    # store of a million rows (incidents), which says nothing of single rows
    noted = [r for r in rows if r.notes][:NOTED_ROWS] if isinstance(rows, list) else []
    return {
        "token": params["token"],
        "filename": params["filename"],
        "params": params["params"],
        "ok": result.ok,
        "problems": [str(p) for p in result.problems[:shown]],
        "problem_count": len(result.problems),
        "partial": partial is not None,
        "partial_rows": len(partial.rows) if partial is not None else 0,
        "preview": (partial or result).preview if (result.ok or partial is not None) else None,
        "rows": {
            "encoding": getattr(rows, "encoding", None),
            "delimiter": str(getattr(rows, "delimiter", "") or "") or None,
            "unused": list(getattr(rows, "unused", []) or []),
            "count": len(rows),
            "sample": _jsonable(sample() if callable(sample) and (result.ok or partial is not None) else []),
            "noted": [{"number": r.number, "label": r.label, "notes": [str(n) for n in r.notes]} for r in noted],
        },
    }


def _jsonable(rows: list[dict]) -> list[dict]:
    return [{k: {"datetime": v.isoformat()} if isinstance(v, datetime) else v for k, v in r.items()} for r in rows]


def _from_json(rows: list[dict]) -> list[dict]:
    return [
        {
            k: datetime.fromisoformat(v["datetime"]) if isinstance(v, dict) and "datetime" in v else v
            for k, v in r.items()
        }
        for r in rows
    ]


class _Checked:
    """A check run by a job, in the shape the import templates read of an ImportResult: `problems` counts all of
    them but holds only the first ones (the job kept those), `rows` the reading and the sample."""

    class Problems(list):
        def __init__(self, shown: list[str], total: int):
            super().__init__(shown)
            self.total = total

        def __len__(self):
            return self.total

    class Rows:
        """Counted as all the rows; iterated, the rows the check noted something of (number, label, notes), as a
        template reads a list of lib.imports.Row."""

        def __init__(self, rows: dict, count: int):
            self.encoding, self.delimiter, self.unused = rows["encoding"], rows["delimiter"], rows["unused"]
            self.sample, self.count = _from_json(rows["sample"]), count
            self.noted = [Row(r["number"], r["label"], {}, list(r["notes"])) for r in rows.get("noted", [])]

        def __len__(self):
            return self.count

        def __iter__(self):
            return iter(self.noted)

    def __init__(self, summary: dict, *, partial: bool = False):
        self.ok = summary["ok"] or partial
        self.problems = self.Problems(
            [] if partial else summary["problems"], 0 if partial else summary["problem_count"]
        )
        self.preview = summary["preview"]
        self.rows = self.Rows(summary["rows"], summary["partial_rows"] if partial else summary["rows"]["count"])


def _show_checked(request, summary: dict, *, session_key: str, rejected: RejectedRows, form_class, context: dict):
    """GET ?checked=<job id>: the result of a check run by a job, shown as the page shows its own, with the same
    confirmation token (the upload is still stashed under it) and downloads of the rejected rows."""
    token = summary["token"]
    if uploads.path_of(request, token) is None:
        messages.error(request, _("That upload has expired; upload the file again."))
        return None
    reasons = _reasons(request, token) or {}
    bad_rows = sorted(reasons)
    checked = _Checked(summary)
    if summary["ok"] or summary["partial"]:
        pending = request.session.get(session_key, {})
        pending[token] = {"params": summary["params"], "skip": bad_rows if summary["partial"] else []}
        request.session[session_key] = pending
        context["token"] = token
    if bad_rows:
        context["rejected_urls"] = _rejected_urls(request, token, rejected)
    elif not (summary["ok"] or summary["partial"]):  # nothing to confirm nor to download: the upload goes
        uploads.discard(request, token)
    context.update(
        form=form_class(initial=summary["params"]),
        result=checked,
        partial=_Checked(summary, partial=True) if summary["partial"] else None,
        problem_rows=bad_rows,
        filename=summary["filename"],
    )
    return context


def _show_applied(request, result: dict | None, retry_url: str, context: dict):
    """GET ?applied=<job id>: what the import's job saved, said as the page said it when it imported in the request:
    the message with the counts, then on to where the import leads (`url`) or, when rows were left out, the result
    page with their download and the way on."""
    if result is None:
        messages.error(request, _("That import is not available; it may still be running, or be another user's."))
        return redirect(retry_url)
    messages.success(request, result["message"])
    if not result.get("rejected"):
        return redirect(result["url"])
    context.update(applied=result, rejected_urls=result.get("rejected_urls"), problem_rows=result["rejected_rows"])
    return render(request, "lib/import_done.html", context)


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
    retry_url: str,
    confirm_as_job: Callable[..., str],  # (path, params[, skipped rows]) -> the job's page
    skip_problem_rows: bool = False,
    rejected_reader: Reader = original_rows,
    rejected: RejectedRows | None = None,
    preview_as_job: PreviewAsJob | None = None,
    applied: Callable[[str], dict | None] | None = None,
):
    """Run one import page.

    GET shows `form_class`; a POST with a file stashes it and dry-runs `make_importer(params)` (params: the form's other
    fields), showing the preview and a confirmation token, or the problems; an unknown or expired token sends the
    user back to `retry_url`. The confirmation never imports in the web request: `confirm_as_job(path, params)`
    takes the stashed file (moves it where the job will find it, kept until the job has ended), queues a background
    job that runs the import (all rows or none) and returns the URL to follow (the job's page with its progress
    bar, which goes on to the job's result). For the imports of centinela.jobs.imports, that result is this page
    again (GET ?applied=<job id>): `applied(job id)` is the user's finished job's result, whose message (the counts)
    the page shows, leading on to where the import leads, or, when rows were left out, to a result page with their
    download (lib/import_done.html).
    With `skip_problem_rows` (for files whose rows are independent), when only some rows have problems the preview
    also shows `partial` (a dry run without them), and a confirmation that says `apply_valid` (the checkbox the
    user ticks) imports just those valid rows: `make_importer(params, skip=frozenset of row numbers)`, whose
    `run_import` leaves them out and audits how many were applied and rejected. Whenever rows have problems, the
    page also offers them for download (`rejected_urls`: GET ?rejected=token&format=csv|xlsx) with the reasons,
    read from the file by `rejected_reader` (lib.tables.original_rows: CSV and XLSX), or handed back in a format of
    the import's own by `rejected` (a RejectedRows). `confirm_as_job` then receives the row numbers to skip as a
    third argument.
    Once only the valid rows were applied, the rejected rows stay downloadable (kept beside the upload, which goes):
    the job's params carry the download addresses (`rejected_urls`, which the job returns in its result for its
    pages to offer) and where the job writes the rejected rows (`rejected`: the job calls `keep_rejected_in_job`
    before importing). The params given to `confirm_as_job` also carry the user's file name (`filename`), which the
    audit entry names.
    With `preview_as_job`, an upload larger than its limit is checked by a job (`check_in_job`) and the
    page shows what it found at GET ?checked=<job id>, with the same confirmation as a check run in the request.
    """
    rejected = rejected or RejectedRows(rejected_reader)

    def importer(params, skip=()):
        return make_importer(params, skip=frozenset(skip)) if skip_problem_rows else make_importer(params)

    if request.method == "GET" and request.GET.get("rejected"):  # the rejected rows of a previewed or applied file
        return _rejected_download(
            request, request.GET["rejected"], request.GET.get("format", rejected.formats[0]), retry_url, rejected
        )

    if request.method == "GET" and request.GET.get("applied") and applied is not None:  # a job's import, done
        return _show_applied(request, applied(request.GET["applied"]), retry_url, context)

    if request.method == "GET" and request.GET.get("checked") and preview_as_job is not None:  # a job's check
        summary = preview_as_job.result(request.GET["checked"])
        shown = summary and _show_checked(
            request, summary, session_key=session_key, rejected=rejected, form_class=form_class, context=context
        )
        if not shown:
            if summary is None:
                messages.error(request, _("That check is not available; upload the file again."))
            return redirect(retry_url)
        return render(request, template, shown)

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
        params = {**stored["params"], "filename": original}
        # only the valid rows: the job writes their rejected ones where the download finds them
        handed = _hand_rejected_to_job(request, token, rejected) if stored["skip"] else None
        if handed:
            params["rejected"] = handed
            params["rejected_urls"] = _rejected_urls(request, token, rejected)
        try:
            if skip_problem_rows:
                url = confirm_as_job(path, params, frozenset(stored["skip"]))
            else:
                url = confirm_as_job(path, params)
        finally:
            uploads.discard(request, token, keep=(REASONS, rejected.kept_suffix) if handed else ())
        return redirect(url)

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
            if preview_as_job is not None and path is not None and preview_as_job.wanted_for(path):
                return redirect(
                    preview_as_job.submit(
                        {
                            "upload": str(path),
                            "reasons": str(uploads.companion(request, token, REASONS)),
                            "token": token,
                            "filename": form.cleaned_data["file"].name,
                            "params": params,
                        }
                    )
                )
            result, bad_rows, partial = dry_runs(
                lambda skip=(): importer(params, skip), path, skip_problem_rows=skip_problem_rows
            )
            if result.ok or partial is not None:
                pending = request.session.get(session_key, {})
                pending[token] = {"params": params, "skip": bad_rows if partial is not None else []}
                request.session[session_key] = pending
                context["token"] = token
            if skip_problem_rows and bad_rows:  # kept (until the upload expires) for the download of those rows
                _keep_reasons(request, token, result.problems)
                context["rejected_urls"] = _rejected_urls(request, token, rejected)
            elif not (result.ok or partial is not None):
                uploads.discard(request, token)
            context.update(
                result=result, partial=partial, problem_rows=bad_rows, filename=form.cleaned_data["file"].name
            )
    context["form"] = form
    return render(request, template, context)
