"""The change of Wahlperiode: a Rat of 32 (CDU 12, SPD 10, Grüne 5, Gruppe FDP/UWG 3, AfD 2) elected for
2026-2031 takes over from 2021-2026; committee seats under § 71 NKomVG; the constitutive session; accounts
of members who left."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from ratsinfo.accounts.models import AuditEvent
from ratsinfo.bodies import term_change as tc
from ratsinfo.bodies.access import viewer_for
from ratsinfo.bodies.models import (
    Body,
    LegislativeTerm,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.bodies.roles import BUERGERMEISTER, RATSMITGLIED
from ratsinfo.bodies.seats import SeatMethod
from ratsinfo.bodies.term_change import TermChangeError
from ratsinfo.meetings.models import GremiumRules, ItemKind
from tests.conftest import account, viewer

OLD_START, OLD_END = dt.date(2021, 11, 1), dt.date(2026, 10, 31)
NEW_START, NEW_END = dt.date(2026, 11, 1), dt.date(2031, 10, 31)
COUNCIL = [("CDU-Fraktion", "CDU", OrganizationKind.FRAKTION, 12), ("SPD-Fraktion", "SPD", OrganizationKind.FRAKTION, 10),
           ("Fraktion Bündnis 90/Die Grünen", "Grüne", OrganizationKind.FRAKTION, 5),
           ("Gruppe FDP/UWG", "FDP/UWG", OrganizationKind.GRUPPE, 3), ("AfD-Fraktion", "AfD", OrganizationKind.FRAKTION, 2)]


class OldTerm:
    """The Gemeinde at the end of 2021-2026: Rat, VA and a Fachausschuss with local rules, the old Fraktion."""

    def __init__(self, body: Body) -> None:
        self.body = body
        LegislativeTerm.objects.create(body=body, name="Wahlperiode 2021-2026", start_date=OLD_START, end_date=OLD_END)
        self.rat = Organization.objects.create(body=body, name="Rat der Gemeinde", short_name="Rat", kind=OrganizationKind.RAT)
        self.va = Organization.objects.create(body=body, name="Verwaltungsausschuss", short_name="VA",
                                              kind=OrganizationKind.VERWALTUNGSAUSSCHUSS)
        self.jos = Organization.objects.create(body=body, name="Jugend-, Ordnungs- und Sozialausschuss", short_name="JOS",
                                               kind=OrganizationKind.FACHAUSSCHUSS)
        GremiumRules.objects.create(organization=self.jos, invitation_period_days=10, hybrid_allowed=True)
        self.old_cdu = Organization.objects.create(body=body, name="CDU-Fraktion", short_name="CDU",
                                                   kind=OrganizationKind.FRAKTION, start_date=OLD_START)
        self.persons = [Person.objects.create(body=body, name=f"Ratsmitglied {n:02}", family_name=f"R{n:02}",
                                              gender="weiblich" if n % 2 else "männlich") for n in range(34)]
        # The 2021-2026 council: persons 0..31 and the mayor (33); person 32 is first elected in 2026.
        for person in [*self.persons[:32], self.persons[33]]:
            Membership.objects.create(person=person, organization=self.rat, start_date=OLD_START)
        for person in self.persons[:12]:
            Membership.objects.create(person=person, organization=self.old_cdu, start_date=OLD_START)
        for person in self.persons[:3]:
            Membership.objects.create(person=person, organization=self.jos, start_date=OLD_START)


@pytest.fixture
def old(body: Body) -> OldTerm:
    return OldTerm(body)


@pytest.fixture
def term(old: OldTerm) -> LegislativeTerm:
    return tc.open_term(old.body, NEW_START, NEW_END)


def elect(old: OldTerm, term: LegislativeTerm) -> dict[str, Organization]:
    """The new Rat (persons 1..32; person 0 was not re-elected) and its Fraktionen/Gruppen."""
    groups, at = {}, 1
    for name, short, kind, size in COUNCIL:
        members = old.persons[at:at + size]
        groups[short] = tc.enter_council_group(term, members, name=name, short_name=short, kind=kind, chair=members[0])
        at += size
    return groups


def new_committee(term: LegislativeTerm, short: str) -> Organization:
    return tc.term_organizations(term).get(short_name=short)


# ---------------------------------------------------------------------------------------------
# 1.-3. Term, Rat, Gremien


def test_open_term_uses_an_existing_term_and_refuses_an_overlap(old: OldTerm, term: LegislativeTerm) -> None:
    assert tc.open_term(old.body, NEW_START, NEW_END) == term
    assert tc.previous_term(term).name == "Wahlperiode 2021-2026"
    with pytest.raises(TermChangeError, match="überschneidet"):
        tc.open_term(old.body, dt.date(2026, 1, 1), dt.date(2030, 12, 31))
    with pytest.raises(TermChangeError, match="nach ihrem Beginn"):
        tc.open_term(old.body, NEW_END, NEW_START)


def test_gremien_continue_with_predecessor_and_rules(old: OldTerm, term: LegislativeTerm) -> None:
    new = {o.short_name: o for o in tc.prepare_gremien(term)}
    assert set(new) == {"Rat", "VA", "JOS"}  # Fraktionen are formed anew, not copied
    assert new["JOS"].predecessor == old.jos and new["JOS"].kind == OrganizationKind.FACHAUSSCHUSS
    assert new["JOS"].start_date == NEW_START and new["JOS"].slug != old.jos.slug
    rules = GremiumRules.objects.get(organization=new["JOS"])
    assert (rules.invitation_period_days, rules.hybrid_allowed) == (10, True)
    assert GremiumRules.objects.get(organization=old.jos).invitation_period_days == 10  # the old one stays
    old.jos.refresh_from_db()
    old.old_cdu.refresh_from_db()
    assert old.jos.end_date == OLD_END and old.old_cdu.end_date == OLD_END
    assert not Membership.objects.filter(organization=old.rat, end_date__isnull=True).exists()
    assert old.jos.history.count() >= 2  # the ending is in its history
    assert tc.prepare_gremien(term) == []  # nothing twice


def test_council_members_sit_for_their_fraktion(old: OldTerm, term: LegislativeTerm) -> None:
    groups = elect(old, term)
    strengths = {g.short_name: n for g, n in tc.group_strengths(term).items()}
    assert strengths == {"CDU": 12, "SPD": 10, "Grüne": 5, "FDP/UWG": 3, "AfD": 2}
    council = tc.new_council(term)
    seat = Membership.objects.get(organization=council, person=old.persons[1])
    assert seat.on_behalf_of == groups["CDU"] and seat.start_date == NEW_START and seat.role == "Ratsfrau"
    assert groups["FDP/UWG"].kind == OrganizationKind.GRUPPE and groups["CDU"] != old.old_cdu


def test_council_entry_refuses_a_second_seat_and_a_one_person_fraktion(old: OldTerm, term: LegislativeTerm) -> None:
    tc.enter_council_group(term, old.persons[1:3], name="CDU-Fraktion", short_name="CDU")
    with pytest.raises(TermChangeError, match="Schon als Ratsmitglied"):
        tc.enter_council_group(term, old.persons[2:4], name="SPD-Fraktion")
    with pytest.raises(TermChangeError, match="mindestens zwei"):
        tc.enter_council_group(term, old.persons[5:6], name="Einzelfraktion")
    assert not Organization.objects.filter(name__in=["SPD-Fraktion", "Einzelfraktion"]).exists()  # nothing half saved
    assert tc.enter_council_group(term, old.persons[5:6]) is None  # a member without Fraktion


# ---------------------------------------------------------------------------------------------
# 4. Seats (§ 71)


@pytest.mark.parametrize(("method", "seats", "expected"), [
    # d'Hondt, 9 seats: the ninth seat is tied CDU (12/4) – FDP/UWG (3/1): both fit, AfD gets the Grundmandat.
    (SeatMethod.DHONDT, 9, {"CDU": 4, "SPD": 3, "Grüne": 1, "FDP/UWG": 1, "AfD": 0}),
    (SeatMethod.DHONDT, 11, {"CDU": 4, "SPD": 4, "Grüne": 2, "FDP/UWG": 1, "AfD": 0}),
    # Hare-Niemeyer, 9 seats: quotas 3.375 / 2.8125 / 1.406 / 0.844 / 0.5625, the three largest remainders.
    (SeatMethod.HARE_NIEMEYER, 9, {"CDU": 3, "SPD": 3, "Grüne": 1, "FDP/UWG": 1, "AfD": 1}),
    (SeatMethod.HARE_NIEMEYER, 11, {"CDU": 4, "SPD": 3, "Grüne": 2, "FDP/UWG": 1, "AfD": 1}),
    (SeatMethod.SAINTE_LAGUE, 11, {"CDU": 4, "SPD": 3, "Grüne": 2, "FDP/UWG": 1, "AfD": 1}),
])
def test_committee_seats_follow_the_method(
    old: OldTerm, term: LegislativeTerm, method: SeatMethod, seats: int, expected: dict[str, int]
) -> None:
    elect(old, term)
    plan = tc.plan_seats(new_committee(term, "JOS"), term, seats, method)
    got = {a.group.short_name: a.seats for a in plan.allocations.all()}
    assert got == expected and sum(got.values()) == seats
    assert plan.lot_seats == 0 and not plan.lot_note
    assert {a.group.short_name for a in plan.allocations.all() if a.advisory} == {k for k, v in expected.items() if v == 0}


def test_a_tie_is_left_to_the_lot_of_the_chair(old: OldTerm, term: LegislativeTerm) -> None:
    groups = elect(old, term)
    # d'Hondt, 10 seats: SPD (10/4 = 2.5) and Grüne (5/2 = 2.5) tie for the tenth seat.
    plan = tc.plan_seats(new_committee(term, "JOS"), term, 10, SeatMethod.DHONDT)
    assert plan.lot_seats == 1 and "Los" in plan.lot_note
    assert {a.group.short_name for a in plan.allocations.filter(in_lot=True)} == {"SPD", "Grüne"}
    spd = old.persons[13]
    with pytest.raises(TermChangeError, match="Losentscheid"):
        tc.assign_seat(plan, groups["SPD"], spd)
    with pytest.raises(TermChangeError, match="genau 1"):
        tc.draw_lot(plan, [groups["SPD"], groups["Grüne"]])
    with pytest.raises(TermChangeError, match="genau 1"):
        tc.draw_lot(plan, [groups["CDU"]])
    tc.draw_lot(plan, [groups["Grüne"]])
    plan.refresh_from_db()
    got = {a.group.short_name: a.seats for a in plan.allocations.all()}
    assert got["Grüne"] == 2 and got["SPD"] == 3 and sum(got.values()) == 10
    assert plan.lot_seats == 0 and "Los gezogen: Fraktion Bündnis 90/Die Grünen" in plan.lot_note
    with pytest.raises(TermChangeError, match="kein Losentscheid"):
        tc.draw_lot(plan, [groups["SPD"]])


def test_seats_only_for_committees_of_the_new_term(old: OldTerm, term: LegislativeTerm) -> None:
    elect(old, term)
    with pytest.raises(TermChangeError, match="nur für Ausschüsse"):
        tc.plan_seats(old.jos, term, 9, SeatMethod.DHONDT)
    with pytest.raises(TermChangeError, match="nur für Ausschüsse"):
        tc.plan_seats(tc.new_council(term), term, 9, SeatMethod.DHONDT)
    with pytest.raises(TermChangeError, match="Verfahren"):
        tc.plan_seats(new_committee(term, "JOS"), term, 9, "losen")


# ---------------------------------------------------------------------------------------------
# 5. Nominations


def test_the_fraktion_fills_its_seats_and_no_more(old: OldTerm, term: LegislativeTerm) -> None:
    groups = elect(old, term)
    plan = tc.plan_seats(new_committee(term, "VA"), term, 9, SeatMethod.DHONDT)
    grune = old.persons[23:28]
    seat = tc.assign_seat(plan, groups["Grüne"], grune[0], role="Beigeordnete")
    assert (seat.on_behalf_of, seat.voting_right, seat.start_date) == (groups["Grüne"], True, NEW_START)
    with pytest.raises(TermChangeError, match="Alle 1 Sitze"):
        tc.assign_seat(plan, groups["Grüne"], grune[1])
    with pytest.raises(TermChangeError, match="gehört nicht der CDU-Fraktion"):
        tc.assign_seat(plan, groups["CDU"], grune[1])
    with pytest.raises(TermChangeError, match="schon Mitglied"):
        tc.assign_seat(plan, groups["Grüne"], grune[0], advisory=True)
    # The AfD has no seat: its Grundmandat, once, without voting right.
    afd = old.persons[31:33]
    advisory = tc.assign_seat(plan, groups["AfD"], afd[0], advisory=True)
    assert advisory.voting_right is False and advisory.role == "Grundmandat"
    with pytest.raises(TermChangeError, match="Grundmandat der AfD-Fraktion ist schon besetzt"):
        tc.assign_seat(plan, groups["AfD"], afd[1], advisory=True)
    with pytest.raises(TermChangeError, match="kein Grundmandat"):
        tc.assign_seat(plan, groups["CDU"], old.persons[1], advisory=True)
    counts = {c.allocation.group.short_name: (c.filled, c.advisory_filled) for c in tc.seat_counts(plan)}
    assert counts["Grüne"] == (1, 0) and counts["AfD"] == (0, 1) and counts["CDU"] == (0, 0)
    with pytest.raises(TermChangeError, match="schon Sitze besetzt"):
        tc.plan_seats(plan.organization, term, 11, SeatMethod.DHONDT)


def test_new_members_see_the_earlier_terms_items(old: OldTerm, term: LegislativeTerm) -> None:
    groups = elect(old, term)
    user = User.objects.create_user("neu")
    newcomer = old.persons[32]  # first elected in 2026 (AfD)
    newcomer.user = user
    newcomer.save()
    plan = tc.plan_seats(new_committee(term, "JOS"), term, 9, SeatMethod.DHONDT)
    tc.assign_seat(plan, groups["AfD"], newcomer, advisory=True)  # the Grundmandat is a membership too
    sees = viewer_for(user, today=NEW_START + dt.timedelta(days=10)).gremium_ids
    assert new_committee(term, "JOS").pk in sees and old.jos.pk in sees  # predecessor: earlier terms' items
    assert old.va.pk in sees  # as a Rat member a listener of the VA (§ 78), and so of the earlier VA
    assert viewer(User.objects.create_user("buerger")).gremium_ids == frozenset()


# ---------------------------------------------------------------------------------------------
# 6. Constitutive session


def test_constitutive_session_has_the_nkomvg_items_in_order(old: OldTerm, term: LegislativeTerm) -> None:
    tc.prepare_gremien(term)
    start = timezone.make_aware(dt.datetime(2026, 11, 12, 18, 0))
    meeting: Any = tc.plan_constitutive_session(term, start)
    assert list(meeting.organizations.all()) == [tc.new_council(term)]
    items = list(meeting.agenda_items.alive().order_by("order").select_related("record"))
    names = [i.name for i in items]
    assert names[0] == "Eröffnung der Sitzung durch das älteste Ratsmitglied"
    assert "Eröffnung der Sitzung" not in names  # replaced, not twice
    position = {n.split(" (")[0]: k for k, n in enumerate(names)}
    assert position["Feststellung der ordnungsgemäßen Ladung und der Beschlussfähigkeit"] < position[
        "Pflichtenbelehrung und Verpflichtung der Ratsfrauen und Ratsherren"] < position[
        "Wahl der/des Ratsvorsitzenden und der Stellvertretung"] < position["Feststellung der Tagesordnung"]
    assert position["Zahl der Beigeordneten und Besetzung des Verwaltungsausschusses"] < position[
        "Wahl der Stellvertreterinnen und Stellvertreter der Bürgermeisterin/des Bürgermeisters"]
    assert [i.number for i in items if i.public] == [f"Ö {n}" for n in range(1, len([i for i in items if i.public]) + 1)]
    assert {i.record.kind for i in items if "Wahl" in i.name} == {ItemKind.ELECTION}
    with pytest.raises(TermChangeError, match="schon geplant"):
        tc.plan_constitutive_session(term, start)


def test_constitutive_session_within_a_month(old: OldTerm, term: LegislativeTerm) -> None:
    with pytest.raises(TermChangeError, match="Rat der neuen Wahlperiode fehlt"):
        tc.plan_constitutive_session(term, timezone.make_aware(dt.datetime(2026, 11, 12, 18, 0)))
    tc.prepare_gremien(term)
    for day in (dt.datetime(2026, 10, 30, 18, 0), dt.datetime(2026, 12, 2, 18, 0)):
        with pytest.raises(TermChangeError, match="binnen eines Monats"):
            tc.plan_constitutive_session(term, timezone.make_aware(day))


# ---------------------------------------------------------------------------------------------
# 7. Accounts of members who left


def test_only_accounts_of_members_who_left_are_deactivated(old: OldTerm, term: LegislativeTerm) -> None:
    left = account("ausgeschieden", RATSMITGLIED)
    again = account("wiedergewaehlt", RATSMITGLIED)
    mayor = account("buergermeister", BUERGERMEISTER, staff=True)
    citizen = account("buergerin")
    for user, person in [(left, old.persons[0]), (again, old.persons[1]), (mayor, old.persons[33])]:
        person.user = user
        person.save()
    Person.objects.create(body=old.body, name="Bürgerin", user=citizen)
    elect(old, term)  # person 0 not re-elected; the mayor (33) is in no Gremium of the new term here
    preview = tc.leaving_accounts(term)
    assert preview == [old.persons[0]]
    done = tc.deactivate_leavers(term, [old.persons[0], old.persons[1], old.persons[33]], actor=mayor)
    assert done == [old.persons[0]]
    for user, active in [(left, False), (again, True), (mayor, True), (citizen, True)]:
        user.refresh_from_db()
        assert user.is_active is active
    event = AuditEvent.objects.get(object_id=str(left.pk), object_type="auth.user", kind="permissions")
    assert "Konto deaktiviert" in event.detail and event.actor == mayor
    assert not AuditEvent.objects.filter(object_id=str(again.pk), kind="permissions").exists()
    with pytest.raises(TermChangeError, match="Keines"):
        tc.deactivate_leavers(term, [old.persons[0]])
