"""Keyset pagination and list filters of the OParl API.

Lists are ordered by primary key and cut by key (`after=<id>` forwards, `before=<id>` backwards,
`last=1` from the end), never by offset: the last page of a million rows costs what the first
costs, and a crawl while others edit neither skips nor repeats an object (edits do not move an
object; new objects get larger ids and come at the end). A client that syncs incrementally
passes the start time of its previous crawl as `modified_since`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


class OParlError(Exception):
    """Becomes an OParl Error object with this HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# "+01:00" arrives as " 01:00" when a client forgot to encode the plus sign.
_DECODED_PLUS = re.compile(r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)$")


def parse_timestamp(name: str, raw: str) -> dt.datetime:
    text = _DECODED_PLUS.sub(r"\1+\2", raw.strip())
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            value = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        except ValueError:
            raise OParlError(
                400,
                f"Parameter {name}: {raw!r} ist kein Zeitstempel (erwartet z. B. 2024-05-01T10:00:00+02:00).",
            ) from None
    if value.tzinfo is None:
        value = timezone.make_aware(value)
    return value


def _parse_int(name: str, raw: str, minimum: int, maximum: int | None = None) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise OParlError(400, f"Parameter {name}: {raw!r} ist keine ganze Zahl.") from None
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" und höchstens {maximum}" if maximum is not None else ""
        raise OParlError(400, f"Parameter {name} muss mindestens {minimum}{upper} sein.")
    return value


@dataclass
class ListParams:
    limit: int = DEFAULT_LIMIT
    after: int | None = None
    before: int | None = None
    last: bool = False
    created_since: dt.datetime | None = None
    created_until: dt.datetime | None = None
    modified_since: dt.datetime | None = None
    modified_until: dt.datetime | None = None
    # The filters as the client should see them again in every link.
    kept: dict[str, str] | None = None

    @classmethod
    def from_query(cls, query: QueryDict) -> ListParams:
        params = cls(kept={})
        assert params.kept is not None
        for name in FILTERS:
            raw = query.get(name)
            if raw is None or raw.strip() == "":
                continue
            value = parse_timestamp(name, raw)
            setattr(params, name, value)
            params.kept[name] = format_filter(value)
        if query.get("limit"):
            params.limit = _parse_int("limit", str(query["limit"]), 1, MAX_LIMIT)
            params.kept["limit"] = str(params.limit)
        if query.get("after"):
            params.after = _parse_int("after", str(query["after"]), 0)
        if query.get("before"):
            params.before = _parse_int("before", str(query["before"]), 0)
        params.last = query.get("last") in {"1", "true"}
        if sum([params.after is not None, params.before is not None, params.last]) > 1:
            raise OParlError(400, "Nur einer der Parameter after, before und last ist erlaubt.")
        return params

    @property
    def with_tombstones(self) -> bool:
        """Deleted and no longer public objects are reported only to clients that sync changes."""
        return self.modified_since is not None

    def filter(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        second = dt.timedelta(seconds=1)
        if self.created_since:
            qs = qs.filter(created__gte=self.created_since)
        if self.created_until:
            qs = qs.filter(created__lt=_end_of_second(self.created_until, second))
        if self.modified_since:
            qs = qs.filter(modified__gte=self.modified_since)
        if self.modified_until:
            qs = qs.filter(modified__lt=_end_of_second(self.modified_until, second))
        return qs


def _end_of_second(value: dt.datetime, second: dt.timedelta) -> dt.datetime:
    # We publish timestamps without fractions: "until 10:00:00" includes 10:00:00.7.
    return value + second if value.microsecond == 0 else value + dt.timedelta(microseconds=1)


def format_filter(value: dt.datetime) -> str:
    text = timezone.localtime(value).isoformat()
    return text


@dataclass
class Page:
    rows: list[dict[str, Any]]
    has_prev: bool
    has_next: bool


def fetch_page(qs: QuerySet[Any], params: ListParams, fields: tuple[str, ...]) -> Page:
    """One page of `qs` (already filtered) as dicts, by key; limit+1 rows tell whether more follow."""
    qs = params.filter(qs)
    n = params.limit + 1
    if params.before is not None or params.last:
        if params.before is not None:
            qs = qs.filter(pk__lt=params.before)
        rows = list(qs.order_by("-pk").values(*fields)[:n])
        more = len(rows) > params.limit
        rows = rows[: params.limit]
        rows.reverse()
        return Page(rows, has_prev=more, has_next=params.before is not None and bool(rows))
    if params.after is not None:
        qs = qs.filter(pk__gt=params.after)
    rows = list(qs.order_by("pk").values(*fields)[:n])
    more = len(rows) > params.limit
    rows = rows[: params.limit]
    return Page(rows, has_prev=params.after is not None and bool(rows), has_next=more)


def page_links(list_url: str, params: ListParams, page: Page) -> dict[str, str]:
    kept = dict(params.kept or {})

    def url(**cursor: Any) -> str:
        query = {**kept, **{k: str(v) for k, v in cursor.items()}}
        return f"{list_url}?{urlencode(query, safe=':')}" if query else list_url

    links = {"first": url()}
    if page.has_prev:
        links["prev"] = url(before=page.rows[0]["id"])
    if page.has_next:
        links["next"] = url(after=page.rows[-1]["id"])
    links["last"] = url(last=1)
    return links
