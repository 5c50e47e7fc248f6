"""PostgreSQL: the rebuilt index is written into new tables beside the live ones and swapped in
by renaming, in one short transaction at the end (`ratsinfo reindex`, bulk.py).

Why: PostgreSQL computes each row's tsvector (a generated column) and builds each index in the
one backend that runs the statement, on one core. Into a table of its own the rows are copied
by two connections at once and the indexes built by two (a transaction's uncommitted table
could only be written by its own connection), so a two-core machine uses both cores: 723,501
documents, one connection for everything inside one transaction: COPY 134–164 s, GIN index
45–56 s. And the live index stays readable and writable until the swap; the old way held an
exclusive lock on it for the whole write (about five minutes), so every search waited.

The new tables get the live ones' columns with their defaults, generated expression, identity,
compression and checks (CREATE TABLE … LIKE), then the same indexes under temporary names.
The swap drops the live tables and gives the new ones, their indexes, constraints and identity
sequences the live names, the live owners and the other roles' rights, so the schema afterwards
is the one the migrations made (tested). Foreign keys to and from the tables are added again
NOT VALID and validated after the swap, without the exclusive lock.

Inside a transaction (tests, a caller's atomic block) everything runs on the caller's connection,
one step after the other, with the same result.
"""

from __future__ import annotations

import itertools
import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db import OperationalError, connection, models, transaction
from psycopg import errors as psycopg_errors

from ratsinfo.lib.bulkwrite import Table
from ratsinfo.search.beside import own_connection

log = logging.getLogger(__name__)
SUFFIX = "_next"
MAINTENANCE_WORK_MEM = "256MB"  # per connection building an index (the GIN builds sort in it)
LOCK_TIMEOUT = "5s"  # the swap waits this long for readers, then tries again (SWAP_ATTEMPTS)
SWAP_ATTEMPTS = 12
# One advisory lock: held by a rebuild, tested by the outbox's flush (indexing.flush), which
# leaves its marks while a rebuild runs (a change indexed into the old tables would be lost with
# them). The number is "ratsinfo" as ASCII: arbitrary, only unique within this database.
REBUILD_LOCK = 0x7261747369
SLICE_ROWS = 20_000  # rows per COPY: the connections take slices in turn (documents differ in cost)
_CREATE_INDEX = re.compile(r"^CREATE (UNIQUE )?INDEX (\S+) ON (\S+) ")


@dataclass
class Shadow:
    """One live table and the new one beside it."""

    model: type[models.Model]
    table: str = ""
    next: str = ""
    indexes: list[tuple[str, str]] = field(default_factory=list)  # live name, statement for the new table
    backing: dict[str, str] = field(default_factory=dict)  # index name -> ADD CONSTRAINT … USING INDEX
    sequence: str | None = None

    def __post_init__(self) -> None:
        self.table = self.model._meta.db_table
        self.next = self.table + SUFFIX

    def temporary(self, number: int) -> str:
        return f"{self.next}_{number}"


