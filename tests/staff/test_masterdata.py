"""Master data in the staff area (/verwaltung/stammdaten/): the Sitzungsdienst keeps Gremien with their
Sitzungsregeln and fixed agenda items, Personen, Mitgliedschaften and Orte; bad input is answered at the
field and nothing is saved; two people editing the same Gremium do not overwrite each other."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ratsinfo.bodies import masterdata as md
from ratsinfo.bodies.models import (
    Body,
    LegislativeTerm,
    Location,
    Membership,
    Organization,
    OrganizationKind,
    Person,
)
from ratsinfo.bodies.roles import ADMINISTRATOR, RATSMITGLIED, SACHBEARBEITUNG
from ratsinfo.meetings.models import GremiumRules
from ratsinfo.meetings.rules import DEFAULT_FIXED_ITEMS, rules_for
from tests.conftest import account, login_with_second_factor

BASE = "/verwaltung/stammdaten/"
TERM_START, TERM_END = date(2021, 11, 1), date(2026, 10, 31)


@pytest.fixture
def council(body: Body) -> dict[str, Any]:
    term = LegislativeTerm.objects.create(body=body, name="2021-2026", start_date=TERM_START, end_date=TERM_END)
    LegislativeTerm.objects.create(body=body, name="2016-2021", start_date=date(2016, 11, 1), end_date=date(2021, 10, 31))
    period = {"start_date": TERM_START, "end_date": TERM_END}
    rat = Organization.objects.create(body=body, name="Rat der Gemeinde", short_name="Rat", kind=OrganizationKind.RAT, **period)
    jos = Organization.objects.create(body=body, name="Jugend-, Ordnungs- und Sozialausschuss", short_name="JOS",
                                      kind=OrganizationKind.FACHAUSSCHUSS, parent=rat, **period)
    gruppe = Organization.objects.create(body=body, name="Gruppe Grüne – KA – Linke", short_name="GKL",
                                         kind=OrganizationKind.GRUPPE, **period)
    anna = Person.objects.create(body=body, family_name="Meyer", given_name="Anna")
    return {"term": term, "rat": rat, "jos": jos, "gruppe": gruppe, "anna": anna}


@pytest.fixture
def office(sitzungsdienst: User) -> Client:
    return login_with_second_factor(Client(), sitzungsdienst)


def _h1_count(response: Any) -> int:
    return len(re.findall(r"<h1[ >]", response.content.decode()))


def _gremium_data(organization: Organization, **changes: Any) -> dict[str, Any]:
    data = {
        "version": md.version_of(organization), "name": organization.name, "short_name": organization.short_name,
        "kind": organization.kind, "start_date": organization.start_date or "", "end_date": organization.end_date or "",
        "meetings_public": "on" if organization.meetings_public else "", "council_members_listen": "",
        "former_member_access_days": organization.former_member_access_days, "parent": organization.parent_id or "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


# --- access --------------------------------------------------------------------------------------


def _urls(council: dict[str, Any]) -> list[str]:
    membership = Membership.objects.create(person=council["anna"], organization=council["gruppe"], start_date=TERM_START)
    place = Location.objects.create(description="Rathaus")
    jos, anna = council["jos"].pk, council["anna"].pk
    return [BASE, f"{BASE}gremien/", f"{BASE}gremien/neu/", f"{BASE}gremien/{jos}/", f"{BASE}gremien/{jos}/mitglieder/",
            f"{BASE}personen/", f"{BASE}personen/neu/", f"{BASE}personen/{anna}/", f"{BASE}personen/{anna}/mitgliedschaften/",
            f"{BASE}mitgliedschaften/{membership.pk}/", f"{BASE}orte/", f"{BASE}orte/neu/", f"{BASE}orte/{place.pk}/"]


def test_only_sitzungsdienst_and_administrator_see_the_master_data(council: dict[str, Any], office: Client,
                                                                    ratsfrau: User) -> None:
    urls = _urls(council)
    administrator = login_with_second_factor(Client(), account("admin", ADMINISTRATOR, staff=True))
    clerk = login_with_second_factor(Client(), account("sachbearbeitung", SACHBEARBEITUNG, staff=True))
    member = Client()
    member.force_login(ratsfrau)
    for url in urls:
        page = office.get(url)
        assert page.status_code == 200, url
        assert _h1_count(page) == 1, url
        assert administrator.get(url).status_code == 200, url
        assert clerk.get(url).status_code == 404, url
        assert member.get(url).status_code == 404, url
        assert Client().get(url).status_code == 302, url  # the login
    assert 'href="/verwaltung/stammdaten/"' in office.get("/verwaltung/").content.decode()
    assert 'href="/verwaltung/stammdaten/"' not in clerk.get("/verwaltung/").content.decode()


def test_a_member_posting_to_the_screens_changes_nothing(council: dict[str, Any]) -> None:
    member = login_with_second_factor(Client(), account("ratsherr", RATSMITGLIED))
    jos = council["jos"]
    response = member.post(f"{BASE}gremien/{jos.pk}/", _gremium_data(jos, name="Umbenannt"))
    assert response.status_code == 404
    assert Organization.objects.get(pk=jos.pk).name == jos.name


def test_ids_beyond_the_key_range_are_not_found(office: Client, council: dict[str, Any]) -> None:
    assert office.get(f"{BASE}gremien/99999999999999999999/").status_code == 404
    assert office.get(f"{BASE}personen/?nach=99999999999999999999").status_code == 200


# --- Gremien -------------------------------------------------------------------------------------


def test_the_gremien_are_listed_by_kind_for_the_chosen_term(office: Client, council: dict[str, Any], body: Body) -> None:
    Organization.objects.create(body=body, name="Alter Bauausschuss", short_name="BA", kind=OrganizationKind.FACHAUSSCHUSS,
                                start_date=date(2016, 11, 1), end_date=date(2021, 10, 31))
    current = office.get(f"{BASE}gremien/?wahlperiode={council['term'].pk}").content.decode()
    assert "Jugend-, Ordnungs- und Sozialausschuss" in current and "Alter Bauausschuss" not in current
    assert current.index("<h2>Rat</h2>") < current.index("<h2>Fachausschuss</h2>") < current.index("<h2>Gruppe</h2>")
    earlier = LegislativeTerm.objects.get(name="2016-2021")
    before = office.get(f"{BASE}gremien/?wahlperiode={earlier.pk}").content.decode()
    assert "Alter Bauausschuss" in before and "Jugend-, Ordnungs- und Sozialausschuss" not in before
    assert office.get(f"{BASE}gremien/?wahlperiode=abc").status_code == 200  # a broken filter is ignored


def test_list_pages_need_a_bounded_number_of_queries(office: Client, council: dict[str, Any], body: Body,
                                                     django_assert_max_num_queries: Any) -> None:
    for n in range(40):
        group = Organization.objects.create(body=body, name=f"Ausschuss {n:02}", short_name=f"A{n}",
                                            kind=OrganizationKind.FACHAUSSCHUSS, start_date=TERM_START)
        person = Person.objects.create(body=body, family_name=f"Person {n:02}")
        Membership.objects.create(person=person, organization=group, start_date=TERM_START)
        Membership.objects.create(person=person, organization=council["gruppe"], start_date=TERM_START)
    Location.objects.bulk_create(Location(description=f"Raum {n}") for n in range(40))
    for url in (f"{BASE}gremien/", f"{BASE}personen/", f"{BASE}orte/", f"{BASE}gremien/{council['gruppe'].pk}/mitglieder/",
                f"{BASE}personen/{council['anna'].pk}/", f"{BASE}gremien/{council['jos'].pk}/"):
        with django_assert_max_num_queries(20):
            assert office.get(url).status_code == 200


def test_a_new_gremium_is_created_with_its_term_dates(office: Client, council: dict[str, Any]) -> None:
    response = office.post(f"{BASE}gremien/neu/", {
        "name": "Bau- und Umweltausschuss", "short_name": "BUA", "kind": "fachausschuss", "parent": council["rat"].pk,
        "term": council["term"].pk, "meetings_public": "on", "former_member_access_days": "30",
    })
    created = Organization.objects.get(short_name="BUA")
    assert response.status_code == 302 and response["Location"] == f"{BASE}gremien/{created.pk}/"
    assert (created.start_date, created.end_date, created.parent) == (TERM_START, TERM_END, council["rat"])
    assert created.former_member_access_days == 30 and created.slug


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"short_name": "jos"}, "short_name", "trägt in diesem Zeitraum schon"),
    ({"end_date": "2020-01-01"}, "end_date", "Das Ende darf nicht vor dem Beginn liegen"),
    ({"kind": "verwaltungsausschuss", "meetings_public": "on"}, "meetings_public", "§ 78"),
    ({"name": ""}, "name", "Dieses Feld ist zwingend erforderlich"),
    ({"former_member_access_days": "-1"}, "former_member_access_days", "größer oder gleich 0"),
    ({"start_date": "31.02.2022"}, "start_date", "gültiges Datum"),
    ({"parent": "99999999999999999999"}, "parent", "gültige Auswahl"),
])
def test_bad_gremium_input_is_answered_at_the_field_and_nothing_is_saved(
    office: Client, council: dict[str, Any], body: Body, changes: dict[str, str], field: str, message: str
) -> None:
    other = Organization.objects.create(body=body, name="Finanzausschuss", short_name="FA", kind=OrganizationKind.FACHAUSSCHUSS,
                                        start_date=TERM_START, end_date=TERM_END)
    before = Organization.objects.get(pk=other.pk)
    response = office.post(f"{BASE}gremien/{other.pk}/", _gremium_data(other, **{"name": "Neuer Name", **changes}))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors.get(field))
    after = Organization.objects.get(pk=other.pk)
    assert (after.name, after.short_name, after.modified) == (before.name, before.short_name, before.modified)


def test_the_later_of_two_edits_is_refused(office: Client, council: dict[str, Any]) -> None:
    jos = council["jos"]
    seen = md.version_of(jos)
    md.save_gremium(jos.body, md.GremiumFields(name="Sozialausschuss", short_name="JOS", kind=jos.kind,
                                               start_date=TERM_START, end_date=TERM_END),
                    organization=jos, expected_version=seen)
    response = office.post(f"{BASE}gremien/{jos.pk}/", _gremium_data(jos, version=seen, name="Ordnungsausschuss"))
    assert response.status_code == 400
    assert "inzwischen von jemand anderem geändert" in response.content.decode()
    assert Organization.objects.get(pk=jos.pk).name == "Sozialausschuss"
    missing = office.post(f"{BASE}gremien/{jos.pk}/", _gremium_data(jos, version="", name="Ohne Stand"))
    assert missing.status_code == 400 and Organization.objects.get(pk=jos.pk).name == "Sozialausschuss"


def test_the_sitzungsregeln_are_kept_on_the_gremium_screen(office: Client, council: dict[str, Any]) -> None:
    jos = council["jos"]
    url = f"{BASE}gremien/{jos.pk}/sitzungsregeln/"
    response = office.post(url, {"version": md.version_of(jos), "invitation_period_days": "10", "signatory": "vorsitz",
                                 "signatory_name": "Erika Muster", "statutory_members": "11", "hybrid_allowed": "on",
                                 "nkomvg_checks": "nein"})
    assert response.status_code == 302
    rules = rules_for(Organization.objects.get(pk=jos.pk))
    assert (rules.invitation_period_days, rules.signatory, rules.statutory_members, rules.hybrid_allowed,
            rules.nkomvg_checks) == (10, "vorsitz", 11, True, False)
    bad = office.post(url, {"version": md.version_of(Organization.objects.get(pk=jos.pk)), "invitation_period_days": "0",
                            "signatory": "jemand", "statutory_members": "x"})
    assert bad.status_code == 400
    errors = bad.context["rules_form"].errors
    assert {"invitation_period_days", "signatory", "statutory_members"} <= set(errors)
    assert GremiumRules.objects.get(organization=jos).invitation_period_days == 10
    stale = office.post(url, {"version": 1, "invitation_period_days": "3"})
    assert stale.status_code == 400 and GremiumRules.objects.get(organization=jos).invitation_period_days == 10


def _names(organization: Organization) -> list[str]:
    return [item["name"] for item in rules_for(Organization.objects.get(pk=organization.pk)).fixed_items]


def test_the_fixed_agenda_items_are_added_moved_and_removed(office: Client, council: dict[str, Any]) -> None:
    jos = council["jos"]
    url = f"{BASE}gremien/{jos.pk}/feste-punkte/"
    defaults = [item["name"] for item in DEFAULT_FIXED_ITEMS]
    assert _names(jos) == defaults
    page = office.get(f"{BASE}gremien/{jos.pk}/").content.decode()
    assert all(name in page for name in defaults)

    def version() -> int:
        return md.version_of(Organization.objects.get(pk=jos.pk))

    added = office.post(url, {"version": version(), "name": "Personalangelegenheiten", "public": "n", "place": "end"})
    assert added.status_code == 302
    stored = GremiumRules.objects.get(organization=jos).fixed_items
    assert stored[-1] == {"name": "Personalangelegenheiten", "public": False, "place": "end"}
    assert [i.get("kind") for i in stored if i.get("kind")] == ["niederschrift", "bekanntgabe"]  # kinds survive
    assert office.post(url, {"version": version(), "action": "up", "index": len(defaults)}).status_code == 302
    assert _names(jos)[-2:] == ["Personalangelegenheiten", defaults[-1]]
    assert office.post(url, {"version": version(), "action": "remove", "index": 0}).status_code == 302
    assert _names(jos)[0] == defaults[1]
    # refused: a duplicate, an index beyond the list, moving the first one up, a stale version
    for data, message in (
        ({"version": version(), "name": "anfragen", "public": "oe", "place": "end"}, "schon ein fester Tagesordnungspunkt"),
        ({"version": version(), "action": "remove", "index": 50}, "gibt es nicht"),
        ({"version": version(), "action": "up", "index": 0}, "schon an dieser Grenze"),
        ({"version": version() - 1, "action": "down", "index": 0}, "inzwischen von jemand anderem geändert"),
        ({"version": version(), "name": "", "public": "oe", "place": "start"}, "zwingend erforderlich"),
    ):
        before = _names(jos)
        response = office.post(url, data)
        assert response.status_code == 400 and message in response.content.decode(), data
        assert _names(jos) == before
    assert office.post(url, {"version": version(), "action": "reset"}).status_code == 302
    assert _names(jos) == defaults


# --- Personen ------------------------------------------------------------------------------------


def test_persons_are_filtered_by_name_and_paged_by_key(office: Client, council: dict[str, Any], body: Body) -> None:
    Person.objects.bulk_create(Person(body=body, family_name=f"Zander {n:03}", name=f"Z. Zander {n:03}", slug=f"z-{n}")
                               for n in range(75))
    Membership.objects.create(person=council["anna"], organization=council["gruppe"], start_date=TERM_START)
    first = office.get(f"{BASE}personen/")
    page_one = [p.pk for p in first.context["rows"]]
    assert len(page_one) == 50 and "GKL" in first.content.decode()  # Anna Meyer's Gruppe
    nxt = re.search(r'href="\?nach=(\d+)"', first.content.decode())
    assert nxt is not None
    second = office.get(f"{BASE}personen/?nach={nxt.group(1)}")
    page_two = [p.pk for p in second.context["rows"]]
    assert len(page_one) + len(page_two) == 76 and not set(page_one) & set(page_two)
    assert second.context["more"] is None
    found = office.get(f"{BASE}personen/?name=meyer").context["rows"]
    assert [p.name for p in found] == ["Anna Meyer"]


def test_a_person_is_created_and_edited_with_profile_and_account_shown(office: Client, council: dict[str, Any],
                                                                      ratsfrau: User) -> None:
    response = office.post(f"{BASE}personen/neu/", {
        "titles": "Dr.", "given_name": "Hannes", "family_name": "Brinkmann", "electoral_area": "Ahlhorn",
        "public_contact": "hannes@example.org", "contact_consent": "on",
    })
    hannes = Person.objects.get(family_name="Brinkmann")
    assert response.status_code == 302 and hannes.name == "Dr. Hannes Brinkmann" and hannes.titles == ["Dr."]
    own = Person.objects.get(user=ratsfrau)
    assert "Benutzerkonto: ratsfrau" in office.get(f"{BASE}personen/{own.pk}/").content.decode()
    photo = SimpleUploadedFile("foto.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
    data = {"version": md.version_of(hannes), "given_name": "Hannes", "family_name": "Brinkmann", "photo": photo}
    without_alt = office.post(f"{BASE}personen/{hannes.pk}/", data)
    assert without_alt.status_code == 400 and "Foto kurz beschreiben" in str(without_alt.context["form"].errors["photo_alt"])
    assert not Person.objects.get(pk=hannes.pk).photo
    photo.seek(0)
    saved = office.post(f"{BASE}personen/{hannes.pk}/", {**data, "photo": photo, "photo_alt": "Porträt von Hannes Brinkmann"})
    assert saved.status_code == 302 and Person.objects.get(pk=hannes.pk).photo


def test_bad_person_input_is_refused_at_the_field(office: Client, council: dict[str, Any]) -> None:
    anna = council["anna"]
    seen = md.version_of(anna)
    empty = office.post(f"{BASE}personen/{anna.pk}/", {"version": seen, "given_name": "Anna", "family_name": ""})
    assert empty.status_code == 400 and "family_name" in empty.context["form"].errors
    exe = SimpleUploadedFile("foto.exe", b"MZ", content_type="application/octet-stream")
    wrong = office.post(f"{BASE}personen/{anna.pk}/", {"version": seen, "family_name": "Meyer", "photo": exe, "photo_alt": "x"})
    assert wrong.status_code == 400 and "PNG oder JPG" in str(wrong.context["form"].errors["photo"])
    md.save_person(anna.body, md.PersonFields(family_name="Meyer-Lutz", given_name="Anna"), person=anna, expected_version=seen)
    stale = office.post(f"{BASE}personen/{anna.pk}/", {"version": seen, "given_name": "Anna", "family_name": "Schulz"})
    assert stale.status_code == 400 and "inzwischen von jemand anderem geändert" in stale.content.decode()
    assert Person.objects.get(pk=anna.pk).family_name == "Meyer-Lutz"


# --- Mitgliedschaften ----------------------------------------------------------------------------


def _member(office: Client, council: dict[str, Any], person: Person, **fields: Any) -> Any:
    jos = council["jos"]
    data = {"person": person.pk, "organization": jos.pk, "role": "Mitglied", "voting_right": "on",
            "start_date": "2021-11-01", **fields}
    return office.post(f"{BASE}gremien/{jos.pk}/mitglieder/", {k: v for k, v in data.items() if v is not None})


def test_memberships_are_added_ended_and_kept_as_history(office: Client, council: dict[str, Any]) -> None:
    anna, jos = council["anna"], council["jos"]
    assert _member(office, council, anna).status_code == 302
    membership = Membership.objects.get(person=anna, organization=jos)
    overlap = _member(office, council, anna, start_date="2023-01-01")
    assert overlap.status_code == 400 and "schon die Rolle" in str(overlap.context["form"].errors["start_date"])
    assert _member(office, council, anna, role="Vorsitz").status_code == 302  # another role at the same time
    url = f"{BASE}mitgliedschaften/{membership.pk}/beenden/"
    early = office.post(url, {"version": md.version_of(membership), "end_date": "2020-01-01"})
    assert early.status_code == 400 and "nicht vor dem Beginn" in early.content.decode()
    assert office.post(url, {"version": md.version_of(membership), "end_date": "2024-03-31"}).status_code == 302
    ended = Membership.objects.get(pk=membership.pk)
    assert ended.end_date == date(2024, 3, 31) and not ended.deleted
    assert "31.03.2024" in office.get(f"{BASE}personen/{anna.pk}/").content.decode()
    again = _member(office, council, anna, start_date="2024-04-01")  # after the end: a new membership
    assert again.status_code == 302 and Membership.objects.filter(person=anna, organization=jos, role="Mitglied").count() == 2


def test_a_deputy_must_belong_to_the_group_they_stand_in_for(office: Client, council: dict[str, Any], body: Body) -> None:
    anna, gruppe = council["anna"], council["gruppe"]
    without_group = _member(office, council, anna, deputy="on", role="Vertreterin")
    assert without_group.status_code == 400 and "bitte diese angeben" in str(without_group.context["form"].errors["on_behalf_of"])
    outsider = _member(office, council, anna, deputy="on", role="Vertreterin", on_behalf_of=gruppe.pk)
    assert outsider.status_code == 400 and "nicht für den ganzen Zeitraum Mitglied der Gruppe" in str(outsider.context["form"].errors["on_behalf_of"])
    assert not Membership.objects.filter(organization=council["jos"]).exists()
    Membership.objects.create(person=anna, organization=gruppe, start_date=TERM_START)
    assert _member(office, council, anna, deputy="on", role="Vertreterin", on_behalf_of=gruppe.pk).status_code == 302
    not_a_group = _member(office, council, anna, role="Mitglied", on_behalf_of=council["rat"].pk)
    assert not_a_group.status_code == 400 and "on_behalf_of" in not_a_group.context["form"].errors


def test_a_membership_is_corrected_with_a_version_check(office: Client, council: dict[str, Any]) -> None:
    membership = Membership.objects.create(person=council["anna"], organization=council["jos"], start_date=TERM_START)
    url = f"{BASE}mitgliedschaften/{membership.pk}/"
    seen = md.version_of(membership)
    data = {"version": seen, "person": council["anna"].pk, "organization": council["jos"].pk, "role": "Vorsitz",
            "start_date": "2021-11-01"}
    assert office.post(url, data).status_code == 302
    fresh = Membership.objects.get(pk=membership.pk)
    assert (fresh.role, fresh.voting_right) == ("Vorsitz", False)
    stale = office.post(url, {**data, "role": "Mitglied"})
    assert stale.status_code == 400 and Membership.objects.get(pk=membership.pk).role == "Vorsitz"
    moved = office.post(url, {**data, "version": md.version_of(fresh), "organization": council["rat"].pk})
    assert moved.status_code == 400 and Membership.objects.get(pk=membership.pk).organization == council["jos"]


# --- Orte ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("data", "field"), [
    ({"description": "Rathaus", "latitude": "91", "longitude": "8.2"}, "latitude"),
    ({"description": "Rathaus", "latitude": "52.9", "longitude": "-181"}, "longitude"),
    ({"description": "Rathaus", "latitude": "52.9"}, "longitude"),
    ({"description": "Rathaus", "latitude": "nan", "longitude": "8"}, "latitude"),
    ({"description": "Rathaus", "postal_code": "2680"}, "postal_code"),
    ({"room": "Saal"}, "description"),
])
def test_bad_places_are_refused_at_the_field(office: Client, council: dict[str, Any], data: dict[str, str], field: str) -> None:
    response = office.post(f"{BASE}orte/neu/", data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not Location.objects.exists()


def test_a_place_is_kept_with_address_and_coordinates(office: Client, council: dict[str, Any]) -> None:
    response = office.post(f"{BASE}orte/neu/", {"description": "Rathaus", "room": "Ratssaal", "street_address": "Markt 1",
                                                "postal_code": "26197", "locality": "Großenkneten",
                                                "latitude": "52.9436", "longitude": "8.2576"})
    place = Location.objects.get()
    assert response.status_code == 302 and place.geojson == {"type": "Point", "coordinates": [8.2576, 52.9436]}
    edit = office.get(f"{BASE}orte/{place.pk}/").content.decode()
    assert 'value="52.9436"' in edit
    changed = office.post(f"{BASE}orte/{place.pk}/", {"version": md.version_of(place), "description": "Rathaus",
                                                      "street_address": "Markt 1"})
    assert changed.status_code == 302 and Location.objects.get().geojson is None
    stale = office.post(f"{BASE}orte/{place.pk}/", {"version": md.version_of(place), "description": "Alt"})
    assert stale.status_code == 400 and Location.objects.get().description == "Rathaus"
