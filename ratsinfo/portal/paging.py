"""Keyset pagination ("neuere / ältere") for the big lists.

OFFSET on 100,000 Vorlagen makes deep pages slow and shifts when papers are added; a cursor
(the pk of the last row shown) keeps every page as cheap as the first. The cursor row's sort
value is looked up once, so URLs stay short and readable: `?aeltere=1234`.

Nullable sort fields (a Vorlage without date) are ordered last; they are fetched as a separate
segment so that each query can still walk the (…, date) index as a range.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

from ratsinfo.lib.forms import IdField, QueryForm

PER_PAGE = 25
FORWARD_PARAM = "aeltere"  # continue in the list's reading direction
BACKWARD_PARAM = "neuere"  # go back towards the start of the list


@dataclass
class KeysetPage:
    items: list[Any]
    next_cursor: int | None = None  # pk to continue after ("ältere" / "spätere")
    prev_cursor: int | None = None  # pk to go back before ("neuere" / "frühere")
    is_first: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_other_pages(self) -> bool:
        return self.next_cursor is not None or self.prev_cursor is not None


class CursorQuery(QueryForm):
    aeltere = IdField()
    neuere = IdField()


def _cursor(request: HttpRequest, name: str) -> int | None:
    value: int | None = CursorQuery(request.GET).value(name)
    return value


def keyset_page(
    request: HttpRequest,
    qs: QuerySet[Any],
    *,
    key: str,
    descending: bool,
    per_page: int = PER_PAGE,
    nullable: bool = False,
) -> KeysetPage:
    """One page of `qs` ordered by (key, pk), descending or ascending, nulls last."""
    after = _cursor(request, FORWARD_PARAM)
    before = None if after is not None else _cursor(request, BACKWARD_PARAM)
    if after is None and before is None:
        rows = _fetch(qs, key, descending, nullable, None, per_page + 1, forward=True)
        return _page(rows, per_page, forward=True, is_first=True)
    boundary_pk = after if after is not None else before
    assert boundary_pk is not None
    # Looked up in `qs` itself: a cursor naming a row the visitor may not see tells nothing.
    found = list(qs.filter(pk=boundary_pk).values_list(key, flat=True)[:1])
    if not found:  # cursor points to nothing visible (deleted, hidden, or made up): start over
        rows = _fetch(qs, key, descending, nullable, None, per_page + 1, forward=True)
        return _page(rows, per_page, forward=True, is_first=True)
    boundary = (found[0], boundary_pk)
    forward = after is not None
    rows = _fetch(qs, key, descending, nullable, boundary, per_page + 1, forward=forward)
    return _page(rows, per_page, forward=forward, is_first=False)


def _page(rows: list[Any], per_page: int, *, forward: bool, is_first: bool) -> KeysetPage:
    more = len(rows) > per_page
    rows = rows[:per_page]
    if not forward:
        rows.reverse()
    if not rows:
        return KeysetPage(items=[], is_first=is_first)
    if forward:
        return KeysetPage(
            items=rows,
            next_cursor=rows[-1].pk if more else None,
            prev_cursor=None if is_first else rows[0].pk,
            is_first=is_first,
        )
    return KeysetPage(
        items=rows,
        next_cursor=rows[-1].pk,
        prev_cursor=rows[0].pk if more else None,
        is_first=not more,
    )


def _fetch(
    qs: QuerySet[Any],
    key: str,
    descending: bool,
    nullable: bool,
    boundary: tuple[Any, int] | None,
    limit: int,
    *,
    forward: bool,
) -> list[Any]:
    # Reading direction: descending lists go to smaller keys when moving forward.
    smaller = descending == forward
    order = [f"-{key}", "-pk"] if smaller else [key, "pk"]
    value, pk = boundary if boundary else (None, None)
    nonnull = qs.filter(**{f"{key}__isnull": False}) if nullable else qs
    nulls = qs.filter(**{f"{key}__isnull": True}) if nullable else None
    nulls_order = ["-pk"] if smaller else ["pk"]

    if boundary is not None and value is None:
        # Inside the null segment (always at the end of the list in reading direction).
        assert nulls is not None
        pk_cond = {"pk__lt": pk} if smaller else {"pk__gt": pk}
        rows = list(nulls.filter(**pk_cond).order_by(*nulls_order)[:limit])
        if forward or len(rows) >= limit:
            return rows
        return rows + list(nonnull.order_by(*order)[: limit - len(rows)])

    segment = nonnull
    if boundary is not None:
        # (key, pk) strictly beyond the boundary, written so the key stays a range condition.
        if smaller:
            segment = segment.filter(**{f"{key}__lte": value}).exclude(
                **{key: value, "pk__gte": pk}
            )
        else:
            segment = segment.filter(**{f"{key}__gte": value}).exclude(
                **{key: value, "pk__lte": pk}
            )
    rows = list(segment.order_by(*order)[:limit])
    if forward and nulls is not None and len(rows) < limit:
        rows += list(nulls.order_by(*nulls_order)[: limit - len(rows)])
    return rows


def small_page(request: HttpRequest, items: Any, per_page: int = 50) -> Page:
    """Numbered pages for short lists (Gremien, Personen); bad page numbers fall back sensibly."""
    return Paginator(items, per_page).get_page(request.GET.get("seite"))
