"""How an incident import writes its rows (the importer's `stage` and `apply`: centinela.incidents.importer).

The site stays up while a million rows go in. Everything that can be done before the write is done outside any
transaction (`staged`). PostgreSQL: the new rows are built as COPY's CSV (pyarrow, a batch at a time); the apply
COPYs them into the live table in one transaction, which takes only the ROW EXCLUSIVE lock of any insert (readers
and other writers go on; nobody sees the rows before the commit); on a unique conflict (another import stored a
row since the preview) it is rolled back and done again through a temporary table and INSERT ... ON CONFLICT DO
NOTHING. SQLite: the new rows are written in batches to a temporary staging table, this connection's own, in its
temporary database (outside the main file's write lock), then moved into the live table by INSERT ... SELECT in
slices, each a short burst of the one write lock, with pauses between them. No index is dropped or built. A
failure or a crash leaves the live table as it was (SQLite: see apply_staged); the staging table is dropped on the
way out, or goes with the connection.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import UTC

import numpy as np
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from centinela.incidents import parsing
from centinela.incidents.cache import held_during_import
from centinela.incidents.models import Incident

Progress = Callable[[float, str], None]
LOOKUP = 5000  # ids per IN (...) query: under SQLite's 32,766 variables
TIME_KNOWN = "time_known"  # Table.cols: whether each row gives the time (a date alone is not midnight)


def quiet(fraction: float, message: str = "") -> None:
    pass


def rows_message(done: int, total: int) -> str:
    return _("%(done)s of %(total)s rows") % {
        "done": number_format(done, force_grouping=True),
        "total": number_format(total, force_grouping=True),
    }


STAGING = "incident_import_staging"
CONSTANT = ("source_id", "status", "created_at")  # the same in every row of an import
STAGE_BATCH = 20_000  # rows per staging write (a short transaction each) and per progress report
COPY_BATCH = 50_000  # PostgreSQL: rows per COPY statement (and progress report)
# SQLite: the staged rows are moved in slices, each a transaction of its own (a burst of the one write lock) sized to
# last about APPLY_BURST seconds at the pace of the slice before (the first: APPLY_BATCH rows), with APPLY_PAUSE
# seconds between them: longer than the longest sleep of SQLite's busy handler (100 ms), so a writer waiting in it
# tries again inside the pause and gets the lock; a writer waits at most about one burst
APPLY_BATCH = 20_000
APPLY_BATCH_MIN, APPLY_BATCH_MAX = 1_000, 200_000
APPLY_BURST = 0.3
APPLY_PAUSE = 0.12
# PostgreSQL: one import of a source writes at a time (`_wait_for_other_imports`): the advisory lock's first key,
# "inc" in ASCII, marks the incident imports' locks; the second is the source's id
IMPORT_LOCK = 0x696E63
IMPORT_LOCK_POLL = 0.5  # seconds between tries while another import of the source writes


def stored_hashes(source_id: int, hashes: list[str]):
    """Which of `hashes` the rows of the source without an id already have: a query the unique index on (source,
    row hash) of those rows answers (its condition, `source_ref = '' AND row_hash <> ''`, said in full: neither
    database infers it from a long IN list), so row_hash needs no index of its own."""
    return (
        Incident.objects.filter(source_id=source_id, source_ref="", row_hash__in=hashes)
        .exclude(row_hash="")
        .values_list("row_hash", flat=True)
    )


def _live_fields():
    return [f for f in Incident._meta.concrete_fields if not f.primary_key]


def _columns_of(table, new: np.ndarray, source_id: int) -> dict[str, list]:
    """The values of the new rows, one list per column of the incident table."""
    p, cols = table.parsed, table.cols
    idx = np.flatnonzero(new)
    n = len(idx)

    def pick(values):
        return [values[i] for i in idx.tolist()] if n != len(new) else list(values)

    def ids(array):
        picked = array[idx]
        return [v or None for v in picked.tolist()]

    occurred = parsing.sql_datetimes(p["occurred"][idx])
    has_reported = p["reported_ok"][idx]
    if has_reported.any():
        reported = [
            r if has else None for r, has in zip(parsing.sql_datetimes(p["reported"][idx]), has_reported.tolist())
        ]
    else:
        reported = [None] * n
    addresses = pick(cols["address"])
    if any(len(a) > 255 for a in addresses):
        addresses = [a[:255] for a in addresses]
    now = timezone.now().astimezone(timezone.get_fixed_timezone(0)).replace(tzinfo=None)
    return {
        "source_id": [source_id] * n,
        "source_ref": pick(cols["source_ref"]),
        "occurred_at": occurred,
        "time_known": [int(k) for k in pick(cols[TIME_KNOWN])],  # 1/0: SQLite's and COPY's booleans alike
        "reported_at": reported,
        "category_id": p["category"][idx].tolist(),
        "lon": p["lon"][idx].tolist(),
        "lat": p["lat"][idx].tolist(),
        "address": addresses,
        "precision": pick(p["precision"]),
        "parish_id": ids(p["parish"]),
        "barrio_id": ids(p["barrio"]),
        "status": [Incident.Status.REPORTED.value] * n,
        "row_hash": pick(p["hash"]),
        "created_at": [now.strftime("%Y-%m-%d %H:%M:%S.%f")] * n,
    }


def staging_exists() -> bool:
    """Whether this connection holds a staging table (left by an import that did not clean up)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [f"pg_temp.{STAGING}"])
        else:
            cursor.execute("SELECT COUNT(*) FROM sqlite_temp_master WHERE type = 'table' AND name = %s", [STAGING])
        return bool(cursor.fetchone()[0])


