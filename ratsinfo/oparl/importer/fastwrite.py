"""New imported objects and their "+" history rows through the shared bulk writer
(`ratsinfo.lib.bulkwrite`: executemany on SQLite, COPY on PostgreSQL).

Django's bulk_create compiles every value through the ORM (about 10 µs per value here), which
made it the largest cost of an import. New rows are plain data the mapper already checked:
ids are reserved up front, the rows adapted once, and each history row is the same tuple with
simple_history's four extra columns, as bulk_create_with_history would write it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from operator import itemgetter
from typing import Any

from django.db import connections, models
from django.utils import timezone

from ratsinfo.lib.bulkwrite import Table, adapter, reserve_ids, to_tuples

HISTORY_EXTRA = ["history_date", "history_change_reason", "history_type", "history_user_id"]


@cache
def _plan(model: type[models.Model], using: str) -> tuple[list[models.Field], Table, Table | None, Any, Any]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    table = Table(model, [str(model._meta.pk.attname), *[f.attname for f in fields]], using=using)
    history = getattr(model, "history", None)
    if history is None:
        return fields, table, None, None, None
    hmodel = history.model
    hfields = {f.attname: f for f in hmodel._meta.concrete_fields}
    keep = [i for i, f in enumerate(fields) if f.attname in hfields]
    unknown = set(hfields) - {"id", "history_id", *HISTORY_EXTRA} - {fields[i].attname for i in keep}
    if unknown:  # the history model has a column the object does not: fail loudly
        raise RuntimeError(f"Historie von {model._meta.label} hat unbekannte Spalten: {sorted(unknown)}")
    htable = Table(hmodel, ["id", *[fields[i].attname for i in keep], *HISTORY_EXTRA], using=using, partial=True)
    pick = itemgetter(0, *[i + 1 for i in keep])
    return fields, table, htable, pick, adapter(hfields["history_date"], using)


@cache
def _defaults(model: type[models.Model]) -> list[tuple[str, Any, bool]]:
    out = []
    for f in model._meta.concrete_fields:
        if f.primary_key:
            continue
        default = f.default if f.has_default() else (None if f.null else "")
        out.append((f.attname, default, callable(default)))
    return out


def full_row(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """`values` completed with the model's defaults for every other field."""
    row = dict(values)
    for name, default, is_callable in _defaults(model):
        if name not in row:
            row[name] = default() if is_callable else default
    return row


def insert_with_history(model: type[models.Model], rows: Sequence[dict[str, Any]], reason: str,
                        using: str = "default") -> list[int]:
    """INSERT `rows` (dicts by attname, every concrete non-pk field present) and their history
    rows; returns the new primary keys in the order of `rows`."""
    if not rows:
        return []
    fields, table, htable, pick, adapt_date = _plan(model, using)
    ids = reserve_ids(model, len(rows), using)
    tuples = to_tuples(fields, rows, using, first=ids)
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
