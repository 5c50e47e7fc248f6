"""OParl objects -> our Django models, matched by `source_url` (the OParl id).

A page is flattened into its objects (with their embedded objects) and written type by type
in dependency order with bulk operations and simple_history's bulk helpers, so every change
still leaves a history row. Per object we compare the mapped values with the stored row:
equal means unchanged (re-importing changes nothing).

Unresolvable references, decided here:
- a *required* parent (a membership's person or organization, an agenda item's meeting, a
  consultation's paper) missing -> the object waits in `PendingObject` and is retried at the
  end of the run (after fetching the target by URL); no stubs appear in the portal.
- an *optional* reference missing -> the field stays empty and a `PendingLink` is stored in
  the same transaction; resolved at the end of the run.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import orjson
from django.db import connection, models, transaction
from django.db.utils import DataError, IntegrityError
from django.utils.text import slugify
from simple_history.utils import bulk_update_with_history

from ratsinfo.bodies.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.files.models import File, FileRole
from ratsinfo.lib.slugs import german_slug
from ratsinfo.meetings.models import AgendaItem, Meeting, MeetingState
from ratsinfo.oparl.importer.clean import Cleaner, type_of, validate
from ratsinfo.oparl.importer.fastwrite import (
    full_row,
    insert_with_history,
    write_links,
)
from ratsinfo.oparl.models import ImportSource, PendingLink, PendingObject
from ratsinfo.papers.models import (
    Consultation,
    ConsultationRole,
    Paper,
    PaperState,
    PaperType,
    reference_slug,
)
from ratsinfo.search.outbox import mark_objects

log = logging.getLogger("ratsinfo.oparl.import")

ORDER = ["Location", "Body", "LegislativeTerm", "Organization", "Person", "Membership", "Meeting",
         "AgendaItem", "Paper", "Consultation", "File"]
MODELS: dict[str, type[models.Model]] = {
    "Location": Location, "Body": Body, "LegislativeTerm": LegislativeTerm, "Organization": Organization,
    "Person": Person, "Membership": Membership, "Meeting": Meeting, "AgendaItem": AgendaItem,
    "Paper": Paper, "Consultation": Consultation, "File": File,
}
CHANGE_REASON = "OParl-Import"
CHUNK = 2000  # objects of one type written (and looked up) together
REF_PREFIX = "ref:"
FETCH = "oparl.fetch"  # PendingLink.model of an object only to be fetched, no field to set
SEEN_LIMIT = 1_000_000
KNOWN_LIMIT = 150_000
READ_TOO = {"File": ("content",)}  # stored columns the keep-hooks read beside the compared ones
# What bad data can provoke while writing; an unreachable database (OperationalError) is no
# bad data and ends the run, which the next run then resumes.
REJECTED = (IntegrityError, DataError, ValueError, TypeError, KeyError, AttributeError, OverflowError)


@dataclass
class Item:
    type: str
    obj: Any  # a ratsinfo.oparl.types model
    body_url: str
    parent_type: str | None = None
    parent_url: str | None = None
    role: str = ""
    position: int = 0
    group: int = 0  # index of the top-level object on its page


@dataclass
class FK:
    attname: str
    target: str
    url: str | None
    required: bool = False


@dataclass
class Mapped:
    values: dict[str, Any]
    fks: list[FK] = field(default_factory=list)
    m2m: dict[str, tuple[str, list[str]]] = field(default_factory=dict)


class Stats:
    KEYS = ("neu", "geändert", "gelöscht", "unverändert", "übersprungen")

    def __init__(self) -> None:
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)

    def add(self, type_name: str, key: str, n: int = 1) -> None:
        self.counts[type_name][key] += n

    def total(self, key: str | None = None) -> int:
        return sum(c[key] if key else sum(c.values()) for c in self.counts.values())

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {t: dict(c) for t, c in self.counts.items()}

    def table(self) -> str:
        lines = [f"{'Typ':<16}" + "".join(f"{k:>14}" for k in self.KEYS)]
        for type_name in ORDER:
            c = self.counts.get(type_name)
            if c:
                lines.append(f"{type_name:<16}" + "".join(f"{c[k]:>14}" for k in self.KEYS))
        return "\n".join(lines)


def _is_ref(obj: Any) -> bool:
    """Only an id (and type): a reference where the spec embeds the object."""
    return obj is None or not any(getattr(obj, k) for k in obj.model_fields_set if k not in ("id", "type"))


# ---------------------------------------------------------------- flattening

def flatten(type_name: str, obj: Any, body_url: str, out: list[Item], parent: tuple[str, str] | None = None,
            role: str = "", position: int = 0) -> None:
    """`obj` and everything embedded in it, parents before children."""
    item = Item(type_name, obj, body_url, parent[0] if parent else None, parent[1] if parent else None,
                role, position)
    out.append(item)
    me = (type_name, obj.id)

    def sub(t: str, child: Any, r: str = "", pos: int = 0, link: bool = True) -> None:
        if child is None:
            return
        if not _is_ref(child):
            flatten(t, child, body_url, out, me if link else None, r, pos)
        elif link:
            # referenced where the spec embeds (common on 1.0 servers): fetched at the end of
            # the run unless one of the lists brings it
            out.append(Item(REF_PREFIX + t, child, body_url, type_name, obj.id, r, pos))

    if type_name == "Body":
        for lt in obj.legislativeTerm:
            sub("LegislativeTerm", lt)
        sub("Location", obj.location, link=False)
    elif type_name == "Organization":
        sub("Location", obj.location, link=False)
    elif type_name == "Person":
        sub("Location", obj.locationObject, link=False)
        for m in obj.membership:
            sub("Membership", m)
    elif type_name == "Meeting":
        sub("Location", obj.location, link=False)
        for r, f in (("invitation", obj.invitation), ("results_protocol", obj.resultsProtocol),
                     ("verbatim_protocol", obj.verbatimProtocol)):
            sub("File", f, r)
        for i, f in enumerate(obj.auxiliaryFile):
            sub("File", f, FileRole.AUXILIARY, i)
        for i, ai in enumerate(obj.agendaItem):
            sub("AgendaItem", ai, "", i + 1)
    elif type_name == "AgendaItem":
        sub("File", obj.resolutionFile, FileRole.RESOLUTION)
        for i, f in enumerate(obj.auxiliaryFile):
            sub("File", f, FileRole.AUXILIARY, i)
    elif type_name == "Paper":
        sub("File", obj.mainFile, FileRole.MAIN)
        for i, f in enumerate(obj.auxiliaryFile):
            sub("File", f, FileRole.AUXILIARY, i + 1)
        for loc in obj.location:
            sub("Location", loc, link=False)
        for i, c in enumerate(obj.consultation):
            sub("Consultation", c, "", i + 1)


# ---------------------------------------------------------------- per-type mapping

def _common(o: Any, model: type[models.Model]) -> dict[str, Any]:
    v: dict[str, Any] = {"keywords": list(o.keyword)}
    if o.created is not None:
        v["created"] = o.created
    if o.modified is not None:
        v["modified"] = o.modified
    if o.license and _has_license(model):
        v["license"] = o.license
    return v


@cache
def _has_license(model: type[models.Model]) -> bool:
    return any(f.name == "license" for f in model._meta.concrete_fields)


def _s(value: str | None) -> str:
    return value or ""


def _body_fk(it: Item) -> FK:
    return FK("body_id", "Body", it.body_url, required=True)


def _parent_or(it: Item, parent_type: str, url: str | None) -> str | None:
    return it.parent_url if it.parent_type == parent_type else url


def _location_url(loc: Any) -> str | None:
    return loc.id if loc is not None else None


def _dates(v: dict[str, Any], start_key: str, end_key: str, url: str) -> None:
    if v.get(start_key) and v.get(end_key) and v[end_key] < v[start_key]:
        log.warning("OParl-Daten repariert: %s: Ende vor Beginn, Ende verworfen", url)
        v[end_key] = None


def guess_kind(name: str, classification: str, organization_type: str) -> str:
    """Our Gremium kind from OParl's organizationType, classification and the name."""
    for text in (classification, name):
        low = text.strip().lower()
        for kind in OrganizationKind:
            if low == kind.label.lower():
                return kind.value
    text = f"{classification} {name}".lower()
    otype = organization_type.lower()
    rules = [
        ("verwaltungsausschuss", OrganizationKind.VERWALTUNGSAUSSCHUSS),
        ("ortsrat", OrganizationKind.ORTSRAT),
        ("ortschaftsrat", OrganizationKind.ORTSRAT),
        ("stadtbezirksrat", OrganizationKind.ORTSRAT),
        ("sozialträgerkonferenz", OrganizationKind.SOZIALTRAEGERKONFERENZ),
        ("projektsteuerung", OrganizationKind.PROJEKTSTEUERUNGSGRUPPE),
        ("arbeitsgruppe", OrganizationKind.ARBEITSGRUPPE),
        ("arbeitskreis", OrganizationKind.ARBEITSGRUPPE),
        ("fraktion", OrganizationKind.FRAKTION),
        ("gruppe", OrganizationKind.GRUPPE),
        ("ausschuss", OrganizationKind.FACHAUSSCHUSS),
        ("fachbereich", OrganizationKind.FACHBEREICH),
        ("fachdienst", OrganizationKind.FACHBEREICH),
        ("amt", OrganizationKind.FACHBEREICH),
    ]
    for needle, kind in rules:
        if needle in text:
            return kind.value
    words = name.lower().split()
    if words and words[0] in {"rat", "stadtrat", "gemeinderat", "kreistag", "samtgemeinderat", "ratsversammlung"}:
        return OrganizationKind.RAT.value
    if "fraktion" in otype:
        return OrganizationKind.FRAKTION.value
    if "verwaltung" in otype:
        return OrganizationKind.VERWALTUNG.value
    if "extern" in otype or "institution" in otype:
        return OrganizationKind.EXTERN.value
    return OrganizationKind.SONSTIGE.value


