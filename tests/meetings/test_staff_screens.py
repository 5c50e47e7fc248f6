"""The Sitzungsdienst's screens at /verwaltung/sitzungen/: plan, compose, invite, record live (autosave
with version check), close, Beschlusskontrolle and Sitzungsgeld; who may use them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ratsinfo.bodies.roles import QUARTIERSMANAGEMENT
from ratsinfo.meetings.models import AgendaItem, AllowanceRate, Attendance, Meeting
from tests.conftest import account, login_with_second_factor
from tests.meetings.conftest import Council

pytestmark = pytest.mark.django_db
AUTOSAVE = {"HTTP_X_AUTOSAVE": "1"}


@pytest.fixture
def office(sitzungsdienst: User) -> Client:
    return login_with_second_factor(Client(), sitzungsdienst)


def _version(client: Client, meeting: Meeting) -> int:
    return int(client.get(f"/verwaltung/sitzungen/{meeting.pk}/protokoll/").context["version"])


def test_from_planning_to_the_recorded_vote(council: Council, office: Client, django_capture_on_commit_callbacks: Any) -> None:
    response = office.post("/verwaltung/sitzungen/", {
        "organization": council.jos.pk, "first_day": "2030-10-10", "time": "18:00", "interval_weeks": 4,
    })
    meeting = Meeting.objects.get(organizations=council.jos)
    assert response.status_code == 302 and response["Location"] == f"/verwaltung/sitzungen/{meeting.pk}/"
    page = office.get(response["Location"]).content.decode()
    assert "BV/0240/2021-2026" in page and "Einladung versenden" in page
    consultation = council.paper.consultations.get(organization=council.jos)
    office.post(f"/verwaltung/sitzungen/{meeting.pk}/tagesordnung/vorlagen/", {"consultations": [consultation.pk]})
    item = AgendaItem.objects.get(consultation=consultation)
    with django_capture_on_commit_callbacks(execute=True):
        office.post(f"/verwaltung/sitzungen/{meeting.pk}/einladung/", {"late_reason": ""})
    assert meeting.files.filter(role="invitation").exists()
    version = _version(office, meeting)
    person = council.members[0]
    answer = office.post(f"/verwaltung/sitzungen/{meeting.pk}/protokoll/anwesenheit/{person.pk}/", {
        f"a{person.pk}-version": version, f"a{person.pk}-person": person.pk, f"a{person.pk}-status": "anwesend",
        f"a{person.pk}-arrived": "18:00",
    }, **AUTOSAVE)
    assert answer.status_code == 200 and answer.json()["version"] == version + 1
    assert Attendance.objects.get(meeting=meeting, person=person).arrived == dt.time(18)
    # A second recorder with the old version is refused, nothing overwritten.
    stale = office.post(f"/verwaltung/sitzungen/{meeting.pk}/protokoll/anwesenheit/{person.pk}/", {
        f"a{person.pk}-version": version, f"a{person.pk}-person": person.pk, f"a{person.pk}-status": "fehlt",
    }, **AUTOSAVE)
    assert stale.status_code == 409 and "jemand anderem" in stale.json()["message"]
    assert Attendance.objects.get(meeting=meeting, person=person).status == "anwesend"
    for other in council.members[1:9]:
        Attendance.objects.create(meeting=meeting, person=other, status="anwesend")
    response = office.post(f"/verwaltung/sitzungen/{meeting.pk}/protokoll/top/{item.pk}/", {
        f"i{item.pk}-version": version + 1, f"i{item.pk}-item": item.pk, f"i{item.pk}-result": "mehrheitlich beschlossen",
        f"i{item.pk}-yes": 7, f"i{item.pk}-no": 2, f"i{item.pk}-abstain": 0, f"i{item.pk}-majority_rule": "einfach",
        f"i{item.pk}-resolution_text": "Dem Antrag wird nicht gefolgt.",
    }, follow=True)
    item.refresh_from_db()
    assert item.vote_summary == "Ja 7, Nein 2, Enthaltungen 0"
    assert "mehrheitlich beschlossen gespeichert" in response.content.decode()
    office.post(f"/verwaltung/sitzungen/{meeting.pk}/abschliessen/")
    assert meeting.files.filter(role="results_protocol").count() == 2


def test_impossible_votes_are_refused_with_a_german_message(council: Council, office: Client) -> None:
    meeting = council.meeting()
    item = AgendaItem.objects.filter(meeting=meeting).first()
    assert item is not None
    Attendance.objects.create(meeting=meeting, person=council.members[0], status="anwesend")
    response = office.post(f"/verwaltung/sitzungen/{meeting.pk}/protokoll/top/{item.pk}/", {
        f"i{item.pk}-version": _version(office, meeting), f"i{item.pk}-item": item.pk, f"i{item.pk}-result": "einstimmig beschlossen",
        f"i{item.pk}-yes": 5, f"i{item.pk}-majority_rule": "einfach",
    }, **AUTOSAVE)
    assert response.status_code == 409 and "nur 1 stimmberechtigte" in response.json()["message"]
    bad = office.post(f"/verwaltung/sitzungen/{meeting.pk}/protokoll/top/{item.pk}/", {f"i{item.pk}-yes": "viele"}, **AUTOSAVE)
    assert bad.status_code == 400


def test_the_quartiersmanagerin_plans_the_conference_but_not_the_council(council: Council) -> None:
    qm = login_with_second_factor(Client(), account("quartier", QUARTIERSMANAGEMENT, staff=True))
    page = qm.get("/verwaltung/sitzungen/")
    choices = page.context["form"].fields["organization"].queryset
    assert list(choices) == [council.conference]
    response = qm.post("/verwaltung/sitzungen/", {"organization": council.jos.pk, "first_day": "2030-01-10", "time": "18:00", "interval_weeks": 4})
    assert response.status_code == 200 and not Meeting.objects.exists()
    jos = council.meeting()
    assert qm.get(f"/verwaltung/sitzungen/{jos.pk}/").status_code == 404
    qm.post("/verwaltung/sitzungen/", {"organization": council.conference.pk, "first_day": "2030-01-10", "time": "18:00", "interval_weeks": 4})
    assert Meeting.objects.filter(organizations=council.conference).count() == 1


def test_a_council_member_and_the_public_find_no_meeting_screens(council: Council, ratsfrau: User, citizen_client: Client) -> None:
    meeting = council.meeting()
    member = Client()
    member.force_login(ratsfrau)
    assert member.get(f"/verwaltung/sitzungen/{meeting.pk}/protokoll/").status_code == 404
    assert citizen_client.get("/verwaltung/sitzungen/").status_code == 302


def test_the_meeting_list_runs_a_bounded_number_of_queries(council: Council, office: Client) -> None:
    from ratsinfo.meetings.planning import plan_series

    plan_series(council.jos, dt.date(2030, 1, 3), dt.date(2030, 6, 30), interval_weeks=2, time=dt.time(18))
    with CaptureQueriesContext(connection) as queries:
        assert office.get("/verwaltung/sitzungen/").status_code == 200
    assert len(queries) <= 20


def test_beschlusskontrolle_and_sitzungsgeld_exports(council: Council, office: Client) -> None:
    AllowanceRate.objects.create(body=council.body, valid_from=dt.date(2021, 1, 1), member_amount=Decimal("30"), chair_amount=Decimal("45"))
    meeting = council.meeting()
    Attendance.objects.create(meeting=meeting, person=council.members[0], status="anwesend")
    csv_response = office.get("/verwaltung/sitzungen/sitzungsgeld/", {"start": "2022-10-01", "end": "2022-10-31", "format": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv") and "Mitglied 1;1;0;30,00" in csv_response.content.decode("utf-8-sig")
    pdf = office.get("/verwaltung/sitzungen/sitzungsgeld/", {"start": "2022-10-01", "end": "2022-10-31", "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
    assert office.get("/verwaltung/sitzungen/sitzungsgeld/", {"start": "kein Datum"}).status_code == 200
    assert office.get("/verwaltung/sitzungen/beschlusskontrolle/", {"format": "pdf"}).content.startswith(b"%PDF")


def _election_post(item: AgendaItem, version: int, rows: list[tuple[str, int]], **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {f"w{item.pk}-version": version, f"w{item.pk}-item": item.pk, f"w{item.pk}-method": "stimmzettel",
                            f"w{item.pk}-round_number": 1}
    for row, (name, votes) in enumerate(rows, start=1):
        data[f"w{item.pk}-candidate_{row}"], data[f"w{item.pk}-votes_{row}"] = name, votes
    data.update({f"w{item.pk}-{key}": value for key, value in fields.items()})
    return data


def test_an_election_item_gets_the_election_form_and_its_rules(council: Council, office: Client) -> None:
    meeting = council.meeting()
    for person in council.members:
        Attendance.objects.create(meeting=meeting, person=person, status="anwesend")
    office.post(f"/verwaltung/sitzungen/{meeting.pk}/tagesordnung/punkt/", {"name": "Wahl der Schriftführung", "public": "on", "election": "on"})
    item = AgendaItem.objects.get(meeting=meeting, name="Wahl der Schriftführung")
    page = office.get(f"/verwaltung/sitzungen/{meeting.pk}/protokoll/").content.decode()
    assert f'action="/verwaltung/sitzungen/{meeting.pk}/protokoll/wahl/{item.pk}/"' in page
    assert f'id="id_w{item.pk}-candidate_1"' in page and f'id="id_i{item.pk}-result"' not in page
    url = f"/verwaltung/sitzungen/{meeting.pk}/protokoll/wahl/{item.pk}/"
    version = _version(office, meeting)
    hands = office.post(url, _election_post(item, version, [("Anna", 5), ("Bernd", 4)], method="handzeichen"), **AUTOSAVE)
    assert hands.status_code == 409 and "genau eine Bewerbung" in hands.json()["message"]
    too_many = office.post(url, _election_post(item, version, [("Anna", 6), ("Bernd", 4)]), **AUTOSAVE)
    assert too_many.status_code == 409 and "10 Stimmen gezählt, aber nur 9" in too_many.json()["message"]
    # Bad input is answered at the field, in German, before the service sees it.
    missing = office.post(url, _election_post(item, version, [("Anna", 5)], candidate_2="Bernd"), **AUTOSAVE)
    assert missing.status_code == 400 and "Bitte die Stimmen eintragen" in missing.json()["message"]
    twice = office.post(url, _election_post(item, version, [("Anna", 5), ("anna", 1)]), **AUTOSAVE)
    assert twice.status_code == 400 and "steht schon in einer anderen Zeile" in twice.json()["message"]
    other = office.post(url, _election_post(item, version, [("Anna", 5)]) | {f"w{item.pk}-item": item.pk + 1}, **AUTOSAVE)
    assert other.status_code == 400
    done = office.post(url, _election_post(item, version, [("Anna", 4), ("Bernd", 4), ("Clara", 1)]), follow=True)
    assert "ein zweiter Wahlgang ist erforderlich" in done.content.decode()
    form = office.get(f"/verwaltung/sitzungen/{meeting.pk}/protokoll/").context["item_forms"]
    (entry,) = [e for e in form if e["item"].pk == item.pk]
    assert entry["form"].initial["round_number"] == 2 and entry["form"].initial["candidate_3"] == "Clara"
    second = office.post(url, _election_post(item, _version(office, meeting), [("Anna", 4), ("Bernd", 4)], round_number=2, lot_winner="Anna"), **AUTOSAVE)
    assert second.status_code == 200 and "gewählt ist Anna" in second.json()["message"]
    item.refresh_from_db()
    assert item.result == "gewählt: Anna" and "Los für Anna" in item.resolution_text


def test_a_members_own_vote_is_recorded_on_the_screen_and_in_the_niederschrift(council: Council, office: Client) -> None:
    from ratsinfo.meetings.documents import _details
    from ratsinfo.meetings.planning import add_item

    meeting = council.meeting()
    for person in council.members:
        Attendance.objects.create(meeting=meeting, person=person, status="anwesend")
    item = add_item(meeting, "Zuschuss für den Jugendtreff")
    url = f"/verwaltung/sitzungen/{meeting.pk}/protokoll/stimme/{item.pk}/"
    member = council.members[3]
    answer = office.post(url, {f"s{item.pk}-version": _version(office, meeting), f"s{item.pk}-item": item.pk,
                               f"s{item.pk}-person": member.pk, f"s{item.pk}-vote": "nein"}, follow=True)
    assert f"Auf Wunsch festgehalten: {member.name} stimmte Nein" in answer.content.decode()
    assert f"{member.name}: Nein" in office.get(f"/verwaltung/sitzungen/{meeting.pk}/protokoll/").content.decode()
    assert f"Auf eigenen Wunsch festgehalten: {member.name} stimmte Nein." in _details(AgendaItem.objects.get(pk=item.pk))
    # A deputy who is not in the meeting is no choice; removing takes the vote out again.
    stranger = office.post(url, {f"s{item.pk}-version": _version(office, meeting), f"s{item.pk}-item": item.pk,
                                 f"s{item.pk}-person": council.va_members[0].pk, f"s{item.pk}-vote": "ja"}, **AUTOSAVE)
    assert stranger.status_code == 400
    removed = office.post(url, {f"s{item.pk}-version": _version(office, meeting), f"s{item.pk}-item": item.pk,
                                f"s{item.pk}-person": member.pk, f"s{item.pk}-vote": "entfernen"}, **AUTOSAVE)
    assert removed.status_code == 200 and not item.recorded_votes.exists()
