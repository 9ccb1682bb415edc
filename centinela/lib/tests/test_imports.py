"""lib/imports.py, the one import pipeline: parse, then validate only a file that parsed, a preview without saving
on a dry run, and the apply inside one transaction, so a row failing half-way leaves nothing applied; the optional
staging area is entered before that transaction and left whatever happens, `applied` runs only after a commit, and
`atomic=False` leaves the transactions to `apply`. The importer here writes real users to the real database."""

from contextlib import contextmanager

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from centinela.accounts.models import User
from centinela.lib.imports import Importer, ImportResult, Problem, Row, run_import

pytestmark = pytest.mark.django_db


class UserImport:
    """An importer of usernames, one a line ("!" makes the apply fail on that row), that records what ran."""

    def __init__(self, *, atomic=True, staged=False):
        self.calls, self.atomic, self.staged = [], atomic, staged

    def parse(self, text):
        self.calls.append("parse")
        rows, problems = [], []
        for number, line in enumerate(text.splitlines(), start=1):
            if line.startswith("#"):
                problems.append(Problem(number, line, "not a name"))
            rows.append(Row(number, line, {"username": line}))
        return rows, problems

    def validate(self, rows):
        self.calls.append("validate")
        return [Problem(r.number, r.label, "empty") for r in rows if not r.data["username"].strip()]

    def preview(self, rows):
        self.calls.append("preview")
        return {"new": sum(not User.objects.filter(username=r.data["username"]).exists() for r in rows)}

    def apply(self, rows):
        self.calls.append(("apply", len(connection.savepoint_ids)))
        for row in rows:
            if row.data["username"].endswith("!"):
                raise ValidationError(f"row {row.number} refused")
            User.objects.create(username=row.data["username"])
        return {"created": len(rows)}

    @contextmanager
    def stage(self, rows):
        self.calls.append(("staged", len(connection.savepoint_ids)))
        try:
            yield
        finally:
            self.calls.append("cleaned")

    def applied(self, rows, counts):
        self.calls.append(("applied", counts, User.objects.filter(username__startswith="imp-").count()))

    def importer(self):
        return Importer(
            parse=self.parse,
            validate=self.validate,
            preview=self.preview,
            apply=self.apply,
            stage=self.stage if self.staged else None,
            applied=self.applied,
            atomic=self.atomic,
        )


def imported():
    return sorted(User.objects.filter(username__startswith="imp-").values_list("username", flat=True))


def test_a_clean_file_is_applied_and_counted():
    run = UserImport()
    result = run_import(run.importer(), "imp-ana\nimp-luis")
    assert result.ok and result.applied and result.preview == {"new": 2} and result.counts == {"created": 2}
    assert imported() == ["imp-ana", "imp-luis"]
    assert [c if isinstance(c, str) else c[0] for c in run.calls] == [
        "parse",
        "validate",
        "preview",
        "apply",
        "applied",
    ]


def test_a_parse_problem_stops_before_validation_and_applies_nothing():
    run = UserImport()
    result = run_import(run.importer(), "imp-ana\n#mal")
    assert not result.ok and not result.applied and result.preview == {} and result.counts == {}
    assert [str(p) for p in result.problems] == ["fila 2 (#mal): not a name"]
    assert run.calls == ["parse"] and imported() == []


def test_a_validation_problem_applies_nothing():
    run = UserImport()
    result = run_import(run.importer(), "imp-ana\n \nimp-luis")
    assert [(p.row, p.message) for p in result.problems] == [(2, "empty")]
    assert run.calls == ["parse", "validate"] and imported() == [] and not result.applied


def test_a_dry_run_previews_without_applying():
    run = UserImport()
    result = run_import(run.importer(), "imp-ana\nimp-luis", dry_run=True)
    assert result.ok and result.preview == {"new": 2} and not result.applied and result.counts == {}
    assert run.calls == ["parse", "validate", "preview"] and imported() == []


def test_a_row_failing_half_way_leaves_nothing_applied():
    run = UserImport()
    with pytest.raises(ValidationError):
        run_import(run.importer(), "imp-ana\nimp-luis\nimp-mal!\nimp-zoe")
    assert imported() == []
    assert "applied" not in [c[0] for c in run.calls if isinstance(c, tuple)]


def test_the_apply_runs_in_a_transaction_of_its_own_and_the_stage_outside_it():
    run = UserImport(staged=True)
    outside = len(connection.savepoint_ids)
    run_import(run.importer(), "imp-ana")
    assert ("staged", outside) in run.calls and ("apply", outside + 1) in run.calls
    assert run.calls.index("cleaned") < run.calls.index(("applied", {"created": 1}, 1))


def test_the_stage_is_cleaned_when_the_apply_fails():
    run = UserImport(staged=True)
    with pytest.raises(ValidationError):
        run_import(run.importer(), "imp-ana\nimp-mal!")
    assert run.calls[-1] == "cleaned" and imported() == []


def test_a_non_atomic_importer_keeps_its_own_transactions():
    run = UserImport(atomic=False)
    outside = len(connection.savepoint_ids)
    with pytest.raises(ValidationError):
        run_import(run.importer(), "imp-ana\nimp-mal!")
    assert ("apply", outside) in run.calls
    assert imported() == ["imp-ana"]  # no transaction of the pipeline's: all or nothing is the importer's own job


def test_problems_name_their_row_or_the_file_in_spanish():
    with translation.override("es-ec"):
        assert str(Problem(3, "Ana", "falta la fecha")) == "fila 3 (Ana): falta la fecha"
        assert str(Problem(7, "", "falta la fecha")) == "fila 7: falta la fecha"
        assert (
            str(Problem(None, "parroquias.zip", "no es un Shapefile")) == "archivo (parroquias.zip): no es un Shapefile"
        )


def test_a_result_is_ok_only_without_problems():
    assert ImportResult(rows=[], problems=[]).ok
    assert not ImportResult(rows=[], problems=[Problem(None, "", "x")]).ok
