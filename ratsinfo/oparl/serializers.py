"""Database rows → OParl objects (the pydantic models of `types.py`), one page at a time.

Every builder takes the rows of one page (dicts from `.values()`) and fetches what they embed
in a fixed number of batched queries, whatever the page size. Everything embedded comes from
the same `visible_to(PUBLIC)` querysets as the lists: the API is always the public
view, also for logged-in staff.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, cast

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import NoReverseMatch, reverse

from ratsinfo.bodies.models import (
    OPARL_ORGANIZATION_TYPE,
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.files.models import File, FileRole
from ratsinfo.lib.access import PUBLIC
from ratsinfo.lib.models import RemembersPublication
from ratsinfo.meetings.models import AgendaItem, Meeting, MeetingQuerySet
from ratsinfo.oparl import types as t
from ratsinfo.papers.models import Consultation, Paper

ANON = PUBLIC
JSON = dict[str, Any]


def visible(model: type[Any]) -> QuerySet[Any]:
    """The one public view of a model (see ratsinfo.lib.access)."""
    return model._default_manager.visible_to(ANON)


@dataclass
class Ctx:
    """Absolute URL building for one request."""

    site: str  # https://example.org
    api: str  # https://example.org/oparl/v1.1
    web_paths: dict[str, str] = field(default_factory=dict)

    def url(self, kind: str, pk: Any) -> str:
        return f"{self.api}/{kind}/{pk}"

    def urls(self, kind: str, pks: Iterable[Any]) -> list[str]:
        return [f"{self.api}/{kind}/{pk}" for pk in pks]

    def opt(self, kind: str, pk: Any) -> str | None:
        return None if pk is None else f"{self.api}/{kind}/{pk}"

    def web(self, name: str, value: Any) -> str | None:
        template = self.web_paths.get(name)
        return None if template is None or not value else self.site + template.replace("@@", str(value))


def web_paths() -> dict[str, str]:
    """Portal URL templates (`@@` stands for slug or pk); a missing portal page means no `web`."""
    paths = {}
    for name, kwargs in (
        ("paper", {"slug": "X"}),
        ("organization", {"slug": "X"}),
        ("person", {"slug": "X"}),
        ("meeting", {"pk": 1}),
    ):
        try:
            url = reverse(f"portal:{name}", kwargs=kwargs)
        except NoReverseMatch:
            continue
        marker = "/X/" if "slug" in kwargs else "/1/"
        paths[name] = url.replace(marker, "/@@/")
    return paths


@cache
def _local_zone() -> Any:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def ts(value: dt.datetime | None) -> dt.datetime | None:
    """Local time (readable for people in the municipality); the offset makes it unambiguous."""
    return None if value is None else value.astimezone(_local_zone())


def common(row: JSON) -> JSON:
    return {
        "created": ts(row["created"]),
        "modified": ts(row["modified"]),
        "keyword": row.get("keywords") or [],
    }


def _group(rows: Iterable[JSON], key: str) -> dict[Any, list[JSON]]:
    grouped: dict[Any, list[JSON]] = defaultdict(list)
    for row in rows:
        grouped[row[key]].append(row)
    return grouped


def _pairs(qs: QuerySet[Any], key: str, value: str) -> dict[Any, list[Any]]:
    grouped: dict[Any, list[Any]] = defaultdict(list)
    for k, v in qs.values_list(key, value).order_by(key, value):
        grouped[k].append(v)
    return grouped


def among(field: str, ids: list[Any]) -> dict[str, Any]:
    """Filter `field` to `ids`: a key range when the page is dense (cheaper than a long IN list).

    Rows of the range that are not on the page are fetched but never looked up.
    """
    ids = [pk for pk in ids if pk is not None]
    if len(ids) > 50:
        low, high = min(ids), max(ids)
        if high - low < 2 * len(ids):
            return {f"{field}__gte": low, f"{field}__lte": high}
    return {f"{field}__in": ids}


BASE_FIELDS = ("id", "created", "modified", "deleted", "keywords")


# --- Location -------------------------------------------------------------------------------

LOCATION_FIELDS = (*BASE_FIELDS, "description", "street_address", "room", "postal_code", "sub_locality",
                   "locality", "geojson")


def location_model(row: JSON, ctx: Ctx) -> t.Location:
    return t.Location(
        id=ctx.url("location", row["id"]),
        description=row["description"],
        geojson=row["geojson"] or None,
        streetAddress=row["street_address"],
        room=row["room"],
        postalCode=row["postal_code"],
        subLocality=row["sub_locality"],
        locality=row["locality"],
        **common(row),
    )


def locations_by_id(ids: Iterable[Any], ctx: Ctx) -> dict[Any, t.Location]:
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    rows = visible(Location).filter(pk__in=wanted).values(*LOCATION_FIELDS)
    return {row["id"]: location_model(row, ctx) for row in rows}


def build_locations(rows: list[JSON], ctx: Ctx) -> list[JSON]:
    return [location_model(row, ctx).to_json() for row in rows]


# --- File -----------------------------------------------------------------------------------

FILE_FIELDS = (*BASE_FIELDS, "name", "file_name", "mime_type", "date", "size", "sha512", "text", "content",
               "external_access_url", "license", "role", "order", "paper_id", "meeting_id", "agenda_item_id")


def file_model(row: JSON, ctx: Ctx) -> t.File:
    own = ctx.url("file", row["id"])
    if row["content"]:
        access, download = own + "/access", own + "/download"
    elif row["external_access_url"]:
        # Imported without a copy: the original server serves it.
        access, download = row["external_access_url"], None
    else:
        # A placeholder without content; accessUrl is mandatory and answers 404 (OParl error).
        access, download = own + "/access", None
    return t.File(
        id=own,
        name=row["name"] or row["file_name"],
        fileName=row["file_name"],
        mimeType=row["mime_type"],
        date=row["date"],
        size=row["size"],
        sha512Checksum=row["sha512"],
        text=row["text"],
        accessUrl=access,
        downloadUrl=download,
        license=row["license"],
        paper=ctx.urls("paper", [row["paper_id"]] if row["paper_id"] else []),
        meeting=ctx.urls("meeting", [row["meeting_id"]] if row["meeting_id"] else []),
        agendaItem=ctx.urls("agendaitem", [row["agenda_item_id"]] if row["agenda_item_id"] else []),
        **common(row),
    )


def build_files(rows: list[JSON], ctx: Ctx) -> list[JSON]:
    return [file_model(row, ctx).to_json() for row in rows]


def _visible_files(**filters: Any) -> list[JSON]:
    return list(visible(File).filter(**filters).order_by("order", "id").values(*FILE_FIELDS))


# --- LegislativeTerm, Membership -------------------------------------------------------------

TERM_FIELDS = (*BASE_FIELDS, "body_id", "name", "start_date", "end_date")


def term_model(row: JSON, ctx: Ctx) -> t.LegislativeTerm:
    return t.LegislativeTerm(
        id=ctx.url("legislativeterm", row["id"]),
        body=ctx.url("body", row["body_id"]),
        name=row["name"],
        startDate=row["start_date"],
        endDate=row["end_date"],
        **common(row),
    )


def build_terms(rows: list[JSON], ctx: Ctx) -> list[JSON]:
    return [term_model(row, ctx).to_json() for row in rows]


MEMBERSHIP_FIELDS = (*BASE_FIELDS, "person_id", "organization_id", "role", "voting_right", "start_date",
                     "end_date", "on_behalf_of_id")


def membership_model(row: JSON, ctx: Ctx) -> t.Membership:
    return t.Membership(
        id=ctx.url("membership", row["id"]),
        person=ctx.url("person", row["person_id"]),
        organization=ctx.url("organization", row["organization_id"]),
        role=row["role"],
        votingRight=row["voting_right"],
        startDate=row["start_date"],
        endDate=row["end_date"],
        onBehalfOf=ctx.opt("organization", row["on_behalf_of_id"]),
        **common(row),
    )


def build_memberships(rows: list[JSON], ctx: Ctx) -> list[JSON]:
    return [membership_model(row, ctx).to_json() for row in rows]


# --- Body -----------------------------------------------------------------------------------

BODY_FIELDS = (*BASE_FIELDS, "name", "short_name", "website", "license", "license_valid_since", "oparl_since",
               "ags", "rgs", "equivalent", "contact_email", "contact_name", "classification", "location_id")

BODY_LISTS = {
    "organization": "organization",
    "person": "person",
    "meeting": "meeting",
    "paper": "paper",
    "agendaItem": "agendaitem",
    "consultation": "consultation",
    "file": "file",
    "locationList": "location",
    "legislativeTermList": "legislativeterm",
    "membership": "membership",
}


def build_bodies(rows: list[JSON], ctx: Ctx) -> list[JSON]:
    ids = [row["id"] for row in rows]
    terms = _group(
        visible(LegislativeTerm).filter(**among("body_id", ids)).order_by("start_date", "id").values(*TERM_FIELDS), "body_id"
    )
    locations = locations_by_id((row["location_id"] for row in rows), ctx)
    out = []
    for row in rows:
        own = ctx.url("body", row["id"])
        lists = {attr: f"{own}/{path}" for attr, path in BODY_LISTS.items()}
        out.append(
            t.Body(
                id=own,
                system=ctx.api + "/",
                shortName=row["short_name"],
                name=row["name"],
                website=row["website"],
                license=row["license"],
                licenseValidSince=ts(row["license_valid_since"]),
                oparlSince=ts(row["oparl_since"]),
                ags=row["ags"],
                rgs=row["rgs"],
                equivalent=row["equivalent"] or [],
                contactEmail=row["contact_email"],
                contactName=row["contact_name"],
                classification=row["classification"],
                legislativeTerm=[term_model(term, ctx) for term in terms.get(row["id"], [])],
                location=locations.get(row["location_id"]),
                web=ctx.site + "/",
                organization=lists["organization"],
                person=lists["person"],
                meeting=lists["meeting"],
                paper=lists["paper"],
                agendaItem=lists["agendaItem"],
                consultation=lists["consultation"],
                file=lists["file"],
                locationList=lists["locationList"],
                legislativeTermList=lists["legislativeTermList"],
                membership=lists["membership"],
                **common(row),
            ).to_json()
        )
    return out


# --- Organization, Person --------------------------------------------------------------------

ORGANIZATION_FIELDS = (*BASE_FIELDS, "body_id", "name", "short_name", "slug", "kind", "classification", "posts",
                       "parent_id", "start_date", "end_date", "website", "location_id", "external_body")


def build_organizations(rows: list[JSON], ctx: Ctx) -> list[JSON]:
    ids = [row["id"] for row in rows]
    memberships = _pairs(visible(Membership).filter(**among("organization_id", ids)), "organization_id", "id")
    locations = locations_by_id((row["location_id"] for row in rows), ctx)
    out = []
    for row in rows:
        own = ctx.url("organization", row["id"])
        kind = OrganizationKind(row["kind"]) if row["kind"] in OrganizationKind.values else None
        out.append(
            t.Organization(
                id=own,
                body=ctx.url("body", row["body_id"]),
                name=row["name"],
                membership=ctx.urls("membership", memberships.get(row["id"], [])),
                meeting=own + "/meeting",
                consultation=own + "/consultation",
                shortName=row["short_name"],
                post=row["posts"] or [],
                subOrganizationOf=ctx.opt("organization", row["parent_id"]),
                organizationType=OPARL_ORGANIZATION_TYPE.get(kind, "Sonstiges") if kind else "Sonstiges",
                classification=row["classification"] or (kind.label if kind else None),
                startDate=row["start_date"],
                endDate=row["end_date"],
                website=row["website"],
                location=locations.get(row["location_id"]),
                externalBody=row["external_body"],
                web=ctx.web("organization", row["slug"]),
                **common(row),
            ).to_json()
        )
    return out


PERSON_FIELDS = (*BASE_FIELDS, "body_id", "name", "family_name", "given_name", "form_of_address", "affix",
                 "titles", "gender", "phone", "email", "status", "life", "life_source", "location_id", "slug")


def build_persons(rows: list[JSON], ctx: Ctx) -> list[JSON]:
    ids = [row["id"] for row in rows]
    memberships = _group(
        visible(Membership).filter(**among("person_id", ids)).order_by("id").values(*MEMBERSHIP_FIELDS), "person_id"
    )
    locations = locations_by_id((row["location_id"] for row in rows), ctx)
    out = []
    for row in rows:
        out.append(
            t.Person(
                id=ctx.url("person", row["id"]),
                body=ctx.url("body", row["body_id"]),
                name=row["name"],
                familyName=row["family_name"],
                givenName=row["given_name"],
                formOfAddress=row["form_of_address"],
                affix=row["affix"],
                title=row["titles"] or [],
                gender=row["gender"],
                phone=row["phone"] or [],
                email=row["email"] or [],
                location=ctx.opt("location", row["location_id"]) if row["location_id"] in locations else None,
                locationObject=locations.get(row["location_id"]),
                status=row["status"] or [],
                membership=[membership_model(m, ctx) for m in memberships.get(row["id"], [])],
                life=row["life"],
                lifeSource=row["life_source"],
                web=ctx.web("person", row["slug"]),
                **common(row),
            ).to_json()
        )
    return out


# --- Consultation ---------------------------------------------------------------------------

CONSULTATION_FIELDS = (*BASE_FIELDS, "paper_id", "organization_id", "meeting_id", "agenda_item_id", "role",
                       "authoritative", "license")


def consultations_qs() -> QuerySet[Any]:
    """Visible consultations, with whether their agenda item is public (else its id stays hidden)."""
    return visible(Consultation).annotate(
        agenda_item_public=Exists(visible(AgendaItem).filter(pk=OuterRef("agenda_item_id")))
    )


CONSULTATION_VALUES = (*CONSULTATION_FIELDS, "agenda_item_public")


def consultation_model(row: JSON, ctx: Ctx) -> t.Consultation:
    return t.Consultation(
        id=ctx.url("consultation", row["id"]),
        paper=ctx.url("paper", row["paper_id"]),
        # A public paper may be decided in a non-public item: the meeting is public, the item is not.
        agendaItem=ctx.opt("agendaitem", row["agenda_item_id"]) if row["agenda_item_public"] else None,
        meeting=ctx.opt("meeting", row["meeting_id"]),
        organization=ctx.urls("organization", [row["organization_id"]] if row["organization_id"] else []),
        authoritative=row["authoritative"],
        role=row["role"],
        license=row["license"],
        **common(row),
    )


def build_consultations(rows: list[JSON], ctx: Ctx) -> list[JSON]:
    if rows and "agenda_item_public" not in rows[0]:
        public = set(visible(AgendaItem).filter(pk__in=[r["agenda_item_id"] for r in rows if r["agenda_item_id"]])
                     .values_list("pk", flat=True))
        rows = [{**row, "agenda_item_public": row["agenda_item_id"] in public} for row in rows]
    return [consultation_model(row, ctx).to_json() for row in rows]


# --- Paper ----------------------------------------------------------------------------------

PAPER_FIELDS = (*BASE_FIELDS, "body_id", "name", "reference", "slug", "date", "paper_type", "license")


def build_papers(rows: list[JSON], ctx: Ctx) -> list[JSON]:
    ids = [row["id"] for row in rows]
    if not ids:
        return []
    consultations = _group(
        consultations_qs().filter(**among("paper_id", ids)).order_by("paper_id", "order", "id").values(*CONSULTATION_VALUES),
        "paper_id",
    )
    files = _group(_visible_files(**among("paper_id", ids)), "paper_id")
    through = Paper.under_direction_of.through
    under_direction = _pairs(through.objects.filter(**among("paper_id", ids)), "paper_id", "organization_id")
    originator_persons = _pairs(
        Paper.originator_persons.through.objects.filter(**among("paper_id", ids)), "paper_id", "person_id"
    )
    originator_organizations = _pairs(
        Paper.originator_organizations.through.objects.filter(**among("paper_id", ids)), "paper_id", "organization_id"
    )
    related = _pairs(
        Paper.related_papers.through.objects.filter(**among("from_paper_id", ids)), "from_paper_id", "to_paper_id"
    )
    superordinated = Paper.superordinated_papers.through.objects
    superior = _pairs(superordinated.filter(**among("from_paper_id", ids)), "from_paper_id", "to_paper_id")
    subordinate = _pairs(superordinated.filter(**among("to_paper_id", ids)), "to_paper_id", "from_paper_id")
    places = _pairs(Paper.locations.through.objects.filter(**among("paper_id", ids)), "paper_id", "location_id")
    locations = locations_by_id((pk for pks in places.values() for pk in pks), ctx)
    # Links to other Vorlagen only while those are public (one lookup for all three relations).
    targets = {pk for links in (related, superior, subordinate) for pks in links.values() for pk in pks}
    public = set(visible(Paper).filter(pk__in=targets).values_list("pk", flat=True)) if targets else set()
    for links in (related, superior, subordinate):
        for pk, pks in links.items():
            links[pk] = [other for other in pks if other in public]
    out = []
    for row in rows:
        pk = row["id"]
        main, auxiliary = None, []
        for file_row in files.get(pk, []):
            if main is None and file_row["role"] == FileRole.MAIN:
                main = file_model(file_row, ctx)
            else:
                auxiliary.append(file_model(file_row, ctx))
        out.append(
            t.Paper(
                id=ctx.url("paper", pk),
                body=ctx.url("body", row["body_id"]),
                name=row["name"],
                reference=row["reference"],
                date=row["date"],
                paperType=row["paper_type"],
                relatedPaper=ctx.urls("paper", related.get(pk, [])),
                superordinatedPaper=ctx.urls("paper", superior.get(pk, [])),
                subordinatedPaper=ctx.urls("paper", subordinate.get(pk, [])),
                mainFile=main,
                auxiliaryFile=auxiliary,
                location=[locations[loc] for loc in places.get(pk, []) if loc in locations],
                originatorPerson=ctx.urls("person", originator_persons.get(pk, [])),
                underDirectionOf=ctx.urls("organization", under_direction.get(pk, [])),
                originatorOrganization=ctx.urls("organization", originator_organizations.get(pk, [])),
                consultation=[consultation_model(c, ctx) for c in consultations.get(pk, [])],
                license=row["license"],
                web=ctx.web("paper", row["slug"]),
                **common(row),
            ).to_json()
        )
    return out


# --- AgendaItem, Meeting ----------------------------------------------------------------------

AGENDA_ITEM_FIELDS = (*BASE_FIELDS, "meeting_id", "number", "order", "name", "public", "result",
                      "resolution_text", "start", "end")


def _agenda_item_models(rows: list[JSON], ctx: Ctx) -> list[t.AgendaItem]:
    ids = [row["id"] for row in rows]
    if not ids:
        return []
    consultation_of = dict(
        visible(Consultation).filter(**among("agenda_item_id", ids)).values_list("agenda_item_id", "id")
    )
    files = _group(_visible_files(**among("agenda_item_id", ids)), "agenda_item_id")
    items = []
    for row in rows:
        resolution, auxiliary = None, []
        for file_row in files.get(row["id"], []):
            if resolution is None and file_row["role"] == FileRole.RESOLUTION:
                resolution = file_model(file_row, ctx)
            else:
                auxiliary.append(file_model(file_row, ctx))
        items.append(
            t.AgendaItem(
                id=ctx.url("agendaitem", row["id"]),
                meeting=ctx.url("meeting", row["meeting_id"]),
                number=row["number"],
                order=row["order"],
                name=row["name"],
                public=row["public"],
                consultation=ctx.opt("consultation", consultation_of.get(row["id"])),
                result=row["result"],
                resolutionText=row["resolution_text"],
                resolutionFile=resolution,
                auxiliaryFile=auxiliary,
                start=ts(row["start"]),
                end=ts(row["end"]),
                **common(row),
            )
        )
    return items


def build_agenda_items(rows: list[JSON], ctx: Ctx) -> list[JSON]:
    return [item.to_json() for item in _agenda_item_models(rows, ctx)]


MEETING_FIELDS = (*BASE_FIELDS, "name", "meeting_state", "cancelled", "start", "end", "location_id", "license")
_SINGLE_FILE_ROLES = {
    FileRole.INVITATION: "invitation",
    FileRole.RESULTS_PROTOCOL: "resultsProtocol",
    FileRole.VERBATIM_PROTOCOL: "verbatimProtocol",
}


def build_meetings(rows: list[JSON], ctx: Ctx) -> list[JSON]:
    ids = [row["id"] for row in rows]
    if not ids:
        return []
    item_rows = list(
        visible(AgendaItem).filter(**among("meeting_id", ids)).order_by("meeting_id", "order", "id").values(*AGENDA_ITEM_FIELDS)
    )
    items = _group(({"meeting_id": m.meeting, "model": m} for m in _agenda_item_models(item_rows, ctx)), "meeting_id")
    # Files of agenda items sit in their item; filtering them out in SQL (IS NULL) makes SQLite
    # walk the agenda_item index over every file, so they are dropped here instead.
    files = _group((f for f in _visible_files(**among("meeting_id", ids)) if f["agenda_item_id"] is None), "meeting_id")
    organizations = _pairs(Meeting.organizations.through.objects.filter(**among("meeting_id", ids)), "meeting_id",
                           "organization_id")
    participants = _pairs(Meeting.participants.through.objects.filter(**among("meeting_id", ids)), "meeting_id", "person_id")
    locations = locations_by_id((row["location_id"] for row in rows), ctx)
    out = []
    for row in rows:
        pk = row["id"]
        own = ctx.url("meeting", pk)
        single: dict[str, t.File] = {}
        auxiliary = []
        for file_row in files.get(pk, []):
            attr = _SINGLE_FILE_ROLES.get(file_row["role"])
            if attr and attr not in single:
                single[attr] = file_model(file_row, ctx)
            else:
                auxiliary.append(file_model(file_row, ctx))
        out.append(
            t.Meeting(
                id=own,
                name=row["name"],
                meetingState=row["meeting_state"],
                cancelled=row["cancelled"] or None,
                start=ts(row["start"]),
                end=ts(row["end"]),
                location=locations.get(row["location_id"]),
                organization=ctx.urls("organization", organizations.get(pk, [])),
                participant=ctx.urls("person", participants.get(pk, [])),
                auxiliaryFile=auxiliary,
                agendaItem=[entry["model"] for entry in items.get(own, [])],
                license=row["license"],
                web=ctx.web("meeting", pk),
                invitation=single.get("invitation"),
                resultsProtocol=single.get("resultsProtocol"),
                verbatimProtocol=single.get("verbatimProtocol"),
                **common(row),
            ).to_json()
        )
    return out


# --- Registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One OParl type as the API serves it."""

    name: str  # OParl type name
    path: str  # URL segment
    model: type[Any]
    fields: tuple[str, ...]
    build: Callable[[list[JSON], Ctx], list[JSON]]
    # Which hidden rows may be reported as tombstones (see tombstone_q).
    body_filter: Callable[[QuerySet[Any], Any, bool], QuerySet[Any]] = lambda qs, body, single: qs

    def visible(self) -> QuerySet[Any]:
        return visible(self.model)

    def tombstone_candidates(self) -> QuerySet[Any]:
        return self.model._default_manager.filter(tombstone_q(self.model))


