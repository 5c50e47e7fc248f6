"""Master data of the council office: Gremien with their Sitzungsregeln, Personen, Mitgliedschaften, Orte.

One typed service per change, each in one transaction; every refusal is a `MasterDataError` with a
German message (and the form field it belongs to). The staff screens, the demo and tests call these.

Optimistic lock: a screen shows `version_of(obj)` (the row's `modified` in microseconds) and sends it
back; a save whose row was changed in between is refused, so two people editing the same Gremium or
Person never silently overwrite each other. Memberships are never deleted: ending one sets its end date.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q

from ratsinfo.bodies.models import (
    GROUP_KINDS,
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.lib.models import OParlObject
from ratsinfo.meetings.models import GremiumRules, Signatory

T = TypeVar("T", bound=OParlObject)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# The fixed items' places in the agenda (meetings.planning reads "start" and "end").
PLACES = {"start": "am Anfang", "end": "am Ende"}


class MasterDataError(ValueError):
    """A master-data change was refused; the message is German and meant for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # the form field the message belongs to, if any


# --- optimistic lock -----------------------------------------------------------------------------


def version_of(obj: OParlObject) -> int:
    """The edit stamp a form carries: `modified` to the microsecond (set on every save)."""
    return (obj.modified - EPOCH) // timedelta(microseconds=1)


def _locked(model: type[T], pk: int, expected_version: int | None, what: str) -> T:
    fresh = model._default_manager.select_for_update().get(pk=pk)
    if expected_version is not None and version_of(fresh) != expected_version:
        raise MasterDataError(
            f"{what} wurde inzwischen von jemand anderem geändert. Ihre Änderungen wurden nicht gespeichert; "
            "bitte die Seite neu laden und erneut ändern.",
            field="version",
        )
    return fresh


def _check_period(start: date | None, end: date | None, end_field: str = "end_date") -> None:
    if start and end and end < start:
        raise MasterDataError("Das Ende darf nicht vor dem Beginn liegen.", field=end_field)


def active_memberships_q(day: date) -> Q:
    return overlapping_q(day, day)


def after_person_q(last: Person) -> Q:
    """Keyset: the persons after `last` in the order (family name, name, id)."""
    return (
        Q(family_name__gt=last.family_name)
        | Q(family_name=last.family_name, name__gt=last.name)
        | Q(family_name=last.family_name, name=last.name, pk__gt=last.pk)
    )


def covering_q(start: date | None, end: date | None) -> Q:
    """Rows whose period contains all of [start, end] (open ends = unbounded)."""
    q = Q(start_date__isnull=True) if start is None else Q(start_date__isnull=True) | Q(start_date__lte=start)
    return q & (Q(end_date__isnull=True) if end is None else Q(end_date__isnull=True) | Q(end_date__gte=end))


def overlapping_q(start: date | None, end: date | None) -> Q:
    """Rows whose [start_date, end_date] (open ends = unbounded) meet [start, end]."""
    q = Q()
    if end is not None:
        q &= Q(start_date__isnull=True) | Q(start_date__lte=end)
    if start is not None:
        q &= Q(end_date__isnull=True) | Q(end_date__gte=start)
    return q


# --- Gremien -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GremiumFields:
    name: str
    short_name: str = ""
    kind: str = OrganizationKind.SONSTIGE
    parent: Organization | None = None
    start_date: date | None = None
    end_date: date | None = None
    predecessor: Organization | None = None
    meetings_public: bool = True
    council_members_listen: bool | None = None
    extra_audiences: tuple[Organization, ...] = ()
    former_member_access_days: int = 0
    website: str = ""
    location: Location | None = None


def term_of(organization: Organization) -> LegislativeTerm | None:
    """The Wahlperiode a Gremium belongs to: the term its start date falls in (Gremien carry no term field)."""
    terms = LegislativeTerm.objects.alive().filter(body_id=organization.body_id)
    if organization.start_date is None:
        return None
    return terms.filter(overlapping_q(organization.start_date, organization.start_date)).order_by("-start_date").first()


