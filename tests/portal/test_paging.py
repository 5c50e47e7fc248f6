"""Keyset pagination: every Vorlage and every meeting reachable exactly once, in both directions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from ratsinfo.meetings.models import Meeting
from ratsinfo.papers.models import Paper, PaperState
from ratsinfo.portal.paging import PER_PAGE
from tests.portal.conftest import at

pytestmark = pytest.mark.django_db
PAPER_LINK = re.compile(r'<li class="paper-row">\s*<a href="/vorlagen/([^/]+)/"')
MEETING_LINK = re.compile(r'<li class="meeting-row[^"]*">.*?<a href="/sitzungen/(\d+)/"', re.S)


def make_papers(body: Any, n: int) -> list[Paper]:
    papers = []
    for i in range(n):
        # Several papers per day, and some without date (they come last).
        date = None if i % 9 == 0 else dt.date(2020, 1, 1) + dt.timedelta(days=i // 3)
        papers.append(
            Paper.objects.create(
                body=body,
                name=f"Vorlage {i}",
                reference=f"BV/{i:04d}/2021-2026",
                date=date,
                state=PaperState.FREIGEGEBEN,
            )
        )
    return papers


def walk(client: Client, url: str, pattern: re.Pattern[str], forward: str) -> tuple[list[str], str]:
    seen: list[str] = []
    page = client.get(url).content.decode()
    while True:
        seen += pattern.findall(page)
        m = re.search(rf'href="(\?[^"]*)" rel="{forward}"', page)
        if not m:
            return seen, page
        page = client.get(url.split("?")[0] + m.group(1).replace("&amp;", "&")).content.decode()


def test_paper_list_walks_all_papers_in_order_and_back(body: Any, citizen_client: Client) -> None:
    papers = make_papers(body, 2 * PER_PAGE + 7)
    expected = [
        p.slug
        for p in sorted(
            papers, key=lambda p: (p.date is None, -(p.date.toordinal() if p.date else 0), -p.pk)
        )
    ]
    seen, last_page = walk(citizen_client, "/vorlagen/", PAPER_LINK, "next")
    assert seen == expected
    # Back from the last page with "neuere" links.
    back: list[str] = []
    page = last_page
    while True:
        back = PAPER_LINK.findall(page) + back
        m = re.search(r'href="(\?[^"]*)" rel="prev"', page)
        if not m:
            break
        page = citizen_client.get("/vorlagen/" + m.group(1).replace("&amp;", "&")).content.decode()
    assert back == expected


def test_paging_keeps_filters(body: Any, citizen_client: Client) -> None:
    make_papers(body, PER_PAGE + 5)
    page = citizen_client.get("/vorlagen/?jahr=2020").content.decode()
    assert re.search(r'href="\?jahr=2020&amp;aeltere=\d+" rel="next"', page)


def test_meeting_list_pages_forward_in_time_for_upcoming(body: Any, citizen_client: Client) -> None:
    today = dt.date.today()
    meetings = []
    for i in range(PER_PAGE + 3):
        m = Meeting.objects.create(
            name=f"Sitzung {i}", start=at(today + dt.timedelta(days=1 + i // 2), 17 + i % 2)
        )
        meetings.append(m)
    seen, _ = walk(citizen_client, "/sitzungen/", MEETING_LINK, "next")
    assert [int(pk) for pk in seen] == [m.pk for m in meetings]


def test_stale_cursor_starts_over(body: Any, citizen_client: Client) -> None:
    make_papers(body, 3)
    page = citizen_client.get("/vorlagen/?aeltere=987654").content.decode()
    assert len(PAPER_LINK.findall(page)) == 3
