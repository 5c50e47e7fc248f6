"""An election under § 67 NKomVG on the recording screen in a real browser: a first round without the
majority of the members, a second round with a tie decided by the drawn lot, an impossible show of hands
refused, and a member's own vote recorded on demand (§ 68). axe-core checks the screen with its forms."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from ratsinfo.bodies.models import Body
from ratsinfo.meetings.models import AgendaItem, AttendanceStatus, ItemKind, RecordedVote
from ratsinfo.meetings.planning import add_item
from ratsinfo.meetings.recording import record_attendance
from tests.browser.conftest import assert_accessible
from tests.browser.test_meeting_cycle import _logged_in
from tests.meetings.conftest import build_council

pytestmark = pytest.mark.usefixtures("transactional_db")


def _fill(group: Any, names: list[str], votes: list[int]) -> None:
    for row, (name, count) in enumerate(zip(names, votes, strict=True), start=1):
        group.get_by_label(f"Bewerbung {row}: Name").fill(name)
        group.get_by_label(f"Bewerbung {row}: Stimmen").fill(str(count))


def test_an_election_with_a_second_round_and_a_lot(browser: Any, live_server: Any) -> None:
    council = build_council(Body.objects.create(name="Gemeinde Großenkneten", short_name="Großenkneten"))
    meeting = council.meeting(day=timezone.localdate() + dt.timedelta(days=1))
    for person in council.members:
        record_attendance(meeting, person, AttendanceStatus.PRESENT)
    election = add_item(meeting, "Wahl der stellvertretenden Vorsitzenden", kind=ItemKind.ELECTION)
    decision = add_item(meeting, "Zuschuss für den Jugendtreff")
    page = _logged_in(browser, live_server)
    page.goto(f"/verwaltung/sitzungen/{meeting.pk}/protokoll/")
    assert_accessible(page)

    group = page.get_by_role("group", name=re.compile("Wahl der stellvertretenden Vorsitzenden"))
    assert group.get_by_label("Wahlverfahren").input_value() == "stimmzettel"
    group.get_by_label("Wahlverfahren").select_option("handzeichen")
    _fill(group, ["Anna Albers", "Bernd Brandt"], [5, 4])
    group.get_by_role("button", name="Wahlergebnis speichern").click()
    page.get_by_text("genau eine Bewerbung").first.wait_for()

    group = page.get_by_role("group", name=re.compile("Wahl der stellvertretenden Vorsitzenden"))
    group.get_by_label("Wahlverfahren").select_option("stimmzettel")
    _fill(group, ["Anna Albers", "Bernd Brandt", "Clara Cordes"], [4, 4, 1])
    group.get_by_role("button", name="Wahlergebnis speichern").click()
    page.get_by_text("ein zweiter Wahlgang ist erforderlich").first.wait_for()
    assert_accessible(page)

    # The screen offers the second round with the same candidates.
    group = page.get_by_role("group", name=re.compile("Wahl der stellvertretenden Vorsitzenden"))
    assert group.get_by_label(re.compile("^Wahlgang")).input_value() == "2"
    assert group.get_by_label("Bewerbung 2: Name").input_value() == "Bernd Brandt"
    _fill(group, ["Anna Albers", "Bernd Brandt", "Clara Cordes"], [4, 4, 0])
    group.get_by_role("button", name="Wahlergebnis speichern").click()
    page.get_by_text("das Los entscheidet").first.wait_for()

    group = page.get_by_role("group", name=re.compile("Wahl der stellvertretenden Vorsitzenden"))
    _fill(group, ["Anna Albers", "Bernd Brandt", "Clara Cordes"], [4, 4, 0])
    group.get_by_label(re.compile("Los gezogen für")).fill("Bernd Brandt")
    group.get_by_role("button", name="Wahlergebnis speichern").click()
    page.get_by_text("gewählt ist Bernd Brandt").first.wait_for()
    election.refresh_from_db()
    assert election.result == "gewählt: Bernd Brandt"
    assert "gezogene Los für Bernd Brandt" in page.content()

    # § 68: a member demands that their own vote on the next item is recorded.
    votes = page.get_by_role("group", name=re.compile(f"{re.escape(AgendaItem.objects.get(pk=decision.pk).number)}: eigene Stimme"))
    votes.get_by_label("Mitglied").select_option(label=council.members[2].name)
    votes.get_by_label("Stimme").select_option("nein")
    votes.get_by_role("button", name="Stimme festhalten").click()
    page.get_by_text(f"Auf Wunsch festgehalten: {council.members[2].name} stimmte Nein").first.wait_for()
    assert RecordedVote.objects.get(item=decision).person == council.members[2]
    assert_accessible(page)
