"""Recording a meeting under NKomVG: attendance, quorum (§ 65), § 41, majorities (§ 66), elections (§ 67),
own votes (§ 68), Vorberatung carried forward, vertagt, Beschlusskontrolle, concurrent recording."""

from __future__ import annotations

import datetime as dt

import pytest

from ratsinfo.meetings.models import (
    AgendaItemRecord,
    AgendaItemResult,
    AttendanceStatus,
    GremiumRules,
    Implementation,
    MajorityRule,
    QuorumState,
    StandIn,
    Vote,
)
from ratsinfo.meetings.planning import compose_agenda, waiting_papers
from ratsinfo.meetings.recording import (
    MeetingError,
    dispute_quorum,
    majority_reached,
    postpone_item,
    record_attendance,
    record_election,
    record_own_vote,
    record_result,
    resolution_diff,
    state_quorum,
    workflow_of,
)
from tests.meetings.conftest import RECOMMENDATION, Council

pytestmark = pytest.mark.django_db


def _attend(council: Council, meeting, n: int, status: str = AttendanceStatus.PRESENT) -> None:  # type: ignore[no-untyped-def]
    for person in council.members[:n]:
        record_attendance(meeting, person, status)
    for person in council.members[n:]:
        record_attendance(meeting, person, AttendanceStatus.EXCUSED)


def _seed_item(council: Council, meeting):  # type: ignore[no-untyped-def]
    (item,) = compose_agenda(meeting, waiting_papers(meeting))
    return item


def test_the_real_vote_of_06_10_2022_is_recorded_and_its_recommendation_goes_to_the_va(council: Council) -> None:
    jos = council.meeting()
    _attend(council, jos, 9)
    state_quorum(jos)
    item = _seed_item(council, jos)
    assert item.number.startswith("Ö ") and item.record.recommendation == RECOMMENDATION
    outcome = record_result(item, AgendaItemResult.MEHRHEITLICH, yes=7, no=2, abstain=0)
    assert outcome.adopted is True and outcome.warnings == []
    item.refresh_from_db()
    assert item.vote_summary == "Ja 7, Nein 2, Enthaltungen 0"
    assert item.resolution_text == RECOMMENDATION
    # Vorberatung only: no Beschlusskontrolle yet; the VA now finds the Vorlage waiting.
    assert not Implementation.objects.filter(item=item).exists()
    va = council.meeting(council.va, dt.date(2022, 10, 13))
    (step,) = waiting_papers(va)
    assert step.paper == council.paper


def test_the_authoritative_decision_of_a_beschlussvorlage_opens_the_beschlusskontrolle(council: Council) -> None:
    jos = council.meeting()
    record_result(_seed_item(council, jos), AgendaItemResult.GEAENDERT, resolution_text="Der Antrag wird in geänderter Form angenommen.")
    va = council.meeting(council.va, dt.date(2022, 10, 13))
    (item,) = compose_agenda(va, waiting_papers(va))
    assert item.public is False  # § 78: the VA meets non-publicly
    assert item.record.recommendation == "Der Antrag wird in geänderter Form angenommen."
    outcome = record_result(item, AgendaItemResult.UNGEAENDERT)
    assert outcome.implementation is not None and outcome.implementation.department == council.fb2


def test_a_tie_rejects_and_a_contradicting_result_is_flagged(council: Council) -> None:
    meeting = council.meeting()
    _attend(council, meeting, 9)
    item = _seed_item(council, meeting)
    outcome = record_result(item, AgendaItemResult.MEHRHEITLICH, yes=4, no=4, abstain=1)
    assert outcome.adopted is False
    assert any("Stimmengleichheit" in w for w in outcome.warnings)
    AgendaItemRecord.objects.get(item=item).warning.startswith("Das eingetragene Ergebnis")
    assert record_result(item, AgendaItemResult.ABGELEHNT, yes=4, no=4, abstain=1, version=None).warnings == []


