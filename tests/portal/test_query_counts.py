"""Pages cost a fixed number of SQL queries, however much the municipality has published."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ratsinfo.bodies.models import Membership, Person
from ratsinfo.files.models import File, FileRole
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import (
    Consultation,
    ConsultationRole,
    Paper,
    PaperSection,
    PaperState,
    PaperType,
)
from ratsinfo.search.indexing import flush_all
from tests.portal.conftest import at

pytestmark = pytest.mark.django_db
MAX_QUERIES = 25  # staff pay ~4 more (session, user, permissions); +1: similar Vorlagen; +4 on PostgreSQL: the
# search's snapshot and settings, put back after, and where it starts (search.backends.PostgresBackend)


def page_urls(w: Any) -> list[str]:
    return [
        "/", "/sitzungen/?zeit=vergangen", "/sitzungen/?ansicht=monat&monat=2022-10", w.committee.get_absolute_url(),
        "/vorlagen/", f"/vorlagen/?gremium={w.jos.slug}", w.paper.get_absolute_url(), "/gremien/", w.jos.get_absolute_url(),
        w.gruppe.get_absolute_url(), "/personen/", w.bernd.get_absolute_url(), "/suche/?q=Vorlage", "/ical/sitzungen.ics",
        "/feeds/vorlagen.rss", "/feeds/beschluesse.rss",
        "/gemeinden/", f"/gemeinden/{w.body.slug}/", f"/gemeinden/{w.body.slug}/sitzungen/?zeit=vergangen",
        f"/gemeinden/{w.body.slug}/vorlagen/", f"/gemeinden/{w.body.slug}/gremien/", f"/gemeinden/{w.body.slug}/personen/",
    ]  # fmt: skip


def grow(w: Any, n: int) -> None:
    """n more of everything the pages list: papers with sections, files, consultations and
    relations, agenda items, meetings, people and memberships."""
    start = AgendaItem.objects.filter(meeting=w.committee).count() + 1
    first = Paper.objects.count()
    for i in range(first, first + n):
        paper = Paper.objects.create(
            body=w.body,
            name=f"Vorlage Nummer {i}",
            reference=f"BV/{5000 + i}/2021-2026",
            date=dt.date(2022, 9, 1 + i % 28),
            paper_type=PaperType.ANTRAG,
            state=PaperState.FREIGEGEBEN,
        )
        paper.under_direction_of.add(w.fb)
        paper.originator_organizations.add(w.gruppe)
        paper.originator_persons.add(w.bernd)
        paper.related_papers.add(w.paper)
        PaperSection.objects.create(paper=paper, order=1, heading="Begründung", text="…")
        File.objects.create(
            body=w.body, file_name=f"anlage-{i}.pdf", paper=w.paper, role=FileRole.AUXILIARY
        )
        item = AgendaItem.objects.create(
            meeting=w.committee,
            number=f"Ö {10 + i}",
            order=start + 2 * (i - first),
            name=f"TOP {i}",
            result="ungeändert beschlossen",
            votes_yes=9,
            votes_no=0,
            votes_abstain=0,
        )
        AgendaItem.objects.create(
            meeting=w.committee,
            number=f"N {10 + i}",
            order=start + 2 * (i - first) + 1,
            name=f"N-TOP {i}",
            public=False,
        )
        File.objects.create(
            body=w.body, file_name=f"top-{i}.pdf", agenda_item=item, meeting=w.committee
        )
        Consultation.objects.create(
            paper=paper,
            organization=w.jos,
            meeting=w.committee,
            agenda_item=item,
            role=ConsultationRole.VORBERATUNG,
        )
        meeting = Meeting.objects.create(
            name=f"Ausschusssitzung {i}",
            start=at(dt.date(2022, 10, 1 + i % 28), 9),
            location=w.rathaus,
        )
        meeting.organizations.add(w.jos, w.rat)
        person = Person.objects.create(body=w.body, given_name="Paul", family_name=f"Person{i:03d}")
        Membership.objects.create(
            person=person,
            organization=w.jos,
            on_behalf_of=w.gruppe,
            start_date=dt.date(2021, 11, 1),
        )
        Membership.objects.create(
            person=person, organization=w.gruppe, start_date=dt.date(2021, 11, 1)
        )
        Membership.objects.create(
            person=w.bernd,
            organization=w.rat,
            on_behalf_of=w.gruppe,
            start_date=dt.date(2000 + i % 20, 1, 1),
            end_date=dt.date(2000 + i % 20, 12, 31),
        )
    flush_all()  # what the commit hook does in production: the search index follows


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


@pytest.mark.parametrize("persona", ["citizen", "staff"])
def test_query_count_does_not_grow_with_the_corpus(
    world: Any, persona: str, citizen_client: Client, staff_client: Client
) -> None:
    client = citizen_client if persona == "citizen" else staff_client
    grow(world, 3)
    before = {url: count_queries(client, url) for url in page_urls(world)}
    grow(world, 12)
    after = {url: count_queries(client, url) for url in page_urls(world)}
    grown = {url: (before[url], after[url]) for url in after if after[url] > before[url]}
    assert not grown, grown
    assert max(after.values()) <= MAX_QUERIES, after
