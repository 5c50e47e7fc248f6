"""Einladung (§ 59), Niederschrift (§ 68) and what the public gets to see of a meeting.

Sending the Einladung checks the Ladungsfrist, publishes the public agenda, mails members and
deputies the link to their documents and has the PDF generated in the background. The Niederschrift
is generated from the record, approved in the next meeting and published after approval; chosen
results of the non-public part are published by an explicit Bekanntgabe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ratsinfo.bodies.models import Membership, Person
from ratsinfo.files.models import File, FileRole
from ratsinfo.meetings.models import (
    AgendaItem,
    AgendaItemRecord,
    AttendanceReply,
    ItemKind,
    Meeting,
    MeetingState,
    MeetingWorkflow,
    StandIn,
)
from ratsinfo.meetings.planning import renumber
from ratsinfo.meetings.rules import MeetingError, meeting_rules


def invitation_deadline(meeting: Meeting, period_days: int) -> dt.date:
    """The last calendar day (local time) an Einladung may go out: counted in days, so a change to or
    from daylight-saving time in between does not shift it by an hour."""
    if meeting.start is None:
        raise MeetingError("Die Sitzung hat noch keinen Termin.")
    return timezone.localtime(meeting.start).date() - dt.timedelta(days=period_days)


def is_late(meeting: Meeting, sent: dt.datetime, period_days: int) -> bool:
    return timezone.localtime(sent).date() > invitation_deadline(meeting, period_days)


def recipients(meeting: Meeting) -> list[Person]:
    """Members and deputies of the Gremium on the meeting's day, and anyone standing in."""
    day = timezone.localtime(meeting.start).date() if meeting.start else None
    memberships = Membership.objects.alive().active_on(day).filter(organization__in=meeting.organizations.all())
    return list(
        Person.objects.filter(Q(pk__in=memberships.values("person")) | Q(stand_ins__meeting=meeting))
        .select_related("user").distinct().order_by("family_name", "name")
    )


def _addresses(person: Person) -> list[str]:
    emails = [e for e in (person.email or []) if isinstance(e, str) and "@" in e]
    if not emails and person.user is not None and person.user.email:
        emails = [person.user.email]
    return emails[:1]


def _link(meeting: Meeting) -> str:
    return f"{settings.PUBLIC_BASE_URL or 'http://127.0.0.1:8000'}{meeting.get_absolute_url()}"


