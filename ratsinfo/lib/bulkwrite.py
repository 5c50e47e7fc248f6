"""Bulk writes of plain rows: `executemany` on SQLite, `COPY … FROM STDIN` on PostgreSQL.

Shared by the corpus generator (`ratsinfo generate`) and the OParl importer. Rows are tuples
in the order of a `Table`'s columns, already in the form the database driver takes (see
`adapter`); constants common to every row are written once (SQL literals on SQLite, appended
to each row for COPY). Ids are taken from the database up front (`reserve_ids`), so no
`RETURNING` is needed and COPY can be used; history rows are written the same way.
The ORM's per-value compilation (about 10 µs per value) is what this avoids.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import queue
import threading
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import orjson
from django.conf import settings
from django.core.management.color import no_style
from django.db import connections, models
from django.db.models.fields.files import FieldFile


class Table:
    """Rows for one table, written with executemany (SQLite) or COPY (PostgreSQL).

    Columns not given per row are constants (deleted=False, keywords=[] …): they are written as
    SQL literals (SQLite) or appended to each row (COPY). Every concrete column must be named
    (a model that gains a column fails loudly instead of writing NULLs) unless `partial`.
    """

    def __init__(self, model: type[models.Model], columns: list[str], consts: dict[str, Any] | None = None,
                 *, using: str = "default", partial: bool = False) -> None:
        connection = connections[using]
        meta = model._meta
        fields = {f.attname: f for f in meta.concrete_fields}
        consts = consts or {}
        missing = set(fields) - set(columns) - set(consts)
        if missing and not partial:
            raise RuntimeError(f"Spalten von {meta.db_table} nicht angegeben: {sorted(missing)}")
        self.model = model
        qn = connection.ops.quote_name
        self.table = qn(meta.db_table)
        self.postgres = connection.vendor == "postgresql"
        names = [qn(str(fields[n].column)) for n in [*columns, *consts]]
        self.columns = ", ".join(names)
        self.consts = tuple(fields[n].get_db_prep_save(v, connection) for n, v in consts.items())
        literals = ", ".join(sqlite_literal(v) for v in consts.values())
        placeholders = ", ".join(["?"] * len(columns) + ([literals] if literals else []))
        self.sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders})"
        self.copy_sql = f"COPY {self.table} ({self.columns}) FROM STDIN"
        self.rows: list[tuple[Any, ...]] = []
        self.count = 0
        self.next_id: Callable[[], int] = itertools.count(1).__next__  # set by the user (reserve_ids / max_id)

    def retarget(self, db_table: str) -> None:
        """Write the same columns into another table of the same shape (search/swap.py)."""
        old, self.table = self.table, db_table
        self.sql = self.sql.replace(f"INSERT INTO {old} ", f"INSERT INTO {db_table} ", 1)
        self.copy_sql = self.copy_sql.replace(f"COPY {old} ", f"COPY {db_table} ", 1)

    def take(self) -> list[tuple[Any, ...]]:
        rows, self.rows = self.rows, []
        self.count += len(rows)
        return rows

    def write(self, raw_cursor: Any, rows: Sequence[tuple[Any, ...]]) -> None:
        """Write rows through the DB-API cursor (sqlite3 or psycopg), not Django's wrapper
        (a writer thread may not use Django's thread-bound connection object)."""
        if self.postgres:
            consts = self.consts
            with raw_cursor.copy(self.copy_sql) as copy:
                write = copy.write_row
                if consts:
                    for row in rows:
                        write(row + consts)
                else:
                    for row in rows:
                        write(row)
        else:
            raw_cursor.executemany(self.sql, rows)


class Writer:
    """Writes batches of rows in a second thread while the main thread prepares the next ones.

    Both threads share the one database connection; the main thread only opens and closes
    transactions after `drain()`, when the writer is idle. sqlite3 and psycopg release the GIL
    while the database works, so preparing and writing overlap.
    """

    def __init__(self, using: str = "default") -> None:
        connection = connections[using]
        connection.ensure_connection()
        self.raw = connection.connection
        self.queue: queue.Queue[list[tuple[Table, list[tuple[Any, ...]]]] | None] = queue.Queue(maxsize=2)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="ratsinfo-bulk-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        cursor = self.raw.cursor()
        try:
            while True:
                batch = self.queue.get()
                try:
                    if batch is None:
                        return
                    if self.error is None:
                        for table, rows in batch:
                            table.write(cursor, rows)
                except BaseException as exc:  # handed to the main thread
                    self.error = exc
                finally:
                    self.queue.task_done()
        finally:
            cursor.close()

    def put(self, batch: list[tuple[Table, list[tuple[Any, ...]]]]) -> None:
        self.check()
        self.queue.put(batch)

    def drain(self) -> None:
        self.queue.join()

    def check(self) -> None:
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.queue.put(None)
        self.thread.join()


def sqlite_literal(value: Any) -> str:
    """SQL literal of a constant (SQLite only; PostgreSQL uses COPY)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (list, dict)):
        value = json.dumps(value)
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"keine Konstante für SQL: {value!r}")


def max_id(model: type[models.Model], using: str = "default") -> int:
    value = model._default_manager.using(using).aggregate(m=models.Max("id"))["m"]
    return int(value or 0)


def reserve_ids(model: type[models.Model], n: int, using: str = "default") -> list[int]:
    """`n` fresh primary keys for rows written with explicit ids.

    PostgreSQL: taken from the table's sequence (safe beside concurrent writers). SQLite: after
    the highest id ever handed out (AUTOINCREMENT's counter), which is safe because SQLite has one
    writer and the caller is inside the write transaction until the rows are written."""
    if n <= 0:
        return []
    connection = connections[using]
    table = model._meta.db_table
    pk = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [table, pk, n])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT max({connection.ops.quote_name(pk)}) FROM {connection.ops.quote_name(table)}")
        top = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(top, row[0] if row else 0) + 1
        return list(range(start, start + n))


def reset_sequences(models_: Sequence[type[models.Model]], using: str = "default") -> None:
    """After writing explicit ids: ordinary inserts continue after them (PostgreSQL only; SQLite's
    AUTOINCREMENT follows MAX(id) by itself)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models_)):
            cursor.execute(sql)


