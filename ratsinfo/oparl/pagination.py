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

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from ratsinfo.lib.forms import IdField

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
LAST_VALUES = ("", "1", "true", "0", "false")
FILTERS = ("created_since", "created_until", "modified_since", "modified_until")


class OParlError(Exception):
    """Becomes an OParl Error object with this HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


# "+01:00" arrives as " 01:00" when a client forgot to encode the plus sign.
_DECODED_PLUS = re.compile(r"(\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d(?::?\d\d)?)$")
_SECOND = dt.timedelta(seconds=1)
_TIMESTAMP_EXAMPLE = "erwartet z. B. 2024-05-01T10:00:00+02:00"


def parse_timestamp(raw: str) -> dt.datetime:
    """An ISO timestamp or date; one the database, the local time zone and the filter's
    end-of-second can all represent (year 1 and 9999 at the calendar's edges cannot)."""
    text = _DECODED_PLUS.sub(r"\1+\2", raw.strip())
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        try:
            value = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
        except ValueError:
            raise ValidationError(f"{raw[:60]!r} ist kein Zeitstempel ({_TIMESTAMP_EXAMPLE}).") from None
    try:
        if value.tzinfo is None:
            value = timezone.make_aware(value)
        # Every form the value takes later: UTC for the database, local time for the links.
        for shifted in (value - _SECOND, value + _SECOND):
            timezone.localtime(shifted)
            shifted.astimezone(dt.UTC)
    except (OverflowError, ValueError):
        raise ValidationError(f"{raw[:60]!r} liegt außerhalb des darstellbaren Zeitraums (Jahr 1 bis 9999).") from None
    return value


class TimestampField(forms.Field):
    def to_python(self, value: Any) -> dt.datetime | None:
        return None if value in self.empty_values or not str(value).strip() else parse_timestamp(str(value))


class ListQuery(forms.Form):
    """The query string of every list; any invalid parameter is an OParl 400."""

    created_since = TimestampField(required=False)
    created_until = TimestampField(required=False)
    modified_since = TimestampField(required=False)
    modified_until = TimestampField(required=False)
    limit = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_LIMIT,
        error_messages={"invalid": "ist keine ganze Zahl.", "min_value": "muss mindestens 1 sein.",
                        "max_value": f"darf höchstens {MAX_LIMIT} sein."},
    )
    after = IdField(minimum=0)
    before = IdField(minimum=0)
    last = forms.ChoiceField(
        required=False, choices=[(v, v) for v in LAST_VALUES],
        error_messages={"invalid_choice": "erlaubt sind " + ", ".join(v for v in LAST_VALUES if v) + "."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        cursors = [data.get("after") is not None, data.get("before") is not None, data.get("last") in {"1", "true"}]
        if sum(cursors) > 1:
            raise ValidationError("Nur einer der Parameter after, before und last ist erlaubt.")
        return data


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
        form = ListQuery(query)
        if not form.is_valid():
            name, messages = next(iter(form.errors.items()))
            prefix = "" if name == NON_FIELD_ERRORS else f"Parameter {name}: "
            raise OParlError(400, prefix + str(messages[0]))
        data = form.cleaned_data
        params = cls(kept={}, last=data["last"] in {"1", "true"}, after=data["after"], before=data["before"])
        assert params.kept is not None
        for name in FILTERS:
            if data[name] is not None:
                setattr(params, name, data[name])
                params.kept[name] = format_filter(data[name])
        if data["limit"] is not None:
            params.limit = data["limit"]
            params.kept["limit"] = str(params.limit)
        return params

    @property
    def with_tombstones(self) -> bool:
        """Deleted and no longer public objects are reported only to clients that sync changes."""
        return self.modified_since is not None

    def filter(self, qs: QuerySet[Any]) -> QuerySet[Any]:
        second = _SECOND
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