def _fetch(cursor: Any, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    cursor.execute(sql, params)
    return list(cursor.fetchall())


def prepare(cursor: Any, shadows: list[Shadow]) -> None:
    """Create the new tables (empty, without indexes) and note what the live ones have."""
    dependents = _fetch(
        cursor,
        "SELECT DISTINCT v.oid::regclass::text FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid "
        "JOIN pg_class v ON v.oid = r.ev_class WHERE d.classid = 'pg_rewrite'::regclass "
        "AND d.refobjid = ANY(%s::regclass[]) AND v.oid <> d.refobjid",
        [[s.table for s in shadows]],
    )
    if dependents:  # (the swap's DROP would refuse, after all the work: say so first)
        names = ", ".join(name for (name,) in dependents)
        raise RuntimeError(f"Sichten hängen an den Suchtabellen ({names}): erst entfernen, dann neu aufbauen.")
    for s in shadows:
        cursor.execute(f"DROP TABLE IF EXISTS {s.next} CASCADE")  # a rebuild that died before its swap
        cursor.execute(
            f"CREATE TABLE {s.next} (LIKE {s.table} INCLUDING DEFAULTS INCLUDING GENERATED INCLUDING IDENTITY "
            "INCLUDING COMPRESSION INCLUDING STORAGE INCLUDING CONSTRAINTS)"
        )
        backing = {index: rest for index, *rest in _fetch(
            cursor,
            "SELECT conindid::regclass::text, quote_ident(conname), contype, condeferrable, condeferred "
            "FROM pg_constraint WHERE conrelid = %s::regclass AND contype IN ('p', 'u')",
            [s.table],
        )}
        for name, definition in _fetch(
            cursor,
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = %s::regclass ORDER BY indexrelid",
            [s.table],
        ):
            temporary = s.temporary(len(s.indexes))
            match = _CREATE_INDEX.match(definition)
            if match is None:  # (pg_get_indexdef always reads like this)
                raise RuntimeError(f"Unerwartete Indexdefinition: {definition}")
            head = f"CREATE {match.group(1) or ''}INDEX {temporary} ON {s.next} "
            s.indexes.append((name, head + definition[match.end():]))
            if name in backing:
                constraint, kind, deferrable, deferred = backing[name]
                timing = " DEFERRABLE INITIALLY " + ("DEFERRED" if deferred else "IMMEDIATE") if deferrable else ""
                s.backing[temporary] = (
                    f"ADD CONSTRAINT {constraint} {'PRIMARY KEY' if kind == 'p' else 'UNIQUE'} USING INDEX {temporary}{timing}"
                )
        (s.sequence,) = _fetch(cursor, "SELECT pg_get_serial_sequence(%s, 'id')", [s.table])[0]


@contextmanager
def connections(parallel: int) -> Iterator[list[Any]]:
    """`parallel` new connections of their own (committing by themselves), or none: then the
    caller's connection does every step."""
    opened: list[Any] = []
    try:
        for _ in range(parallel):
            opened.append(own_connection())
            opened[-1].execute(f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
        yield opened
    finally:
        for raw in opened:
            raw.close()


def _run(
    jobs: list[Callable[[Any], None]], pool: list[Any],
) -> None:
    """Each job with a raw cursor: spread over the pool's connections (each takes the next job
    when it is done with one, so order the jobs largest first), or one after the other on
    the caller's connection."""
    if not pool:
        connection.ensure_connection()
        raw = connection.connection.cursor()
        try:
            raw.execute(f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
            for job in jobs:
                job(raw)
            raw.execute("RESET maintenance_work_mem")
        finally:
            raw.close()
        return
    pending = list(reversed(jobs))

    def work(raw_connection: Any) -> None:
        with raw_connection.cursor() as raw:
            while pending:
                try:
                    job = pending.pop()
                except IndexError:
                    return
                try:
                    job(raw)
                except BaseException:
                    pending.clear()  # the other connections stop after their current job
                    raise

    with ThreadPoolExecutor(len(pool)) as threads:
        futures = [threads.submit(work, c) for c in pool]
        try:
            for future in futures:
                future.result()  # a failed COPY or index raises here
        except BaseException:  # (Ctrl-C too): no further jobs, the running statements cancelled
            pending.clear()
            for raw_connection in pool:
                raw_connection.cancel_safe()
            raise


def copy_jobs(table: Table, rows: list[tuple[Any, ...]]) -> list[Callable[[Any], None]]:
    """COPY `rows` into the table's new table, a slice of SLICE_ROWS per statement."""
    return [partial(_copy, table, rows[i : i + SLICE_ROWS]) for i in range(0, len(rows), SLICE_ROWS)]


def _copy(table: Table, rows: list[tuple[Any, ...]], raw: Any) -> None:
    table.write(raw, rows)


def index_jobs(shadows: list[Shadow]) -> list[Callable[[Any], None]]:
    """CREATE INDEX on the new tables, the full-text ones first (they take longest)."""
    statements = [statement for s in shadows for _, statement in s.indexes]
    statements.sort(key=lambda sql: " USING gin " not in sql)
    return [partial(_execute, sql) for sql in statements]


def _execute(sql: str, raw: Any) -> None:
    raw.execute(sql)


def analyze_jobs(shadows: list[Shadow]) -> list[Callable[[Any], None]]:
    """The planner's statistics of the new tables (after their indexes: ANALYZE samples the
    expression indexes too)."""
    return [partial(_execute, f"ANALYZE {s.next}") for s in shadows]


def swap(cursor: Any, shadows: list[Shadow], after: Callable[[], None]) -> list[tuple[str, str]]:
    """In the caller's transaction: the new tables take the live ones' places and names. Returns
    the foreign keys added NOT VALID (table, constraint) for `validate`. `after` runs inside the
    transaction once the new tables are in place."""
    ours = [s.table for s in shadows]
    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
    # Foreign keys from and to the live tables: dropped with them, added again afterwards.
    foreign = _fetch(
        cursor,
        "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid), confrelid::regclass::text "
        "FROM pg_constraint WHERE contype = 'f' AND (conrelid = ANY(%s::regclass[]) OR confrelid = ANY(%s::regclass[]))",
        [ours, ours],
    )
    # The other tables of those keys first (dropping a key locks its other table as well: taking
    # them after ours could deadlock with a reader that holds one of them and waits for ours).
    others = sorted({t for table, _, _, referenced in foreign for t in (table, referenced)} - set(ours))
    cursor.execute(f"LOCK TABLE {', '.join([*others, *ours])} IN ACCESS EXCLUSIVE MODE")
    owners = _fetch(cursor, "SELECT oid::regclass::text, relowner::regrole::text FROM pg_class WHERE oid = ANY(%s::regclass[])", [ours])
    rights = _rights(cursor, ours)
    for table, name, _, _ in foreign:
        if table not in ours:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    # (DROP refuses while this transaction has deferred foreign-key checks pending on them; no
    # CASCADE: anything else depending on the tables stops the swap instead of going with them)
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cursor.execute(f"DROP TABLE {', '.join(ours)}")
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    for s in shadows:
        cursor.execute(f"ALTER TABLE {s.next} RENAME TO {s.table}")
        for number, (name, _) in enumerate(s.indexes):
            temporary = s.temporary(number)
            if temporary in s.backing:
                cursor.execute(f"ALTER TABLE {s.table} {s.backing[temporary]}")  # (renames the index)
            else:
                cursor.execute(f"ALTER INDEX {temporary} RENAME TO {name}")
        if s.sequence:
            (new,) = _fetch(cursor, "SELECT pg_get_serial_sequence(%s, 'id')", [s.table])[0]
            cursor.execute(f"ALTER SEQUENCE {new} RENAME TO {s.sequence.split('.')[-1]}")
            # The new identity starts at 1: past the ids written, before anyone inserts again.
            cursor.execute(f"SELECT setval(%s, COALESCE((SELECT MAX(id) FROM {s.table}), 0) + 1, false)", [s.sequence])
    for table, owner in owners:
        cursor.execute(f"ALTER TABLE {table} OWNER TO {owner}")
    # Other roles' rights as they were: none but these (a default privilege may have added some).
    for table, grantee in {(table, grantee) for table, grantee, _, _ in _rights(cursor, ours)}:
        cursor.execute(f"REVOKE ALL ON {table} FROM {grantee}")
    for table, grantee, privilege, grantable in rights:
        cursor.execute(f"GRANT {privilege} ON {table} TO {grantee}{' WITH GRANT OPTION' if grantable else ''}")
    for table, name, definition, _ in foreign:
        cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition} NOT VALID")
    after()
    cursor.execute("SET LOCAL lock_timeout = DEFAULT")  # (the rest of a caller's transaction waits as it would)
    return [(table, name) for table, name, _, _ in foreign]


def _rights(cursor: Any, tables: list[str]) -> list[tuple[Any, ...]]:
    """(table, grantee, privilege, grantable) of the roles other than each table's owner."""
    return _fetch(
        cursor,
        "SELECT c.oid::regclass::text, CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END, "
        "a.privilege_type, a.is_grantable FROM pg_class c, aclexplode(c.relacl) a "
        "WHERE c.oid = ANY(%s::regclass[]) AND a.grantee <> c.relowner",
        [tables],
    )


def _swap_in(shadows: list[Shadow], after: Callable[[], None]) -> list[tuple[str, str]]:
    """The swap, tried again while readers hold the tables longer than LOCK_TIMEOUT (a long
    search, a transaction left open; its lock would otherwise queue every search behind them)
    or a deadlock with one of them ends an attempt."""
    for attempt in range(1, SWAP_ATTEMPTS + 1):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                return swap(cursor, shadows, after)
        except OperationalError as error:
            waited = isinstance(error.__cause__, psycopg_errors.LockNotAvailable | psycopg_errors.DeadlockDetected)
            if not waited or attempt == SWAP_ATTEMPTS:
                raise
            log.warning("Suchindex: Tausch wartet auf Leser (Versuch %d von %d)", attempt, SWAP_ATTEMPTS)
    raise AssertionError("unreachable")


def validate(cursor: Any, foreign: list[tuple[str, str]]) -> None:
    for table, name in foreign:
        cursor.execute(f"ALTER TABLE {table} VALIDATE CONSTRAINT {name}")


@contextmanager
def rebuild_lock() -> Iterator[None]:
    """Held for a whole rebuild (a second one waits for the first)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [REBUILD_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK])


def rebuild_running() -> bool:
    """Whether a rebuild holds the lock (tested in the caller's transaction, which keeps a
    shared hold until it ends: a rebuild starting meanwhile waits for it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [REBUILD_LOCK])
        return not cursor.fetchone()[0]


def write(
    writes: list[tuple[Table, list[tuple[Any, ...]]]], after: Callable[[], None], parallel: int,
) -> None:
    """Write the tables' rows into new tables and swap them in; `after` runs in the swap's
    transaction. `parallel` connections of their own where no transaction is open, else one."""
    parallel = parallel if parallel > 1 and not connection.in_atomic_block else 0
    shadows = [Shadow(table.model) for table, _ in writes]
    with transaction.atomic(), connection.cursor() as cursor:  # (committed before others write them)
        prepare(cursor, shadows)
    for (table, _), s in zip(writes, shadows, strict=True):
        table.retarget(s.next)
    times = [time.monotonic()]
    try:
        with connections(parallel) as pool:
            for jobs in ([job for table, rows in writes for job in copy_jobs(table, rows)], index_jobs(shadows),
                         analyze_jobs(shadows)):
                _run(jobs, pool)
                times.append(time.monotonic())
        foreign = _swap_in(shadows, after)
    except BaseException:
        if not connection.in_atomic_block:  # (inside one, the caller's rollback takes them)
            try:  # gigabytes otherwise kept until the next rebuild
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP TABLE IF EXISTS {', '.join(s.next for s in shadows)} CASCADE")
            except Exception:
                log.exception("Suchindex: neue Tabellen nicht entfernt (der nächste Neuaufbau entfernt sie)")
        raise
    times.append(time.monotonic())
    with connection.cursor() as cursor:
        validate(cursor, foreign)
    times.append(time.monotonic())
    log.info("Suchindex (%d Verbindungen): COPY %.1f s, Indexe %.1f s, ANALYZE %.1f s, Tausch %.1f s, Prüfung %.1f s",
             max(1, len(pool)), *(b - a for a, b in itertools.pairwise(times)))
