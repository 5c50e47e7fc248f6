"""The change of Wahlperiode (Wahlperiodenwechsel), step by step; the staff screen and tests call these.

1. `open_term`: the new LegislativeTerm (or the existing one of that name).
2. `enter_council_group`: a Fraktion/Gruppe of the new term (formed anew, from the election and the
   announcements) with its members, who become Ratsmitglieder of the new Rat on its behalf; individual
   members (no Fraktion) too.
3. `prepare_gremien`: each council Gremium of the old term continues as a new Organization with
   `predecessor` set (its members see the earlier terms' items, `bodies.access`), with its GremiumRules;
   the old Gremien, groups and their open memberships end with the old term.
4. `plan_seats` / `draw_lot`: committee seats among Fraktionen and Gruppen by `seats.distribute` (§ 71 NKomVG);
   a tie is left to the lot the Rat's chair draws; a group without a seat gets the Grundmandat (beratend).
5. `assign_seat`: the Fraktion/Gruppe nominates, the Sitzungsdienst enters the person into a seat.
6. `plan_constitutive_session`: the new Rat's first meeting with the items of a constitutive session.
7. `leaving_accounts` / `deactivate_leavers`: accounts of members who left are deactivated (audit log).

A Gremium "of the term" is one that starts within it (copies and new groups start on the term's first day).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.text import slugify

from ratsinfo.bodies.masterdata import MasterDataError, MembershipFields, add_membership
from ratsinfo.bodies.models import (
    COUNCIL_BODY_KINDS,
    GROUP_KINDS,
    Body,
    LegislativeTerm,
    Membership,
    Organization,
    OrganizationKind,
    Person,
    SeatAllocation,
    SeatPlan,
)
from ratsinfo.bodies.roles import STAFF_ROLES
from ratsinfo.bodies.seats import METHOD_LABELS, SeatMethod, distribute
from ratsinfo.lib.slugs import unique_slug

# The committees whose seats § 71 distributes (the VA's Beigeordnete likewise, § 75 Abs. 1 with § 71).
SEATED_KINDS = (OrganizationKind.VERWALTUNGSAUSSCHUSS, OrganizationKind.FACHAUSSCHUSS)
CONSTITUTIVE_NAME = "Konstituierende Sitzung"


class TermChangeError(ValueError):
    """A step of the change of Wahlperiode that cannot be taken, with a German message for the user."""


# ---------------------------------------------------------------------------------------------
# 1. The term


def previous_term(term: LegislativeTerm) -> LegislativeTerm | None:
    earlier = LegislativeTerm.objects.alive().filter(body=term.body).exclude(pk=term.pk)
    if term.start_date:
        earlier = earlier.filter(start_date__lt=term.start_date)
    return earlier.order_by("-start_date").first()


@transaction.atomic
def open_term(body: Body, start: dt.date, end: dt.date) -> LegislativeTerm:
    """The term `start`–`end` (named "Wahlperiode 2026-2031"); an existing one of that name is used."""
    if end <= start:
        raise TermChangeError("Das Ende der Wahlperiode muss nach ihrem Beginn liegen.")
    name = f"Wahlperiode {start.year}-{end.year}"
    existing = LegislativeTerm.objects.alive().filter(body=body, name=name).first()
    if existing is not None:
        if (existing.start_date, existing.end_date) != (start, end):
            raise TermChangeError(
                f"Die {name} besteht schon mit anderen Daten "
                f"({_date(existing.start_date)} bis {_date(existing.end_date)})."
            )
        return existing
    overlapping = LegislativeTerm.objects.alive().filter(body=body, start_date__lte=end, end_date__gte=start)
    if overlapping.exists():
        raise TermChangeError(f"Die neue Wahlperiode überschneidet sich mit der {overlapping.first()}.")
    return LegislativeTerm.objects.create(body=body, name=name, start_date=start, end_date=end)


def _date(day: dt.date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else "offen"


def _start(term: LegislativeTerm) -> dt.date:
    if term.start_date is None:
        raise TermChangeError("Die Wahlperiode hat keinen Beginn.")
    return term.start_date


def term_organizations(term: LegislativeTerm) -> QuerySet[Organization]:
    """The Gremien and groups of the term: those starting within it."""
    start = _start(term)
    orgs = Organization.objects.alive().filter(body=term.body, start_date__gte=start)
    return orgs.filter(start_date__lte=term.end_date) if term.end_date else orgs


def new_council(term: LegislativeTerm) -> Organization | None:
    return term_organizations(term).filter(kind=OrganizationKind.RAT).order_by("pk").first()


def _old_organizations(term: LegislativeTerm) -> QuerySet[Organization]:
    """Council bodies of the Gemeinde that started before the term and were not continued yet."""
    start = _start(term)
    return (
        Organization.objects.alive().filter(body=term.body, kind__in=COUNCIL_BODY_KINDS)
        .filter(Q(start_date__isnull=True) | Q(start_date__lt=start))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start - dt.timedelta(days=1)))
        .exclude(pk__in=Organization.objects.alive().filter(start_date__gte=start, predecessor__isnull=False)
                 .values("predecessor"))
        .order_by("pk")
    )


# ---------------------------------------------------------------------------------------------
# 3. Gremien of the new term (before 2: the new Rat must exist to enter its members)


@transaction.atomic
def prepare_gremien(term: LegislativeTerm) -> list[Organization]:
    """Continue every council Gremium of the old term into `term`; returns the new ones (idempotent)."""
    from ratsinfo.meetings.models import GremiumRules

    start = _start(term)
    old = list(_old_organizations(term))
    if not old:
        return []
    last_day = start - dt.timedelta(days=1)
    label = _label(term)
    copies: dict[int, Organization] = {}
    for org in old:
        copy = Organization(
            body=org.body, name=org.name, short_name=org.short_name, kind=org.kind, classification=org.classification,
            posts=list(org.posts), location=org.location, website=org.website, meetings_public=org.meetings_public,
            council_members_listen=org.council_members_listen, former_member_access_days=org.former_member_access_days,
            predecessor=org, start_date=start, end_date=term.end_date,
            slug=unique_slug(Organization, slugify(f"{org.short_name or org.name} {label}") or "gremium", None),
        )
        copy.save()
        copies[org.pk] = copy
        rules = GremiumRules.objects.filter(organization=org).first()
        if rules is not None:
            rules.pk = None
            rules.id = None
            rules.organization = copy
            rules.save()
    for org in old:
        # Audiences follow into the new term: to the successor where there is one.
        audiences = [copies.get(a.pk, a) for a in org.extra_audiences.all()]
        if audiences:
            copies[org.pk].extra_audiences.set(audiences)
        if org.parent_id in copies:
            copies[org.pk].parent = copies[org.parent_id]
            copies[org.pk].save()
    _close_old_term(term, old, last_day)
    return list(copies.values())


def _close_old_term(term: LegislativeTerm, old: Sequence[Organization], last_day: dt.date) -> None:
    """The old Gremien and Fraktionen/Gruppen end with the old term, and so do their open memberships."""
    old_groups = Organization.objects.alive().filter(body=term.body, kind__in=GROUP_KINDS).filter(
        Q(start_date__isnull=True) | Q(start_date__lt=_start(term))
    ).filter(Q(end_date__isnull=True) | Q(end_date__gt=last_day))
    ending = [*old, *old_groups]
    for org in ending:
        org.end_date = last_day
        org.save()  # with history
    open_memberships = Membership.objects.alive().filter(organization__in=ending).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=last_day)
    ).filter(Q(start_date__isnull=True) | Q(start_date__lte=last_day))
    for membership in open_memberships:
        membership.end_date = last_day
        membership.save()


def _require_council(term: LegislativeTerm) -> Organization:
    council = new_council(term)
    if council is None:
        prepare_gremien(term)
        council = new_council(term)
    if council is None:
        raise TermChangeError("Es gibt keinen Rat, der in die neue Wahlperiode übernommen werden könnte.")
    return council


# ---------------------------------------------------------------------------------------------
# 2. Rat members and their Fraktionen/Gruppen


def _join(data: MembershipFields) -> Membership:
    """A membership of the new term through the master-data service, so its rules hold here too."""
    try:
        return add_membership(data)
    except MasterDataError as exc:
        raise TermChangeError(str(exc)) from exc


def _label(term: LegislativeTerm) -> str:
    """The term in slugs of its Gremien and groups: "2026-2031"."""
    start = _start(term)
    return f"{start.year}-{term.end_date.year}" if term.end_date else str(start.year)


def council_role(person: Person) -> str:
    return {"weiblich": "Ratsfrau", "männlich": "Ratsherr"}.get(person.gender, "Ratsmitglied")


@transaction.atomic
def enter_council_group(
    term: LegislativeTerm, persons: Sequence[Person], *, name: str = "", short_name: str = "",
    kind: str = OrganizationKind.FRAKTION, chair: Person | None = None,
) -> Organization | None:
    """Enter `persons` as Ratsmitglieder of the new Rat; with a `name` they form a Fraktion/Gruppe of the
    new term on whose behalf they sit. Without a name they are members without a Fraktion."""
    council = _require_council(term)
    start = _start(term)
    if not persons:
        raise TermChangeError("Bitte mindestens ein Ratsmitglied auswählen.")
    if kind not in GROUP_KINDS:
        raise TermChangeError("Bitte „Fraktion“ oder „Gruppe“ wählen.")
    # § 57 Abs. 1: a Fraktion or Gruppe has at least two members.
    if name and len(persons) < 2:
        raise TermChangeError("Eine Fraktion oder Gruppe besteht aus mindestens zwei Ratsmitgliedern (§ 57 NKomVG).")
    seated = Membership.objects.alive().filter(organization=council, person__in=persons).select_related("person")
    if seated.exists():
        names = ", ".join(sorted({m.person.name for m in seated}))
        raise TermChangeError(f"Schon als Ratsmitglied der neuen Wahlperiode eingetragen: {names}.")
    group = None
    if name:
        if term_organizations(term).filter(kind__in=GROUP_KINDS, name=name).exists():
            raise TermChangeError(f"Die Fraktion/Gruppe „{name}“ ist in dieser Wahlperiode schon gebildet.")
        label = _label(term)
        group = Organization.objects.create(
            body=term.body, name=name, short_name=short_name, kind=kind, start_date=start, end_date=term.end_date,
            classification=OrganizationKind(kind).label,
            slug=unique_slug(Organization, slugify(f"{short_name or name} {label}") or "fraktion", None),
        )
    for person in persons:
        if group is not None:
            role = ("Vorsitzende" if person.gender == "weiblich" else "Vorsitzender") if person == chair else "Mitglied"
            _join(MembershipFields(person=person, organization=group, role=role, start_date=start))
        _join(MembershipFields(
            person=person, organization=council, role=council_role(person), on_behalf_of=group, start_date=start,
        ))
    return group


def term_groups(term: LegislativeTerm) -> QuerySet[Organization]:
    return term_organizations(term).filter(kind__in=GROUP_KINDS).order_by("name")


def group_strengths(term: LegislativeTerm) -> dict[Organization, int]:
    """Council members per Fraktion/Gruppe of the new term (the basis of § 71 Abs. 2)."""
    council = new_council(term)
    groups = list(term_groups(term))
    if council is None:
        return {g: 0 for g in groups}
    start = _start(term)
    counts: dict[int, int] = {}
    for group_id in (
        Membership.objects.alive().active_on(start).filter(organization=council, deputy=False, on_behalf_of__in=groups)
        .values_list("on_behalf_of_id", flat=True)
    ):
        counts[group_id] = counts.get(group_id, 0) + 1
    return {g: counts.get(g.pk, 0) for g in groups}


# ---------------------------------------------------------------------------------------------
# 4. Seats per committee (§ 71 NKomVG)


def seated_committees(term: LegislativeTerm) -> QuerySet[Organization]:
    return term_organizations(term).filter(kind__in=SEATED_KINDS).order_by("kind", "name")


@transaction.atomic
def plan_seats(committee: Organization, term: LegislativeTerm, seats: int, method: SeatMethod | str) -> SeatPlan:
    """Distribute `seats` of `committee` among the term's Fraktionen and Gruppen; replaces an earlier plan
    while none of its seats is filled."""
    if committee.kind not in SEATED_KINDS or not term_organizations(term).filter(pk=committee.pk).exists():
        raise TermChangeError("Sitze werden nur für Ausschüsse und den Verwaltungsausschuss der neuen Wahlperiode verteilt.")
    try:
        method = SeatMethod(method)
    except ValueError:
        raise TermChangeError("Unbekanntes Verfahren der Sitzverteilung.") from None
    if seats < 1:
        raise TermChangeError("Ein Ausschuss hat mindestens einen Sitz.")
    strengths = {g: n for g, n in group_strengths(term).items() if n > 0}
    if not strengths:
        raise TermChangeError("Zuerst die Fraktionen und Gruppen mit ihren Ratsmitgliedern eintragen.")
    existing = SeatPlan.objects.filter(organization=committee).first()
    if existing is not None:
        if _filled(existing).exists():
            raise TermChangeError(f"Im {committee.name} sind schon Sitze besetzt; die Verteilung bleibt.")
        existing.delete()
    by_key = {str(g.pk): g for g in strengths}
    result = distribute({str(g.pk): n for g, n in strengths.items()}, seats, method)
    plan = SeatPlan.objects.create(organization=committee, term=term, method=method, seats=seats, lot_seats=result.lot_seats)
    if result.lot_between:
        tied = ", ".join(by_key[k].name for k in result.lot_between)
        plan.lot_note = (f"Gleichstand um {result.lot_seats} Sitz(e) zwischen {tied}: "
                         "das Los zieht die/der Ratsvorsitzende (§ 71 NKomVG).")
        plan.save()
    for key, group in by_key.items():
        won = result.seats.get(key, 0)
        in_lot = key in result.lot_between
        SeatAllocation.objects.create(
            plan=plan, group=group, strength=strengths[group], seats=won, in_lot=in_lot, advisory=won == 0 and not in_lot,
        )
    return plan


@transaction.atomic
def draw_lot(plan: SeatPlan, winners: Sequence[Organization]) -> SeatPlan:
    """Record the lot drawn by the Rat's chair: `winners` get the open seats; a loser without a seat
    gets the Grundmandat."""
    plan = SeatPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.lot_seats == 0:
        raise TermChangeError("In dieser Sitzverteilung ist kein Losentscheid offen.")
    tied = {a.group_id: a for a in plan.allocations.filter(in_lot=True)}
    chosen = {w.pk for w in winners}
    if len(chosen) != plan.lot_seats or not chosen <= set(tied):
        raise TermChangeError(
            f"Bitte genau {plan.lot_seats} der am Los beteiligten Fraktionen/Gruppen als Gewinner angeben."
        )
    for group_id, allocation in tied.items():
        if group_id in chosen:
            allocation.seats += 1
        allocation.advisory = allocation.seats == 0
        allocation.save()
    names = ", ".join(sorted(tied[g].group.name for g in chosen))
    plan.lot_note = f"{plan.lot_note} Los gezogen: {names}."
    plan.lot_seats = 0
    plan.save()
    return plan


def method_label(method: str) -> str:
    return METHOD_LABELS.get(SeatMethod(method), method)


# ---------------------------------------------------------------------------------------------
# 5. Filling the seats with named members (the Fraktion nominates)


def _filled(plan: SeatPlan) -> QuerySet[Membership]:
    return Membership.objects.alive().filter(organization=plan.organization, deputy=False, on_behalf_of__isnull=False)


@dataclass(frozen=True)
class SeatCount:
    allocation: SeatAllocation
    filled: int
    advisory_filled: int

    @property
    def open(self) -> int:
        return self.allocation.seats - self.filled


def seat_counts(plan: SeatPlan) -> list[SeatCount]:
    filled: dict[tuple[int, bool], int] = {}
    for group_id, voting in _filled(plan).values_list("on_behalf_of_id", "voting_right"):
        filled[(group_id, voting)] = filled.get((group_id, voting), 0) + 1
    return [
        SeatCount(a, filled.get((a.group_id, True), 0), filled.get((a.group_id, False), 0))
        for a in plan.allocations.select_related("group")
    ]


@transaction.atomic
def assign_seat(plan: SeatPlan, group: Organization, person: Person, *, advisory: bool = False,
                role: str = "Mitglied") -> Membership:
    """Seat `person`, nominated by `group`, in the plan's committee; refused for a person of another
    Fraktion/Gruppe and beyond the group's seats."""
    plan = SeatPlan.objects.select_for_update().select_related("organization", "term").get(pk=plan.pk)
    allocation = plan.allocations.filter(group=group).first()
    if allocation is None:
        raise TermChangeError(f"„{group.name}“ hat in dieser Sitzverteilung keinen Anteil.")
    if allocation.in_lot and plan.lot_seats:
        raise TermChangeError("Zuerst den Losentscheid eintragen: davon hängt ab, wie viele Sitze diese Fraktion/Gruppe hat.")
    start = _start(plan.term)
    if not Membership.objects.alive().active_on(start).filter(organization=group, person=person).exists():
        raise TermChangeError(f"{person.name} gehört nicht der {group.name} an und kann nicht auf ihren Sitz benannt werden.")
    if Membership.objects.alive().filter(organization=plan.organization, person=person, deputy=False).exists():
        raise TermChangeError(f"{person.name} ist schon Mitglied im {plan.organization.name}.")
    taken = _filled(plan).filter(on_behalf_of=group, voting_right=not advisory).count()
    if advisory:
        if not allocation.advisory:
            raise TermChangeError(f"„{group.name}“ hat Sitze mit Stimmrecht und daher kein Grundmandat.")
        if taken >= 1:
            raise TermChangeError(f"Das Grundmandat der {group.name} ist schon besetzt.")
    elif taken >= allocation.seats:
        raise TermChangeError(
            f"Alle {allocation.seats} Sitze der {group.name} im {plan.organization.name} sind besetzt."
        )
    return _join(MembershipFields(
        person=person, organization=plan.organization, on_behalf_of=group, start_date=start,
        role="Grundmandat" if advisory else role, voting_right=not advisory,
    ))


