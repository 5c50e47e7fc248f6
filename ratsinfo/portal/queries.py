"""Loading what the portal pages show, with a fixed number of queries per page.

Everything goes through `visible_to(viewer)`; nested lists use `Prefetch` with the same
visibility so that a non-public agenda item, file or related paper never reaches a template.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, prefetch_related_objects
from django.utils import timezone

from ratsinfo.bodies.models import (
    COUNCIL_BODY_KINDS,
    GROUP_KINDS,
    Body,
    Membership,
    MembershipQuerySet,
    Organization,
    Person,
)
from ratsinfo.files.models import File
from ratsinfo.lib.access import Viewer
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Consultation, Paper
from ratsinfo.portal import paper_maps


def start_of_today() -> dt.datetime:
    today = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today, dt.time.min))


# Columns the list rows show. Lists load only these: the JSON and bookkeeping columns cost
# decoding time on every row and are never shown in a list.
PAPER_ROW = ("name", "reference", "slug", "date", "paper_type", "public", "state", "deleted", "published_at")
MEETING_ROW = (
    "name",
    "start",
    "end",
    "cancelled",
    "meeting_state",
    "public",
    "deleted",
    "location",
)
LOCATION_ROW = ("description", "room", "street_address", "locality")
ORG_ROW = ("name", "short_name", "slug", "kind", "deleted")


def meetings_for_list(viewer: Viewer, body: Body | None = None) -> QuerySet[Meeting]:
    """The Sitzungen the viewer may see, of one Gemeinde (`body`) or of all (None)."""
    return (
        Meeting.objects.visible_to(viewer).of_body(body)
        .select_related("location")
        .prefetch_related(
            Prefetch(
                "organizations",
                queryset=Organization.objects.visible_to(viewer).only(*ORG_ROW).order_by("name"),
            )
        )
    )


def meeting_rows(viewer: Viewer, body: Body | None = None) -> QuerySet[Meeting]:
    return meetings_for_list(viewer, body).only(*MEETING_ROW, *(f"location__{f}" for f in LOCATION_ROW))


def meetings_of(qs: QuerySet[Meeting], organization: Organization) -> QuerySet[Meeting]:
    """Meetings of one body as a correlated EXISTS, so that the database walks the meetings by
    date and stops after one page, instead of sorting all meetings the body ever had."""
    through = Meeting.organizations.through
    return qs.filter(
        Exists(through.objects.filter(meeting_id=OuterRef("pk"), organization_id=organization.pk))
    )


def departments_of(viewer: Viewer) -> Prefetch:
    """The federführende Fachbereiche of listed Vorlagen."""
    return Prefetch(
        "under_direction_of", queryset=Organization.objects.visible_to(viewer).only(*ORG_ROW).order_by("name")
    )


def papers_for_list(viewer: Viewer, body: Body | None = None) -> QuerySet[Paper]:
    """The Vorlagen the viewer may see, of one Gemeinde (`body`) or of all (None)."""
    return Paper.objects.visible_to(viewer).of_body(body).prefetch_related(departments_of(viewer))


def paper_rows(viewer: Viewer, body: Body | None = None) -> QuerySet[Paper]:
    return papers_for_list(viewer, body).only(*PAPER_ROW)


def papers_linked_to(viewer: Viewer, paper: Paper) -> dict[str, list[Paper]]:
    """A Vorlage's related, superordinated and subordinated Vorlagen (prefetched by
    `paper_with_details`), their Fachbereiche in one query for all three lists."""
    linked = {
        "related": list(paper.related_papers.all()),
        "superordinated": list(paper.superordinated_papers.all()),
        "subordinated": list(paper.subordinated_papers.all()),
    }
    prefetch_related_objects([p for papers in linked.values() for p in papers], departments_of(viewer))
    return linked


def recently_consulted_papers(
    organization: Organization, viewer: Viewer, limit: int = 10
) -> list[Paper]:
    """Vorlagen most recently on this body's table, newest consultation first.

    Driven from the (organization, planned_date) index of the Beratungsfolge, so that it costs
    the same for a Fachausschuss and for a Fraktion that is never consulted."""
    recent = list(
        Consultation.objects.alive().filter(organization=organization)
        .order_by(F("planned_date").desc(nulls_last=True), "-pk")
        .values_list("paper_id", flat=True)[: limit * 4]
    )
    by_pk = {p.pk: p for p in paper_rows(viewer).filter(pk__in=recent)}
    ordered: list[Paper] = []
    for pk in recent:
        paper = by_pk.pop(pk, None)
        if paper is not None:
            ordered.append(paper)
    return ordered[:limit]


# Up to this many linked rows, the database starts from the link table; beyond it, walking
# the Vorlagen by date and probing the link index finds a page of results sooner.
SPARSE_LINKS = 2000


def linked_papers(
    qs: QuerySet[Paper], links: QuerySet[Any], paper_field: str = "paper_id"
) -> QuerySet[Paper]:
    """`qs` restricted to the Vorlagen named in `links` (Beratungsfolge or originator rows of
    one body or person), with the plan chosen by how many links there are."""
    links = links.order_by()  # a model's default ordering would join and sort for nothing
    if links[: SPARSE_LINKS + 1].count() <= SPARSE_LINKS:
        return qs.filter(pk__in=links.values(paper_field))
    return qs.filter(Exists(links.filter(**{paper_field: OuterRef("pk")})))


def papers_in_consultation_of(qs: QuerySet[Paper], organization: Organization) -> QuerySet[Paper]:
    return linked_papers(qs, Consultation.objects.alive().filter(organization=organization))


def papers_originated_by(qs: QuerySet[Paper], originator: Person | Organization) -> QuerySet[Paper]:
    if isinstance(originator, Person):
        return linked_papers(qs, Paper.originator_persons.through.objects.filter(person=originator))
    return linked_papers(
        qs, Paper.originator_organizations.through.objects.filter(organization=originator)
    )


def attach_papers(items: Iterable[AgendaItem], viewer: Viewer) -> None:
    """Set `item.paper` to the Vorlage treated under each agenda item, if the user may see it."""
    items = list(items)
    consultations = (
        Consultation.objects.visible_to(viewer)
        .filter(agenda_item__in=[item.pk for item in items])
        .select_related("paper")
    )
    by_item = {c.agenda_item_id: c.paper for c in consultations}
    for item in items:
        item.paper = by_item.get(item.pk)  # type: ignore[attr-defined]


def agenda_of(meeting: Meeting, viewer: Viewer) -> tuple[list[AgendaItem], int]:
    """The agenda items the user may see, and how many further items exist (never which)."""
    items = list(
        AgendaItem.objects.visible_to(viewer)
        .filter(meeting=meeting)
        .order_by("order", "pk")
        .select_related("record")
        .prefetch_related(
            Prefetch("files", queryset=File.objects.visible_to(viewer).order_by("order", "pk"))
        )
    )
    attach_papers(items, viewer)
    for item in items:  # items added after the Einladung came with a numbered Nachtrag
        record = getattr(item, "record", None)
        item.supplement_label = f"{record.supplement}. Nachtrag" if record is not None and record.supplement else ""  # type: ignore[attr-defined]
    total = AgendaItem.objects.alive().filter(meeting=meeting).count()
    return items, max(total - len(items), 0)


def recent_decisions(
    viewer: Viewer, limit: int = 10, kinds: Any = COUNCIL_BODY_KINDS, body: Body | None = None
) -> list[AgendaItem]:
    """Results of the latest held meetings of bodies of the given kinds (default: the council's
    bodies; the Maßnahmenplan's conferences have their own section); bounded by the last meetings;
    of one Gemeinde (`body`) or of all (None)."""
    recent_meetings = (
        Meeting.objects.visible_to(viewer).of_body(body)
        .filter(start__lte=timezone.now(), cancelled=False)
        .filter(Exists(Meeting.organizations.through.objects.filter(
            meeting_id=OuterRef("pk"), organization__kind__in=kinds)))
        .order_by("-start", "-pk")
        .values_list("pk", flat=True)[:40]
    )
    items = list(
        AgendaItem.objects.visible_to(viewer)
        .filter(meeting__in=list(recent_meetings))
        .exclude(result="")
        .select_related("meeting")
        .order_by("-meeting__start", "-meeting__pk", "order")[:limit]
    )
    attach_papers(items, viewer)
    return items


def paper_with_details(viewer: Viewer) -> QuerySet[Paper]:
    visible_items = AgendaItem.objects.visible_to(viewer)
    linked = Paper.objects.visible_to(viewer).only(*PAPER_ROW).order_by("-date", "-pk")
    return Paper.objects.visible_to(viewer).select_related("body").prefetch_related(  # body: its Gemeinde
        Prefetch(
            "under_direction_of", queryset=Organization.objects.visible_to(viewer).order_by("name")
        ),
        Prefetch("originator_persons", queryset=Person.objects.visible_to(viewer)),
        Prefetch(
            "originator_organizations",
            queryset=Organization.objects.visible_to(viewer).order_by("name"),
        ),
        "sections",
        paper_maps.places_of(viewer),
        Prefetch("files", queryset=File.objects.visible_to(viewer).order_by("order", "pk")),
        # (their Fachbereiche: papers_linked_to, one query for the three lists)
        *(Prefetch(name, queryset=linked) for name in ("related_papers", "superordinated_papers", "subordinated_papers")),
        Prefetch(
            "consultations",
            queryset=Consultation.objects.visible_to(viewer)
            .prefetch_related(
                Prefetch("organization", queryset=Organization.objects.visible_to(viewer)),
                Prefetch("meeting", queryset=Meeting.objects.visible_to(viewer)),
                Prefetch("agenda_item", queryset=visible_items.select_related("implementation__department")),
            )
            .order_by("order", "pk"),
        ),
    )


MEMBERSHIP_ROW = (
    "role", "voting_right", "start_date", "end_date", "person__name", "person__slug",
    "on_behalf_of__name", "on_behalf_of__short_name", "on_behalf_of__slug",
    "organization__name", "organization__slug",
)  # fmt: skip


def membership_rows(viewer: Viewer) -> MembershipQuerySet:
    return (
        Membership.objects.visible_to(viewer)
        .filter(person__deleted=False, organization__deleted=False)
        .select_related("person", "on_behalf_of", "organization")
        .only(*MEMBERSHIP_ROW)
    )


def current_members(organization: Organization, viewer: Viewer) -> list[Membership]:
    """Members on this day, Vorsitz first, then by name."""
    day = timezone.localdate()
    rows = list(
        membership_rows(viewer)
        .filter(organization=organization)
        .active_on(day)
        .order_by("person__family_name", "person__given_name", "person__name", "-start_date")
    )
    rows.sort(key=lambda m: _role_rank(m.role))
    return rows


def former_members(organization: Organization, viewer: Viewer) -> QuerySet[Membership]:
    return (
        membership_rows(viewer)
        .filter(organization=organization, end_date__lt=timezone.localdate())
        .order_by("-end_date", "person__family_name", "person__name", "pk")
    )


def _role_rank(role: str) -> int:
    role = (role or "").lower()
    if "vorsitz" in role or "sprecher" in role:
        return 1 if "stellv" in role else 0
    return 2


def split_current(
    memberships: Iterable[Membership], day: dt.date | None = None
) -> tuple[list[Membership], list[Membership]]:
    """Current memberships (Vorsitz first) and former ones (latest first)."""
    day = day or timezone.localdate()
    current: list[Membership] = []
    former: list[Membership] = []
    for m in memberships:
        active = (m.start_date is None or m.start_date <= day) and (
            m.end_date is None or m.end_date >= day
        )
        (current if active else former).append(m)
    current.sort(
        key=lambda m: (
            0
            if "vorsitz" in (m.role or "").lower() and "stellv" not in (m.role or "").lower()
            else 1
            if "stellv" in (m.role or "").lower()
            else 2
        )
    )
    former.sort(key=lambda m: m.end_date or dt.date.min, reverse=True)
    return current, former


def group_memberships_prefetch(viewer: Viewer) -> Prefetch:
    """Each person's Fraktion/Gruppe memberships, latest first (for lists of people)."""
    return Prefetch(
        "memberships",
        queryset=Membership.objects.visible_to(viewer)
        .filter(organization__kind__in=GROUP_KINDS, organization__deleted=False)
        .select_related("organization")
        .order_by("-start_date", "-pk"),
        to_attr="group_memberships",
    )