@cache
def _choice_names(choices: type[models.TextChoices]) -> dict[str, str]:
    names = {str(c.label).lower(): str(c.value) for c in choices}
    return names | {str(c.value).lower(): str(c.value) for c in choices}


def _choice(value: str | None, choices: type[models.TextChoices], limit: int) -> str:
    if not value:
        return ""
    text = value.strip()
    return _choice_names(choices).get(text.lower()) or text[:limit]


def _meeting_state(value: str | None) -> str:
    if not value:
        return MeetingState.GEPLANT
    low = value.lower()
    if "durchgef" in low or "beendet" in low or "abgeschlossen" in low:
        return MeetingState.DURCHGEFUEHRT
    if "eingeladen" in low or "einladung" in low:
        return MeetingState.EINGELADEN
    if "terminiert" in low or "geplant" in low:
        return MeetingState.GEPLANT
    return value.strip()[:40]


def map_location(it: Item) -> Mapped:
    o = it.obj
    return Mapped({**_common(o, Location), "description": _s(o.description), "street_address": _s(o.streetAddress),
                   "room": _s(o.room), "postal_code": _s(o.postalCode), "sub_locality": _s(o.subLocality),
                   "locality": _s(o.locality), "geojson": o.geojson})


def map_body(it: Item) -> Mapped:
    o = it.obj
    name = o.name or o.shortName or "Gemeinde ohne Namen"
    v = {**_common(o, Body), "name": name, "short_name": _s(o.shortName), "website": _s(o.website),
         "license_valid_since": o.licenseValidSince, "oparl_since": o.oparlSince, "ags": _s(o.ags),
         "rgs": _s(o.rgs), "equivalent": list(o.equivalent), "contact_email": _s(o.contactEmail),
         "contact_name": _s(o.contactName), "classification": _s(o.classification)}
    return Mapped(v, [FK("location_id", "Location", _location_url(o.location))])