@transaction.atomic
def save_gremium(
    body: Body, data: GremiumFields, *, organization: Organization | None = None, expected_version: int | None = None
) -> Organization:
    """Create (organization=None) or change a Gremium. Refused: no name, end before start, a short name
    another Gremium of the Gemeinde uses in the same period (Wahlperiode), itself as parent or predecessor."""
    if organization is not None:
        organization = _locked(Organization, organization.pk, expected_version, "Das Gremium")
        body = organization.body
    name = data.name.strip()
    if not name:
        raise MasterDataError("Bitte einen Namen angeben.", field="name")
    _check_period(data.start_date, data.end_date)
    short_name = data.short_name.strip()
    if short_name:
        same = Organization.objects.alive().filter(body=body, short_name__iexact=short_name).filter(
            overlapping_q(data.start_date, data.end_date)
        )
        if organization is not None:
            same = same.exclude(pk=organization.pk)
        if clash := same.first():
            raise MasterDataError(
                f"Den Kurznamen „{short_name}“ trägt in diesem Zeitraum schon das Gremium „{clash.name}“ "
                "(Kurznamen sind je Gemeinde und Wahlperiode eindeutig).",
                field="short_name",
            )
    for field_name, other, label in (("parent", data.parent, "übergeordnet"), ("predecessor", data.predecessor, "fortgeführt aus")):
        if other is None:
            continue
        if organization is not None and other.pk == organization.pk:
            raise MasterDataError(f"Ein Gremium kann nicht sich selbst als „{label}“ haben.", field=field_name)
        if other.body_id != body.pk:
            raise MasterDataError("Das gewählte Gremium gehört zu einer anderen Gemeinde.", field=field_name)
    if data.predecessor is not None and data.start_date and data.predecessor.start_date and (
        data.predecessor.start_date >= data.start_date
    ):
        raise MasterDataError("Das fortgeführte Gremium muss vor diesem begonnen haben.", field="predecessor")
    if data.kind == OrganizationKind.VERWALTUNGSAUSSCHUSS and data.meetings_public:
        raise MasterDataError(
            "Sitzungen des Verwaltungsausschusses sind nie öffentlich (§ 78 Abs. 2 NKomVG).", field="meetings_public"
        )
    if organization is not None and organization.pk in {o.pk for o in data.extra_audiences}:
        raise MasterDataError("Das Gremium selbst ist keine weitere Zuhörerschaft.", field="extra_audiences")
    target = organization or Organization(body=body)
    for attr in ("kind", "parent", "start_date", "end_date", "predecessor", "meetings_public", "council_members_listen",
                 "former_member_access_days", "website", "location"):
        setattr(target, attr, getattr(data, attr))
    target.name, target.short_name = name, short_name
    target.save()
    target.extra_audiences.set(data.extra_audiences)
    return target


@dataclass(frozen=True)
class RulesFields:
    invitation_period_days: int = 7
    signatory: str = ""
    signatory_name: str = ""
    statutory_members: int | None = None
    hybrid_allowed: bool = False
    nkomvg_checks: bool | None = None


@transaction.atomic
def save_rules(organization: Organization, data: RulesFields, *, expected_version: int | None = None) -> GremiumRules:
    """The Geschäftsordnung's rules of one Gremium (the fixed items stay as they are)."""
    organization = _locked(Organization, organization.pk, expected_version, "Das Gremium")
    if data.invitation_period_days < 1 or data.invitation_period_days > 60:
        raise MasterDataError("Die Ladungsfrist muss zwischen 1 und 60 Tagen liegen.", field="invitation_period_days")
    if data.signatory and data.signatory not in Signatory.values:
        raise MasterDataError("Bitte auswählen, wer die Einladung unterschreibt.", field="signatory")
    if data.statutory_members is not None and data.statutory_members < 1:
        raise MasterDataError("Die gesetzliche Mitgliederzahl muss mindestens 1 sein.", field="statutory_members")
    rules, _ = GremiumRules.objects.get_or_create(organization=organization)
    for attr in ("invitation_period_days", "signatory", "statutory_members", "hybrid_allowed", "nkomvg_checks"):
        setattr(rules, attr, getattr(data, attr))
    rules.signatory_name = data.signatory_name.strip()
    rules.save()
    organization.save(update_fields=["modified"])  # the Gremium's edit stamp covers its rules
    return rules


