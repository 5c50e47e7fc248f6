"""Planning, agenda, Einladung (§ 59) and Niederschrift (§ 68): from a series of dates to the published minutes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pypdfium2
import pytest
from django.core import mail
from django.utils import timezone

from ratsinfo.files.models import File, FileRole
from ratsinfo.meetings.models import (
    AgendaItem,
    AgendaItemResult,
    AttendanceStatus,
    GremiumRules,
    ItemKind,
    Meeting,
    MeetingState,
)
from ratsinfo.meetings.planning import (
    add_item,
    cancel_meeting,
    compose_agenda,
    move_item_step,
    move_meeting,
    plan_series,
    remove_item,
    set_item_number,
    waiting_papers,
)
from ratsinfo.meetings.publication import (
    announce_results,
    close_meeting,
    is_late,
    publish_minutes,
    send_invitation,
)
from ratsinfo.meetings.recording import MeetingError, record_attendance, record_result, state_quorum
from tests.meetings.conftest import Council

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    doc = pypdfium2.PdfDocument(data)
    return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))


def _file(meeting: Meeting, role: str, public: bool) -> File:
    return File.objects.get(meeting=meeting, role=role, public=public, deleted=False)


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def test_a_series_every_fourth_thursday_skips_holidays_by_hand(council: Council) -> None:
    meetings = plan_series(council.jos, dt.date(2023, 1, 5), dt.date(2023, 12, 31), interval_weeks=4,
                           time=dt.time(18), skip=[dt.date(2023, 12, 7)])
    days = [timezone.localtime(m.start).date() for m in meetings]
    assert days[:3] == [dt.date(2023, 1, 5), dt.date(2023, 2, 2), dt.date(2023, 3, 2)]
    assert dt.date(2023, 12, 7) not in days and len(days) == 12
    assert all(d.weekday() == 3 and timezone.localtime(m.start).hour == 18 for d, m in zip(days, meetings, strict=True))


def test_fixed_items_of_the_geschaeftsordnung_and_the_va_without_public_part(council: Council) -> None:
    first = council.meeting()
    names = list(first.agenda_items.values_list("number", "name"))
    assert names[0] == ("Ö 1", "Eröffnung der Sitzung")
    assert "Genehmigung der Niederschrift" not in " ".join(n for _, n in names)  # no earlier meeting
    second = council.meeting(day=dt.date(2022, 11, 3))
    minutes_item = second.agenda_items.get(record__kind=ItemKind.MINUTES)
    assert minutes_item.name.endswith("vom 06.10.2022") and minutes_item.record.approves == first
    va = council.meeting(council.va, dt.date(2022, 10, 13))
    assert set(va.agenda_items.values_list("public", flat=True)) == {False}
    assert va.agenda_items.filter(name="Einwohnerfragestunde").count() == 0
    GremiumRules.objects.create(organization=council.jos, fixed_items=[{"name": "Begrüßung", "public": True, "place": "start"}])
    assert [i.name for i in council.meeting(day=dt.date(2022, 12, 1)).agenda_items.all()] == ["Begrüßung"]


def test_vorlagen_go_before_the_closing_items_and_numbering_follows_reordering(council: Council) -> None:
    meeting = council.meeting()
    (item,) = compose_agenda(meeting, waiting_papers(meeting))
    numbers = dict(meeting.agenda_items.values_list("name", "number"))
    assert numbers[item.name] == "Ö 5" and numbers["Mitteilungen"] == "Ö 6"
    sub = add_item(meeting, "Stellungnahme des Seniorenbeirats", sub_item=True)
    assert sub.number == "Ö 5.1"
    secret = add_item(meeting, "Grundstücksangelegenheit", public=False)
    assert secret.number == "N 1"
    move_item_step(item, -1)
    item.refresh_from_db()
    assert item.number == "Ö 4"
    with pytest.raises(MeetingError, match="schon vergeben"):
        set_item_number(secret, "Ö 1")
    remove_item(item)
    assert waiting_papers(meeting)[0].paper == council.paper
    orders = list(meeting.agenda_items.alive().values_list("order", flat=True))
    assert orders == list(range(1, len(orders) + 1))


def test_a_paper_waits_only_when_released_and_its_earlier_steps_are_done(council: Council) -> None:
    va = council.meeting(council.va, dt.date(2022, 10, 13))
    assert waiting_papers(va) == []  # the committee has not advised yet
    council.paper.state = "entwurf"
    council.paper.save()
    assert waiting_papers(council.meeting()) == []


def test_cancel_and_move_keep_the_same_meeting_and_its_ical_uid(council: Council) -> None:
    from ratsinfo.portal.feeds import _event

    meeting = council.meeting()
    uid = str(_event(meeting, "http://testserver", "testserver")["uid"])
    move_meeting(meeting, _local(dt.date(2022, 10, 7), 17))
    cancel_meeting(meeting)
    meeting.refresh_from_db()
    assert meeting.cancelled and meeting.workflow.moved_from == _local(dt.date(2022, 10, 6), 18)
    event = _event(meeting, "http://testserver", "testserver")
    assert str(event["uid"]) == uid and event["dtstart"].dt == _local(dt.date(2022, 10, 7), 17)


def test_ladungsfrist_is_counted_in_calendar_days_across_daylight_saving(council: Council) -> None:
    # Summer time starts on 27.03.2022: 24.03. 17:30 CET to 31.03. 18:00 CEST is less than 7×24 h
    # but seven calendar days — in time.
    meeting = council.meeting(day=dt.date(2022, 3, 31))
    assert not is_late(meeting, _local(dt.date(2022, 3, 24), 17, 30), 7)
    assert is_late(meeting, _local(dt.date(2022, 3, 25), 0, 5), 7)
    autumn = council.meeting(day=dt.date(2022, 11, 3))
    assert not is_late(autumn, _local(dt.date(2022, 10, 27), 23, 30), 7)


def test_a_late_einladung_needs_a_recorded_reason(council: Council, django_capture_on_commit_callbacks: Any) -> None:
    meeting = council.meeting()
    with pytest.raises(MeetingError, match="Ladungsfrist von 7 Tagen"):
        send_invitation(meeting, now=_local(dt.date(2022, 10, 1), 9))
    with django_capture_on_commit_callbacks(execute=True):
        workflow = send_invitation(meeting, now=_local(dt.date(2022, 10, 1), 9), late_reason="Dringlichkeit: Förderfrist")
    assert workflow.invitation_late_reason == "Dringlichkeit: Förderfrist"
    assert "Dringlichkeit: Förderfrist" in _text(_file(meeting, FileRole.INVITATION, True).content.read())


def test_sending_publishes_the_agenda_mails_members_and_deputies_and_marks_nachtraege(
    council: Council, django_capture_on_commit_callbacks: Any, client: Any
) -> None:
    meeting = council.meeting()
    for i, person in enumerate(council.members + council.deputies):
        person.email = [f"person{i}@example.org"]
        person.save()
    (item,) = compose_agenda(meeting, waiting_papers(meeting))
    assert not AgendaItem.objects.visible_to(None).filter(meeting=meeting).exists()  # still in preparation
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation(meeting, now=_local(dt.date(2022, 9, 28), 9))
    assert AgendaItem.objects.visible_to(None).filter(pk=item.pk).exists()
    assert len(mail.outbox) == 11 and meeting.get_absolute_url() in mail.outbox[0].body
    pdf = _file(meeting, FileRole.INVITATION, True).content.read()
    text = _text(pdf)
    assert "BV/0240/2021-2026" in text and "Vorsitzende/r" in text and "Feststellung der Tagesordnung" in text
    assert b"<pdfaid:part>2</pdfaid:part>" in pdf and b"<pdfuaid:part>1</pdfuaid:part>" in pdf
    # The agenda changes after the Einladung: the new item is a marked Nachtrag, public only when sent.
    late = add_item(meeting, "Resolution zur Krankenhausversorgung")
    assert late.record.supplement == 1 and not AgendaItem.objects.visible_to(None).filter(pk=late.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        send_invitation(meeting, now=_local(dt.date(2022, 10, 4), 9))
    assert mail.outbox[-1].subject.startswith("1. Nachtrag")
    assert "1. Nachtrag" in _text(_file(meeting, FileRole.INVITATION, True).content.read())
    page = client.get(meeting.get_absolute_url()).content.decode()  # the portal marks it, too
    assert "Resolution zur Krankenhausversorgung <em class=\"supplement\">(1. Nachtrag)</em>" in page
    with pytest.raises(MeetingError, match="keine neuen Punkte"):
        send_invitation(meeting)


def test_the_mayor_signs_for_the_va(council: Council) -> None:
    va = council.meeting(council.va, dt.date(2022, 10, 13))
    add_item(va, "Grundstücksangelegenheit", public=False)
    send_invitation(va, now=_local(dt.date(2022, 10, 1), 9))
    assert "Bürgermeister/in" in _text(_file(va, FileRole.INVITATION, False).content.read())


def test_niederschrift_from_the_record_approved_next_time_then_published(council: Council) -> None:
    meeting = council.meeting()
    (item,) = compose_agenda(meeting, waiting_papers(meeting))
    secret = add_item(meeting, "Grundstücksangelegenheit Am Markt", public=False)
    send_invitation(meeting, now=_local(dt.date(2022, 9, 28), 9))
    for person in council.members[:8]:
        record_attendance(meeting, person, AttendanceStatus.PRESENT)
    record_attendance(meeting, council.members[8], AttendanceStatus.EXCUSED)
    record_attendance(meeting, council.deputies[0], AttendanceStatus.PRESENT, represents=council.members[8], arrived=dt.time(18, 20))
    state_quorum(meeting)
    record_result(item, AgendaItemResult.MEHRHEITLICH, yes=7, no=2, abstain=0)
    record_result(secret, AgendaItemResult.EINSTIMMIG, yes=8, no=0, abstain=0, excluded=[council.members[0]])
    close_meeting(meeting)
    public = File.objects.get(meeting=meeting, name="Niederschrift (öffentlicher Teil)")
    assert not public.public  # not before approval
    members_version = File.objects.get(meeting=meeting, name__contains="vollständig")
    text = _text(members_version.content.read())
    assert "Ja 7, Nein 2, Enthaltungen 0" in text and "Vertretung für Mitglied 9" in text
    assert "Grundstücksangelegenheit Am Markt" in text and "Befangen" in text
    public_text = _text(File.objects.get(meeting=meeting, name="Niederschrift (öffentlicher Teil)").content.read())
    assert "Grundstücksangelegenheit" not in public_text and "Ja 7, Nein 2" in public_text
    with pytest.raises(MeetingError, match="noch nicht genehmigt"):
        publish_minutes(meeting)
    following = council.meeting(day=dt.date(2022, 11, 3))
    approval = following.agenda_items.get(record__kind=ItemKind.MINUTES)
    record_result(approval, AgendaItemResult.EINSTIMMIG)
    publish_minutes(meeting)
    published = File.objects.get(meeting=meeting, name="Niederschrift (öffentlicher Teil)")
    assert published.public and File.objects.visible_to(None).filter(pk=published.pk).exists()
    assert not File.objects.visible_to(None).filter(pk=members_version.pk).exists()
    # Bekanntgabe: the chosen N result becomes public in the next meeting's public part.
    announcing = following.agenda_items.get(name__startswith="Bekanntgabe")
    announce_results(announcing, [secret])
    announcing.refresh_from_db()
    assert "Grundstücksangelegenheit Am Markt: einstimmig beschlossen" in announcing.resolution_text
    meeting.refresh_from_db()
    assert meeting.meeting_state == MeetingState.DURCHGEFUEHRT


def test_a_member_cancels_and_the_deputy_of_the_same_group_is_invited(
    council: Council, django_capture_on_commit_callbacks: Any
) -> None:
    from ratsinfo.bodies.models import Membership, Organization, OrganizationKind
    from ratsinfo.meetings.publication import reply_to_invitation

    group = Organization.objects.create(body=council.body, name="Gruppe", kind=OrganizationKind.GRUPPE)
    member, deputy, other_deputy = council.members[0], council.deputies[0], council.deputies[1]
    Membership.objects.filter(person__in=[member, deputy], organization=council.jos).update(on_behalf_of=group)
    deputy.email = ["vertretung@example.org"]
    deputy.save()
    meeting = council.meeting(day=dt.date(2030, 10, 10))
    with django_capture_on_commit_callbacks(execute=True):
        invited = reply_to_invitation(meeting, member, attending=False, note="Urlaub", now=_local(dt.date(2030, 10, 1), 9))
    assert invited == [deputy] and other_deputy not in invited
    assert mail.outbox[-1].to == ["vertretung@example.org"] and member.name in mail.outbox[-1].body
    assert reply_to_invitation(meeting, member, attending=True, now=_local(dt.date(2030, 10, 2), 9)) == []
    with pytest.raises(MeetingError, match="Nur Mitglieder"):
        reply_to_invitation(meeting, deputy, attending=True, now=_local(dt.date(2030, 10, 2), 9))
    with pytest.raises(MeetingError, match="begonnen"):
        reply_to_invitation(meeting, member, attending=False, now=_local(dt.date(2030, 10, 10), 19))


def test_the_ladungsfrist_is_set_per_gremium_and_a_conference_has_none(council: Council) -> None:
    GremiumRules.objects.create(organization=council.jos, invitation_period_days=14)
    meeting = council.meeting(day=dt.date(2030, 10, 10))
    with pytest.raises(MeetingError, match="Ladungsfrist von 14 Tagen"):
        send_invitation(meeting, now=_local(dt.date(2030, 9, 30), 9))
    conference = council.meeting(council.conference, dt.date(2030, 10, 10))
    add_item(conference, "Sachstand Quartiersmanagement")
    assert send_invitation(conference, now=_local(dt.date(2030, 10, 9), 9)).invitation_late_reason == ""
