"""Planning meetings and composing their agenda: series and single dates, cancel and move, the
fixed items of the Geschäftsordnung, the Vorlagen waiting for a Gremium, numbering, Nachträge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ratsinfo.bodies.models import Location, Organization
from ratsinfo.meetings.models import (
    AgendaItem,
    AgendaItemRecord,
    ItemKind,
    Meeting,
    MeetingSeries,
    MeetingState,
    MeetingWorkflow,
)
from ratsinfo.meetings.numbering import Slot, agenda_numbers, part_order
from ratsinfo.meetings.rules import MeetingError, meeting_organization, rules_for
from ratsinfo.papers.models import Consultation, Paper, PaperState


def _aware(day: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, time))


def series_days(first: dt.date, last: dt.date, interval_weeks: int, skip: Iterable[dt.date] = ()) -> list[dt.date]:
    skipped = set(skip)
    days, day = [], first
    while day <= last:
        if day not in skipped:
            days.append(day)
        day += dt.timedelta(weeks=interval_weeks)
    return days


@transaction.atomic
def plan_series(
    organization: Organization, first: dt.date, last: dt.date, *, interval_weeks: int, time: dt.time,
    location: Location | None = None, skip: Iterable[dt.date] = (),
) -> list[Meeting]:
    """A series (e.g. every fourth Thursday, 18:00, for a year); holidays skipped by hand via `skip`."""
    if last < first:
        raise MeetingError("Das Ende der Reihe liegt vor ihrem Beginn.")
    if interval_weeks < 1:
        raise MeetingError("Der Abstand muss mindestens eine Woche sein.")
    series = MeetingSeries.objects.create(
        organization=organization, first_day=first, last_day=last, interval_weeks=interval_weeks, time=time,
        location=location,
    )
    return [plan_meeting(organization, _aware(d, time), location=location, series=series)
            for d in series_days(first, last, interval_weeks, skip)]


def _next_number(organization: Organization) -> int:
    return Meeting.objects.alive().filter(organizations=organization).count() + 1


@transaction.atomic
def plan_meeting(
    organization: Organization, start: dt.datetime, *, location: Location | None = None, name: str = "",
    series: MeetingSeries | None = None,
) -> Meeting:
    """A single meeting date; its agenda starts with the Gremium's fixed items."""
    meeting = Meeting.objects.create(
        name=name or f"{_next_number(organization)}. Sitzung: {organization.name}", start=start,
        location=location or organization.location, public=organization.meetings_public,
        meeting_state=MeetingState.GEPLANT,
    )
    meeting.organizations.add(organization)
    MeetingWorkflow.objects.create(meeting=meeting, series=series)
    add_fixed_items(meeting)
    return meeting


def add_fixed_items(meeting: Meeting) -> list[AgendaItem]:
    """The fixed items of the Geschäftsordnung; the non-public meeting of the VA keeps them non-public."""
    rules = rules_for(meeting_organization(meeting))
    previous = _previous_meeting(meeting)
    added = []
    for fixed in rules.fixed_items:
        kind = fixed.get("kind", ItemKind.FIXED)
        if not meeting.public and kind == "bekanntgabe":
            continue
        if kind == ItemKind.MINUTES and previous is None:
            continue
        name = str(fixed["name"])
        if kind == ItemKind.MINUTES and previous is not None and previous.start:
            name = f"{name} über die Sitzung vom {timezone.localtime(previous.start):%d.%m.%Y}"
        if fixed.get("name") == "Einwohnerfragestunde" and not meeting.public:
            continue
        item = add_item(meeting, name, public=bool(fixed.get("public", True)) and meeting.public, kind=kind,
                        at_end=fixed.get("place") == "end", renumber_now=False)
        if kind == ItemKind.MINUTES:
            AgendaItemRecord.objects.filter(item=item).update(approves=previous)
        added.append(item)
    renumber(meeting)
    return added


def _previous_meeting(meeting: Meeting) -> Meeting | None:
    if meeting.start is None:
        return None
    return (
        Meeting.objects.alive().filter(organizations__in=meeting.organizations.all(), start__lt=meeting.start, cancelled=False)
        .order_by("-start").first()
    )


@transaction.atomic
def cancel_meeting(meeting: Meeting) -> Meeting:
    """Members and the public see the cancellation; the meeting keeps its iCal UID (sitzung-<pk>)."""
    if meeting.meeting_state == MeetingState.DURCHGEFUEHRT:
        raise MeetingError("Eine durchgeführte Sitzung kann nicht abgesagt werden.")
    meeting.cancelled = True
    meeting.save()
    return meeting


