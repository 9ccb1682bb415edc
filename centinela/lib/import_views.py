"""The one upload -> validate -> preview -> confirm page behind every import: the view flow over lib.imports (run_import)
and lib.uploads (stash, path_of, discard); each import view supplies only its form, importer and success message."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from centinela.lib import uploads
from centinela.lib.imports import ImportResult, Importer, Problem, run_import


def problem_rows(problems: list[Problem]) -> list[int]:
    """The row numbers that have a problem (file-wide problems have none)."""
    return sorted({p.row for p in problems if p.row is not None})


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
    confirm_as_job: Callable[[Path, dict], str] | None = None,
):
    """Run one import page.

    GET shows `form_class`; a POST with a file stashes it and dry-runs `make_importer(params)` (params: the form's other
    fields), showing the preview and a confirmation token, or the problems. A POST with that token re-runs the import
    for real and redirects with `on_success(result, params) -> (message, url)`, or shows the problems when the data
    changed meanwhile; an unknown or expired token sends the user back to `retry_url`.
    With `confirm_as_job`, the confirmation does not import in the request: `confirm_as_job(path, params)` takes the
    stashed file (moves it where the job will find it), queues a background job that runs the import, and returns
    the URL to follow (the job's page with its progress bar).
    With `skip_problem_rows`, when only some rows have problems the preview also shows `partial` (a dry run without
    them) and the confirmation imports just those valid rows: `make_importer(params, skip=frozenset of row numbers)`.
    """
    def importer(params, skip=()):
        return make_importer(params, skip=frozenset(skip)) if skip_problem_rows else make_importer(params)

    if request.method == "POST" and request.POST.get("token"):  # confirmation of a previewed file
        token = request.POST["token"]
        pending = request.session.get(session_key, {})
        stored = pending.pop(token, None)
        request.session[session_key] = pending
        path = uploads.path_of(request, token)
        if stored is None or path is None:
            messages.error(request, _("That upload has expired; upload the file again."))
            return redirect(retry_url)
        if confirm_as_job is not None:
            try:
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

    form = form_class(request.POST or None, request.FILES or None)
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
                pending[token] = {"params": params, "skip": bad_rows}
                request.session[session_key] = pending
                context["token"] = token
            else:
                uploads.discard(request, token)
            context.update(result=result, partial=partial, problem_rows=bad_rows, filename=form.cleaned_data["file"].name)
    context["form"] = form
    return render(request, template, context)
