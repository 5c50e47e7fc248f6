"""The demo's meetings run through the meetings workflow: the seed's two meetings are recorded with the
recording service (attendance, quorum, the vote Ja 7, Nein 2, Enthaltungen 0), every held meeting's
Niederschrift is approved under the next meeting's „Genehmigung der Niederschrift“ and then published;
the last held meeting of a Gremium waits for its approval (its public Niederschrift is not yet online)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from typing import Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ratsinfo.bodies.models import Membership
from ratsinfo.files.models import File, FileRole
from ratsinfo.meetings.models import (
    AgendaItemRecord,
    AgendaItemResult,
    AttendanceStatus,
    ImplementationState,
    ItemKind,
    Meeting,
    MeetingState,
    MeetingWorkflow,
)
from ratsinfo.meetings.recording import record_attendance, record_result, state_quorum
from ratsinfo.meetings.reports import update_implementation
from ratsinfo.papers.models import Paper


def record_demo_meetings(seed: Paper) -> None:
    _workflows()
    _record_seed(seed)


def _workflows() -> None:
    """Einladung sent a week ahead; minutes approved in the Gremium's next held meeting, published then."""
    meetings = list(Meeting.objects.prefetch_related("organizations").order_by("start"))
    held: dict[int, list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        if meeting.meeting_state == MeetingState.DURCHGEFUEHRT and not meeting.cancelled:
            held[meeting.organizations.all()[0].pk].append(meeting)
    approval_items = {
        item.meeting_id: item
        for item in _approval_items()
    }
    workflows, records = [], []
    approved: dict[int, tuple[Any, dt.datetime | None]] = {}
    for series in held.values():
        for earlier, later in itertools.pairwise(series):
            item = approval_items.get(later.pk)
            if item is not None:
                approved[earlier.pk] = (item, later.start)
                records.append(AgendaItemRecord(item=item, kind=ItemKind.MINUTES, approves=earlier))
    for meeting in meetings:
        sent = meeting.start - dt.timedelta(days=8) if meeting.start and meeting.meeting_state != MeetingState.GEPLANT else None
        item, published = approved.get(meeting.pk, (None, None))
        workflows.append(MeetingWorkflow(
            meeting=meeting, invitation_sent_at=sent, minutes_approved_by=item, minutes_published_at=published,
        ))
    bulk_create_with_history(workflows, MeetingWorkflow, batch_size=500)
    bulk_create_with_history(records, AgendaItemRecord, batch_size=500)
    # § 68: a Niederschrift not yet approved is not published.
    unapproved = [m.pk for m in meetings if m.meeting_state == MeetingState.DURCHGEFUEHRT and m.pk not in approved]
    File.objects.filter(meeting__in=unapproved, role=FileRole.RESULTS_PROTOCOL).update(public=False)


def _approval_items() -> Any:
    from ratsinfo.meetings.models import AgendaItem

    return AgendaItem.objects.filter(name__startswith="Genehmigung der Niederschrift", deleted=False)


def _record_seed(seed: Paper) -> None:
    """The real case as the Protokollführerin records it: attendance, quorum, the vote."""
    for step in seed.consultations.select_related("organization", "meeting", "agenda_item").order_by("order"):
        meeting, item, org = step.meeting, step.agenda_item, step.organization
        if meeting is None or item is None or org is None or meeting.start is None:
            continue
        start = timezone.localtime(meeting.start)
        seats = Membership.objects.alive().active_on(start.date()).filter(organization=org, deputy=False).select_related("person")
        for seat in seats.order_by("pk"):
            chair = seat.role.startswith("Vorsitzende") or (org.kind == "verwaltungsausschuss" and seat.role == "Vorsitzender")
            record_attendance(meeting, seat.person, AttendanceStatus.PRESENT, arrived=start.time(), chair=chair)
        state_quorum(meeting)
        if step.authoritative:
            outcome = record_result(item, AgendaItemResult.UNGEAENDERT, resolution_text=item.resolution_text)
            if outcome.implementation is not None:
                update_implementation(
                    outcome.implementation, due_date=meeting.start.date() + dt.timedelta(days=120),
                    state=ImplementationState.IN_PROGRESS, note="Der Beschluss wurde der Gruppe mitgeteilt.",
                    today=meeting.start.date() + dt.timedelta(days=14),
                )
        else:
            record_result(item, AgendaItemResult.MEHRHEITLICH, yes=7, no=2, abstain=0, resolution_text=item.resolution_text)