def rules_initial(organization: Organization, version: int) -> dict[str, Any]:
    """The rules form's values: what is stored, else what applies by default."""
    stored = GremiumRules.objects.filter(organization=organization).first()
    tri = {None: "", True: "ja", False: "nein"}
    if stored is None:
        return {"version": version, "invitation_period_days": 7}
    return {
        "version": version, "invitation_period_days": stored.invitation_period_days, "signatory": stored.signatory,
        "signatory_name": stored.signatory_name, "statutory_members": stored.statutory_members,
        "hybrid_allowed": stored.hybrid_allowed, "nkomvg_checks": tri[stored.nkomvg_checks],
    }


def fixed_items_of(organization: Organization) -> list[dict[str, Any]]:
    """The fixed agenda items the Gremium's meetings get (stored, else the NKomVG defaults)."""
    from ratsinfo.meetings.rules import rules_for

    return [dict(item) for item in rules_for(organization).fixed_items]


@dataclass(frozen=True)
class FixedItemChange:
    """add (name, public, place), remove, up, down (index), or reset to the defaults."""

    action: str
    index: int | None = None
    name: str = ""
    public: bool = True
    place: str = "start"
    extra: dict[str, Any] = field(default_factory=dict)


@transaction.atomic
def change_fixed_items(
    organization: Organization, change: FixedItemChange, *, expected_version: int | None = None
) -> list[dict[str, Any]]:
    """Add, remove or move one fixed agenda item of the Geschäftsordnung (each Ö or N), or restore the defaults."""
    organization = _locked(Organization, organization.pk, expected_version, "Das Gremium")
    items = fixed_items_of(organization)
    if change.action == "reset":
        rules, _ = GremiumRules.objects.get_or_create(organization=organization)
        rules.fixed_items = None
        rules.save()
        organization.save(update_fields=["modified"])
        return fixed_items_of(organization)
    if change.action == "add":
        name = change.name.strip()
        if not name:
            raise MasterDataError("Bitte die Bezeichnung des Tagesordnungspunkts angeben.", field="name")
        if change.place not in PLACES:
            raise MasterDataError("Bitte „am Anfang“ oder „am Ende“ wählen.", field="place")
        if any(item["name"].casefold() == name.casefold() for item in items):
            raise MasterDataError(f"„{name}“ ist schon ein fester Tagesordnungspunkt.", field="name")
        items.append({"name": name, "public": change.public, "place": change.place})
    else:
        index = change.index
        if index is None or not 0 <= index < len(items):
            raise MasterDataError("Diesen festen Tagesordnungspunkt gibt es nicht (mehr).", field="index")
        if change.action == "remove":
            items.pop(index)
        elif change.action in ("up", "down"):
            other = index - 1 if change.action == "up" else index + 1
            if not 0 <= other < len(items):
                raise MasterDataError("Der Punkt steht schon an dieser Grenze.", field="index")
            items[index], items[other] = items[other], items[index]
        else:
            raise MasterDataError("Unbekannte Änderung.", field="action")
    rules, _ = GremiumRules.objects.get_or_create(organization=organization)
    rules.fixed_items = items
    rules.save()
    organization.save(update_fields=["modified"])
    return items


# --- Personen ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonFields:
    family_name: str
    given_name: str = ""
    name: str = ""  # shown name; empty: from titles, given and family name
    form_of_address: str = ""
    affix: str = ""
    titles: tuple[str, ...] = ()
    gender: str = ""
    electoral_area: str = ""
    life: str = ""
    life_source: str = ""
    public_contact: str = ""
    contact_consent: bool = False
    photo: UploadedFile | None = None
    remove_photo: bool = False
    photo_alt: str = ""


