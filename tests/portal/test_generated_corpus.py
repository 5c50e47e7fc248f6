"""The portal on a generated corpus of 10,000 Vorlagen: bounded queries on every page, and
nothing non-public on any page an anonymous visitor can reach."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ratsinfo.bodies.models import COUNCIL_BODY_KINDS, GROUP_KINDS, Organization, Person
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Paper
from tests.corpus.fixtures import corpus, wipe_corpus

MAX_QUERIES = 20  # +4 on PostgreSQL for the similar Vorlagen (see tests/portal/test_query_counts.py)


@pytest.fixture(scope="module")
def big_corpus(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Any]:
    with django_db_blocker.unblock():
        stats = corpus(papers=10_000, seed=7, search_index=True)  # the search page searches it
    yield stats
    with django_db_blocker.unblock():
        wipe_corpus(stats)


def main_pages() -> list[str]:
    """The main pages, including the heaviest instance of each detail page."""
    meeting = Meeting.objects.annotate(n=Count("agenda_items")).order_by("-n", "pk").first()
    paper = Paper.objects.public().annotate(n=Count("consultations")).order_by("-n", "pk").first()
    body = (
        Organization.objects.filter(kind__in=COUNCIL_BODY_KINDS)
        .annotate(n=Count("memberships"))
        .order_by("-n")
        .first()
    )
    group = (
        Organization.objects.filter(kind__in=GROUP_KINDS)
        .annotate(n=Count("memberships"))
        .order_by("-n")
        .first()
    )
    person = Person.objects.annotate(n=Count("memberships")).order_by("-n").first()
    month = Meeting.objects.order_by("-start").values_list("start", flat=True).first()
    assert meeting and paper and body and group and person and month
    return [
        "/", "/sitzungen/", "/sitzungen/?zeit=vergangen", f"/sitzungen/?ansicht=monat&monat={month:%Y-%m}",
        f"/sitzungen/?zeit=vergangen&gremium={body.slug}", meeting.get_absolute_url(),
        "/vorlagen/", f"/vorlagen/?gremium={body.slug}&jahr={month:%Y}", "/vorlagen/?art=Antrag", paper.get_absolute_url(),
        "/gremien/", body.get_absolute_url(), group.get_absolute_url(), "/personen/", person.get_absolute_url(),
        "/suche/?q=Satzung", "/ical/", "/ical/sitzungen.ics", f"/ical/gremien/{body.slug}.ics",
        "/feeds/vorlagen.rss", "/feeds/beschluesse.atom", "/barrierefreiheit/",
    ]  # fmt: skip


@pytest.mark.django_db
def test_every_main_page_needs_few_queries_on_a_big_corpus(
    big_corpus: Any, citizen_client: Client
) -> None:
    assert Paper.objects.count() >= 10_000
    counts = {}
    for url in main_pages():
        with CaptureQueriesContext(connection) as ctx:
            response = citizen_client.get(url)
        assert response.status_code == 200, url
        counts[url] = len(ctx.captured_queries)
    assert max(counts.values()) <= MAX_QUERIES, counts
    # Deep pages cost what the first page costs.
    page = citizen_client.get("/vorlagen/").content.decode()
    for _ in range(3):
        next_link = re.search(r'href="(\?[^"]*)" rel="next"', page)
        assert next_link
        url = "/vorlagen/" + next_link.group(1).replace("&amp;", "&")
        with CaptureQueriesContext(connection) as ctx:
            page = citizen_client.get(url).content.decode()
        assert len(ctx.captured_queries) <= counts["/vorlagen/"] + 1


@pytest.mark.django_db
def test_nothing_non_public_reaches_an_anonymous_visitor(
    big_corpus: Any, citizen_client: Client
) -> None:
    secret_papers = list(
        Paper.objects.filter(~Paper.public_q()).values_list("reference", "slug")[:300]
    )
    assert secret_papers
    # Meetings with a non-public part, and the public papers decided there (the VA's).
    meetings = list(
        Meeting.objects.filter(agenda_items__public=False).distinct().order_by("-start")[:15]
    )
    papers = list(
        Paper.objects.public()
        .filter(consultations__agenda_item__public=False)
        .distinct()
        .order_by("-date")[:15]
    )
    urls = (
        main_pages()
        + [m.get_absolute_url() for m in meetings]
        + [p.get_absolute_url() for p in papers]
    )
    secret_items = list(AgendaItem.objects.filter(meeting__in=meetings, public=False))
    # A non-public item may bear the title of a public Vorlage (the VA deciding it): that title is public.
    public_names = set(AgendaItem.objects.filter(public=True).values_list("name", flat=True))
    public_names |= set(Paper.objects.public().values_list("name", flat=True))
    for url in urls:
        body = citizen_client.get(url).content.decode()
        for reference, slug in secret_papers:
            assert f"/vorlagen/{slug}/" not in body, (url, slug)
            if reference:
                assert f">{reference}<" not in body and f"{reference}:" not in body, (
                    url,
                    reference,
                )
        for item in secret_items:
            assert f'id="top-{item.pk}"' not in body, url
            if item.name not in public_names:
                assert item.name not in body, (url, item.name)
    for _, slug in secret_papers[:20]:
        assert citizen_client.get(f"/vorlagen/{slug}/").status_code == 404
    hidden = citizen_client.get(meetings[0].get_absolute_url()).content.decode()
    n = AgendaItem.objects.filter(~Q(public=True), meeting=meetings[0], deleted=False).count()
    assert f"{n} Tagesordnungspunkt" in hidden