@transaction.atomic
def move_meeting(meeting: Meeting, start: dt.datetime, *, location: Location | None = None) -> Meeting:
    """A new date (and place); the same record, so the iCal event keeps its UID."""
    if meeting.meeting_state == MeetingState.DURCHGEFUEHRT:
        raise MeetingError("Eine durchgeführte Sitzung kann nicht verlegt werden.")
    workflow, _ = MeetingWorkflow.objects.get_or_create(meeting=meeting)
    if workflow.moved_from is None:
        workflow.moved_from = meeting.start
        workflow.save(update_fields=["moved_from"])
    if meeting.end and meeting.start:
        meeting.end = start + (meeting.end - meeting.start)
    meeting.start = start
    if location is not None:
        meeting.location = location
    meeting.cancelled = False
    meeting.save()
    return meeting


# ---------------------------------------------------------------------------------------------
# Agenda


def waiting_papers(meeting: Meeting) -> list[Consultation]:
    """Released Vorlagen whose next planned Beratungsfolge step is this meeting's Gremium and which
    are on no agenda yet."""
    orgs = meeting.organizations.all()
    steps = (
        Consultation.objects.alive()
        .filter(organization__in=orgs, agenda_item__isnull=True, paper__state=PaperState.FREIGEGEBEN, paper__deleted=False)
        .filter(Q(meeting__isnull=True) | Q(meeting=meeting))
        .select_related("paper", "organization").order_by("planned_date", "paper__reference")
    )
    result = []
    for step in steps:
        earlier = Consultation.objects.alive().filter(paper=step.paper, order__lt=step.order)
        if not earlier.filter(Q(agenda_item__isnull=True) | Q(agenda_item__result="")).exists():
            result.append(step)
    return result


def recommendation_for(consultation: Consultation) -> str:
    """The previous step's adopted decision, or else the Vorlage's Beschlussvorschlag."""
    previous = (
        Consultation.objects.alive().filter(paper=consultation.paper, order__lt=consultation.order, agenda_item__isnull=False)
        .exclude(agenda_item__resolution_text="").select_related("agenda_item").order_by("-order").first()
    )
    if previous is not None and previous.agenda_item is not None:
        return previous.agenda_item.resolution_text
    section = consultation.paper.sections.filter(heading__startswith="Beschluss").order_by("order").first()
    return section.text if section else ""


@transaction.atomic
def add_item(
    meeting: Meeting, name: str, *, public: bool = True, consultation: Consultation | None = None,
    kind: str = ItemKind.REGULAR, sub_item: bool = False, at_end: bool = False, renumber_now: bool = True,
    published: bool | None = None,
) -> AgendaItem:
    """Add a TOP: a Vorlage's consultation goes before the closing fixed items of its part. Added after the
    Einladung, it is marked as part of the next Nachtrag. `published` is for records of what happened
    elsewhere (the demo, imports): the item was on the agenda as sent; by default a body with Einladung
    rules publishes it with the next Einladung or Nachtrag, any other body at once."""
    # Urgent additions during a held meeting are allowed (agenda extended by two thirds, § 59).
    if consultation is not None:
        paper: Paper = consultation.paper
        public = public and paper.public and meeting.public
        name = name or paper.name
    items = list(meeting.agenda_items.alive().order_by("order").select_related("record"))
    position = len(items)
    if not at_end:
        # Before the first closing fixed item of the same part (Mitteilungen, Anfragen, Bekanntgabe …).
        closing_names = {f["name"] for f in rules_for(meeting_organization(meeting)).fixed_items if f.get("place") == "end"}
        for index, existing in enumerate(items):
            if existing.public == public and existing.name in closing_names:
                position = index
                break
        else:
            position = next((i for i, e in enumerate(items) if not e.public), len(items)) if public else len(items)
    _shift(meeting, position)
    item = AgendaItem.objects.create(meeting=meeting, name=name[:1000], public=public, order=position + 1)
    workflow, _ = MeetingWorkflow.objects.get_or_create(meeting=meeting)
    as_sent = published is True  # recorded as part of the agenda that was sent: no Nachtrag
    if published is None:
        published = not rules_for(meeting_organization(meeting)).nkomvg_checks
    AgendaItemRecord.objects.create(
        item=item, kind=kind, sub_item=sub_item, published=published,
        supplement=workflow.supplements + 1 if workflow.invitation_sent_at and not as_sent else None,
        recommendation=recommendation_for(consultation) if consultation is not None else "",
    )
    if consultation is not None:
        consultation.meeting, consultation.agenda_item = meeting, item
        consultation.save()
        if item.record.published:  # a body without Einladung rules publishes its agenda at once
            from ratsinfo.meetings.publication import publish_agenda_papers

            publish_agenda_papers(meeting)
    if renumber_now:
        renumber(meeting)
        item.refresh_from_db()
    return item


