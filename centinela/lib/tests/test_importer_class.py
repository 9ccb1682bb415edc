"""lib.imports.Importer as a base class: `prepare` once, then `validate_row` for each row in order; the messages a row
yields become its problems, a RowError ends that row's checks (its messages last), the next row is checked still;
`stage` and `applied` do nothing unless overridden, and `atomic` says whether run_import opens the transaction."""

import pytest
from django.db import connection

from centinela.accounts.models import User
from centinela.lib.imports import Importer, Row, RowError, run_import

pytestmark = pytest.mark.django_db


class NameImporter(Importer):
    """One username a line: too long is a problem and checking goes on; a space stops the row's checks."""

    columns = ("username",)
    required = ("username",)

    def __init__(self):
        super().__init__()
        self.prepared = 0
        self.savepoints = None

    def parse(self, text):
        return [Row(n, line, {"username": line}) for n, line in enumerate(text.splitlines(), start=1)], []

    def prepare(self, rows):
        self.prepared += 1
        self.seen = set()

    def validate_row(self, row):
        yield from self._check_length(row.data["username"])
        self._check_spaces(row.data["username"])
        yield from self._check_repeated(row.data["username"])

    @staticmethod
    def _check_length(name):
        if len(name) > 8:
            yield "too long"

    @staticmethod
    def _check_spaces(name):
        if " " in name:
            raise RowError("has a space", "use a dot")

    def _check_repeated(self, name):
        if name in self.seen:
            yield "repeated"
        self.seen.add(name)

    def preview(self, rows):
        return {"new": len(rows)}

    def apply(self, rows):
        self.savepoints = len(connection.savepoint_ids)
        for row in rows:
            User.objects.create(username=row.data["username"])
        return {"created": len(rows)}


def test_each_row_is_checked_in_order_and_a_row_error_ends_only_that_row():
    importer = NameImporter()
    result = run_import(importer, "cls-ana\ncls-a very long\ncls-ana\ncls-luis")
    assert importer.prepared == 1
    assert [(p.row, p.label, p.message) for p in result.problems] == [
        (2, "cls-a very long", "too long"),
        (2, "cls-a very long", "has a space"),
        (2, "cls-a very long", "use a dot"),
        (3, "cls-ana", "repeated"),
    ]
    assert not result.applied and not User.objects.filter(username__startswith="cls-").exists()


def test_a_valid_file_is_applied_in_one_transaction_with_the_default_stage_and_applied():
    importer = NameImporter()
    outside = len(connection.savepoint_ids)
    result = run_import(importer, "cls-ana\ncls-luis")
    assert result.ok and result.applied and result.preview == {"new": 2} and result.counts == {"created": 2}
    assert importer.savepoints == outside + 1
    assert sorted(User.objects.filter(username__startswith="cls-").values_list("username", flat=True)) == [
        "cls-ana",
        "cls-luis",
    ]


def test_atomic_false_leaves_the_transactions_to_apply():
    importer = NameImporter()
    importer.atomic = False
    outside = len(connection.savepoint_ids)
    run_import(importer, "cls-ana")
    assert importer.savepoints == outside


def test_steps_given_as_functions_replace_the_methods_and_unknown_steps_are_refused():
    importer = NameImporter()
    plain = Importer(parse=importer.parse, preview=importer.preview, apply=lambda rows: {"created": 0}, atomic=False)
    result = run_import(plain, "cls-a b")
    assert result.ok and result.counts == {"created": 0} and plain.atomic is False  # the base validate finds nothing
    with pytest.raises(TypeError):
        Importer(check=lambda rows: [])