@transaction.atomic
def send_invitation(meeting: Meeting, *, late_reason: str = "", now: dt.datetime | None = None) -> MeetingWorkflow:
    """Send the Einladung, or — when it has been sent — the next Nachtrag with the items added since."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    workflow, _ = MeetingWorkflow.objects.select_for_update().get_or_create(meeting=meeting)
    rules = meeting_rules(meeting)
    now = now or timezone.now()
    if meeting.cancelled:
        raise MeetingError("Die Sitzung ist abgesagt.")
    if meeting.meeting_state == MeetingState.DURCHGEFUEHRT:
        raise MeetingError("Die Sitzung hat bereits stattgefunden.")
    supplement = workflow.invitation_sent_at is not None
    unpublished = AgendaItemRecord.objects.filter(item__meeting=meeting, item__deleted=False, published=False)
    if supplement and not unpublished.exists():
        raise MeetingError("Die Einladung ist versandt und es gibt keine neuen Punkte für einen Nachtrag.")
    late_reason = late_reason.strip()
    if not supplement and rules.nkomvg_checks and is_late(meeting, now, rules.invitation_period_days) and not late_reason:
        raise MeetingError(
            f"Die Ladungsfrist von {rules.invitation_period_days} Tagen ist unterschritten (letzter Tag: "
            f"{invitation_deadline(meeting, rules.invitation_period_days):%d.%m.%Y}). Eine verkürzte Ladung braucht "
            "eine Begründung (Dringlichkeit)."
        )
    if supplement:
        workflow.supplements += 1
        unpublished.update(supplement=workflow.supplements)
    else:
        workflow.invitation_sent_at = now
        workflow.invitation_late_reason = late_reason
    unpublished.update(published=True)
    workflow.invitation_pending = True
    workflow.version += 1
    workflow.save()
    meeting.meeting_state = MeetingState.EINGELADEN
    meeting.save()
    renumber(meeting)
    AgendaItem.objects.filter(meeting=meeting).filter(AgendaItem.public_q()).mark_ever_public()
    publish_agenda_papers(meeting, now=now)
    from ratsinfo.meetings.tasks import generate_invitation

    generate_invitation.enqueue(meeting.pk)
    transaction.on_commit(lambda: _mail(meeting, workflow.supplements if supplement else 0))
    return workflow


def publish_agenda_papers(meeting: Meeting, *, now: dt.datetime | None = None) -> None:
    """The Vorlagen on the agenda just published go online with it (issue 9: with their first
    meeting's agenda); the papers app decides which of them are due."""
    from ratsinfo.papers.models import Consultation
    from ratsinfo.papers.workflow import publish_with_agenda

    on_agenda = Consultation.objects.filter(
        agenda_item__meeting=meeting, agenda_item__deleted=False, agenda_item__record__published=True,
    ).values_list("paper_id", flat=True)
    publish_with_agenda(on_agenda, now=now)


def _mail(meeting: Meeting, supplement: int) -> None:
    when = f"{timezone.localtime(meeting.start):%d.%m.%Y um %H:%M Uhr}" if meeting.start else ""
    subject = f"{supplement}. Nachtrag zur Einladung: {meeting.name}" if supplement else f"Einladung: {meeting.name} am {when}"
    body = (
        f"Sie sind zur {meeting.name} am {when} eingeladen.\n\n"
        f"Tagesordnung und Sitzungsunterlagen (nach Anmeldung auch der nichtöffentliche Teil):\n{_link(meeting)}\n"
    )
    messages = [(subject, body, None, _addresses(p)) for p in recipients(meeting) if _addresses(p)]
    send_mass_mail(messages, fail_silently=False)


@transaction.atomic
def close_meeting(meeting: Meeting, *, end: dt.datetime | None = None) -> MeetingWorkflow:
    """The meeting is over: mark it held and have the Niederschrift generated from the record."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.cancelled:
        raise MeetingError("Die Sitzung ist abgesagt.")
    meeting.meeting_state = MeetingState.DURCHGEFUEHRT
    if end is not None:
        meeting.end = end
    meeting.save()
    return regenerate_minutes(meeting)


def regenerate_minutes(meeting: Meeting) -> MeetingWorkflow:
    workflow, _ = MeetingWorkflow.objects.get_or_create(meeting=meeting)
    if workflow.minutes_published_at is not None:
        raise MeetingError("Die Niederschrift ist genehmigt und veröffentlicht; sie wird nicht mehr geändert.")
    MeetingWorkflow.objects.filter(pk=workflow.pk).update(minutes_pending=True)
    from ratsinfo.meetings.tasks import generate_minutes

    generate_minutes.enqueue(meeting.pk)
    workflow.refresh_from_db()
    return workflow


def approve_minutes_by(item: AgendaItem) -> Meeting | None:
    """Called by the recording service when a „Genehmigung der Niederschrift“ item is adopted."""
    record = AgendaItemRecord.objects.filter(item=item, kind=ItemKind.MINUTES).first()
    if record is None or record.approves_id is None:
        return None
    approved = record.approves
    assert approved is not None
    if approved.meeting_state != MeetingState.DURCHGEFUEHRT:
        raise MeetingError("Die Niederschrift einer Sitzung, die noch nicht stattgefunden hat, kann nicht genehmigt werden.")
    MeetingWorkflow.objects.update_or_create(meeting=approved, defaults={"minutes_approved_by": item})
    return approved


@transaction.atomic
def publish_minutes(meeting: Meeting, *, now: dt.datetime | None = None) -> MeetingWorkflow:
    """§ 68: the public version goes online only after the next meeting approved it."""
    workflow = MeetingWorkflow.objects.select_for_update().get(meeting=meeting)
    if workflow.minutes_approved_by_id is None:
        raise MeetingError("Die Niederschrift ist noch nicht genehmigt (TOP „Genehmigung der Niederschrift“ der nächsten Sitzung).")
    if workflow.minutes_pending:
        raise MeetingError("Die Niederschrift wird noch erzeugt.")
    public_files = File.objects.filter(meeting=meeting, role=FileRole.RESULTS_PROTOCOL, deleted=False, name__contains="öffentlicher Teil")
    if not public_files.exists() and meeting.agenda_items.alive().filter(public=True).exists():
        raise MeetingError("Es gibt noch keine Niederschrift; bitte zuerst die Sitzung abschließen.")
    workflow.minutes_published_at = now or timezone.now()
    workflow.save(update_fields=["minutes_published_at"])
    for file in public_files:
        file.public = True
        file.save()
    File.objects.filter(pk__in=[f.pk for f in public_files]).mark_ever_public()
    return workflow


@transaction.atomic
def announce_results(announcing: AgendaItem, items: Iterable[AgendaItem], *, now: dt.datetime | None = None) -> AgendaItem:
    """„Bekanntgabe der im nichtöffentlichen Teil gefassten Beschlüsse“: the chosen results of the
    N part become public as the text of the announcing (public) item."""
    if not announcing.public:
        raise MeetingError("Die Bekanntgabe gehört in den öffentlichen Teil.")
    chosen = list(AgendaItem.objects.filter(pk__in=[i.pk for i in items]).select_related("meeting").order_by("meeting__start", "order"))
    lines = []
    for item in chosen:
        if item.public:
            raise MeetingError(f"{item.number} ist öffentlich und muss nicht bekanntgegeben werden.")
        if not item.result:
            raise MeetingError(f"{item.number} hat noch kein Ergebnis.")
        day = f"{timezone.localtime(item.meeting.start):%d.%m.%Y}" if item.meeting.start else ""
        lines.append(f"Sitzung vom {day}, {item.number} {item.name}: {item.result}.")
    stamp = now or timezone.now()
    AgendaItemRecord.objects.filter(item__in=chosen).update(announced_at=stamp)
    announcing.resolution_text = "\n".join(filter(None, [announcing.resolution_text, *lines]))
    announcing.result = announcing.result or "zur Kenntnis genommen"
    announcing.save()
    return announcing


def document_state(meeting: Meeting) -> dict[str, Any]:
    """What the staff page shows: sent/pending/approved/published."""
    workflow, _ = MeetingWorkflow.objects.get_or_create(meeting=meeting)
    return {
        "workflow": workflow,
        "stand_ins": StandIn.objects.filter(meeting=meeting).count(),
        "files": list(File.objects.filter(meeting=meeting, deleted=False).order_by("role", "order")),
    }


@transaction.atomic
def reply_to_invitation(
    meeting: Meeting, person: Person, *, attending: bool, note: str = "", now: dt.datetime | None = None
) -> list[Person]:
    """A member confirms or cancels (Mein Ratsinfo). A cancellation invites the deputies of the member's
    Fraktion/Gruppe in that Gremium by e-mail; returns the deputies invited."""
    now = now or timezone.now()
    if meeting.cancelled:
        raise MeetingError("Die Sitzung ist abgesagt.")
    if meeting.meeting_state == MeetingState.DURCHGEFUEHRT or (meeting.start and meeting.start <= now):
        raise MeetingError("Die Sitzung hat bereits begonnen; eine Rückmeldung ist nicht mehr möglich.")
    day = timezone.localtime(meeting.start).date() if meeting.start else None
    seats = Membership.objects.alive().active_on(day).filter(organization__in=meeting.organizations.all(), person=person)
    seat = seats.filter(deputy=False).first()
    if seat is None:
        raise MeetingError("Nur Mitglieder des Gremiums können zu- oder absagen.")
    AttendanceReply.objects.update_or_create(
        meeting=meeting, person=person, defaults={"attending": attending, "note": note.strip()[:500], "replied_at": now},
    )
    if attending:
        return []
    deputies = list(
        Person.objects.filter(
            memberships__in=Membership.objects.alive().active_on(day).filter(
                organization=seat.organization, deputy=True, on_behalf_of=seat.on_behalf_of,
            )
        ).exclude(pk=person.pk).distinct()
    )
    subject = f"Vertretung gesucht: {meeting.name}"
    body = f"{person.name} hat für die {meeting.name} abgesagt. Bitte vertreten Sie.\n\nUnterlagen: {_link(meeting)}\n"
    messages = [(subject, body, None, _addresses(d)) for d in deputies if _addresses(d)]
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return deputies