# ---------------------------------------------------------------------------------------------
# 6. The constitutive session of the new Rat


# The items of a constitutive session (NKomVG), in the order they are taken: the oldest member opens
# and chairs until the chair is elected; the Stellvertreter der/des Bürgermeisters are elected from the
# Beigeordneten, so the VA is formed before them.
CONSTITUTIVE_ITEMS: tuple[tuple[str, str], ...] = (
    ("Eröffnung der Sitzung durch das älteste Ratsmitglied", "fest"),
    ("Pflichtenbelehrung und Verpflichtung der Ratsfrauen und Ratsherren (§ 60 NKomVG)", "fest"),
    ("Wahl der/des Ratsvorsitzenden und der Stellvertretung (§ 61 NKomVG)", "wahl"),
    ("Bekanntgabe der Fraktionen und Gruppen", "fest"),
    ("Zahl der Beigeordneten und Besetzung des Verwaltungsausschusses (§§ 74, 75 NKomVG)", "wahl"),
    ("Wahl der Stellvertreterinnen und Stellvertreter der Bürgermeisterin/des Bürgermeisters (§ 81 NKomVG)", "wahl"),
    ("Bildung der Ausschüsse und Besetzung der Ausschusssitze (§ 71 NKomVG)", "wahl"),
)
# Before these (in this order) come the opening, the Ladung/Beschlussfähigkeit, the oath and the election of the chair.
_AFTER_CHAIR = "Feststellung der Tagesordnung"


