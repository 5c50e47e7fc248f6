"""The Sitzungsdienst's screen for the change of Wahlperiode at /verwaltung/wahlperiode/."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from ratsinfo.bodies import term_change as tc
from ratsinfo.bodies.models import Body, LegislativeTerm, Membership, Organization, SeatPlan
from ratsinfo.bodies.roles import BUERGERMEISTER, RATSMITGLIED, SACHBEARBEITUNG
from ratsinfo.meetings.models import Meeting
from tests.conftest import account, login_with_second_factor
from tests.domain.test_term_change import COUNCIL, NEW_END, NEW_START, OldTerm

URL = "/verwaltung/wahlperiode/"


@pytest.fixture
def old(body: Body) -> OldTerm:
    return OldTerm(body)


@pytest.fixture
def office(sitzungsdienst: User) -> Client:
    return login_with_second_factor(Client(), sitzungsdienst)


def _text(response: Any) -> str:
    return response.content.decode()


def _open(office: Client) -> LegislativeTerm:
    response = office.post(URL, {"start": NEW_START.isoformat(), "end": NEW_END.isoformat()})
    assert response.status_code == 302
    return LegislativeTerm.objects.get(name="Wahlperiode 2026-2031")


def _elect(office: Client, old: OldTerm, term: LegislativeTerm) -> None:
    at = 1
    for name, short, kind, size in COUNCIL:
        members = old.persons[at:at + size]
        response = office.post(f"{URL}{term.pk}/rat/", {
            "name": name, "short_name": short, "kind": kind, "persons": [p.pk for p in members], "chair": members[0].pk,
        })
        assert response.status_code == 302, _text(response)
        at += size


def test_the_sitzungsdienst_walks_through_the_change(office: Client, old: OldTerm) -> None:
    left = account("ausgeschieden", RATSMITGLIED)
    old.persons[0].user = left
    old.persons[0].save()
    assert office.get(URL).status_code == 200
    term = _open(office)
    _elect(office, old, term)  # takes the Rat over on the first entry
    assert office.post(f"{URL}{term.pk}/gremien/", {"confirm": "on"}).status_code == 302
    page = _text(office.get(f"{URL}{term.pk}/"))
    assert "Jugend-, Ordnungs- und Sozialausschuss" in page and "fortgeführt aus der bisherigen Wahlperiode" in page
    jos = tc.term_organizations(term).get(short_name="JOS")
    response = office.post(f"{URL}{term.pk}/sitze/", {"committee": jos.pk, "seats": 10, "method": "dhondt"}, follow=True)
    assert "Gleichstand um 1 Sitz(e) zwischen" in _text(response)
    plan = SeatPlan.objects.get(organization=jos)
    plan_url = f"{URL}{term.pk}/sitze/{plan.pk}/"
    assert "am Losentscheid beteiligt" in _text(office.get(plan_url))
    spd = Organization.objects.get(name="SPD-Fraktion", start_date=NEW_START)
    response = office.post(plan_url, {"action": "los", "winners": [spd.pk]}, follow=True)
    assert "Los gezogen: SPD-Fraktion" in _text(response)
    # A Grüne member nominated by the SPD is refused at the form, nothing saved.
    response = office.post(plan_url, {"action": "besetzen", "group": spd.pk, "person": old.persons[23].pk, "role": "Mitglied"})
    assert response.status_code == 400 and "gehört nicht der SPD-Fraktion an" in _text(response)
    assert not Membership.objects.filter(organization=jos).exists()
    response = office.post(plan_url, {"action": "besetzen", "group": spd.pk, "person": old.persons[13].pk, "role": "Mitglied"})
    assert response.status_code == 302
    assert Membership.objects.get(organization=jos).on_behalf_of == spd
    response = office.post(f"{URL}{term.pk}/konstituierende-sitzung/", {"day": "2026-11-12", "time": "18:00"})
    assert response.status_code == 302
    session = Meeting.objects.get(name__startswith="Konstituierende Sitzung")
    assert session.agenda_items.filter(name__contains="§ 60 NKomVG").exists()
    preview = office.get(f"{URL}{term.pk}/konten/")
    assert "Ratsmitglied 00" in _text(preview) and "Ratsmitglied 01" not in _text(preview)
    assert office.post(f"{URL}{term.pk}/konten/", {"persons": [old.persons[0].pk]}).status_code == 302
    left.refresh_from_db()
    assert left.is_active is False


def test_bad_input_gets_german_messages_at_the_field(office: Client, old: OldTerm) -> None:
    response = office.post(URL, {"start": "2031-10-31", "end": "2026-11-01"})
    assert response.status_code == 400 and "Das Ende muss nach dem Beginn liegen." in _text(response)
    response = office.post(URL, {"start": "morgen", "end": ""})
    assert response.status_code == 400 and "Bitte ein gültiges Datum eingeben" in _text(response)
    assert not LegislativeTerm.objects.filter(name__contains="2031").exists()
    term = _open(office)
    response = office.post(f"{URL}{term.pk}/rat/", {"name": "Einzelfraktion", "kind": "fraktion", "persons": [old.persons[1].pk]})
    assert response.status_code == 400 and "mindestens zwei Ratsmitgliedern" in _text(response)
    assert not Organization.objects.filter(name="Einzelfraktion").exists()
    response = office.post(f"{URL}{term.pk}/rat/", {"kind": "partei", "persons": ["99999999999999999999"]})
    assert response.status_code == 400 and "Auswahl" in _text(response)
    response = office.post(f"{URL}{term.pk}/sitze/", {"committee": old.jos.pk, "seats": "neun", "method": "losen"})
    assert response.status_code == 400 and "ganze Zahl" in _text(response)
    response = office.post(f"{URL}{term.pk}/gremien/", {})
    assert response.status_code == 400 and "Bitte bestätigen." in _text(response)
    response = office.post(f"{URL}{term.pk}/konstituierende-sitzung/", {"day": "2027-03-01", "time": "18:00"})
    assert response.status_code == 400 and "Rat der neuen Wahlperiode fehlt" in _text(response)
    assert office.get(f"{URL}99999999999999999999/").status_code == 404


@pytest.mark.parametrize("role", [None, RATSMITGLIED, SACHBEARBEITUNG, BUERGERMEISTER])
def test_nobody_else_opens_the_screen(old: OldTerm, role: str | None) -> None:
    term = tc.open_term(old.body, NEW_START, NEW_END)
    client = Client()
    if role is None:
        assert client.get(URL).status_code == 302  # to the login
        return
    user = account(f"konto-{role[:5].lower()}", role, staff=role != RATSMITGLIED)
    login_with_second_factor(client, user)
    for url in (URL, f"{URL}{term.pk}/", f"{URL}{term.pk}/konten/"):
        assert client.get(url).status_code == 404
    assert client.post(URL, {"start": "2031-11-01", "end": "2036-10-31"}).status_code == 404
    assert LegislativeTerm.objects.count() == 2


def test_the_term_page_needs_a_bounded_number_of_queries(
    office: Client, old: OldTerm, django_assert_max_num_queries: Any
) -> None:
    term = tc.open_term(old.body, NEW_START, NEW_END)
    for name, short, kind, size in COUNCIL[:3]:
        members = old.persons[1:][:size] if short == "CDU" else old.persons[13:23] if short == "SPD" else old.persons[23:28]
        tc.enter_council_group(term, members, name=name, short_name=short, kind=kind)
    for committee in tc.seated_committees(term):
        tc.plan_seats(committee, term, 9, "hare_niemeyer")
    with django_assert_max_num_queries(40):
        assert office.get(f"{URL}{term.pk}/").status_code == 200
    plan = SeatPlan.objects.filter(term=term).first()
    assert plan is not None
    with django_assert_max_num_queries(40):
        assert office.get(f"{URL}{term.pk}/sitze/{plan.pk}/").status_code == 200