def drop_staging() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {'temp.' if connection.vendor == 'sqlite' else 'pg_temp.'}{STAGING}")


@contextmanager
def staged(table, new: np.ndarray, source_id: int, progress: Progress = quiet):
    """Prepare the `new` rows of `table` outside any transaction; undo on the way out, whatever happens.
    SQLite: write them to the staging table (see above), in batches, each its own short transaction when no
    transaction is open; the table is dropped on the way out. PostgreSQL: build COPY's CSV of them, a batch at a
    time, with pyarrow (no Python call per row or cell; nothing is written yet): the apply then COPYs it straight
    into the live table (`_copy_live`)."""
    started = time.perf_counter()
    timings = table.timings = {}  # for the benchmark: stage, apply
    table.copy_batches = None
    if connection.vendor == "postgresql":
        try:
            if new.any():
                table.copy_batches = _copy_batches(table, new, source_id, progress)
            timings["stage"] = time.perf_counter() - started
            yield
        finally:
            table.copy_batches = None
        return
    drop_staging()
    try:
        if new.any():
            _stage(table, new, source_id, progress)
        timings["stage"] = time.perf_counter() - started
        yield
    finally:
        drop_staging()


def _copy_batches(table, new: np.ndarray, source_id: int, progress: Progress) -> dict:
    """The new rows as COPY's CSV format, built by pyarrow's writer from the columns (text quoted, "" for an empty
    text, an empty cell for NULL, floats in their shortest exact form, times in UTC; no Python call per row or
    cell), COPY_BATCH rows a piece: {"columns": the live table's columns, "batches": [(rows, CSV bytes)], "first":
    the unique key of the first row, by which the apply finds the ids the table gave the rows}."""
    import pyarrow as pa

    columns = _arrow_columns(table, new, source_id)
    fields = {f.attname: f.column for f in _live_fields()}
    assert set(fields) == set(columns), sorted(set(fields) ^ set(columns))  # a new model field must be written here
    arrow = pa.table(list(columns.values()), names=[fields[f] for f in columns])
    first_ref, first_hash = columns["source_ref"][0].as_py(), columns["row_hash"][0].as_py()
    del columns
    return {
        "columns": list(arrow.column_names),
        "batches": _csv_batches(arrow, len(table), progress),
        "first": ("source_ref", first_ref) if first_ref else ("row_hash", first_hash),
        "source_id": source_id,
    }