# --------------------------------------------------------------------------- value adapters


def _json(value: Any) -> Any:
    return None if value is None else orjson.dumps(value).decode()


def _file(value: Any) -> str:
    return (value.name or "") if isinstance(value, FieldFile) else (value or "")


class _Cached:
    """A memoised converter: many rows share a timestamp or a date."""

    def __init__(self, convert: Callable[[Any], Any]) -> None:
        self.convert = convert
        self.cache: dict[Any, Any] = {}

    def __call__(self, value: Any) -> Any:
        if value is None:
            return None
        try:
            return self.cache[value]
        except KeyError:
            if len(self.cache) > 50_000:
                self.cache.clear()
            out = self.cache[value] = self.convert(value)
            return out


def _sqlite_datetime(value: dt.datetime) -> str:
    # what Django's SQLite backend stores for an aware datetime (naive UTC as text), without
    # its per-call settings lookups
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return str(value)


@cache
def adapter(field: models.Field, using: str = "default") -> Callable[[Any], Any] | None:
    """What turns a Python value of `field` into what the driver takes (None: as it is)."""
    connection = connections[using]
    sqlite = connection.vendor == "sqlite"
    if isinstance(field, models.JSONField):
        return _json  # text on SQLite; COPY's text format hands it to jsonb as it is
    if isinstance(field, models.DateTimeField):
        if sqlite and settings.USE_TZ:
            return _Cached(_sqlite_datetime)
        return None if not sqlite else _Cached(connection.ops.adapt_datetimefield_value)
    if isinstance(field, models.DateField):
        return _Cached(str) if sqlite else None
    if isinstance(field, models.FileField):
        return _file
    return None


def to_tuples(fields: Sequence[models.Field], rows: Sequence[dict[str, Any]], using: str = "default",
              first: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
    """Dict rows (by attname) as adapted tuples in `fields` order, each prefixed by `first[i]`."""
    pairs = [(f.attname, adapter(f, using)) for f in fields]
    out = []
    for i, row in enumerate(rows):
        values = [conv(row[name]) if conv is not None else row[name] for name, conv in pairs]
        out.append((first[i], *values) if first is not None else tuple(values))
    return out
