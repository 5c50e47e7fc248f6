"""What the members' pages list: always cut by `visible_to(viewer)`, never filtered by hand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from ratsinfo.bodies.models import Membership
from ratsinfo.files.models import File, FileRole
from ratsinfo.lib.access import Viewer
from ratsinfo.meetings.models import AgendaItem, AttendanceReply, Meeting
from ratsinfo.members.models import Note
from ratsinfo.papers.models import Consultation, Paper

NEXT_MEETINGS = 8
NEW_DOCUMENTS = 25


def start_of_today() -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(timezone.localdate(), dt.time.min))


def my_memberships(viewer: Viewer) -> QuerySet[Membership]:
    if viewer.person_id is None:
        return Membership.objects.none()
    return (
        Membership.objects.active_on(timezone.localdate())
        .filter(person_id=viewer.person_id, deleted=False, organization__deleted=False)
        .select_related("organization")
        .order_by("organization__name")
    )


def my_meetings(viewer: Viewer) -> Any:
    """Meetings whose non-public part the member sees, with invitation and Nachtrag flags."""
    files = File.objects.visible_to(viewer).filter(meeting=OuterRef("pk"))
    return (
        Meeting.objects.visible_to(viewer)
        .filter(pk__in=Meeting.objects.nonpublic_audience_of(viewer).values("pk"))
        .annotate(
            invitation_sent=Exists(files.filter(role=FileRole.INVITATION).exclude(name__icontains="Nachtrag")),
            has_supplement=Exists(files.filter(Q(name__icontains="Nachtrag") | Q(file_name__icontains="Nachtrag"))),
        )
        .prefetch_related("organizations")
    )


def next_meetings(viewer: Viewer) -> list[Meeting]:
    meetings = list(my_meetings(viewer).filter(start__gte=start_of_today()).order_by("start", "pk")[:NEXT_MEETINGS])
    replies = {
        r.meeting_id: r
        for r in AttendanceReply.objects.filter(person_id=viewer.person_id or 0, meeting__in=[m.pk for m in meetings])
    }
    for meeting in meetings:
        meeting.my_reply = replies.get(meeting.pk)  # type: ignore[attr-defined]
    return meetings


def my_files(viewer: Viewer, papers: QuerySet[Any] | None = None) -> QuerySet[File]:
    """The visible files of the member's meetings (their agenda items included) and of the Vorlagen
    `papers` (paper ids; default: those on the agenda of those meetings). The one definition of
    "my documents" for the start page and the e-mail notifications."""
    mine = Meeting.objects.nonpublic_audience_of(viewer).values("pk")
    if papers is None:
        papers = Consultation.objects.filter(meeting__in=mine).values("paper_id")
    return (
        File.objects.visible_to(viewer)
        .filter(Q(meeting__in=mine) | Q(agenda_item__meeting__in=mine) | Q(paper__in=papers))
        .select_related("paper", "meeting")
    )


def new_documents(viewer: Viewer, since: dt.datetime | None) -> list[File]:
    """Files new or changed since the last visit that belong to the member's meetings or Gremien's Vorlagen."""
    if since is None:
        return []
    papers = Consultation.objects.of_gremien_of(viewer).values("paper_id")
    return list(my_files(viewer, papers).filter(modified__gt=since).order_by("-modified", "-pk")[:NEW_DOCUMENTS])


@dataclass
class MeetingPage:
    meeting: Meeting
    public_items: list[AgendaItem]
    nonpublic_items: list[AgendaItem]
    invitation: list[File]
    minutes: list[File]
    other_files: list[File]
    notes: dict[str, Note] = field(default_factory=dict)


def meeting_page(viewer: Viewer, meeting: Meeting) -> MeetingPage:
    """The whole agenda this member sees, each item with its Vorlage's visible files and the member's notes."""
    files = File.objects.visible_to(viewer).order_by("order", "pk")
    papers = Paper.objects.visible_to(viewer).prefetch_related(Prefetch("files", queryset=files, to_attr="visible_files"))
    items = list(
        AgendaItem.objects.visible_to(viewer)
        .filter(meeting=meeting)
        .select_related("consultation")
        .prefetch_related(Prefetch("files", queryset=files, to_attr="visible_files"))
        .order_by("order")
    )
    paper_ids = [i.consultation.paper_id for i in items if getattr(i, "consultation", None) is not None]
    shown = {p.pk: p for p in papers.filter(pk__in=paper_ids)}
    for item in items:
        consultation = getattr(item, "consultation", None)
        item.visible_paper = shown.get(consultation.paper_id) if consultation is not None else None  # type: ignore[attr-defined]
    meeting_files = list(files.filter(meeting=meeting))
    page = MeetingPage(
        meeting=meeting,
        public_items=[i for i in items if i.public],
        nonpublic_items=[i for i in items if not i.public],
        invitation=[f for f in meeting_files if f.role == FileRole.INVITATION],
        # The members' Niederschrift (non-public part) first where there is one.
        minutes=sorted(
            (f for f in meeting_files if f.role in (FileRole.RESULTS_PROTOCOL, FileRole.VERBATIM_PROTOCOL)),
            key=lambda f: (f.public, f.order, f.pk),
        ),
        other_files=[f for f in meeting_files if f.role not in (FileRole.INVITATION, FileRole.RESULTS_PROTOCOL, FileRole.VERBATIM_PROTOCOL)],
    )
    if viewer.user_id is not None:
        notes = Note.objects.filter(author_id=viewer.user_id).filter(
            Q(paper_id__in=list(shown)) | Q(agenda_item_id__in=[i.pk for i in items])
        )
        for note in notes:
            page.notes[f"p{note.paper_id}" if note.paper_id else f"i{note.agenda_item_id}"] = note
        for item in items:
            paper = getattr(item, "visible_paper", None)
            item.paper_note = page.notes.get(f"p{paper.pk}") if paper is not None else None  # type: ignore[attr-defined]
            item.item_note = page.notes.get(f"i{item.pk}")  # type: ignore[attr-defined]
    return page


def waiting_replies(meetings: list[Any]) -> list[Any]:
    """Upcoming, not cancelled meetings the member has not answered yet."""
    return [m for m in meetings if is_upcoming(m) and getattr(m, "my_reply", None) is None]


def is_upcoming(meeting: Meeting) -> bool:
    return not meeting.cancelled and (meeting.start is None or meeting.start >= timezone.now())