def test_abstentions_do_not_count_but_special_majorities_count_the_members(council: Council) -> None:
    assert majority_reached(MajorityRule.SIMPLE, 2, 1, 9) is True
    assert majority_reached(MajorityRule.MEMBERS, 4, 0, 9) is False
    assert majority_reached(MajorityRule.MEMBERS, 5, 0, 9) is True
    assert majority_reached(MajorityRule.TWO_THIRDS, 5, 0, 9) is False
    assert majority_reached(MajorityRule.TWO_THIRDS, 6, 3, 9) is True


def test_more_votes_than_members_present_are_refused(council: Council) -> None:
    meeting = council.meeting()
    _attend(council, meeting, 6)
    with pytest.raises(MeetingError, match="nur 6 stimmberechtigte"):
        record_result(_seed_item(council, meeting), AgendaItemResult.MEHRHEITLICH, yes=5, no=2, abstain=0)


def test_befangen_members_are_not_counted_and_may_not_have_a_recorded_vote(council: Council) -> None:
    meeting = council.meeting()
    _attend(council, meeting, 9)
    item = _seed_item(council, meeting)
    befangen = council.members[0]
    with pytest.raises(MeetingError, match="nur 8 stimmberechtigte"):
        record_result(item, AgendaItemResult.EINSTIMMIG, yes=9, no=0, abstain=0, excluded=[befangen])
    record_result(item, AgendaItemResult.EINSTIMMIG, yes=8, no=0, abstain=0, excluded=[befangen])
    with pytest.raises(MeetingError, match="befangen"):
        record_own_vote(item, befangen, Vote.YES)
    record_own_vote(item, council.members[1], Vote.YES)
    with pytest.raises(MeetingError, match="befangen"):
        record_result(item, AgendaItemResult.EINSTIMMIG, yes=7, no=0, abstain=0, excluded=[council.members[1]])
    item.refresh_from_db()
    assert item.votes_conflicted == 1


def test_everyone_befangen_needs_the_kommunalaufsicht_and_allows_no_votes(council: Council) -> None:
    meeting = council.meeting()
    _attend(council, meeting, 9)
    item = _seed_item(council, meeting)
    with pytest.raises(MeetingError):
        record_result(item, AgendaItemResult.EINSTIMMIG, yes=1, no=0, abstain=0, excluded=council.members)
    outcome = record_result(item, AgendaItemResult.ZURUECKGEZOGEN, excluded=council.members)
    assert any("Kommunalaufsicht" in w for w in outcome.warnings)
    assert AgendaItemRecord.objects.get(item=item).kommunalaufsicht is True


def test_quorum_is_presumed_until_disputed_then_recounted_and_lost_mid_meeting(council: Council) -> None:
    meeting = council.meeting()
    for person in council.members[:5]:
        record_attendance(meeting, person, AttendanceStatus.PRESENT, arrived=dt.time(18), left=dt.time(19, 30) if person == council.members[0] else None)
    assert state_quorum(meeting, at=dt.time(18, 5)).quorum == QuorumState.STATED  # 5 of 9
    item = _seed_item(council, meeting)
    # Mitglied 1 leaves at 19:30: presumed quorate until someone disputes it.
    record_result(item, AgendaItemResult.KENNTNIS, at=dt.time(19, 45))
    assert dispute_quorum(meeting, at=dt.time(19, 45)).quorum == QuorumState.LACKING
    with pytest.raises(MeetingError, match="Beschlussunfähigkeit"):
        record_result(item, AgendaItemResult.EINSTIMMIG, yes=4, no=0, abstain=0, at=dt.time(19, 50))
    record_result(item, AgendaItemResult.VERTAGT)  # postponing is still possible


def test_a_deputy_stands_in_with_the_members_vote(council: Council) -> None:
    meeting = council.meeting()
    deputy, absent = council.deputies[0], council.members[8]
    record_attendance(meeting, absent, AttendanceStatus.EXCUSED)
    attendance = record_attendance(meeting, deputy, AttendanceStatus.PRESENT, represents=absent)
    assert attendance.voting is True
    assert StandIn.objects.filter(meeting=meeting, deputy=deputy, represents=absent).exists()
    with pytest.raises(MeetingError, match="bereits vertreten"):
        record_attendance(meeting, council.deputies[1], AttendanceStatus.PRESENT, represents=absent)
    # A deputy without anyone to represent has no vote.
    assert record_attendance(meeting, council.deputies[1], AttendanceStatus.PRESENT).voting is False


