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
from ratsinfo.meetings.models import AgendaItem, Attendance, Meeting, Signatory

TEMPLATE = Path(__file__).parent / "typst" / "meeting.typ"
Audience = Literal["public", "members"]


def render_invitation(meeting: Meeting, audience: Audience = "public") -> bytes:
    """The Einladung: date, place and the agenda with Vorlage numbers (members: with the N part),
    Nachträge marked, signed by whoever invites (§ 59: Bürgermeister/in for Rat and VA, else the chair)."""
    items = _items(meeting)
    data = _frame(meeting, "Einladung", f"Einladung zur {meeting.name}")
    data["intro"] = "Zu der Sitzung wird hiermit eingeladen. Die Tagesordnung:"
    data["parts"] = [_part("Öffentlicher Teil", [i for i in items if i.public], with_results=False)]
    if audience == "members":
        data["parts"].append(_part("Nichtöffentlicher Teil", [i for i in items if not i.public], with_results=False))
    workflow = getattr(meeting, "workflow", None)
    data["late_reason"] = workflow.invitation_late_reason if workflow is not None else ""
    data["signature"] = _signature(meeting)
    return compile_pdf(TEMPLATE, data, timestamp=_timestamp(meeting))


def render_minutes(meeting: Meeting, audience: Audience) -> bytes:
    """The Niederschrift with results and votes: the public part, or for members both parts."""
    items = _items(meeting)
    title = f"Niederschrift über die {meeting.name}"
    data = _frame(meeting, "Niederschrift", title if audience == "public" else f"{title} (mit nichtöffentlichem Teil)")
    attendance = _attendance(meeting)
    data["participants"] = [] if attendance else [p.name for p in meeting.participants.order_by("family_name", "name")]
    data["attendance"] = attendance
    data["quorum"] = _quorum_line(meeting)
    data["parts"] = [_part("Öffentlicher Teil", [i for i in items if i.public], with_results=True)]
    if audience == "members":
        data["parts"].append(_part("Nichtöffentlicher Teil", [i for i in items if not i.public], with_results=True))
    data["closing"] = "Die Niederschrift wurde nach der Sitzung gefertigt."
    data["signature"] = "Vorsitz                                   Protokollführung"
    return compile_pdf(TEMPLATE, data, timestamp=_timestamp(meeting))


def prefetch_for_documents(meetings: QuerySet[Any], prefix: str = "") -> QuerySet[Any]:
    """What rendering needs, fetched for many meetings at once (`prefix` when reached through a relation)."""
    items = AgendaItem.objects.select_related("consultation__paper")
    return meetings.prefetch_related(
        Prefetch(f"{prefix}agenda_items", queryset=items), f"{prefix}organizations__body", f"{prefix}participants"
    )


# .all() and sorting here, not filter()/order_by(): so that what the caller prefetched is used.
def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(
        meeting.agenda_items.filter(deleted=False).select_related("consultation__paper", "record")
        .prefetch_related("exclusions__person", "recorded_votes__person").order_by("order")
    )


def _signature(meeting: Meeting) -> str:
    from ratsinfo.meetings.rules import meeting_rules

    rules = meeting_rules(meeting)
    role = "Bürgermeister/in" if rules.signatory == Signatory.MAYOR else "Vorsitzende/r"
    return f"{rules.signatory_name}, {role}" if rules.signatory_name else role


def _attendance(meeting: Meeting) -> list[dict[str, str]]:
    rows = []
    for a in Attendance.objects.filter(meeting=meeting).select_related("person", "represents").order_by("person__family_name", "person__name"):
        notes = []
        if a.chair:
            notes.append("Vorsitz")
        if a.represents is not None:
            notes.append(f"Vertretung für {a.represents.name}")
        if a.arrived or a.left:
            notes.append(f"{a.arrived:%H:%M} Uhr" if a.arrived else "ab Beginn")
            notes[-1] += f" bis {a.left:%H:%M} Uhr" if a.left else " bis Ende"
        rows.append({"name": a.person.name, "status": a.get_status_display(), "note": "; ".join(notes)})
    return rows


def _quorum_line(meeting: Meeting) -> str:
    workflow = getattr(meeting, "workflow", None)
    if workflow is None or not workflow.quorum:
        return ""
    return f"Beschlussfähigkeit: {workflow.get_quorum_display()} ({workflow.quorum_present or 0} stimmberechtigte Mitglieder anwesend)."


def _details(item: AgendaItem) -> list[str]:
    """§ 68: befangen members, own votes recorded on demand, elections, the Kommunalaufsicht note."""
    lines = []
    excluded = [e.person.name for e in item.exclusions.all()]
    if excluded:
        lines.append("Befangen (§ 41 NKomVG, nicht mitgewirkt): " + ", ".join(excluded))
    for vote in item.recorded_votes.all():
        lines.append(f"Auf eigenen Wunsch festgehalten: {vote.person.name} stimmte {vote.get_vote_display()}.")
    record = getattr(item, "record", None)
    if record is not None and record.election:
        from ratsinfo.meetings.recording import election_text

        election = record.election
        rounds = election.get("rounds") or [{**election, "no": 0, "abstain": 0, "invalid": 0, "required": 0}]
        text = election_text({"method": election["method"], "rounds": rounds})
        if text not in item.resolution_text:  # the recording service puts it there as the result text
            lines.append(text)
    if record is not None and record.kommunalaufsicht:
        lines.append("Genehmigung der Kommunalaufsicht erforderlich (§ 65 Abs. 3 NKomVG).")
    return lines


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
    def row(item: AgendaItem) -> dict[str, Any]:
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
            "details": _details(item) if with_results else [],
            "supplement": _supplement(item),
        }

    return {"title": title, "items": [row(i) for i in items]}


def _supplement(item: AgendaItem) -> str:
    record = getattr(item, "record", None)
    return f"{record.supplement}. Nachtrag" if record is not None and record.supplement else ""


def _timestamp(meeting: Meeting) -> dt.datetime:
    return meeting.start.astimezone(dt.UTC) if meeting.start else dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