def constitutive_session(term: LegislativeTerm) -> object | None:
    from ratsinfo.meetings.models import Meeting

    council = new_council(term)
    if council is None:
        return None
    return Meeting.objects.alive().filter(organizations=council, name__startswith=CONSTITUTIVE_NAME).first()


@transaction.atomic
def plan_constitutive_session(term: LegislativeTerm, start: dt.datetime) -> object:
    """Plan the new Rat's first meeting (within a month of the term's start, § 59 Abs. 2 NKomVG) with
    the items of a constitutive session, through the meetings planning services."""
    from ratsinfo.meetings import planning

    council = new_council(term)
    if council is None:
        raise TermChangeError("Zuerst die Gremien übernehmen: der Rat der neuen Wahlperiode fehlt.")
    first_day = _start(term)
    day = start.date()
    if day < first_day or day > _month_after(first_day):
        raise TermChangeError(
            f"Die erste Sitzung des Rates findet binnen eines Monats nach Beginn der Wahlperiode statt "
            f"(§ 59 Abs. 2 NKomVG): zwischen {_date(first_day)} und {_date(_month_after(first_day))}."
        )
    if constitutive_session(term) is not None:
        raise TermChangeError("Die konstituierende Sitzung ist schon geplant.")
    meeting = planning.plan_meeting(council, start, name=f"{CONSTITUTIVE_NAME}: {council.name} ({term.name})")
    items = list(meeting.agenda_items.alive().order_by("order"))
    for item in items:
        if item.name == "Eröffnung der Sitzung":
            planning.remove_item(item)
    added = [planning.add_item(meeting, name, kind=kind) for name, kind in CONSTITUTIVE_ITEMS]
    # Opening first; oath and election of the chair right after the Ladung (before the agenda is settled).
    rest = [i.pk for i in meeting.agenda_items.alive().order_by("order") if i.pk not in {a.pk for a in added[:3]}]
    at = next((n for n, pk in enumerate(rest) if _item_name(meeting, pk) == _AFTER_CHAIR), 0)
    order = [added[0].pk, *rest[:at], added[1].pk, added[2].pk, *rest[at:]]
    planning.reorder(meeting, order)
    return meeting