def _shift(meeting: Meeting, position: int) -> None:
    """Make room at `position` (0-based) without colliding with the unique (meeting, order)."""
    later = AgendaItem.objects.filter(meeting=meeting, order__gt=position)
    later.update(order=F("order") + 100000)
    AgendaItem.objects.filter(meeting=meeting, order__gt=100000).update(order=F("order") - 100000 + 1)


@transaction.atomic
def renumber(meeting: Meeting) -> list[AgendaItem]:
    """Public part first, then the non-public part; numbers from `agenda_numbers` (the one numbering)."""
    items = list(meeting.agenda_items.alive().order_by("order").select_related("record"))
    slots = [Slot(public=i.public, sub_item=_is_sub(i)) for i in items]
    ordered = [items[i] for i in part_order(slots)]
    numbers = agenda_numbers([slots[i] for i in part_order(slots)])
    AgendaItem.objects.filter(meeting=meeting).update(order=F("order") + 100000)
    deleted_offset = len(ordered)
    for item in AgendaItem.objects.filter(meeting=meeting, deleted=True).order_by("order"):
        deleted_offset += 1
        AgendaItem.objects.filter(pk=item.pk).update(order=deleted_offset)
    for position, (item, number) in enumerate(zip(ordered, numbers, strict=True), start=1):
        if (item.order, item.number) != (position, number):
            item.order, item.number = position, number
            item.save(update_fields=["order", "number", "modified"])  # with history; OParl sees the change
        else:
            AgendaItem.objects.filter(pk=item.pk).update(order=position)
    return ordered


def _is_sub(item: AgendaItem) -> bool:
    record = getattr(item, "record", None)
    return bool(record and record.sub_item)


@transaction.atomic
def reorder(meeting: Meeting, item_ids: Sequence[int]) -> list[AgendaItem]:
    """Put the items in the given order (every live item exactly once), then renumber."""
    live = list(meeting.agenda_items.alive().values_list("pk", flat=True))
    if sorted(live) != sorted(item_ids) or len(set(item_ids)) != len(item_ids):
        raise MeetingError("Die neue Reihenfolge muss jeden Tagesordnungspunkt genau einmal enthalten.")
    AgendaItem.objects.filter(meeting=meeting).update(order=F("order") + 100000)
    for position, pk in enumerate(item_ids, start=1):
        AgendaItem.objects.filter(pk=pk).update(order=position)
    _tuck_deleted(meeting, len(item_ids))
    return renumber(meeting)


def _tuck_deleted(meeting: Meeting, after: int) -> None:
    for offset, pk in enumerate(AgendaItem.objects.filter(meeting=meeting, deleted=True).values_list("pk", flat=True), start=1):
        AgendaItem.objects.filter(pk=pk).update(order=after + offset)


@transaction.atomic
def move_item_step(item: AgendaItem, direction: int) -> list[AgendaItem]:
    """Move an item one place up (-1) or down (+1) within the agenda."""
    ids = list(item.meeting.agenda_items.alive().order_by("order").values_list("pk", flat=True))
    index = ids.index(item.pk)
    target = index + direction
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
    return reorder(item.meeting, ids)


@transaction.atomic
def set_item_number(item: AgendaItem, number: str) -> AgendaItem:
    """A number given by hand (e.g. to keep a published one); never twice in one meeting."""
    number = " ".join(number.split())
    if not number:
        raise MeetingError("Bitte eine Nummer angeben.")
    if AgendaItem.objects.alive().filter(meeting_id=item.meeting_id, number=number).exclude(pk=item.pk).exists():
        raise MeetingError(f"Die Nummer „{number}“ ist in dieser Sitzung schon vergeben.")
    item.number = number
    item.save(update_fields=["number", "modified"])
    return item


@transaction.atomic
def remove_item(item: AgendaItem) -> None:
    """Take an item off the agenda (its Vorlage waits again for the Gremium)."""
    Consultation.objects.filter(agenda_item=item).update(agenda_item=None, meeting=None)
    item.deleted = True
    item.save()
    renumber(item.meeting)


@transaction.atomic
def compose_agenda(meeting: Meeting, consultations: Iterable[Consultation]) -> list[AgendaItem]:
    """Put the chosen waiting Vorlagen on the agenda."""
    waiting = {c.pk for c in waiting_papers(meeting)}
    added = []
    for consultation in consultations:
        if consultation.pk not in waiting:
            raise MeetingError(f"Die Vorlage {consultation.paper.reference} wartet nicht auf dieses Gremium.")
        added.append(add_item(meeting, consultation.paper.name, public=consultation.paper.public, consultation=consultation))
    return added
