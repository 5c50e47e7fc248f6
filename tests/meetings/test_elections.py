"""Elections under § 67 NKomVG and votes recorded by name on demand (§ 68), through the recording service."""

from __future__ import annotations

import pytest

from ratsinfo.meetings.models import (
    AgendaItem,
    AgendaItemRecord,
    AgendaItemResult,
    AttendanceStatus,
    ItemKind,
    Meeting,
    RecordedVote,
    Vote,
)
from ratsinfo.meetings.planning import add_item
from ratsinfo.meetings.recording import (
    MeetingError,
    dispute_quorum,
    election_majority,
    record_attendance,
    record_election,
    record_own_vote,
    record_result,
    remove_own_vote,
    workflow_of,
)
from tests.meetings.conftest import Council

pytestmark = pytest.mark.django_db


def _meeting(council: Council, present: int = 9) -> Meeting:
    meeting = council.meeting()
    for index, person in enumerate(council.members):
        record_attendance(meeting, person, AttendanceStatus.PRESENT if index < present else AttendanceStatus.EXCUSED)
    return meeting


def _election(meeting: Meeting) -> AgendaItem:
    return add_item(meeting, "Wahl der stellvertretenden Ausschussvorsitzenden", kind=ItemKind.ELECTION)


def test_a_majority_of_the_members_elects_in_the_first_round(council: Council) -> None:
    item = _election(_meeting(council))
    assert election_majority(9) == 5
    result = record_election(item, {"Anna Albers": 5, "Bernd Brandt": 4})
    assert result["method"] == "stimmzettel" and result["elected"] == "Anna Albers"
    item.refresh_from_db()
    assert item.result == "gewählt: Anna Albers"
    assert item.resolution_text == (
        "Wahl durch Stimmzettel. 1. Wahlgang: Anna Albers 5, Bernd Brandt 4. Gewählt ist Anna Albers."
    )
    assert AgendaItemRecord.objects.get(item=item).kind == ItemKind.ELECTION


def test_the_majority_counts_the_members_not_those_present(council: Council) -> None:
    # Six of nine present, four votes for Anna: most votes, but not more than half of the nine members.
    item = _election(_meeting(council, present=6))
    result = record_election(item, {"Anna Albers": 4, "Bernd Brandt": 2})
    assert result["elected"] == ""
    item.refresh_from_db()
    assert item.result == "zweiter Wahlgang erforderlich"
    assert "Niemand hat die erforderliche Mehrheit von 5 Stimmen erreicht." in item.resolution_text


def test_show_of_hands_only_with_one_candidate_and_no_objection(council: Council) -> None:
    item = _election(_meeting(council))
    with pytest.raises(MeetingError, match="genau eine Bewerbung"):
        record_election(item, {"Anna Albers": 5, "Bernd Brandt": 4}, method="handzeichen")
    with pytest.raises(MeetingError, match="widerspricht"):
        record_election(item, {"Anna Albers": 9}, method="handzeichen", objection=True)
    with pytest.raises(MeetingError, match="keine ungültigen"):
        record_election(item, {"Anna Albers": 8}, method="handzeichen", invalid=1)
    result = record_election(item, {"Anna Albers": 7}, method="handzeichen", no=1, abstain=1)
    assert result["method"] == "handzeichen" and result["elected"] == "Anna Albers"
    item.refresh_from_db()
    assert item.resolution_text.startswith("offene Wahl durch Handzeichen. 1. Wahlgang: Anna Albers 7 (Nein 1, Enthaltungen 1).")


def test_one_members_demand_makes_the_election_secret_and_no_vote_is_recorded_by_name(council: Council) -> None:
    item = _election(_meeting(council))
    record_own_vote(item, council.members[0], Vote.YES)
    with pytest.raises(MeetingError, match="geheime Wahl"):
        record_election(item, {"Anna Albers": 9}, method="handzeichen", secret_demanded=True)
    result = record_election(item, {"Anna Albers": 6, "Bernd Brandt": 3}, secret_demanded=True)
    assert result["method"] == "geheim" and result["elected"] == "Anna Albers"
    assert not RecordedVote.objects.filter(item=item).exists()
    with pytest.raises(MeetingError, match="geheimen Wahl"):
        record_own_vote(item, council.members[1], Vote.NO)