def test_video_attendance_only_where_the_hauptsatzung_allows_it(council: Council) -> None:
    meeting = council.meeting()
    with pytest.raises(MeetingError, match="Video"):
        record_attendance(meeting, council.members[0], AttendanceStatus.VIDEO)
    GremiumRules.objects.create(organization=council.jos, hybrid_allowed=True)
    assert record_attendance(meeting, council.members[0], AttendanceStatus.VIDEO).in_session


def test_a_conference_records_results_without_the_nkomvg_checks(council: Council) -> None:
    meeting = council.meeting(council.conference)
    assert meeting.agenda_items.count() == 0  # no Geschäftsordnung items for a non-council body
    from ratsinfo.meetings.planning import add_item

    item = add_item(meeting, "Maßnahmenplan: Prioritäten")
    outcome = record_result(item, AgendaItemResult.MEHRHEITLICH, yes=30, no=1, abstain=0)
    assert outcome.warnings == [] and item.number == "Ö 1"


def test_two_people_recording_the_same_meeting_do_not_overwrite_each_other(council: Council) -> None:
    meeting = council.meeting()
    item = _seed_item(council, meeting)
    seen = workflow_of(meeting).version
    record_result(item, AgendaItemResult.EINSTIMMIG, version=seen)
    with pytest.raises(MeetingError, match="inzwischen von jemand anderem"):
        record_result(item, AgendaItemResult.ABGELEHNT, version=seen)
    item.refresh_from_db()
    assert item.result == AgendaItemResult.EINSTIMMIG


def test_geaendert_beschlossen_keeps_a_diff_against_the_recommendation(council: Council) -> None:
    meeting = council.meeting()
    item = _seed_item(council, meeting)
    with pytest.raises(MeetingError, match="geänderten Beschlusstext"):
        record_result(item, AgendaItemResult.GEAENDERT, resolution_text=RECOMMENDATION)
    record_result(item, AgendaItemResult.GEAENDERT, resolution_text="Dem Antrag der Gruppe wird gefolgt.")
    assert resolution_diff(RECOMMENDATION, "Dem Antrag der Gruppe wird gefolgt.") == [
        ("=", "Dem Antrag der Gruppe wird"), ("-", "nicht"), ("=", "gefolgt."),
    ]


def test_elections_under_section_67(council: Council) -> None:
    meeting = council.meeting()
    _attend(council, meeting, 9)
    item = _seed_item(council, meeting)
    with pytest.raises(MeetingError, match="Handzeichen"):
        record_election(item, {"A": 5, "B": 4}, method="handzeichen")
    with pytest.raises(MeetingError, match="Handzeichen"):
        record_election(item, {"A": 9}, method="handzeichen", objection=True)
    assert record_election(item, {"A": 9}, method="handzeichen")["elected"] == "A"
    # Four of nine is no majority of the members: a second round.
    assert record_election(item, {"A": 4, "B": 4, "C": 1})["elected"] == ""
    with pytest.raises(MeetingError, match="Los"):
        record_election(item, {"A": 4, "B": 4}, round_number=2)
    drawn = record_election(item, {"A": 4, "B": 4}, round_number=2, lot_winner="B")
    assert drawn["elected"] == "B" and drawn["by_lot"] is True
    secret = record_election(item, {"A": 6, "B": 3}, secret_demanded=True)
    assert secret["method"] == "geheim" and secret["elected"] == "A"
    with pytest.raises(MeetingError, match="geheimen"):
        record_own_vote(item, council.members[0], Vote.YES)


def test_vertagt_moves_the_item_with_its_vorlage_to_a_later_meeting(council: Council) -> None:
    first = council.meeting()
    later = council.meeting(day=dt.date(2022, 11, 3))
    item = _seed_item(council, first)
    with pytest.raises(MeetingError, match="spätere"):
        postpone_item(item, council.meeting(day=dt.date(2022, 9, 1)))
    new = postpone_item(item, later)
    item.refresh_from_db()
    assert item.result == AgendaItemResult.VERTAGT
    assert new.meeting == later and new.consultation.paper == council.paper
    assert item.record.postponed_to == new
