"""Statements of one PostgreSQL search run beside each other, on the second core.

PostgreSQL runs a statement in one backend on one core, and a search's statements (the facet
counts with one filter off each, the title pool, the ranking) ran one after another while the
other core idled: a search with two facet filters took four statements in a row. Statements
that do not need each other's rows now run on helper connections at the same time as the
request's own, in the request's snapshot (`pg_export_snapshot`, `SET TRANSACTION SNAPSHOT`):
what they see is exactly what the request's connection sees, so the result is the same as one
after another (tested). The SQL, what the viewer may see included, is built in the request's
thread; a helper only runs it.

Each helper thread keeps one connection of its own (psycopg's connect, as Django configures it,
with its role), made when first needed; `RATSINFO_SEARCH_HELPERS` helpers per process (0: none).
A helper that fails (a dropped connection) closes its connection; the statement then runs on the
request's connection, in the same snapshot. So does a statement no helper has taken up yet when
the request asks for it (the helpers are busy with another request's). A helper waits at most
HELPER_LOCK_TIMEOUT for a table lock: the request holds its tables already, and a lock queued
behind it (the reindex's swap, a migration) would wait for the request, which waits for the
helper, a cycle PostgreSQL cannot see; the request's own connection then runs the statement.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

import psycopg
from django.conf import settings
from django.db import connection
from psycopg import sql as psycopg_sql

log = logging.getLogger(__name__)

Rows = list[tuple[Any, ...]]
HELPER_LOCK_TIMEOUT = "100ms"


@dataclass
class Statement:
    """One SELECT of a search, built in the request's thread; `finish` turns its rows into what the caller wants."""

    sql: str
    params: list[Any]
    finish: Callable[[Rows], Any] = lambda rows: rows


def own_connection(*, autocommit: bool = True) -> Any:
    """A new connection to the default database, configured as Django configures its own
    (options, adapters, the role to assume), but not from Django's pool."""
    raw = psycopg.connect(**connection.get_connection_params())
    try:
        raw.autocommit = autocommit
        role = connection.settings_dict["OPTIONS"].get("assume_role")
        if role:
            raw.execute(psycopg_sql.SQL("SET ROLE {}").format(psycopg_sql.Identifier(role)))
    except BaseException:
        raw.close()
        raise
    return raw


@dataclass
class Later:
    """A statement's result: running on a helper, or (no helper) run on the request's connection
    when first asked for."""

    statement: Statement
    future: Future[Rows] | None = None
    _rows: Rows | None = field(default=None, repr=False)

    def result(self) -> Any:
        if self._rows is None:
            if self.future is not None and not self.future.cancel():  # (not taken up yet: run here)
                try:
                    self._rows = self.future.result()
                except psycopg.Error as exc:
                    log.warning("Suche: Hilfsverbindung fehlgeschlagen (%s), Anweisung läuft in der Anfrage", exc)
            if self._rows is None:
                with connection.cursor() as cursor:
                    cursor.execute(self.statement.sql, self.statement.params)
                    self._rows = cursor.fetchall()
        return self.statement.finish(self._rows)

    def wait(self) -> None:
        """Until the helper is done with it (it must not outlive the snapshot it imports)."""
        if self.future is not None and not self.future.cancel():
            wait([self.future])  # (its error, if any, is the caller's to ask for)


_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None
_local = threading.local()
_opened: set[Any] = set()


def helpers() -> int:
    return int(getattr(settings, "RATSINFO_SEARCH_HELPERS", 0))


_SNAPSHOT = re.compile(r"[0-9A-F]+-[0-9A-F]+(-[0-9]+)?")  # as pg_export_snapshot() names one


def start(statements: Sequence[Statement], snapshot: str, config: dict[str, str]) -> list[Later]:
    """Start `statements` on the helpers in the exported `snapshot`, with the settings `config`."""
    global _executor
    if not _SNAPSHOT.fullmatch(snapshot):
        raise ValueError(f"unexpected snapshot name {snapshot!r}")
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=helpers(), thread_name_prefix="ratsinfo-search")
        executor = _executor
    config = {**config, "lock_timeout": HELPER_LOCK_TIMEOUT}
    return [Later(s, executor.submit(_run, s, snapshot, config)) for s in statements]


def _run(statement: Statement, snapshot: str, config: dict[str, str]) -> Rows:
    raw = getattr(_local, "connection", None)
    if raw is None or raw.closed:
        raw = _local.connection = own_connection()
        with _lock:
            _opened.add(raw)
    try:
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
            cursor.execute("SELECT " + ", ".join(f"set_config('{n}', %s, true)" for n in config), list(config.values()))
            cursor.execute(statement.sql, statement.params)
            rows = cursor.fetchall()
            cursor.execute("COMMIT")
        return rows
    except BaseException:
        _forget(raw)
        raise


def _forget(raw: Any) -> None:
    with _lock:
        _opened.discard(raw)
    with contextlib.suppress(psycopg.Error):
        raw.close()


def _forked() -> None:
    """In a forked child (a server's worker): the parent's threads are not there, and its
    connections are the parent's; start afresh, closing nothing."""
    global _executor, _local, _lock
    _executor, _local, _lock = None, threading.local(), threading.Lock()
    _opened.clear()


os.register_at_fork(after_in_child=_forked)


def close_all() -> None:
    """Close every helper connection (tests, before their database is dropped); the helpers
    connect again when next needed."""
    with _lock:
        opened = list(_opened)
    for raw in opened:
        _forget(raw)