def map_term(it: Item) -> Mapped:
    o = it.obj
    v = {**_common(o, LegislativeTerm), "name": o.name or "Wahlperiode", "start_date": o.startDate,
         "end_date": o.endDate}
    _dates(v, "start_date", "end_date", o.id)
    body = _parent_or(it, "Body", o.body) or it.body_url
    return Mapped(v, [FK("body_id", "Body", body, required=True)])


def map_organization(it: Item) -> Mapped:
    o = it.obj
    name = o.name or o.shortName or "Gremium ohne Namen"
    kind = guess_kind(name, _s(o.classification), _s(o.organizationType))
    v = {**_common(o, Organization), "name": name, "short_name": _s(o.shortName), "kind": kind,
         "classification": _s(o.classification), "posts": list(o.post), "start_date": o.startDate,
         "end_date": o.endDate, "website": _s(o.website), "external_body": _s(o.externalBody),
         "meetings_public": kind != OrganizationKind.VERWALTUNGSAUSSCHUSS}
    return Mapped(v, [_body_fk(it), FK("parent_id", "Organization", o.subOrganizationOf),
                      FK("location_id", "Location", _location_url(o.location))])


def map_person(it: Item) -> Mapped:
    o = it.obj
    name = o.name or " ".join(p for p in [*o.title, o.givenName or "", o.familyName or ""] if p) or "Unbekannt"
    v = {**_common(o, Person), "name": name, "family_name": _s(o.familyName), "given_name": _s(o.givenName),
         "form_of_address": _s(o.formOfAddress), "affix": _s(o.affix), "titles": list(o.title),
         "gender": _s(o.gender), "phone": list(o.phone), "email": list(o.email), "status": list(o.status),
         "life": _s(o.life), "life_source": _s(o.lifeSource)}
    loc = o.locationObject.id if o.locationObject is not None else o.location
    return Mapped(v, [_body_fk(it), FK("location_id", "Location", loc)])


def map_membership(it: Item) -> Mapped:
    o = it.obj
    v = {**_common(o, Membership), "role": _s(o.role),
         "voting_right": True if o.votingRight is None else o.votingRight,
         "start_date": o.startDate, "end_date": o.endDate}
    _dates(v, "start_date", "end_date", o.id)
    return Mapped(v, [FK("person_id", "Person", _parent_or(it, "Person", o.person), required=True),
                      FK("organization_id", "Organization", o.organization, required=True),
                      FK("on_behalf_of_id", "Organization", o.onBehalfOf)])


def map_meeting(it: Item) -> Mapped:
    o = it.obj
    v = {**_common(o, Meeting), "name": o.name or "Sitzung", "meeting_state": _meeting_state(o.meetingState),
         "cancelled": bool(o.cancelled), "start": o.start, "end": o.end}
    _dates(v, "start", "end", o.id)
    return Mapped(v, [FK("location_id", "Location", _location_url(o.location))],
                  {"organizations": ("Organization", list(o.organization)),
                   "participants": ("Person", list(o.participant))})


def map_agenda_item(it: Item) -> Mapped:
    o = it.obj
    v = {**_common(o, AgendaItem), "number": _s(o.number), "order": max(_wanted_order(it), 0),
         "name": o.name or o.number or "Tagesordnungspunkt", "public": True if o.public is None else o.public,
         "result": _s(o.result), "resolution_text": _s(o.resolutionText), "start": o.start, "end": o.end}
    return Mapped(v, [FK("meeting_id", "Meeting", _parent_or(it, "Meeting", o.meeting), required=True)])


def map_paper(it: Item) -> Mapped:
    o = it.obj
    v = {**_common(o, Paper), "name": o.name or o.reference or "Vorlage ohne Betreff",
         "reference": _s(o.reference).strip(), "date": o.date,
         "paper_type": _choice(o.paperType, PaperType, 60), "public": True, "state": PaperState.FREIGEGEBEN}
    # Published at the source (OParl carries only public papers); without a date: when imported.
    if o.created is not None or o.modified is not None:
        v["published_at"] = o.created or o.modified
    return Mapped(v, [_body_fk(it)], {
        "under_direction_of": ("Organization", list(o.underDirectionOf)),
        "originator_persons": ("Person", list(o.originatorPerson)),
        "originator_organizations": ("Organization", list(o.originatorOrganization)),
        "related_papers": ("Paper", list(o.relatedPaper)),
        "superordinated_papers": ("Paper", list(o.superordinatedPaper)),
        "locations": ("Location", [loc.id for loc in o.location]),
    })


