"""Who sees what in Mein Ratsinfo: their Gremien's non-public part, a deputy only their meetings, nothing after the end."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ratsinfo.bodies.access import viewer_for
from ratsinfo.meetings.models import Meeting, MeetingState, StandIn
from ratsinfo.members.mappe import plan_for
from ratsinfo.members.models import LastVisit
from tests.conftest import join
from tests.members.conftest import Council, invite, logged_in, meeting_of, other_account


def test_a_member_sees_the_non_public_part_of_her_gremium_and_no_other(member: User, council: Council) -> None:
    client = logged_in(member)
    page = client.get(f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/").content.decode()
    assert "Grundstückskauf Bahnhofstraße" in page and "Neubau Kita Ahlhorn" in page
    assert client.get(f"/mein-ratsinfo/sitzungen/{council.fina_meeting.pk}/").status_code == 404
    start = client.get("/mein-ratsinfo/").content.decode()
    assert "12. Sitzung des JOS" in start and "Finanzausschuss" not in start
    assert "Stundung" not in start
    files = plan_for(viewer_for(member), council.jos_meeting)
    assert [e.title for e in files] == ["Einladung", "Vorlage BV/0240/2021-2026", "Vorlage BV/0300/2021-2026"]


def test_a_deputy_sees_only_the_meeting_they_stand_in_for(member: User, council: Council) -> None:
    deputy = other_account("vertreter", council)
    join(deputy, council.jos, deputy=True)
    client = logged_in(deputy)
    assert client.get(f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/").status_code == 404
    StandIn.objects.create(meeting=council.jos_meeting, deputy=deputy.person, represents=member.person)
    page = client.get(f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/").content.decode()
    assert "Grundstückskauf Bahnhofstraße" in page
    assert client.get(f"/mein-ratsinfo/sitzungen/{council.jos_later.pk}/").status_code == 404
    assert client.get(f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/mappe.pdf").status_code == 200


def test_nothing_after_the_membership_ended(council: Council) -> None:
    former = other_account("ehemalig", council)
    join(former, council.jos, start_date=date(2016, 11, 1), end_date=date(2021, 10, 31))
    client = logged_in(former)
    assert client.get(f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/").status_code == 404
    assert client.get(f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/mappe.pdf").status_code == 404
    assert "12. Sitzung" not in client.get("/mein-ratsinfo/").content.decode()


def test_the_start_page_lists_with_bounded_queries(member: User, council: Council) -> None:
    client = logged_in(member)
    client.get("/mein-ratsinfo/")
    with CaptureQueriesContext(connection) as first:
        client.get("/mein-ratsinfo/")
    for extra in range(3):
        meeting_of(council.body, council.jos, f"{20 + extra}. Sitzung des JOS", 10 + extra)
    with CaptureQueriesContext(connection) as more:
        response = client.get("/mein-ratsinfo/")
    assert "22. Sitzung des JOS" in response.content.decode()
    assert len(more) == len(first) and len(first) < 30


def test_the_start_page_tells_invitation_and_nachtrag_and_what_is_new(member: User, council: Council) -> None:
    Meeting.objects.filter(pk=council.jos_later.pk).update(meeting_state=MeetingState.GEPLANT)
    client = logged_in(member)
    first = client.get("/mein-ratsinfo/").content.decode()
    assert "Einladung versandt" in first and "Einladung noch nicht versandt" in first  # 12. invited, 13. not yet
    assert "Ab Ihrem nächsten Besuch" in first
    LastVisit.objects.filter(user=member).update(current=council.jos_meeting.created - timedelta(hours=1))
    supplement = invite(council.jos_meeting)
    supplement.name = "Nachtrag zur Einladung"
    supplement.save()
    again = client.get("/mein-ratsinfo/").content.decode()
    assert "<strong>Nachtrag</strong>" in again
    assert "Nachtrag zur Einladung" in again and "Vorlage BV/0300/2021-2026" in again  # new since the last visit
    assert "BV/0400" not in again
