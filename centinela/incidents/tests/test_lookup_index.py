"""What an import asks to find the rows it already holds is answered by an index, on both databases: the ids by the
unique (source, source id) index, the rows without an id by the unique (source, row hash) index of those rows, so
that row hash needs no index of its own (one index less to maintain for each of a million rows imported)."""

import pytest
from django.db import connection

from centinela.incidents.import_staging import LOOKUP, stored_hashes
from centinela.incidents.models import Incident, Source

pytestmark = pytest.mark.django_db


def _plan(queryset) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: the question is whether an index CAN serve
        return queryset.explain()
    return queryset.explain()


def test_the_row_hash_lookup_uses_the_unique_index_of_the_rows_without_an_id():
    source = Source.objects.get_or_create(code="lookup-test", defaults={"name": "Prueba"})[0]
    hashes = [f"{i:064x}" for i in range(LOOKUP)]  # a full chunk: longer than any IN list a planner reasons about
    plan = _plan(stored_hashes(source.pk, hashes))
    assert "incident_unique_row_hash" in plan, plan


def test_row_hash_has_no_index_of_its_own():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, Incident._meta.db_table)
    on_row_hash_alone = [name for name, c in constraints.items() if c["index"] and c["columns"] == ["row_hash"]]
    assert on_row_hash_alone == []