def map_consultation(it: Item) -> Mapped:
    o = it.obj
    role = _choice(o.role, ConsultationRole, 40)
    v = {**_common(o, Consultation), "role": role,
         "authoritative": bool(o.authoritative) or role == ConsultationRole.ENTSCHEIDUNG}
    if it.parent_type == "Paper":
        v["order"] = it.position
    org = o.organization[0] if o.organization else None
    return Mapped(v, [FK("paper_id", "Paper", _parent_or(it, "Paper", o.paper), required=True),
                      FK("organization_id", "Organization", org), FK("meeting_id", "Meeting", o.meeting),
                      FK("agenda_item_id", "AgendaItem", o.agendaItem)])


def map_file(it: Item) -> Mapped:
    o = it.obj
    access = o.accessUrl or o.downloadUrl or ""
    file_name = o.fileName or (access.rstrip("/").rsplit("/", 1)[-1] if access else "") or o.name or "datei"
    v = {**_common(o, File), "name": _s(o.name), "file_name": file_name, "mime_type": _s(o.mimeType),
         "date": o.date, "size": o.size, "sha512": _s(o.sha512Checksum), "text": _s(o.text),
         "external_access_url": access, "public": True}
    if o.fileLicense:
        v["license"] = o.fileLicense
    fks = [_body_fk(it)]
    links = {"Paper": ("paper_id", o.paper), "Meeting": ("meeting_id", o.meeting),
             "AgendaItem": ("agenda_item_id", o.agendaItem)}
    if it.parent_type in links:
        v["role"] = it.role or FileRole.AUXILIARY
        v["order"] = it.position
        fks.append(FK(links[it.parent_type][0], it.parent_type, it.parent_url))
    else:
        for target, (attname, urls) in links.items():
            if urls:
                fks.append(FK(attname, target, urls[0]))
    return Mapped(v, fks)


MAPPERS: dict[str, Callable[[Item], Mapped]] = {
    "Location": map_location, "Body": map_body, "LegislativeTerm": map_term, "Organization": map_organization,
    "Person": map_person, "Membership": map_membership, "Meeting": map_meeting, "AgendaItem": map_agenda_item,
    "Paper": map_paper, "Consultation": map_consultation, "File": map_file,
}


def _limits(model: type[models.Model]) -> dict[str, int]:
    return {f.attname: f.max_length for f in model._meta.concrete_fields
            if isinstance(f, models.CharField) and f.max_length}


LIMITS = {name: _limits(model) for name, model in MODELS.items()}


# ---------------------------------------------------------------- applying


class Deferred(Exception):
    pass


