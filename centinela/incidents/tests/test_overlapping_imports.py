"""Two imports of the same source at once, sharing rows (the same file uploaded twice, or two exports that overlap).

On PostgreSQL each import COPYs its rows into the live table inside one transaction; a unique key written by one
transaction makes the other wait for it. Two imports that meet the shared rows in different orders each waited for
a row the other had written: a deadlock, and PostgreSQL cancelled one of them ("deadlock detected"), so the user saw
a failed import instead of one that skips the rows already stored. SQLite writes one transaction at a time: there
is nothing to test there."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from centinela.incidents import import_staging
from centinela.incidents import importer as module
from centinela.incidents.models import Incident

from .conftest import write_csv

ROWS = 40
BATCH = 10  # rows per COPY: four statements per import, so both are writing when they meet


def _import(profile, path, barrier, seen, results, name):
    from django.db import connections

    def progress(fraction, message=""):
        seen[name].append(message)
        if fraction > 0.91 and not barrier.broken:
            try:  # the first COPY is written: wait until the other import has written its first one too
                barrier.wait()
            except threading.BrokenBarrierError:  # the other waits its turn (no COPY yet): go on alone
                pass

    try:
        importer = module.incident_importer(profile, progress=progress)
        table, problems = importer.parse(path)
        assert not problems and not importer.validate(table)
        importer.preview(table)
        with importer.stage(table):
            results[name] = importer.apply(table)
    except Exception as error:  # noqa: BLE001 - the test reports it
        results[name] = error
    finally:
        connections.close_all()


@pytest.mark.django_db(transaction=True)
def test_two_imports_of_the_same_rows_in_opposite_orders_both_succeed(
    reference_data, tmp_path, points, ecu911_profile, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite writes one transaction at a time: two imports never wait for each other's rows")
    monkeypatch.setattr(import_staging, "COPY_BATCH", BATCH)
    lon, lat = points["110101"]
    rows = [(f"E-{k:03d}", f"{1 + k % 28:02d}/03/2021 10:00", "robo-motos", lon, lat, f"C {k}") for k in range(ROWS)]
    first = write_csv(tmp_path / "a.csv", rows)
    second = write_csv(tmp_path / "b.csv", rows[::-1])
    barrier = threading.Barrier(2, timeout=3)
    seen: dict[str, list[str]] = {"a": [], "b": []}
    results: dict = {}
    threads = [
        threading.Thread(target=_import, args=(ecu911_profile, path, barrier, seen, results, name))
        for name, path in (("a", first), ("b", second))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads)
    errors = {name: r for name, r in results.items() if isinstance(r, Exception)}
    assert not errors, errors
    # one import stored every row, the other found them all stored: nothing twice, nothing lost
    assert sorted(r["created"] for r in results.values()) == [0, ROWS]
    assert sorted(r["already_imported"] for r in results.values()) == [0, ROWS]
    assert Incident.objects.filter(source=ecu911_profile.source).count() == ROWS
    # the one that waited said so while it waited
    waited = [name for name, messages in seen.items() if any("otra importación" in m for m in messages)]
    assert len(waited) == 1, seen
