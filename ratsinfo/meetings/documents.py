"""The documents of a meeting: Einladung and Niederschrift as accessible PDFs.

The one place that turns a meeting's data into its documents (the meetings workflow generates
through here). The public versions hold only the public part; the non-public part appears only in
the members' Niederschrift, which must be stored as a non-public file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ratsinfo.lib.pdf import compile_pdf
from ratsinfo.meetings.models import AgendaItem, Meeting

TEMPLATE = Path(__file__).parent / "typst" / "meeting.typ"
Audience = Literal["public", "members"]


def render_invitation(meeting: Meeting) -> bytes:
    """The public Einladung: date, place and the public part of the agenda with Vorlage numbers."""
    items = [i for i in _items(meeting) if i.public]
    data = _frame(meeting, "Einladung", f"Einladung zur {meeting.name}")
    data["intro"] = "Zu der Sitzung wird hiermit eingeladen. Die Tagesordnung:"
    data["parts"] = [_part("Öffentlicher Teil", items, with_results=False)]
    return compile_pdf(TEMPLATE, data, timestamp=_timestamp(meeting))


def render_minutes(meeting: Meeting, audience: Audience) -> bytes:
    """The Niederschrift with results and votes: the public part, or for members both parts."""
    items = _items(meeting)
    title = f"Niederschrift über die {meeting.name}"
    data = _frame(meeting, "Niederschrift", title if audience == "public" else f"{title} (mit nichtöffentlichem Teil)")
    data["participants"] = [p.name for p in sorted(meeting.participants.all(), key=lambda p: (p.family_name, p.name))]
    data["parts"] = [_part("Öffentlicher Teil", [i for i in items if i.public], with_results=True)]
    if audience == "members":
        data["parts"].append(_part("Nichtöffentlicher Teil", [i for i in items if not i.public], with_results=True))
    data["closing"] = "Die Niederschrift wurde nach der Sitzung gefertigt."
    return compile_pdf(TEMPLATE, data, timestamp=_timestamp(meeting))


def prefetch_for_documents(meetings: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    """What rendering needs, fetched for many meetings at once (`prefix` when reached through a relation)."""
    items = AgendaItem.objects.select_related("consultation__paper")
    return meetings.prefetch_related(
        Prefetch(f"{prefix}agenda_items", queryset=items), f"{prefix}organizations__body", f"{prefix}participants"
    )


# .all() and sorting here, not filter()/order_by(): so that what the caller prefetched is used.
def _items(meeting: Meeting) -> list[AgendaItem]:
    return sorted((i for i in meeting.agenda_items.all() if not i.deleted), key=lambda i: i.order)


def _frame(meeting: Meeting, kind_label: str, doc_title: str) -> dict[str, Any]:
    organizations = sorted(meeting.organizations.all(), key=lambda o: o.name)
    start = timezone.localtime(meeting.start) if meeting.start else None
    location = meeting.location
    return {
        "kind_label": kind_label,
        "doc_title": doc_title,
        "author": organizations[0].body.name if organizations else "ratsinfo",
        "organization": ", ".join(o.name for o in organizations),
        "meeting_name": meeting.name,
        "date": f"{start:%d.%m.%Y}" if start else "",
        "time": f"{start:%H:%M}" if start else "",
        "location": ", ".join(
            part for part in (location.description, location.room, location.street_address, location.locality) if part
        ) if location else "",
        "participants": [],
        "intro": "",
        "closing": "",
    }


def _part(title: str, items: list[AgendaItem], *, with_results: bool) -> dict[str, Any]:
    def row(item: AgendaItem) -> dict[str, str]:
        consultation = getattr(item, "consultation", None)
        paper = consultation.paper if consultation is not None else None
        # A public item names its Vorlage only if the Vorlage is public too.
        shown = paper is not None and (paper.is_public or not item.public)
        return {
            "number": item.number,
            "name": item.name,
            "reference": paper.reference if shown and paper is not None else "",
            "result": item.result if with_results else "",
            "votes": item.vote_summary if with_results else "",
            "resolution": item.resolution_text if with_results else "",
        }

    return {"title": title, "items": [row(i) for i in items]}


def _timestamp(meeting: Meeting) -> dt.datetime:
    return meeting.start or dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
