"""The administrators' audit log: AuditEvent rows merged with simple-history's change rows.

One query per source, keyset-paged on (time, source, id) so that deep pages stay cheap and
no row is shown twice or skipped when events arrive while someone pages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from ratsinfo.accounts.forms import CHANGE_KIND
from ratsinfo.accounts.models import AuditEvent
from ratsinfo.files.models import File
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Paper

PER_PAGE = 50
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
HISTORY_MODELS: tuple[type[Model], ...] = (Paper, Meeting, AgendaItem, File)  # source 1…4
HISTORY_TYPES = {"+": "angelegt", "~": "geändert", "-": "gelöscht"}


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    source: int
    pk: int
    kind: str
    actor: str
    object_label: str
    object_url: str
    address: str
    detail: str

    @property
    def cursor(self) -> str:
        return f"{(self.at - EPOCH) // dt.timedelta(microseconds=1)}-{self.source}-{self.pk}"


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    account: str = ""
    since: dt.date | None = None
    until: dt.date | None = None
    after: tuple[dt.datetime, int, int] | None = None


def parse_cursor(raw: str) -> tuple[dt.datetime, int, int] | None:
    if not raw:
        return None
    micros, source, pk = (int(part) for part in raw.split("-"))
    try:
        return EPOCH + dt.timedelta(microseconds=micros), source, pk
    except OverflowError:
        return None


def _before_cursor(source: int, time_field: str, pk_field: str, after: tuple[dt.datetime, int, int] | None) -> Q:
    """Rows ordered after the cursor in (time, source, id) descending order."""
    if after is None:
        return Q()
    at, cursor_source, cursor_pk = after
    earlier = Q(**{f"{time_field}__lt": at})
    if source < cursor_source:
        return earlier | Q(**{time_field: at})
    if source == cursor_source:
        return earlier | Q(**{time_field: at, f"{pk_field}__lt": cursor_pk})
    return earlier


def _time_range(field: str, filters: Filters) -> Q:
    q = Q()
    if filters.since:
        q &= Q(**{f"{field}__gte": timezone.make_aware(dt.datetime.combine(filters.since, dt.time.min))})
    if filters.until:
        next_day = dt.datetime.combine(filters.until + dt.timedelta(days=1), dt.time.min)
        q &= Q(**{f"{field}__lt": timezone.make_aware(next_day)})
    return q


def _audit_entries(filters: Filters, limit: int) -> list[Entry]:
    qs: QuerySet[AuditEvent] = AuditEvent.objects.filter(_time_range("at", filters), _before_cursor(0, "at", "id", filters.after))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.account:
        qs = qs.filter(actor_name=filters.account)
    return [
        Entry(e.at, 0, e.pk, e.get_kind_display(), e.actor_name, e.object_repr or "", "", e.address or "", e.detail)
        for e in qs.order_by("-at", "-id")[:limit]
    ]


def _history_url(model: type[Model], pk: int) -> str:
    try:
        return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_history", args=[pk])
    except NoReverseMatch:
        return ""


def _history_entries(source: int, model: type[Model], filters: Filters, limit: int) -> list[Entry]:
    history: Any = model.history.model  # type: ignore[attr-defined]
    qs = history.objects.filter(
        _time_range("history_date", filters), _before_cursor(source, "history_date", "history_id", filters.after)
    )
    if filters.account:
        qs = qs.filter(history_user__username=filters.account)
    rows = (
        qs.select_related("history_user")
        .only("history_id", "history_date", "history_type", "history_change_reason", "id", "name", "history_user__username")
        .order_by("-history_date", "-history_id")[:limit]
    )
    label = str(model._meta.verbose_name)
    return [
        Entry(
            row.history_date, source, row.history_id, f"{label} {HISTORY_TYPES.get(row.history_type, '')}",
            row.history_user.username if row.history_user else "", f"{label} {row.id}: {row.name}"[:200],
            _history_url(model, row.id), "", row.history_change_reason or "",
        )
        for row in rows
    ]


def entries(filters: Filters, per_page: int = PER_PAGE) -> tuple[list[Entry], str | None]:
    """One page, newest first, and the cursor for the next (older) page."""
    found: list[Entry] = []
    if filters.kind != CHANGE_KIND:
        found += _audit_entries(filters, per_page + 1)
    if filters.kind in ("", CHANGE_KIND):
        for source, model in enumerate(HISTORY_MODELS, start=1):
            found += _history_entries(source, model, filters, per_page + 1)
    found.sort(key=lambda e: (e.at, e.source, e.pk), reverse=True)
    page = found[:per_page]
    return page, (page[-1].cursor if len(found) > per_page else None)