class Row(dict):  # type: ignore[type-arg]
    """Field values by attname with attribute access (what the uniqueness hooks read)."""

    def __getattr__(self, name: str) -> Any:
        if name == "pk":
            return self.get("pk")
        try:
            return self[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


class Applier:
    """Writes pages of OParl objects. Call `apply_page` inside a transaction."""

    def __init__(self, source: ImportSource, stats: Stats, cleaner: Cleaner | None = None) -> None:
        self.source = source
        self.stats = stats
        self.cleaner = cleaner or Cleaner()
        self.seen: set[int] = set()
        self.aliases: dict[str, str] = dict(source.aliases.values_list("url", "target_url")[:100_000])
        self.page_pks: dict[str, dict[str, int]] = defaultdict(dict)
        # url -> pk of what earlier pages of this run wrote or found (saves a query per reference)
        self.known: dict[str, dict[str, int]] = defaultdict(dict)
        # Types of which no imported row existed when the run began (a first import): every row
        # of them with a source_url was written by this run and is in `known`, so a url not in
        # `known` needs no query. Dropped when `known` forgets or a page goes one by one.
        self.fresh: set[str] = {name for name, model in MODELS.items()
                                if not model._base_manager.filter(source_url__isnull=False).exists()}

    # -- entry points

    def _fingerprint(self, raw: Any) -> int | None:
        try:
            return hash(orjson.dumps(raw, option=orjson.OPT_SORT_KEYS))
        except (TypeError, orjson.JSONEncodeError):
            return None

    def _remember(self, raw: dict[str, Any], fp: int | None) -> None:
        """Note `raw` and every object embedded in it as applied in this run."""
        if len(self.seen) > SEEN_LIMIT:
            self.seen.clear()  # bounded memory: later duplicates are merely compared in the database
        if fp is not None:
            self.seen.add(fp)
        for value in raw.values():
            for sub in value if isinstance(value, list) else (value,):
                if isinstance(sub, dict) and "id" in sub:
                    self._remember(sub, self._fingerprint(sub))

    def parse(self, raw_objects: Iterable[Any], expected: str | None, body_url: str, where: str) -> list[Item]:
        items: list[Item] = []
        for n, raw in enumerate(raw_objects):
            fp = self._fingerprint(raw) if isinstance(raw, dict) else None
            if fp is not None and fp in self.seen:
                # the same object, byte for byte, was applied earlier in this run (embedded
                # elsewhere or repeated across pages): nothing to do
                self.stats.add(type_of(raw) or expected or "unbekannt", "unverändert")
                continue
            try:
                data = self.cleaner.clean(raw, expected, where=f"{where} [Eintrag {n + 1}]")
                if data is None:
                    self.stats.add(expected or "unbekannt", "übersprungen")
                    continue
                type_name = data["type"].rsplit("/", 1)[-1]
                obj = validate(type_name, data, self.cleaner)
                if obj is None:
                    self.stats.add(type_name, "übersprungen")
                    continue
                start = len(items)
                flatten(type_name, obj, body_url, items)
            except REJECTED as exc:  # never crash on bad input
                log.warning("OParl-Objekt übersprungen: %s [Eintrag %s]: unlesbar: %s: %s", where, n + 1,
                            type(exc).__name__, exc)
                self.stats.add(expected or "unbekannt", "übersprungen")
                continue
            self._remember(raw, fp)
            for it in items[start:]:
                it.group = n
        return items

    def apply_page(self, raw_objects: list[Any], expected: str | None, body_url: str, where: str) -> int:
        """Apply one page; returns the number of objects seen (with embedded ones)."""
        items = self.parse(raw_objects, expected, body_url, where)
        self.apply_items(items, where)
        return sum(1 for it in items if not it.type.startswith(REF_PREFIX))

    def apply_items(self, items: list[Item], where: str) -> None:
        try:
            with transaction.atomic():
                saved = self.stats.counts
                self.stats.counts = defaultdict(Counter, {k: Counter(v) for k, v in saved.items()})
                self._apply(items)
            self._keep_known()
        except REJECTED as exc:
            self.stats.counts = saved
            self.fresh.clear()  # what goes through one by one is not remembered in `known`
            log.warning("OParl-Seite %s ließ sich nicht am Stück schreiben (%s); einzeln weiter", where, exc)
            self._apply_one_by_one(items)

    def _apply_one_by_one(self, items: list[Item]) -> None:
        # Top-level objects with their embedded children, each in its own savepoint.
        by_group: dict[int, list[Item]] = defaultdict(list)
        for it in items:
            by_group[it.group].append(it)
        groups = list(by_group.values())
        for group in groups:
            saved = {k: Counter(v) for k, v in self.stats.counts.items()}
            try:
                with transaction.atomic():
                    self._apply(group)
            except REJECTED as exc:
                self.stats.counts = defaultdict(Counter, saved)
                log.warning("OParl-Objekt übersprungen: %s: nicht speicherbar: %s: %s", group[0].obj.id,
                            type(exc).__name__, exc)
                self.stats.add(group[0].type, "übersprungen")

    def _apply(self, items: list[Item]) -> None:
        self.page_pks = defaultdict(dict)
        by_type: dict[str, list[Item]] = defaultdict(list)
        seen: set[tuple[str, str]] = set()
        for it in items:
            key = (it.type, it.obj.id)
            if key in seen:
                continue  # the same object twice on one page (embedded in several places)
            seen.add(key)
            by_type[it.type].append(it)
        for type_name in ORDER:
            if by_type.get(type_name):
                for start in range(0, len(by_type[type_name]), CHUNK):
                    self._apply_group(type_name, by_type[type_name][start:start + CHUNK])
        fetch: list[PendingLink] = []
        for ref_type in [t for t in by_type if t.startswith(REF_PREFIX)]:
            target = ref_type.removeprefix(REF_PREFIX)
            urls = {it.obj.id for it in by_type[ref_type]}
            known = self.resolve(target, urls)
            fetch += [PendingLink(source=self.source, model=FETCH, object_id=0, field="", target_type=target,
                                  target_url=u) for u in sorted(urls - set(known))]
        if fetch:
            PendingLink.objects.bulk_create(fetch)

    # -- lookups

    def resolve(self, type_name: str, urls: Iterable[str]) -> dict[str, int]:
        known = self.page_pks[type_name]
        found: dict[str, int] = {}
        todo: dict[str, str] = {}
        for url in urls:
            real = self.aliases.get(url, url)
            if real in known:
                found[url] = known[real]
            else:
                todo[real] = url
        if todo:
            cached = self.known[type_name]
            for real in [r for r in todo if r in cached]:
                found[todo.pop(real)] = cached[real]
        if todo and type_name not in self.fresh:
            table = connection.ops.quote_name(MODELS[type_name]._meta.db_table)
            keys = list(todo)
            with connection.cursor() as cursor:
                for start in range(0, len(keys), CHUNK):
                    chunk = keys[start:start + CHUNK]
                    cursor.execute(f"SELECT source_url, id FROM {table} "  # table name from the model
                                   f"WHERE source_url IN ({', '.join(['%s'] * len(chunk))})", chunk)
                    for src, pk in cursor.fetchall():
                        found[todo[src]] = pk
        return found

    def _keep_known(self) -> None:
        """Remember the pks written by a page that went through whole (bounded memory)."""
        if sum(len(v) for v in self.known.values()) > KNOWN_LIMIT:
            self.known.clear()
            self.fresh.clear()
        for type_name, pks in self.page_pks.items():
            self.known[type_name].update(pks)

    # -- the core

    def _apply_group(self, type_name: str, items: list[Item]) -> None:
        model = MODELS[type_name]
        mapped = [(it, MAPPERS[type_name](it)) for it in items]
        compare = sorted({k for _it, m in mapped for k in m.values} | {fk.attname for _it, m in mapped for fk in m.fks})
        existing: dict[str, Row] = {}
        # which of these exist at all (one plain query; on a first import none do), then their
        # stored values through the ORM (decoded JSON, aware datetimes) for the comparison
        urls = list(self.resolve(type_name, [it.obj.id for it in items]))
        names = ["pk", "source_url", "deleted", *compare, *READ_TOO.get(type_name, ())]
        for values in (model._default_manager.filter(source_url__in=urls).values_list(*names) if urls else ()):
            row = Row(zip(names, values, strict=True))
            existing[row["source_url"]] = row
        need: dict[str, set[str]] = defaultdict(set)
        for _it, m in mapped:
            for fk in m.fks:
                if fk.url:
                    need[fk.target].add(fk.url)
        resolved = {t: self.resolve(t, u) for t, u in need.items()}
        limits = LIMITS[type_name]
        new: list[Row] = []
        changes: dict[int, dict[str, Any]] = {}
        links: list[tuple[Any, FK]] = []
        m2m_work: list[tuple[Any, Mapped, str]] = []
        keep = KEEP_REPAIRED.get(type_name)
        for it, m in mapped:
            url = it.obj.id
            ex = existing.get(url)
            if it.obj.deleted:
                if ex is not None and not ex["deleted"]:
                    changes[ex.pk] = {"deleted": True, **({"modified": m.values["modified"]}
                                                          if "modified" in m.values else {})}
                    self.stats.add(type_name, "gelöscht")
                if ex is not None:
                    self.page_pks[type_name][url] = ex.pk
                continue
            values = m.values
            for key, limit in limits.items():
                value = values.get(key)
                if isinstance(value, str) and len(value) > limit:
                    log.warning("OParl-Daten repariert: %s: Feld %s auf %s Zeichen gekürzt", url, key, limit)
                    values[key] = value[:limit]
            missing_links: list[FK] = []
            try:
                for fk in m.fks:
                    pk = resolved.get(fk.target, {}).get(fk.url) if fk.url else None
                    if pk is None and fk.url:
                        if fk.required:
                            raise Deferred(fk.url)
                        missing_links.append(fk)
                    values[fk.attname] = pk
            except Deferred as missing:
                self.defer(it, str(missing))
                continue
            if ex is None:
                row = Row(full_row(model, values))
                row["source_url"] = url
                new.append(row)
                status = "neu"
                target: Any = row
            else:
                if keep is not None:
                    keep(values, ex, m, mapped)
                diff = {k: v for k, v in values.items() if ex[k] != v}
                if ex["deleted"]:
                    diff["deleted"] = False
                if diff:
                    if log.isEnabledFor(logging.DEBUG):
                        log.debug("geändert: %s: %s", url, {k: (ex.get(k), v) for k, v in diff.items()})
                    changes[ex.pk] = diff
                    status = "geändert"
                else:
                    status = "unverändert"
                target = ex
            self.stats.add(type_name, status)
            links += [(target, fk) for fk in missing_links]
            if m.m2m:
                m2m_work.append((target, m, status))
        changed: list[Any] = []
        changed_fields: set[str] = set()
        if changes:
            for obj in model._default_manager.filter(pk__in=list(changes)):
                for key, value in changes[obj.pk].items():
                    setattr(obj, key, value)
                changed.append(obj)
                changed_fields.update(changes[obj.pk])
        hook = BEFORE_WRITE.get(type_name)
        if hook is not None:
            hook(self, new, changed, changed_fields)
        if changed:
            bulk_update_with_history(changed, model, sorted(changed_fields), batch_size=CHUNK,
                                     default_change_reason=CHANGE_REASON)
        if new:
            for row, pk in zip(new, insert_with_history(model, new, CHANGE_REASON), strict=True):
                row["pk"] = pk
        known = self.page_pks[type_name]
        for row in new:
            known[row["source_url"]] = row.pk
        for url, ex in existing.items():
            known.setdefault(url, ex.pk)
        if links:
            PendingLink.objects.bulk_create([
                PendingLink(source=self.source, model=model._meta.label, object_id=obj.pk, field=fk.attname,
                            target_type=fk.target, target_url=fk.url or "")
                for obj, fk in links
            ])
        relinked: set[int] = set()
        if m2m_work:
            relinked = self._apply_m2m(type_name, model, m2m_work)
        # written without save(): the search index learns of it here, in this transaction
        mark_objects(model, [*changes, *(row.pk for row in new), *relinked])

    def _apply_m2m(self, type_name: str, model: type[models.Model], work: list[tuple[Any, Mapped, str]]) -> set[int]:
        """Write the many-to-many links; returns the objects changed only by their links."""
        fields = list(work[0][1].m2m)
        status_of: dict[int, str] = {}
        pending: list[PendingLink] = []
        for name in fields:
            f = model._meta.get_field(name)
            through = f.remote_field.through  # type: ignore[union-attr]
            src, dst = f.m2m_field_name(), f.m2m_reverse_field_name()  # type: ignore[union-attr]
            target = work[0][1].m2m[name][0]
            symmetrical = bool(getattr(f.remote_field, "symmetrical", False))
            all_urls = {u for _o, m, _n in work for u in m.m2m[name][1]}
            resolved = self.resolve(target, all_urls) if all_urls else {}
            old_ids = [o.pk for o, _m, status in work if status != "neu"]
            current: dict[int, set[int]] = defaultdict(set)
            if old_ids:
                for a, b in through._default_manager.filter(**{f"{src}_id__in": old_ids}).values_list(
                        f"{src}_id", f"{dst}_id"):
                    current[a].add(b)
            delete_ids: list[int] = []
            rows: list[Any] = []
            pairs: list[tuple[int, int]] = []  # new link rows where nothing can conflict
            for obj, m, status in work:
                status = status_of.get(obj.pk, status)
                want: set[int] = set()
                for u in m.m2m[name][1]:
                    pk = resolved.get(u)
                    if pk is None:
                        pending.append(PendingLink(source=self.source, model=model._meta.label, object_id=obj.pk,
                                                   field=name, target_type=target, target_url=u))
                    else:
                        want.add(pk)
                have = current.get(obj.pk, set())
                if symmetrical:
                    # related papers: only add; the other side may not list the relation
                    add = want - have
                    rows += [through(**{f"{src}_id": obj.pk, f"{dst}_id": b}) for b in add]
                    rows += [through(**{f"{src}_id": b, f"{dst}_id": obj.pk}) for b in add if b != obj.pk]
                elif want != have:
                    if have:
                        delete_ids.append(obj.pk)
                    pairs += [(obj.pk, b) for b in want]
                if status == "unverändert" and (want - have if symmetrical else want != have):
                    self.stats.add(type_name, "unverändert", -1)
                    self.stats.add(type_name, "geändert")
                    status_of[obj.pk] = "geändert"
            if delete_ids:
                through._default_manager.filter(**{f"{src}_id__in": delete_ids}).delete()
            if rows:
                through._default_manager.bulk_create(rows, batch_size=CHUNK, ignore_conflicts=True)
            if pairs:
                write_links(through, f"{src}_id", f"{dst}_id", pairs)
        if pending:
            PendingLink.objects.bulk_create(pending, batch_size=CHUNK)
        return set(status_of)

    def defer(self, it: Item, missing: str) -> None:
        data = it.obj.model_dump(mode="json")
        data["_parent"] = {"type": it.parent_type, "url": it.parent_url, "role": it.role, "position": it.position}
        PendingObject.objects.update_or_create(
            source=self.source, url=it.obj.id,
            defaults={"type_name": it.type, "data": data, "body_url": it.body_url, "missing": missing[:500]},
        )
        self.stats.add(it.type, "zurückgestellt")

    def item_from_pending(self, pending: PendingObject) -> Item | None:
        data = dict(pending.data)
        parent = data.pop("_parent", {}) or {}
        obj = validate(pending.type_name, data, self.cleaner)
        if obj is None:
            return None
        return Item(pending.type_name, obj, pending.body_url, parent.get("type"), parent.get("url"),
                    parent.get("role") or "", int(parent.get("position") or 0))


# ---------------------------------------------------------------- uniqueness hooks


def _taken(model: type[models.Model], field: str, candidates: set[str]) -> set[str]:
    found: set[str] = set()
    values = list(candidates)
    for start in range(0, len(values), CHUNK):
        found.update(model._default_manager.filter(**{f"{field}__in": values[start:start + CHUNK]})
                     .values_list(field, flat=True))
    return found


def _assign_slugs(model: type[models.Model], objs: list[Any], base_of: Callable[[Any], str]) -> None:
    todo = [o for o in objs if not o.slug]
    if not todo:
        return
    bases = {o.pk or id(o): (base_of(o) or "eintrag")[:185] for o in todo}
    taken = _taken(model, "slug", set(bases.values()))
    for o in todo:
        base = bases[o.pk or id(o)]
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
            if candidate not in taken and model._default_manager.filter(slug=candidate).exists():
                taken.add(candidate)
        taken.add(candidate)
        o.slug = candidate


def _before_body(applier: Applier, new: list[Any], changed: list[Any], fields: set[str]) -> None:
    _assign_slugs(Body, new, lambda o: german_slug(o.short_name or o.name) or "gemeinde")


def _before_org(applier: Applier, new: list[Any], changed: list[Any], fields: set[str]) -> None:
    _assign_slugs(Organization, new, lambda o: slugify(o.short_name or o.name))


def _before_person(applier: Applier, new: list[Any], changed: list[Any], fields: set[str]) -> None:
    _assign_slugs(Person, new, lambda o: slugify(o.name))


def _before_paper(applier: Applier, new: list[Any], changed: list[Any], fields: set[str]) -> None:
    # Paper.reference is unique per body; real servers repeat references. The later paper
    # keeps its number with a visible suffix " (2)", so nothing is lost and re-imports agree.
    objs = [o for o in [*changed, *new] if o.reference]
    if objs and (new or "reference" in fields):
        taken: dict[tuple[int, str], int | None] = {}
        refs = {o.reference for o in objs}
        for pk, body_id, ref in Paper.objects.filter(body_id__in={o.body_id for o in objs},
                                                     reference__in=refs).values_list("pk", "body_id", "reference"):
            taken[(body_id, ref)] = pk
        for o in objs:
            base, n = o.reference, 1
            while taken.get((o.body_id, o.reference), o.pk) != o.pk or (
                    o.pk is None and (o.body_id, o.reference) in taken):
                n += 1
                o.reference = f"{base[:92]} ({n})"
                if (o.body_id, o.reference) not in taken:
                    row = Paper.objects.filter(body_id=o.body_id, reference=o.reference).values_list("pk", flat=True).first()
                    if row is not None:
                        taken[(o.body_id, o.reference)] = row
            if n > 1:
                log.warning("OParl-Daten repariert: %s: Vorlagen-Nr. %r doppelt, gespeichert als %r",
                            o.source_url, base, o.reference)
                fields.add("reference")
            taken[(o.body_id, o.reference)] = o.pk
    _assign_slugs(Paper, new, lambda o: reference_slug(o.reference) if o.reference else slugify(o.name)[:60] or "vorlage")


def _before_agenda_item(applier: Applier, new: list[Any], changed: list[Any], fields: set[str]) -> None:
    # (meeting, order) is unique; real servers repeat or omit orders, and reorder items.
    objs = [*changed, *new]
    if not objs or (not new and "order" not in fields and "meeting_id" not in fields):
        return
    batch_pks = {o.pk for o in changed}
    meeting_ids = {o.meeting_id for o in objs}
    others: dict[int, dict[int, int]] = defaultdict(dict)  # meeting -> order -> pk (rows not in batch)
    max_order: dict[int, int] = defaultdict(int)
    for pk, meeting_id, order in AgendaItem.objects.filter(meeting_id__in=meeting_ids).values_list(
            "pk", "meeting_id", "order"):
        max_order[meeting_id] = max(max_order[meeting_id], order)
        if pk not in batch_pks:
            others[meeting_id][order] = pk
    used: dict[int, set[int]] = defaultdict(set)
    moves: list[AgendaItem] = []
    for o in objs:
        max_order[o.meeting_id] = max(max_order[o.meeting_id], o.order)
    for o in objs:
        if o.order in used[o.meeting_id]:
            max_order[o.meeting_id] += 1
            log.warning("OParl-Daten repariert: %s: Reihenfolge %s doppelt, neu %s", o.source_url, o.order,
                        max_order[o.meeting_id])
            o.order = max_order[o.meeting_id]
            fields.add("order")
        used[o.meeting_id].add(o.order)
        blocker = others[o.meeting_id].pop(o.order, None)
        if blocker is not None:
            max_order[o.meeting_id] += 1
            moves.append(AgendaItem(pk=blocker, order=max_order[o.meeting_id]))
    if moves:
        AgendaItem.objects.bulk_update(moves, ["order"])
    if changed and "order" in fields:
        # park changed rows on free numbers first: unique checks run row by row
        parked = [AgendaItem(pk=o.pk, order=1_000_000 + i) for i, o in enumerate(changed)]
        AgendaItem.objects.bulk_update(parked, ["order"])


def _before_consultation(applier: Applier, new: list[Any], changed: list[Any], fields: set[str]) -> None:
    # agenda_item is one-to-one: a second consultation claiming the same item loses the link
    objs = [o for o in [*changed, *new] if o.agenda_item_id]
    if not objs:
        return
    holders = dict(Consultation.objects.filter(agenda_item_id__in={o.agenda_item_id for o in objs})
                   .values_list("agenda_item_id", "pk"))
    for o in objs:
        holder = holders.get(o.agenda_item_id)
        if holder is not None and holder != o.pk:
            log.warning("OParl-Daten repariert: %s: Tagesordnungspunkt schon einer anderen Beratung zugeordnet",
                        o.source_url)
            o.agenda_item_id = None
            fields.add("agenda_item_id")
        else:
            holders[o.agenda_item_id] = o.pk if o.pk is not None else -id(o)


def _keep_paper(values: dict[str, Any], obj: Any, current: Mapped, batch: list[tuple[Item, Mapped]]) -> None:
    # a reference stored with a repair suffix stays as it is
    ref = values.get("reference")
    if ref and obj.reference != ref and re.fullmatch(re.escape(ref[:92]) + r" \(\d+\)", obj.reference):
        values["reference"] = obj.reference


def _wanted_order(it: Item) -> int:
    return it.obj.order if "order" in it.obj.model_fields_set else it.position


def _meeting_url(m: Mapped) -> str | None:
    return next((fk.url for fk in m.fks if fk.attname == "meeting_id"), None)


def _keep_agenda_item(values: dict[str, Any], obj: Any, current: Mapped, batch: list[tuple[Item, Mapped]]) -> None:
    # an order that the source gives twice in one meeting keeps its repaired number
    wanted = values.get("order")
    if wanted == obj.order:
        return
    meeting = _meeting_url(current)
    same = [_wanted_order(it) for it, m in batch if _meeting_url(m) == meeting]
    if wanted is not None and same.count(wanted) > 1 and obj.order not in same:
        values["order"] = obj.order


def _keep_file(values: dict[str, Any], obj: Any, current: Mapped, batch: list[tuple[Item, Mapped]]) -> None:
    # size and checksum the server does not give are those of the copied bytes (--with-files)
    if obj.content:
        if values.get("size") is None:
            values["size"] = obj.size
        if not values.get("sha512"):
            values["sha512"] = obj.sha512


KEEP_REPAIRED: dict[str, Callable[[dict[str, Any], Any, Mapped, list[tuple[Item, Mapped]]], None]] = {
    "Paper": _keep_paper, "AgendaItem": _keep_agenda_item, "File": _keep_file,
}

BEFORE_WRITE: dict[str, Callable[[Applier, list[Any], list[Any], set[str]], None]] = {
    "Body": _before_body, "Organization": _before_org, "Person": _before_person, "Paper": _before_paper,
    "AgendaItem": _before_agenda_item, "Consultation": _before_consultation,
}


