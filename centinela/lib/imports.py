"""The one import pipeline for every file a user uploads: parse -> validate -> preview -> apply atomically.

An importer supplies `parse(source) -> list[Row]` (a row keeps its number and a label so messages can name it),
`validate(rows) -> list[Problem]` and `apply(rows) -> dict of counts`. `run_import` refuses to apply anything when
any row has a problem, and applies all rows inside one transaction otherwise: nothing is ever half-imported.

A large importer keeps that transaction short (on SQLite it holds the one write lock; everyone else waits for it)
with two optional steps: `stage(rows)`, a context manager entered before the transaction, writes the rows to a
staging area in short transactions of its own and cleans it on the way out (whatever happens), so `apply` is one
set-based step from there; `applied(rows, counts)` runs after the commit (follow-up work that need not hold it);
`atomic=False` says that `apply` keeps all-or-nothing itself (the incident import on SQLite moves the staged rows
in short transactions and deletes them again if one fails).
"""
from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Callable

from django.db import transaction
from django.utils.translation import gettext as _


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

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Importer:
    parse: Callable[[Any], tuple[list[Row], list[Problem]]]
    validate: Callable[[list[Row]], list[Problem]]
    preview: Callable[[list[Row]], dict[str, int]]
    apply: Callable[[list[Row]], dict[str, int]]
    stage: Callable[[list[Row]], Any] | None = None  # -> a context manager: staged on entry, cleaned on exit
    applied: Callable[[list[Row], dict[str, int]], None] | None = None  # after the commit
    atomic: bool = True  # False: `apply` keeps all or nothing itself, with short transactions of its own


def run_import(importer: Importer, source, *, dry_run: bool = False) -> ImportResult:
    rows, problems = importer.parse(source)
    if not problems:
        problems = importer.validate(rows)
    result = ImportResult(rows=rows, problems=problems)
    if problems:
        return result
    result.preview = importer.preview(rows)
    if dry_run:
        return result
    with importer.stage(rows) if importer.stage else nullcontext():
        with transaction.atomic() if importer.atomic else nullcontext():
            result.counts = importer.apply(rows)
    result.applied = True
    if importer.applied:
        importer.applied(rows, result.counts)
    return result