def test_second_round_most_votes_win_and_a_tie_is_decided_by_the_drawn_lot(council: Council) -> None:
    item = _election(_meeting(council))
    with pytest.raises(MeetingError, match="zweiter Wahlgang findet nur statt"):
        record_election(item, {"Anna Albers": 4, "Bernd Brandt": 4}, round_number=2)
    record_election(item, {"Anna Albers": 4, "Bernd Brandt": 4, "Clara Cordes": 1})
    with pytest.raises(MeetingError, match="Stimmengleichheit zwischen Anna Albers und Bernd Brandt"):
        record_election(item, {"Anna Albers": 4, "Bernd Brandt": 4}, round_number=2)
    with pytest.raises(MeetingError, match="das Los entscheidet"):
        record_election(item, {"Anna Albers": 4, "Bernd Brandt": 4}, round_number=2, lot_winner="Clara Cordes")
    drawn = record_election(item, {"Anna Albers": 4, "Bernd Brandt": 4}, round_number=2, lot_winner="bernd brandt")
    assert drawn["elected"] == "Bernd Brandt" and drawn["by_lot"] is True
    assert [r["round"] for r in drawn["rounds"]] == [1, 2]
    item.refresh_from_db()
    assert item.result == "gewählt: Bernd Brandt"
    assert "1. Wahlgang: Anna Albers 4, Bernd Brandt 4, Clara Cordes 1." in item.resolution_text
    assert "das von der/dem Vorsitzenden gezogene Los für Bernd Brandt entschieden" in item.resolution_text
    # In the second round a relative majority is enough, whatever the number of members.
    plain = record_election(item, {"Anna Albers": 3, "Bernd Brandt": 2}, round_number=2)
    assert plain["elected"] == "Anna Albers" and plain["by_lot"] is False


def test_no_second_round_after_a_first_round_that_elected(council: Council) -> None:
    item = _election(_meeting(council))
    record_election(item, {"Anna Albers": 6, "Bernd Brandt": 3})
    with pytest.raises(MeetingError, match="zweiter Wahlgang findet nur statt"):
        record_election(item, {"Anna Albers": 5, "Bernd Brandt": 4}, round_number=2)


def test_a_lot_is_refused_where_there_is_no_tie_in_the_second_round(council: Council) -> None:
    item = _election(_meeting(council))
    with pytest.raises(MeetingError, match="nur bei Stimmengleichheit im zweiten Wahlgang"):
        record_election(item, {"Anna Albers": 4, "Bernd Brandt": 4}, lot_winner="Anna Albers")
    record_election(item, {"Anna Albers": 4, "Bernd Brandt": 4})
    with pytest.raises(MeetingError, match="nur bei Stimmengleichheit"):
        record_election(item, {"Anna Albers": 5, "Bernd Brandt": 4}, round_number=2, lot_winner="Bernd Brandt")
    with pytest.raises(MeetingError, match="niemand eine Stimme"):
        record_election(item, {"Anna Albers": 0, "Bernd Brandt": 0}, round_number=2, lot_winner="Anna Albers")


@pytest.mark.parametrize(
    ("votes", "kwargs", "message"),
    [
        ({"Anna Albers": 6, "Bernd Brandt": 4}, {}, "10 Stimmen gezählt, aber nur 9 Stimmberechtigte"),
        ({"Anna Albers": 6}, {"no": 2, "abstain": 1, "invalid": 1}, "10 Stimmen gezählt"),
        ({}, {}, "Mindestens eine Bewerberin"),
        ({"  ": 3}, {}, "braucht einen Namen"),
        ({"Anna Albers": 3, "anna  albers": 2}, {}, "zweimal"),
        ({"Anna Albers": -1}, {}, "negativ"),
        ({"Anna Albers": 5}, {"abstain": -1}, "negativ"),
        ({"Anna Albers": 5}, {"method": "zuruf"}, "Wahlverfahren"),
        ({"Anna Albers": 5}, {"round_number": 3}, "zweiten Wahlgang"),
    ],
)
def test_impossible_elections_are_refused(council: Council, votes: dict[str, int], kwargs: dict, message: str) -> None:  # type: ignore[type-arg]
    item = _election(_meeting(council))
    with pytest.raises(MeetingError, match=message):
        record_election(item, votes, **kwargs)
    assert not AgendaItem.objects.get(pk=item.pk).result