def _item_name(meeting: object, pk: int) -> str:
    from ratsinfo.meetings.models import AgendaItem

    return AgendaItem.objects.values_list("name", flat=True).get(pk=pk)


def _month_after(day: dt.date) -> dt.date:
    month = day.month % 12 + 1
    year = day.year + (day.month == 12)
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    return dt.date.max  # beyond the year 9999


# ---------------------------------------------------------------------------------------------
# 7. Accounts of members who left


def leaving_accounts(term: LegislativeTerm) -> list[Person]:
    """Persons with an active account who sat in a Gremium of the old term (or its Fraktionen/Gruppen)
    and sit in none of the new term; staff accounts stay."""
    start = _start(term)
    new_orgs = term_organizations(term)
    old_orgs = Organization.objects.alive().filter(Q(successors__in=new_orgs) | Q(body=term.body, kind__in=GROUP_KINDS)).filter(
        Q(start_date__isnull=True) | Q(start_date__lt=start)
    )
    last_day = start - dt.timedelta(days=1)
    were_members = Membership.objects.alive().active_on(last_day).filter(organization__in=old_orgs).values("person")
    stay = Membership.objects.alive().filter(organization__in=new_orgs).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start)
    ).values("person")
    candidates = (
        Person.objects.alive().filter(body=term.body, pk__in=were_members, user__isnull=False, user__is_active=True)
        .exclude(pk__in=stay).select_related("user").prefetch_related("user__groups").order_by("family_name", "name")
    )
    return [p for p in candidates if p.user is not None and not _staff_prefetched(p.user)]


def _staff_prefetched(user: User) -> bool:
    return user.is_staff or user.is_superuser or any(g.name in STAFF_ROLES for g in user.groups.all())


@transaction.atomic
def deactivate_leavers(term: LegislativeTerm, persons: Iterable[Person], *, actor: User | None = None) -> list[Person]:
    """Deactivate the accounts of `persons` (those confirmed from the preview) who still are leavers;
    each in the audit log. Nobody else is touched, even if named."""
    from ratsinfo.accounts.audit import record_event
    from ratsinfo.accounts.models import AuditKind

    leavers = {p.pk: p for p in leaving_accounts(term)}
    chosen = [leavers[p.pk] for p in persons if p.pk in leavers]
    if not chosen:
        raise TermChangeError("Keines der gewählten Konten gehört einem ausgeschiedenen Mitglied.")
    for person in chosen:
        user = person.user
        assert user is not None
        # An update, not save(): the flag signal would log the same change a second time without its reason.
        User.objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
        record_event(
            AuditKind.PERMISSIONS, actor=actor, obj=user,
            detail=f"Konto aktiv: nein – Konto deaktiviert, {person.name} ist in der {term.name} "
                   "in keinem Gremium mehr Mitglied.",
        )
    return chosen
