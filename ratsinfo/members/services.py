"""Services of Mein Ratsinfo: visits, attendance replies, private notes, settings and the calendar token.

Every function takes the acting account; what it may touch follows from `viewer_for(user)`.
Errors are `MembersError` with a German message the views show as they are.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from ratsinfo.bodies.access import viewer_for
from ratsinfo.bodies.models import Person
from ratsinfo.meetings.models import AgendaItem, AttendanceReply, Meeting
from ratsinfo.meetings.publication import reply_to_invitation
from ratsinfo.meetings.rules import MeetingError
from ratsinfo.members.models import Answer, LastVisit, MemberSettings, Note
from ratsinfo.ops.outage import tolerate_full_storage
from ratsinfo.papers.models import Paper

# A visit begins after this long without a page of Mein Ratsinfo: reloading keeps "new" items.
VISIT_GAP = timedelta(minutes=30)


class MembersError(Exception):
    """A request of a member that the rules do not allow (message in German, shown to the member)."""


def person_of(user: User) -> Person | None:
    return Person.objects.filter(user=user, deleted=False).first()


def mail_address(person: Person) -> str:
    """The address mails go to: the account's, else the first of the person's."""
    if person.user is not None and person.user.email:
        return str(person.user.email)
    return next((str(a) for a in person.email or [] if a), "")


def record_visit(user: User, now: datetime | None = None) -> datetime | None:
    """Note this visit; returns the moment of the previous one (None on the first). On a full
    disk the visit is not noted and the start page still opens (ratsinfo.ops.outage)."""
    now = now or timezone.now()
    with tolerate_full_storage("Besuch in Mein Ratsinfo"):
        return _note_visit(user, now)
    visit = LastVisit.objects.filter(user=user).first()
    return None if visit is None else (visit.current if now - visit.current > VISIT_GAP else visit.previous)


@transaction.atomic
def _note_visit(user: User, now: datetime) -> datetime | None:
    visit = LastVisit.objects.select_for_update().filter(user=user).first()
    if visit is None:
        LastVisit.objects.create(user=user, previous=None, current=now)
        return None
    if now - visit.current > VISIT_GAP:
        visit.previous = visit.current
    visit.current = now
    visit.save(update_fields=["previous", "current"])
    return visit.previous


def member_meeting(user: User, meeting_id: int) -> Meeting:
    """A meeting whose non-public part the member sees (their Gremium's or one they deputise in)."""
    viewer = viewer_for(user)
    meeting = (
        Meeting.objects.visible_to(viewer).nonpublic_audience_of(viewer).filter(pk=meeting_id).distinct().first()
    )
    if meeting is None:
        raise MembersError("Diese Sitzung gehört nicht zu Ihren Gremien.")
    return meeting


@transaction.atomic
def reply_attendance(user: User, meeting_id: int, answer: str, note: str = "") -> AttendanceReply:
    """Zusagen or absagen before a meeting, through the meetings service (a cancellation invites the deputies)."""
    if answer not in Answer.values:
        raise MembersError("Bitte wählen Sie „zusagen“ oder „absagen“.")
    meeting = member_meeting(user, meeting_id)
    person = person_of(user)
    if person is None:
        raise MembersError("Ihr Konto ist keiner Person zugeordnet.")
    try:
        reply_to_invitation(meeting, person, attending=answer == Answer.ZUSAGE, note=note)
    except MeetingError as error:
        raise MembersError(str(error)) from error
    return AttendanceReply.objects.get(meeting=meeting, person=person)


@transaction.atomic
def save_note(user: User, text: str, *, paper_id: int | None = None, agenda_item_id: int | None = None) -> Note | None:
    """Write (or with empty text delete) the member's note on a visible Vorlage or agenda item."""
    viewer = viewer_for(user)
    if (paper_id is None) == (agenda_item_id is None):
        raise MembersError("Eine Notiz gehört zu genau einer Vorlage oder einem Tagesordnungspunkt.")
    target: dict[str, Any]
    if paper_id is not None:
        paper = Paper.objects.visible_to(viewer).filter(pk=paper_id).first()
        if paper is None:
            raise MembersError("Diese Vorlage ist für Sie nicht sichtbar.")
        target = {"paper": paper}
    else:
        item = AgendaItem.objects.visible_to(viewer).filter(pk=agenda_item_id).first()
        if item is None:
            raise MembersError("Dieser Tagesordnungspunkt ist für Sie nicht sichtbar.")
        target = {"agenda_item": item}
    text = text.strip()
    if not text:
        Note.objects.filter(author=user, **target).delete()
        return None
    note, _ = Note.objects.update_or_create(author=user, **target, defaults={"text": text})
    return note


def notes_export(user: User) -> str:
    """All notes of the member as Markdown (only what they may still see)."""
    viewer = viewer_for(user)
    papers = Paper.objects.visible_to(viewer).values("pk")
    items = AgendaItem.objects.visible_to(viewer).values("pk")
    notes = Note.objects.filter(author=user).select_related("paper", "agenda_item__meeting").order_by("created", "pk")
    lines = ["# Meine Notizen", "", f"Stand: {timezone.localtime():%d.%m.%Y %H:%M}", ""]
    visible_papers = set(papers.values_list("pk", flat=True))
    visible_items = set(items.values_list("pk", flat=True))
    for note in notes:
        if note.paper_id is not None and note.paper_id in visible_papers and note.paper is not None:
            heading = f"Vorlage {note.paper}".strip()
        elif note.agenda_item_id in visible_items and note.agenda_item is not None:
            item = note.agenda_item
            start = timezone.localtime(item.meeting.start) if item.meeting.start else None
            heading = f"{item.meeting.name}{f' am {start:%d.%m.%Y}' if start else ''}, TOP {item}"
        else:
            continue
        lines += [f"## {heading}", "", note.text, ""]
    return "\n".join(lines)


# --- Settings and calendar token ------------------------------------------------------------


def settings_of(user: User) -> MemberSettings:
    found, _ = MemberSettings.objects.get_or_create(user=user, defaults={"notified_until": timezone.now()})
    return found


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def renew_feed_token(user: User) -> str:
    """A new secret for the personal calendar; the old address stops working. Only the hash is kept."""
    token = secrets.token_urlsafe(32)
    found = settings_of(user)
    found.feed_token_hash, found.feed_token_created = hash_token(token), timezone.now()
    found.save(update_fields=["feed_token_hash", "feed_token_created"])
    return token


@transaction.atomic
def revoke_feed_token(user: User) -> None:
    found = settings_of(user)
    found.feed_token_hash, found.feed_token_created = "", None
    found.save(update_fields=["feed_token_hash", "feed_token_created"])


def user_of_feed_token(token: str) -> User | None:
    if not token or len(token) > 100:
        return None
    found = MemberSettings.objects.filter(feed_token_hash=hash_token(token)).select_related("user").first()
    return found.user if found is not None and found.user.is_active else None