def test_no_election_once_the_quorum_is_found_lacking(council: Council) -> None:
    meeting = _meeting(council, present=4)
    item = _election(meeting)
    dispute_quorum(meeting)
    with pytest.raises(MeetingError, match="Beschlussunfähigkeit"):
        record_election(item, {"Anna Albers": 4})


def test_a_stale_version_is_refused_for_an_election(council: Council) -> None:
    meeting = _meeting(council)
    item = _election(meeting)
    seen = workflow_of(meeting).version
    record_election(item, {"Anna Albers": 6}, version=seen)
    with pytest.raises(MeetingError, match="inzwischen"):
        record_election(item, {"Anna Albers": 3}, version=seen)
    assert AgendaItem.objects.get(pk=item.pk).result == "gewählt: Anna Albers"


def test_a_conference_elects_without_counting_attendance(council: Council) -> None:
    meeting = council.meeting(council.conference)
    item = add_item(meeting, "Wahl der Sprecherin", kind=ItemKind.ELECTION)
    # Nobody is a member of the conference: no attendance count, no quorum.
    assert record_election(item, {"Anna Albers": 12}, method="handzeichen")["method"] == "handzeichen"


# ---------------------------------------------------------------------------------------------
# § 68: a member's demand that their own vote is recorded


def _decided(council: Council, meeting: Meeting) -> AgendaItem:
    item = add_item(meeting, "Zuschuss für den Jugendtreff")
    record_result(item, AgendaItemResult.MEHRHEITLICH, yes=5, no=2, abstain=1)
    return item


def test_own_votes_are_recorded_changed_and_removed(council: Council) -> None:
    meeting = _meeting(council)
    item = _decided(council, meeting)
    record_own_vote(item, council.members[0], Vote.NO)
    record_own_vote(item, council.members[0], Vote.YES)
    assert RecordedVote.objects.get(item=item, person=council.members[0]).vote == Vote.YES
    remove_own_vote(item, council.members[0])
    assert not RecordedVote.objects.filter(item=item).exists()
    with pytest.raises(MeetingError, match="keine Stimme festgehalten"):
        remove_own_vote(item, council.members[0])


def test_own_votes_cannot_outnumber_the_counted_votes(council: Council) -> None:
    meeting = _meeting(council)
    item = _decided(council, meeting)
    record_own_vote(item, council.members[0], Vote.NO)
    record_own_vote(item, council.members[1], Vote.NO)
    with pytest.raises(MeetingError, match="3 Nein-Stimmen namentlich festgehalten, gezählt wurden aber nur 2"):
        record_own_vote(item, council.members[2], Vote.NO)
    with pytest.raises(MeetingError, match="gezählt wurden aber nur 1"):
        record_result(item, AgendaItemResult.MEHRHEITLICH, yes=6, no=1, abstain=1)
    assert RecordedVote.objects.filter(item=item).count() == 2


def test_only_a_member_present_with_a_vote_has_an_own_vote(council: Council) -> None:
    meeting = _meeting(council, present=8)
    item = _decided(council, meeting)
    with pytest.raises(MeetingError, match="nicht als stimmberechtigtes Mitglied anwesend"):
        record_own_vote(item, council.members[8], Vote.YES)
    with pytest.raises(MeetingError, match="nicht als stimmberechtigtes Mitglied anwesend"):
        record_own_vote(item, council.deputies[0], Vote.YES)
    with pytest.raises(MeetingError, match="Unbekannte Stimme"):
        record_own_vote(item, council.members[0], "vielleicht")