def tombstone_q(model: type[Any]) -> Q:
    """Hidden rows that were public once and so are reported as deleted.

    Only rows the public has seen (`ever_public`) may appear as tombstones, with id, type,
    created, modified and deleted: true, never with content. A row that was never public
    (a draft, a non-public Vorlage, a TOP of the non-public part and their files) stays
    invisible: not even its id is given away.
    """
    if issubclass(model, RemembersPublication):
        return Q(ever_public=True)
    if model is Consultation:
        return Q(paper__ever_public=True)
    if model is Location:  # the visible places and the deleted ones; a place hidden as that of
        # non-public Vorlagen only is left out: not even its id
        return Q(deleted=True) | Q(pk__in=visible(Location).values("pk"))
    return Q()


def _by_body(qs: QuerySet[Any], body: Any, single: bool) -> QuerySet[Any]:
    return qs.filter(body_id=body.pk)


def _meeting_by_body(qs: QuerySet[Any], body: Any, single: bool) -> QuerySet[Any]:
    if single:  # the usual case: one Gemeinde per installation, no join needed
        return qs
    return cast(MeetingQuerySet, qs).of_body(body)


def _agenda_item_by_body(qs: QuerySet[Any], body: Any, single: bool) -> QuerySet[Any]:
    if single:
        return qs
    through = Meeting.organizations.through.objects
    return qs.filter(Exists(through.filter(meeting_id=OuterRef("meeting_id"), organization__body_id=body.pk)))