@transaction.atomic
def save_person(
    body: Body, data: PersonFields, *, person: Person | None = None, expected_version: int | None = None
) -> Person:
    """Create or change a person. Refused: no family name, a photo without its description."""
    if person is not None:
        person = _locked(Person, person.pk, expected_version, "Die Person")
    family_name = data.family_name.strip()
    if not family_name:
        raise MasterDataError("Bitte den Familiennamen angeben.", field="family_name")
    target = person or Person(body=body)
    keeps_photo = bool(target.photo) and not data.remove_photo
    if (data.photo is not None or keeps_photo) and not data.photo_alt.strip():
        raise MasterDataError("Bitte das Foto kurz beschreiben (für Screenreader).", field="photo_alt")
    titles = [t.strip() for t in data.titles if t.strip()]
    shown = data.name.strip() or " ".join(p for p in [*titles, data.given_name.strip(), family_name] if p)
    for attr in ("form_of_address", "affix", "gender", "electoral_area", "life", "life_source", "public_contact"):
        setattr(target, attr, getattr(data, attr).strip())
    target.family_name, target.given_name, target.name, target.titles = family_name, data.given_name.strip(), shown, titles
    target.contact_consent, target.photo_alt = data.contact_consent, data.photo_alt.strip()
    if data.remove_photo:
        target.photo = ""
    if data.photo is not None:
        target.photo.save(data.photo.name or "foto.jpg", data.photo, save=False)
    target.save()
    return target


# --- Mitgliedschaften ----------------------------------------------------------------------------


@dataclass(frozen=True)
class MembershipFields:
    person: Person
    organization: Organization
    role: str = "Mitglied"
    voting_right: bool = True
    deputy: bool = False
    on_behalf_of: Organization | None = None
    start_date: date | None = None
    end_date: date | None = None


def _check_membership(data: MembershipFields, exclude: int | None) -> None:
    if not data.role.strip():
        raise MasterDataError("Bitte die Rolle angeben (z. B. Mitglied, Vorsitz).", field="role")
    if data.person.body_id != data.organization.body_id:
        raise MasterDataError("Person und Gremium gehören zu verschiedenen Gemeinden.", field="person")
    _check_period(data.start_date, data.end_date)
    org = data.organization
    if org.start_date and data.start_date and data.start_date < org.start_date:
        raise MasterDataError(
            f"Die Mitgliedschaft kann nicht vor der Gründung des Gremiums ({org.start_date:%d.%m.%Y}) beginnen.",
            field="start_date",
        )
    if org.end_date and data.end_date and data.end_date > org.end_date:
        raise MasterDataError(
            f"Die Mitgliedschaft kann nicht nach der Auflösung des Gremiums ({org.end_date:%d.%m.%Y}) enden.",
            field="end_date",
        )
    if data.deputy and org.kind in GROUP_KINDS:
        raise MasterDataError("Fraktionen und Gruppen haben keine stellvertretenden Mitglieder.", field="deputy")
    same = Membership.objects.alive().filter(
        person=data.person, organization=org, role__iexact=data.role.strip()
    ).filter(overlapping_q(data.start_date, data.end_date))
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if clash := same.first():
        since = f" seit {clash.start_date:%d.%m.%Y}" if clash.start_date else ""
        raise MasterDataError(
            f"{data.person} hat in „{org}“ für diesen Zeitraum schon die Rolle „{clash.role}“{since}.", field="start_date"
        )
    group = data.on_behalf_of
    if group is not None:
        if group.kind not in GROUP_KINDS:
            raise MasterDataError("„für Fraktion/Gruppe“ muss eine Fraktion oder Gruppe sein.", field="on_behalf_of")
        if group.pk == org.pk:
            raise MasterDataError("Eine Mitgliedschaft in einer Fraktion gilt nicht „für“ dieselbe Fraktion.", field="on_behalf_of")
    if data.deputy:
        if group is None:
            raise MasterDataError(
                "Ein stellvertretendes Mitglied vertritt die Mitglieder einer Fraktion oder Gruppe: bitte diese angeben.",
                field="on_behalf_of",
            )
        in_group = Membership.objects.alive().filter(person=data.person, organization=group, deputy=False).filter(
            covering_q(data.start_date, data.end_date)
        )
        if not in_group.exists():
            raise MasterDataError(
                f"{data.person} ist nicht für den ganzen Zeitraum Mitglied der {group.get_kind_display()} „{group}“ "
                "und kann deren Mitglieder nicht vertreten.",
                field="on_behalf_of",
            )