def _arrow_columns(table, new: np.ndarray, source_id: int) -> dict:
    """The values of the new rows as pyarrow arrays, one per field of the incident table."""
    import pyarrow as pa
    import pyarrow.compute as pc

    p, cols = table.parsed, table.cols
    idx = np.flatnonzero(new)
    n = len(idx)
    everything = n == len(new)

    def text(values):
        return pa.array(values if everything else [values[i] for i in idx.tolist()], type=pa.string())

    def stamps(seconds, valid=None):
        # UTC, said in the text (pyarrow writes a zoned timestamp a hundred times slower than this)
        naive = pa.array(seconds, type=pa.timestamp("s"), mask=None if valid is None else ~valid)
        return pc.binary_join_element_wise(pc.cast(naive, pa.string()), "+00", "")

    def constant(value):  # one value for every row: a dictionary of one entry
        return pa.DictionaryArray.from_arrays(pa.array(np.zeros(n, dtype=np.int32)), pa.array([value]))

    def ids(array):
        picked = array[idx]
        return pa.array(picked, type=pa.int64(), mask=picked == 0)

    address = text(cols["address"])
    if pc.any(pc.greater(pc.utf8_length(address), 255)).as_py():
        address = pc.utf8_slice_codeunits(address, 0, 255)
    now = timezone.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00")
    return {
        "source_id": constant(source_id),
        "source_ref": text(cols["source_ref"]),
        "occurred_at": stamps(p["occurred"][idx]),
        "time_known": pa.array(np.fromiter(cols[TIME_KNOWN], dtype=bool, count=len(new))[idx]),
        "reported_at": stamps(p["reported"][idx], valid=p["reported_ok"][idx]),
        "category_id": pa.array(p["category"][idx], type=pa.int64()),
        "lon": pa.array(p["lon"][idx], type=pa.float64()),
        "lat": pa.array(p["lat"][idx], type=pa.float64()),
        "address": address,
        "precision": text(p["precision"]),
        "parish_id": ids(p["parish"]),
        "barrio_id": ids(p["barrio"]),
        "status": constant(Incident.Status.REPORTED.value),
        "row_hash": text(p["hash"]),
        "created_at": constant(now),
    }