KINDS: dict[str, Kind] = {
    kind.path: kind
    for kind in (
        Kind("Body", "body", Body, BODY_FIELDS, build_bodies),
        Kind("LegislativeTerm", "legislativeterm", LegislativeTerm, TERM_FIELDS, build_terms, _by_body),
        Kind("Organization", "organization", Organization, ORGANIZATION_FIELDS, build_organizations, _by_body),
        Kind("Person", "person", Person, PERSON_FIELDS, build_persons, _by_body),
        Kind("Membership", "membership", Membership, MEMBERSHIP_FIELDS, build_memberships,
             lambda qs, body, single: qs if single else qs.filter(person__body_id=body.pk)),
        Kind("Meeting", "meeting", Meeting, MEETING_FIELDS, build_meetings, _meeting_by_body),
        Kind("AgendaItem", "agendaitem", AgendaItem, AGENDA_ITEM_FIELDS, build_agenda_items, _agenda_item_by_body),
        Kind("Paper", "paper", Paper, PAPER_FIELDS, build_papers, _by_body),
        # With one Gemeinde the join condition is left out: it would make the database sort
        # every Beratung for each page instead of walking the primary key.
        Kind("Consultation", "consultation", Consultation, CONSULTATION_FIELDS, build_consultations,
             lambda qs, body, single: qs if single else qs.filter(paper__body_id=body.pk)),
        Kind("File", "file", File, FILE_FIELDS, build_files, _by_body),
        Kind("Location", "location", Location, LOCATION_FIELDS, build_locations),
    )
}


def tombstone(kind: Kind, row: JSON, ctx: Ctx) -> JSON:
    model = t.TYPES[kind.name]
    return model(
        id=ctx.url(kind.path, row["id"]), deleted=True, created=ts(row["created"]), modified=ts(row["modified"])
    ).to_json()


def build_rows(kind: Kind, rows: list[JSON], ctx: Ctx) -> list[JSON]:
    """Visible rows in full, hidden ones (flag `_visible` false) as tombstones, in the given order."""
    shown = [row for row in rows if row.get("_visible", True)]
    built = iter(kind.build(shown, ctx))
    return [next(built) if row.get("_visible", True) else tombstone(kind, row, ctx) for row in rows]
