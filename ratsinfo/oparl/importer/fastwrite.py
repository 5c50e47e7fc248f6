"""Multi-row INSERTs for new imported objects and their history rows.

Django's bulk_create compiles every value through the ORM (about 10 µs per value here), which
made it the largest cost of an import. New rows are plain data the mapper already checked,
so they go straight into `INSERT … VALUES (…), (…) RETURNING id`, converted by the backend's
own adapters. Each new object also gets its "+" history row, as simple_history's
bulk_create_with_history would write it.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.db.models.fields.files import FieldFile
from django.utils import timezone


def _sqlite_datetime(value: Any) -> Any:
    # what DatabaseOperations.adapt_datetimefield_value does for SQLite (naive UTC text), minus
    # its per-call checks: aware datetimes are all the mapper produces
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return str(value)


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any] | None:
    ops = connection.ops
    if isinstance(field, models.DateTimeField) and connection.vendor == "sqlite" and settings.USE_TZ:
        return _sqlite_datetime
    if isinstance(field, models.JSONField):
        encoder = field.encoder
        return lambda v: None if v is None else ops.adapt_json_value(v, encoder)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.FileField):
        return lambda v: (v.name or "") if isinstance(v, FieldFile) else (v or "")
    return None


@cache
def _plan(model: type[models.Model], alias: str) -> tuple[list[models.Field], list[Any], str, str, int]:
    connection = connections[alias]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    converters = [_converter(f, connection) for f in fields]
    quote = connection.ops.quote_name
    cols = ", ".join(quote(str(f.column)) for f in fields)
    head = f"INSERT INTO {quote(model._meta.db_table)} ({cols}) VALUES "
    limit = 30_000 if connection.vendor == "sqlite" else 60_000
    return fields, converters, head, quote(str(model._meta.pk.column)), max(1, limit // max(1, len(fields)))


def insert_rows(model: type[models.Model], rows: Sequence[dict[str, Any]], *, returning: bool = True,
                using: str = "default") -> list[int]:
    """INSERT `rows` (dicts by attname, every concrete non-pk field present); returns new pks."""
    if not rows:
        return []
    fields, converters, head, pk_col, per_batch = _plan(model, using)
    pairs = list(zip([f.attname for f in fields], converters, strict=True))
    connection = connections[using]
    sqlite = connection.vendor == "sqlite"
    # SQLite: "?" placeholders straight to the sqlite3 cursor, skipping Django's per-query
    # rewriting of "%s" (a regex over these long statements)
    placeholder = "(" + ", ".join(["?" if sqlite else "%s"] * len(fields)) + ")"
    ids: list[int] = []
    with connection.cursor() as cursor:
        raw = cursor.cursor
        execute = (lambda sql, params: sqlite3.Cursor.execute(raw, sql, params)) if sqlite else cursor.execute
        for start in range(0, len(rows), per_batch):
            chunk = rows[start:start + per_batch]
            params = [conv(row[name]) if conv is not None else row[name] for row in chunk for name, conv in pairs]
            sql = head + ", ".join([placeholder] * len(chunk))
            if returning:
                execute(sql + f" RETURNING {pk_col}", params)
                ids.extend(r[0] for r in (raw if sqlite else cursor).fetchall())
            else:
                execute(sql, params)
    return ids


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


def insert_with_history(model: type[models.Model], rows: Sequence[dict[str, Any]], reason: str) -> list[int]:
    ids = insert_rows(model, rows)
    history = getattr(model, "history", None)
    if history is not None:
        hmodel = history.model
        names = [f.attname for f in hmodel._meta.concrete_fields if not f.primary_key]
        now = timezone.now()
        extra = {"history_date": now, "history_change_reason": reason, "history_type": "+", "history_user_id": None}
        hrows = []
        for pk, row in zip(ids, rows, strict=True):
            hrow = {name: row.get(name) for name in names}
            hrow["id"] = pk
            hrow.update(extra)
            hrows.append(hrow)
        insert_rows(hmodel, hrows, returning=False)
    return ids