def _csv_batches(arrow, total: int, progress: Progress) -> list[tuple[int, bytes]]:
    """The table's rows as COPY's CSV, COPY_BATCH rows a piece: [(rows, CSV bytes)]; `total`, the file's rows (those
    already imported count as done in the progress)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    n = arrow.num_rows
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed", batch_size=COPY_BATCH)
    before = total - n
    batches = []
    for first in range(0, n, COPY_BATCH):
        sink = pa.BufferOutputStream()
        pacsv.write_csv(arrow.slice(first, COPY_BATCH), sink, options)
        batches.append((min(n, first + COPY_BATCH) - first, sink.getvalue().to_pybytes()))
        _report_staged(progress, before + min(n, first + COPY_BATCH), total)
    return batches


def _stage(table, new: np.ndarray, source_id: int, progress: Progress) -> None:
    values = _columns_of(table, new, source_id)
    fields = _live_fields()
    names = [f.attname for f in fields]
    assert set(names) == set(values), sorted(set(names) ^ set(values))  # a new model field must be written here
    n = len(values["source_id"])
    # the values every row shares are not staged: apply_staged writes them as parameters of its INSERT ... SELECT
    table.constants = {f: values.pop(f)[0] for f in CONSTANT if n}
    fields = [f for f in fields if f.attname not in CONSTANT]
    names = [f.attname for f in fields]
    total = len(table)
    before = total - n  # rows already imported count as done
    quote = connection.ops.quote_name
    columns = ", ".join(f"{quote(f.column)} {f.db_type(connection)}" for f in fields)
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the driver's own cursor: no per-statement wrapping
        # SQLite: the temporary database takes no lock on the main file; each batch is one transaction of its own
        # (BEGIN DEFERRED: IMMEDIATE would take the main file's write lock too) unless the caller holds one
        cursor.execute(f"CREATE TEMPORARY TABLE {STAGING} (line INTEGER PRIMARY KEY, {columns})")
        mark = "?"
        sql = (
            f"INSERT INTO {STAGING} (line, {', '.join(quote(f.column) for f in fields)}) "
            f"VALUES ({', '.join([mark] * (len(fields) + 1))})"
        )
        rows = zip(range(n), *(values[f] for f in names))
        own = not connection.in_atomic_block
        done = 0
        for batch in iter(lambda: list(itertools.islice(rows, STAGE_BATCH)), []):
            if own:
                cursor.execute("BEGIN DEFERRED")
            cursor.executemany(sql, batch)
            if own:
                cursor.execute("COMMIT")
            done += len(batch)
            _report_staged(progress, before + done, total)


def _report_staged(progress: Progress, done: int, total: int) -> None:
    progress(0.2 + 0.7 * done / total, rows_message(done, total))


def apply_staged(table, progress: Progress = quiet, audit: Callable[[list[int]], None] = lambda ids: None) -> list[int]:
    """Move the staged rows into the live table and return their ids. A row that another import stored since the
    preview (same source id, or same row hash for rows without one) is skipped by the unique constraints (ON CONFLICT
    DO NOTHING; on PostgreSQL after the COPY met it): re-importing adds nothing. `audit(ids)` runs in the
    transaction that completes the import.

    PostgreSQL: the rows prepared by `staged` are COPYed into the live table in one transaction (it blocks nobody;
    `_copy_live`), once no other import of the same source is writing (`_wait_for_other_imports`). SQLite: INSERT
    ... SELECT over slices of the staged rows, each in a transaction of its own and sized to last about
    APPLY_BURST seconds, APPLY_PAUSE seconds apart, so the one write lock is held for short bursts and other users'
    logins and saves go in between; if any slice fails, the slices already stored are
    deleted again (short transactions too) before the error goes on: all or nothing, though other readers may see a
    part for the seconds the apply lasts (and a crash in those seconds leaves that part: see docs/architecture.md)."""
    timings = getattr(table, "timings", {})
    started = time.perf_counter()
    message = _("Saving %(n)s rows") % {"n": number_format(len(table), force_grouping=True)}
    if connection.vendor == "postgresql":
        batches = getattr(table, "copy_batches", None)
        if not batches:
            return _nothing_to_apply(audit)
        ids = _apply_copied(batches, progress, message, audit)
    else:
        if not staging_exists():
            return _nothing_to_apply(audit)
        ids = _apply_in_slices(getattr(table, "constants", {}), timings, progress, message, audit)
    timings["apply"] = time.perf_counter() - started
    return ids


def _nothing_to_apply(audit: Callable[[list[int]], None]) -> list[int]:
    with transaction.atomic():
        audit([])
    return []


def _apply_copied(batches: dict, progress: Progress, message: str, audit: Callable[[list[int]], None]) -> list[int]:
    """PostgreSQL: COPY the prepared rows in one transaction, in this source's turn; again, skipping the rows stored
    meanwhile, if another import stored some of them since the preview."""
    # the figures' data version is held until the commit (a progress report inside the transaction, on this
    # connection, sees the rows already copied), then changes once
    from psycopg import errors

    with held_during_import() as hold:
        try:
            return _copy_in_turn(batches, progress, message, hold.renew, audit)
        except errors.UniqueViolation:
            # another import stored some of these rows since the preview: all of this one's were rolled back;
            # again, through a temporary table and INSERT ... ON CONFLICT DO NOTHING, which skips those
            return _copy_in_turn(batches, progress, message, hold.renew, audit, skip_stored=True)


def _copy_in_turn(
    batches: dict,
    progress: Progress,
    message: str,
    renew: Callable[[], None],
    audit: Callable[[list[int]], None],
    *,
    skip_stored: bool = False,
) -> list[int]:
    """PostgreSQL: one transaction that waits for this source's turn, COPYs the rows and writes the audit entry."""
    with transaction.atomic():
        _wait_for_other_imports(batches["source_id"], progress, renew)
        ids = _copy_live(batches, progress, message, renew, skip_stored=skip_stored)
        audit(ids)
    return ids


