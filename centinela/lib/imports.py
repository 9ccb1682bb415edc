"""The one import pipeline for every file a user uploads: parse -> validate -> preview -> apply atomically.

An importer is a small subclass of `Importer`: `parse(source) -> (rows, problems)` (a row keeps its number and a
label so messages can name it; `columns` and `required` say which columns it reads), `validate(rows) -> problems`,
`preview(rows) -> dict of counts` and `apply(rows) -> dict of counts`. `run_import` refuses to apply anything when
any row has a problem, and applies all rows inside one transaction otherwise: nothing is ever half-imported.

`validate` checks the rows one by one: `prepare(rows)` first (look-ups loaded once, the file's state reset), then
`validate_row(row)` for each row, which yields its messages (usually from named steps, `yield from
self._check_...(row)`) and raises `RowError` when the row cannot be checked further; every message becomes a
`Problem` naming that row, in the order found. An importer with checks over the whole file (a code repeated in two
rows) overrides `validate` and adds them before or after `super().validate(rows)`.

A large importer keeps that transaction short (on SQLite it holds the one write lock; everyone else waits for it)
with two optional steps: `stage(rows)`, a context manager entered before the transaction, writes the rows to a
staging area in short transactions of its own and cleans it on the way out (whatever happens), so `apply` is one
set-based step from there; `applied(rows, counts)` runs after the commit (follow-up work that need not hold it);
`atomic = False` says that `apply` keeps all-or-nothing itself (the incident import on SQLite moves the staged rows
in short transactions and deletes them again if one fails).

`Importer(parse=..., validate=..., preview=..., apply=...)` also builds one from plain functions (tests, one-off
scripts): each given function replaces that step.

Keeping the good rows: when the rows of a file are independent, the user may apply only the valid ones. The
importer is built again with `skip` (the row numbers the preview showed with problems); `run_import` leaves those
rows out right after `parse` (`without(rows, skip)`), checks the rest again and applies them in the one
transaction. The rejected rows go back to the user in their own columns with the reason
(lib.import_views.rejected_rows), to be fixed and uploaded again.

The audit: every applied import, whole or of the valid rows only, writes one entry through `audit_import`: who (the
actor of the audit context: the user of the page, or of the job), which file, how many rows were applied and how
many rejected, on `audit_target()` (the record the file changes, such as the incident source or the training, or
the model itself when a file changes records of several owners). `run_import` writes it in the transaction of
`apply`; an importer whose apply keeps its own transactions (`audits_itself`, the incident import) calls
`self.audit(...)` in the one that completes it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


@dataclass
class Problem:
    row: int | None  # 1-based feature/row number in the file; None for the file as a whole
    label: str  # what the user recognises the row by (its name or code)
    message: str

    def __str__(self):
        where = _("file") if self.row is None else _("row %(n)s") % {"n": self.row}
        return f"{where} ({self.label}): {self.message}" if self.label else f"{where}: {self.message}"


@dataclass
class Row:
    number: int
    label: str
    data: dict[str, Any]
    notes: list[str] = field(default_factory=list)  # repairs made, shown in the preview


@dataclass
class ImportResult:
    rows: list[Row]
    problems: list[Problem]
    preview: dict[str, int] = field(default_factory=dict)
    applied: bool = False
    counts: dict[str, int] = field(default_factory=dict)
    skipped: int = 0  # rows the user chose to leave out (they had problems)

    @property
    def ok(self) -> bool:
        return not self.problems


class RowError(Exception):
    """Raised by a step of `Importer.validate_row`: the row cannot be checked further; its messages are the row's
    last problems."""

    def __init__(self, *messages: str):
        super().__init__(*messages)
        self.messages = list(messages)


STEPS = ("parse", "validate", "preview", "apply", "stage", "applied", "without", "audit_target")


class Importer:
    """One kind of import on the pipeline; `run_import` calls its steps. See the module's docstring."""

    columns: Mapping[str, str] | Sequence[str] = ()  # the columns read (a header -> field mapping, or field names)
    required: Sequence[str] = ()  # the fields a file (or a row) must have
    atomic: bool = True  # False: `apply` keeps all or nothing itself, with short transactions of its own
    skip: frozenset[int] = frozenset()  # row numbers left out (the rows the user chose not to import)
    audits_itself: bool = False  # True: `apply` calls `self.audit` itself (in the transaction that completes it)
    filename: str = ""  # the user's name of the file (run_import sets it), for the audit entry

    def __init__(
        self, *, atomic: bool | None = None, skip: frozenset[int] | None = None, **steps: Callable[..., Any] | None
    ):
        for name, step in steps.items():
            if name not in STEPS:
                raise TypeError(f"Importer() got an unknown step {name!r}")
            if step is not None:
                setattr(self, name, step)
        if atomic is not None:
            self.atomic = atomic
        if skip is not None:
            self.skip = frozenset(skip)

    def parse(self, source) -> tuple[Any, list[Problem]]:
        """The file's rows (a list of Row, or any sized iterable of them) and the problems that stop the import."""
        raise NotImplementedError

    def validate(self, rows) -> list[Problem]:
        self.prepare(rows)
        problems: list[Problem] = []
        for row in rows:
            messages = []
            try:
                for message in self.validate_row(row):
                    messages.append(message)
            except RowError as exc:
                messages.extend(exc.messages)
            problems.extend(Problem(row.number, row.label, message) for message in messages)
        return problems

    def prepare(self, rows) -> None:
        """Before the rows are checked: load what every row is checked against, reset what the file has shown."""

    def validate_row(self, row: Row) -> Iterable[str]:
        """The messages of one row's problems (none: the row is valid); may complete `row.data` for `apply`."""
        return ()

    def preview(self, rows) -> dict[str, int]:
        raise NotImplementedError

    def apply(self, rows) -> dict[str, int]:
        raise NotImplementedError

    def stage(self, rows) -> AbstractContextManager[Any]:
        """Entered before the transaction of `apply`, left whatever happens (a staging area, written and cleaned)."""
        return nullcontext()

    def applied(self, rows, counts: dict[str, int]) -> None:
        """After the commit: follow-up work that need not hold the transaction."""

    def without(self, rows, skip: frozenset[int]):
        """The parsed rows except those numbered in `skip` (an importer that keeps its rows otherwise overrides
        this; one that leaves them out while parsing finds none here)."""
        return [row for row in rows if row.number not in skip]

    def audit_target(self) -> models.Model | type[models.Model] | None:
        """What the audit entry of an applied import is written on: the record the file changes, or the model when
        the file changes records of several owners (None: no entry, for importers built from plain functions)."""
        return None

    def audit(self, applied: int, details: dict | None = None) -> None:
        """The import's one audit entry (see the module's docstring)."""
        target = self.audit_target()
        if target is not None:
            audit_import(
                target,
                what=type(self).__name__,
                filename=self.filename,
                applied=applied,
                rejected=len(self.skip),
                details=details,
            )


