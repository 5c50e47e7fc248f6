"""What is indexed of each kind of object: title, readable text, date and facets.

Every object is indexed whatever its visibility (the search filters by `visible_to` at query
time), so these builders read with the plain managers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Model, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone

from ratsinfo.bodies.models import Organization, Person
from ratsinfo.files.models import File
from ratsinfo.measures.models import Measure
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Consultation, Paper
from ratsinfo.search.models import ExtractionState, Kind

MAX_TEXT = 400_000  # characters of a document kept for snippets and terms


@dataclass
class Source:
    kind: str
    object_id: int
    title: str
    url: str
    text: str = ""
    context: str = ""
    date: dt.date | None = None
    paper_type: str = ""
    gremium_ids: set[int] = field(default_factory=set)
    # Indexed with the title (weight A) but not shown: references, short names.
    title_extra: str = ""


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _paper_label(paper: Paper) -> str:
    return f"{paper.reference} {paper.name}".strip()


def papers(qs: QuerySet[Paper]) -> Iterable[Source]:
    consultations = Consultation.objects.filter(deleted=False).only("paper_id", "organization_id")
    for paper in qs.prefetch_related("sections", Prefetch("consultations", queryset=consultations)):
        sections = "\n\n".join(f"{s.heading}\n{s.text}" for s in paper.sections.all())
        yield Source(
            Kind.PAPER, paper.pk, _paper_label(paper), paper.get_absolute_url(), sections,
            context=paper.get_paper_type_display(), date=paper.date, paper_type=paper.paper_type,
            gremium_ids={c.organization_id for c in paper.consultations.all() if c.organization_id},
            title_extra=paper.reference,
        )


def agenda_items(qs: QuerySet[AgendaItem]) -> Iterable[Source]:
    for item in qs.select_related("meeting").prefetch_related(Prefetch("meeting__organizations")):
        meeting = item.meeting
        yield Source(
            Kind.AGENDA_ITEM, item.pk, f"{item.number} {item.name}".strip(),
            f"{meeting.get_absolute_url()}#top-{item.pk}",
            "\n".join(t for t in (item.result, item.resolution_text) if t),
            context=meeting.name, date=_day(meeting.start),
            gremium_ids={o.pk for o in meeting.organizations.all()},
        )


def meetings(qs: QuerySet[Meeting]) -> Iterable[Source]:
    for meeting in qs.select_related("location").prefetch_related("organizations"):
        place = meeting.location
        where = ", ".join(t for t in (place.description, place.street_address, place.room) if t) if place else ""
        yield Source(
            Kind.MEETING, meeting.pk, meeting.name, meeting.get_absolute_url(),
            "\n".join([", ".join(o.name for o in meeting.organizations.all()), where]),
            context=where, date=_day(meeting.start),
            gremium_ids={o.pk for o in meeting.organizations.all()},
        )


def organizations(qs: QuerySet[Organization]) -> Iterable[Source]:
    for org in qs:
        yield Source(
            Kind.ORGANIZATION, org.pk, org.name, org.get_absolute_url(), "",
            context=org.get_kind_display(), gremium_ids={org.pk}, title_extra=org.short_name,
        )


def persons(qs: QuerySet[Person]) -> Iterable[Source]:
    for person in qs:
        yield Source(Kind.PERSON, person.pk, person.name, person.get_absolute_url(), "", context="Person")


def measures(qs: QuerySet[Measure]) -> Iterable[Source]:
    for measure in qs.select_related("plan"):
        text = "\n".join(t for t in (measure.description, measure.target_group, measure.origin_note) if t)
        yield Source(
            Kind.MEASURE, measure.pk, f"{measure.number} {measure.title}".strip(), measure.get_absolute_url(),
            text, context=str(measure.plan), date=measure.start_date,
        )


def file_text(file: File) -> str:
    """The extracted text if extraction succeeded, else the text that came with the file."""
    extraction = getattr(file, "extraction", None)
    if extraction is not None and extraction.state in (ExtractionState.DONE, ExtractionState.OCR):
        return extraction.text
    return file.text


def files(qs: QuerySet[File]) -> Iterable[Source]:
    for file in qs.select_related("paper", "meeting", "agenda_item__meeting", "extraction").prefetch_related(
        "paper__consultations", "meeting__organizations", "agenda_item__meeting__organizations"
    ):
        context, date, paper_type, gremien = "", file.date, "", set()
        if file.paper is not None:
            context, paper_type = f"zu Vorlage {_paper_label(file.paper)}", file.paper.paper_type
            date = date or file.paper.date
            gremien = {c.organization_id for c in file.paper.consultations.all() if c.organization_id}
        meeting = file.meeting or (file.agenda_item.meeting if file.agenda_item else None)
        if meeting is not None:
            context = context or f"zur Sitzung {meeting.name}"
            date = date or _day(meeting.start)
            gremien |= {o.pk for o in meeting.organizations.all()}
        yield Source(
            Kind.FILE, file.pk, file.name or file.file_name, reverse("portal:file", kwargs={"pk": file.pk}),
            file_text(file), context=context, date=date, paper_type=paper_type, gremium_ids=gremien,
            title_extra=file.file_name,
        )


BUILDERS: dict[str, tuple[type[Model], Any]] = {
    Kind.PAPER: (Paper, papers),
    Kind.AGENDA_ITEM: (AgendaItem, agenda_items),
    Kind.MEETING: (Meeting, meetings),
    Kind.ORGANIZATION: (Organization, organizations),
    Kind.PERSON: (Person, persons),
    Kind.MEASURE: (Measure, measures),
    Kind.FILE: (File, files),
}
KIND_OF_MODEL = {model: kind for kind, (model, _) in BUILDERS.items()}


def sources(kind: str, pks: Iterable[int] | None = None) -> Iterable[Source]:
    """Sources of the live (not deleted) objects of one kind, all or the given pks."""
    model, build = BUILDERS[kind]
    qs = model._default_manager.filter(deleted=False).order_by("pk")
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return build(qs)