def _apply_in_slices(
    constants: dict, timings: dict, progress: Progress, message: str, audit: Callable[[list[int]], None]
) -> list[int]:
    """SQLite: move the staged rows by INSERT ... SELECT in slices (`_insert_slices`), with a larger page cache
    meanwhile; the ids of the rows stored, sorted."""
    quote = connection.ops.quote_name
    live = quote(Incident._meta.db_table)
    fields = _live_fields()
    column_sql = ", ".join(quote(f.column) for f in fields)
    select_sql = ", ".join("?" if f.attname in constants else quote(f.column) for f in fields)
    parameters = [constants[f.attname] for f in fields if f.attname in constants]
    insert = (
        f"INSERT INTO {live} ({column_sql}) SELECT {select_sql} FROM "
        f"temp.{STAGING} WHERE line >= ? AND line < ? ORDER BY line "
        "ON CONFLICT DO NOTHING RETURNING id"
    )
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor
        n = cursor.execute(f"SELECT COALESCE(MAX(line) + 1, 0) FROM temp.{STAGING}").fetchone()[0]
        cache = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MB while a million index entries go in: shorter bursts
        try:
            # pages that read figures over every incident keep those from before the import until it ends (cache.py)
            with held_during_import() as hold:

                def moved(last: int) -> None:
                    hold.renew()
                    progress(0.9 + 0.09 * last / n, message)

                ids = _insert_slices(cursor, insert, parameters, n, moved, audit, timings)
        finally:
            cursor.execute(f"PRAGMA cache_size = {int(cache)}")
    return sorted(ids)


def _insert_slices(cursor, insert: str, parameters: list, n: int, moved, audit, timings: dict) -> list[int]:
    """SQLite: run `insert` over the staged lines [0, n) a slice at a time, each slice its own transaction (the last
    one with the audit entry), APPLY_PAUSE seconds apart; on a failure before the last commit, delete what the
    slices stored (`_undo`) and raise."""
    ids: list[int] = []
    complete = False  # the last slice, with the audit entry, is committed: the import stands
    try:
        first, size = 0, APPLY_BATCH
        while first < n:
            last = min(n, first + size)
            began = time.perf_counter()
            with transaction.atomic():
                cursor.execute(insert, [*parameters, first, last])
                batch = [r[0] for r in cursor.fetchall()]
                if last >= n:
                    audit(ids + batch)
            took = time.perf_counter() - began  # with any wait for the lock: then the next is shorter
            complete = last >= n
            ids += batch
            moved(last)
            first = last
            if first < n:
                size = _next_slice_size(size, took)
                time.sleep(APPLY_PAUSE)  # without it the import takes the lock back at once: others starve
                timings["pauses"] = timings.get("pauses", 0.0) + APPLY_PAUSE
            timings["slices"] = timings.get("slices", 0) + 1
    except BaseException:
        if complete:  # a failure after the last commit (a progress report): nothing is undone
            raise
        _undo(cursor, ids)
        raise
    return ids


def _next_slice_size(size: int, took: float) -> int:
    """The next slice as long as APPLY_BURST at the pace of the one before (at most twice its rows)."""
    size = min(2 * size, APPLY_BATCH_MAX, int(size * APPLY_BURST / max(took, 1e-6)))
    return max(min(APPLY_BATCH, APPLY_BATCH_MIN), size)


def _undo(cursor, ids: list[int]) -> None:
    """SQLite: delete the rows the committed slices stored, in short transactions as well."""
    live = connection.ops.quote_name(Incident._meta.db_table)
    for i in range(0, len(ids), LOOKUP):
        chunk = ids[i : i + LOOKUP]
        with transaction.atomic():
            cursor.execute(f"DELETE FROM {live} WHERE id IN ({', '.join('?' * len(chunk))})", chunk)


def _wait_for_other_imports(source_id: int, progress: Progress, renew: Callable[[], None]) -> None:
    """PostgreSQL, first thing in the apply's transaction: wait until no other import of this source is writing,
    then keep the turn until this transaction ends (an advisory lock on the source, taken for the transaction: a
    killed worker's goes with its connection). Two imports of one source that share rows and meet them in
    different orders each waited for a row the other had written, a deadlock that PostgreSQL broke by cancelling
    one of them; one after the other, the second finds the first's rows stored and skips them. Imports of
    different sources never share a unique key (both keys start with the source) and go on side by side. While
    waiting, the figures' hold is kept and the progress says why nothing moves."""
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s::integer, %s::integer)", [IMPORT_LOCK, source_id])
            if cursor.fetchone()[0]:
                return
            renew()
            progress(0.91, _("Waiting for another import of the same source to finish"))
            time.sleep(IMPORT_LOCK_POLL)