# what an import's audit entry records, as the audit trail names it (accounts.audit_display)
AUDIT_LABELS = {
    "imported file": gettext_lazy("Imported file"),
    "applied rows": gettext_lazy("Rows applied"),
    "rejected rows": gettext_lazy("Rows rejected"),
}


def audit_import(
    target: models.Model | type[models.Model],
    *,
    what: str,
    filename: str,
    applied: int,
    rejected: int = 0,
    details: dict | None = None,
) -> LogEntry:
    """The one audit entry of an applied import: which file, how many rows were applied and how many rejected, by
    whoever the audit context names (auditlog's actor), on `target`: a record, or a model (the entry then names
    the model's type and the file, no one record)."""
    data = {"import": what, "file": filename, "applied rows": applied, "rejected rows": rejected, **(details or {})}
    changes = {"imported file": [None, filename], "applied rows": [None, str(applied)]}
    if rejected:
        changes["rejected rows"] = [None, str(rejected)]
    if isinstance(target, models.Model):
        entry = LogEntry.objects.log_create(
            target, force_log=True, action=LogEntry.Action.UPDATE, changes=changes, additional_data=data
        )
        assert entry is not None
        return entry
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(target),
        object_pk="",
        object_repr=filename[:200] or str(target._meta.verbose_name_plural),
        action=LogEntry.Action.CREATE,
        changes=changes,
        additional_data=data,
    )


def run_import(importer: Importer, source, *, dry_run: bool = False, filename: str = "") -> ImportResult:
    """Parse, check, preview and (unless `dry_run`) apply `source`; `filename`: the user's name of the file, for
    the audit entry (the source's own name by default)."""
    importer.filename = filename or (source.name if hasattr(source, "name") else str(source))
    rows, problems = importer.parse(source)
    if not problems and importer.skip:
        rows = importer.without(rows, importer.skip)
    if not problems:
        problems = importer.validate(rows)
    result = ImportResult(rows=rows, problems=problems, skipped=len(importer.skip))
    if problems:
        return result
    result.preview = importer.preview(rows)
    if dry_run:
        return result
    with importer.stage(rows):
        with transaction.atomic() if importer.atomic else nullcontext():
            result.counts = importer.apply(rows)
            if not importer.audits_itself:
                importer.audit(len(rows))
    result.applied = True
    importer.applied(rows, result.counts)
    return result
