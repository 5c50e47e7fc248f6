"""New imported objects and their "+" history rows through the shared bulk writer
(`ratsinfo.lib.bulkwrite`: executemany on SQLite, COPY on PostgreSQL).

Django's bulk_create compiles every value through the ORM (about 10 µs per value here), which
made it the largest cost of an import. New rows are plain data the mapper already checked:
ids are reserved up front, the rows adapted once, and each history row is the same tuple with
simple_history's four extra columns, as bulk_create_with_history would write it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from operator import itemgetter
from typing import Any

from django.db import connections, models
from django.utils import timezone

from ratsinfo.lib.bulkwrite import Table, adapter, reserve_ids

HISTORY_EXTRA = ["history_date", "history_change_reason", "history_type", "history_user_id"]


@cache
def _plan(model: type[models.Model], using: str) -> tuple[Table, Table | None, Any, Any, Callable[..., tuple[Any, ...]]]:
    """Tables of `model` and its history, and a function building a row tuple from a dict.

    Columns that go to the driver as they are come first and are taken in one C call
    (itemgetter); the few that need adapting (dates, JSON) follow."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    plain = [f for f in fields if adapter(f, using) is None]
    adapted: list[tuple[str, Callable[[Any], Any]]] = [
        (f.attname, conv) for f in fields if (conv := adapter(f, using)) is not None]
    ordered = [*plain, *[f for f in fields if adapter(f, using) is not None]]
    table = Table(model, [str(model._meta.pk.attname), *[f.attname for f in ordered]], using=using)
    get_plain = itemgetter(*[f.attname for f in plain]) if len(plain) > 1 else None
    single = plain[0].attname if len(plain) == 1 else None

    def build(pk: int, row: dict[str, Any]) -> tuple[Any, ...]:
        head = get_plain(row) if get_plain is not None else ((row[single],) if single is not None else ())
        return (pk, *head, *[conv(row[name]) for name, conv in adapted])

    history = getattr(model, "history", None)
    if history is None:
        return table, None, None, None, build
    hmodel = history.model
    hfields = {f.attname: f for f in hmodel._meta.concrete_fields}
    keep = [i for i, f in enumerate(ordered) if f.attname in hfields]
    unknown = set(hfields) - {"id", "history_id", *HISTORY_EXTRA} - {ordered[i].attname for i in keep}
    if unknown:  # the history model has a column the object does not: fail loudly
        raise RuntimeError(f"Historie von {model._meta.label} hat unbekannte Spalten: {sorted(unknown)}")
    htable = Table(hmodel, ["id", *[ordered[i].attname for i in keep], *HISTORY_EXTRA], using=using, partial=True)
    pick = itemgetter(0, *[i + 1 for i in keep])
    return table, htable, pick, adapter(hfields["history_date"], using), build


@cache
def _defaults(model: type[models.Model]) -> tuple[dict[str, Any], list[tuple[str, Any]]]:
    """Constant defaults (merged in one step) and callable ones (called per row: a fresh list)."""
    static: dict[str, Any] = {}
    dynamic: list[tuple[str, Any]] = []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        default = f.default if f.has_default() else (None if f.null else "")
        if callable(default):
            dynamic.append((f.attname, default))
        else:
            static[f.attname] = default
    return static, dynamic


def full_row(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """`values` completed with the model's defaults for every other field."""
    static, dynamic = _defaults(model)
    row = {**static, **values}
    for name, default in dynamic:
        if name not in values:
            row[name] = default()
    return row


def insert_with_history(model: type[models.Model], rows: Sequence[dict[str, Any]], reason: str,
                        using: str = "default") -> list[int]:
    """INSERT `rows` (dicts by attname, every concrete non-pk field present) and their history
    rows; returns the new primary keys in the order of `rows`."""
    if not rows:
        return []
    table, htable, pick, adapt_date, build = _plan(model, using)
    ids = reserve_ids(model, len(rows), using)
    tuples = [build(pk, row) for pk, row in zip(ids, rows, strict=True)]
    connection = connections[using]
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        table.write(cursor, tuples)
        if htable is not None:
            now = timezone.now()
            tail = (adapt_date(now) if adapt_date is not None else now, reason, "+", None)
            htable.write(cursor, [pick(t) + tail for t in tuples])
    finally:
        cursor.close()
    return ids


@cache
def _link_table(through: type[models.Model], src: str, dst: str, using: str) -> Table:
    return Table(through, [src, dst], using=using, partial=True)  # the id comes from the database


def write_links(through: type[models.Model], src: str, dst: str, pairs: Sequence[tuple[int, int]],
                using: str = "default") -> None:
    """INSERT rows of a many-to-many table that cannot exist yet."""
    connection = connections[using]
    connection.ensure_connection()
    cursor = connection.connection.cursor()
    try:
        _link_table(through, src, dst, using).write(cursor, pairs)
    finally:
        cursor.close()