def _copy_live(
    prepared: dict, progress: Progress, message: str, renew: Callable[[], None], *, skip_stored: bool = False
) -> list[int]:
    """PostgreSQL, inside the apply's transaction: COPY the prepared rows (`_copy_batches`) straight into the live
    table, a batch per COPY statement (progress between them), and return their ids. A COPY takes the same ROW
    EXCLUSIVE lock as any INSERT (readers and other writers go on; nobody sees the rows before the commit) and
    keeps every index and constraint as it goes; a row that another import stored since the preview breaks a
    unique constraint (psycopg's UniqueViolation: the caller rolls back and calls again with `skip_stored`, which
    COPYs into a temporary table and moves the rows by INSERT ... SELECT ... ON CONFLICT DO NOTHING RETURNING id).
    COPY returns no ids: the table gives them from its sequence as any insert does, and they are read back as the
    rows of the live table from the first one's id up whose xmin is this (sub)transaction's (the first row found
    by its unique key): exactly the rows this COPY wrote, whatever other users saved meanwhile."""
    quote = connection.ops.quote_name
    live = quote(Incident._meta.db_table)
    column_sql = ", ".join(quote(c) for c in prepared["columns"])
    batches = prepared["batches"]
    n = sum(rows for rows, _csv in batches)
    progress(0.91, message)
    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the driver's own cursor: COPY
        if skip_stored:
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING} ON COMMIT DROP AS SELECT {column_sql} FROM {live} WITH NO DATA"
            )
            _copy_into(cursor, STAGING, column_sql, batches, progress, message, renew)
            return _move_skipping_stored(cursor, live, column_sql)
        _copy_into(cursor, live, column_sql, batches, progress, message, renew)
        ids = _ids_copied(cursor, live, prepared)
    if len(ids) != n:  # never: every row COPYed is in the table, in this transaction's rows
        raise RuntimeError(f"{n} rows copied, {len(ids)} found")
    return ids


def _copy_into(cursor, target: str, column_sql: str, batches, progress: Progress, message: str, renew) -> None:
    """PostgreSQL: the CSV batches into `target`, a COPY statement each, with a progress report after each."""
    n = sum(rows for rows, _csv in batches)
    done = 0
    for rows, data in batches:
        with cursor.copy(f"COPY {target} ({column_sql}) FROM STDIN WITH (FORMAT csv)") as copy:
            copy.write(data)
        done += rows
        renew()
        progress(0.91 + 0.08 * done / n, message)


def _move_skipping_stored(cursor, live: str, column_sql: str) -> list[int]:
    """PostgreSQL: the rows COPYed into the temporary table into the live one, but those already stored; their ids."""
    cursor.execute(
        f"INSERT INTO {live} ({column_sql}) SELECT {column_sql} FROM {STAGING} ON CONFLICT DO NOTHING RETURNING id"
    )
    ids = sorted(r[0] for r in cursor.fetchall())
    cursor.execute(f"DROP TABLE {STAGING}")
    return ids


def _ids_copied(cursor, live: str, prepared: dict) -> list[int]:
    """PostgreSQL: the ids of the rows this transaction COPYed: from the first row's id (found by its unique key) up,
    those whose xmin is this transaction's."""
    quote = connection.ops.quote_name
    key, value = prepared["first"]
    cursor.execute(
        f"SELECT id, xmin::text FROM {live} WHERE source_id = %s AND {quote(key)} = %s"
        + (" AND source_ref = '' AND row_hash <> ''" if key == "row_hash" else ""),  # the unique index's rows
        [prepared["source_id"], value],
    )
    first, xid = cursor.fetchone()
    cursor.execute(f"SELECT id FROM {live} WHERE id >= %s AND xmin = %s::xid ORDER BY id", [first, xid])
    return [r[0] for r in cursor.fetchall()]