@transaction.atomic
def add_membership(data: MembershipFields) -> Membership:
    """A new Mitgliedschaft. Refused: end before start, the same role in the same Gremium in an overlapping
    period, a deputy who is not a member of the Fraktion/Gruppe whose members they stand in for."""
    Person.objects.select_for_update().get(pk=data.person.pk)  # serialises two additions for one person
    _check_membership(data, exclude=None)
    return Membership.objects.create(
        person=data.person, organization=data.organization, role=data.role.strip(), voting_right=data.voting_right,
        deputy=data.deputy, on_behalf_of=data.on_behalf_of, start_date=data.start_date, end_date=data.end_date,
    )


@transaction.atomic
def update_membership(membership: Membership, data: MembershipFields, *, expected_version: int | None = None) -> Membership:
    """Correct a Mitgliedschaft (person and Gremium stay; a different one is a new membership)."""
    membership = _locked(Membership, membership.pk, expected_version, "Die Mitgliedschaft")
    if data.person.pk != membership.person_id or data.organization.pk != membership.organization_id:
        raise MasterDataError("Person und Gremium einer Mitgliedschaft bleiben; bitte eine neue anlegen.", field="person")
    _check_membership(data, exclude=membership.pk)
    for attr in ("voting_right", "deputy", "on_behalf_of", "start_date", "end_date"):
        setattr(membership, attr, getattr(data, attr))
    membership.role = data.role.strip()
    membership.save()
    return membership


@transaction.atomic
def end_membership(membership: Membership, end_date: date, *, expected_version: int | None = None) -> Membership:
    """End a Mitgliedschaft on `end_date`; the row stays as history (nothing is deleted)."""
    membership = _locked(Membership, membership.pk, expected_version, "Die Mitgliedschaft")
    if membership.end_date is not None and membership.end_date < end_date:
        raise MasterDataError(
            f"Die Mitgliedschaft endete schon am {membership.end_date:%d.%m.%Y}.", field="end_date"
        )
    _check_period(membership.start_date, end_date)
    membership.end_date = end_date
    membership.save()
    return membership


# --- Orte ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocationFields:
    description: str = ""
    street_address: str = ""
    room: str = ""
    postal_code: str = ""
    sub_locality: str = ""
    locality: str = ""
    latitude: float | None = None
    longitude: float | None = None


def coordinates_of(location: Location) -> tuple[float | None, float | None]:
    """(latitude, longitude) of a GeoJSON point or point feature, else (None, None)."""
    geo = location.geojson or {}
    if geo.get("type") == "Feature":
        geo = geo.get("geometry") or {}
    coordinates = geo.get("coordinates") if geo.get("type") == "Point" else None
    if isinstance(coordinates, list) and len(coordinates) >= 2:
        return float(coordinates[1]), float(coordinates[0])
    return None, None


@transaction.atomic
def save_location(data: LocationFields, *, location: Location | None = None, expected_version: int | None = None) -> Location:
    """Create or change a place. Refused: nothing to name it by, only one coordinate, coordinates out of range."""
    if location is not None:
        location = _locked(Location, location.pk, expected_version, "Der Ort")
    texts = {attr: getattr(data, attr).strip() for attr in
             ("description", "street_address", "room", "postal_code", "sub_locality", "locality")}
    if not (texts["description"] or texts["street_address"]):
        raise MasterDataError("Bitte eine Beschreibung oder eine Anschrift angeben.", field="description")
    lat, lon = data.latitude, data.longitude
    if (lat is None) != (lon is None):
        raise MasterDataError("Bitte Breite und Länge angeben oder beide leer lassen.",
                              field="longitude" if lon is None else "latitude")
    if lat is not None and not -90 <= lat <= 90:
        raise MasterDataError("Die geografische Breite liegt zwischen -90 und 90 Grad.", field="latitude")
    if lon is not None and not -180 <= lon <= 180:
        raise MasterDataError("Die geografische Länge liegt zwischen -180 und 180 Grad.", field="longitude")
    target = location or Location()
    for attr, value in texts.items():
        setattr(target, attr, value)
    target.geojson = {"type": "Point", "coordinates": [lon, lat]} if lat is not None else None
    target.save()
    return target
