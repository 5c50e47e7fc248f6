"""The search page and its JSON: ranked hits with snippets, filters with counts, paging, and
what anonymous visitors and members of another Gremium never see."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from ratsinfo.bodies.models import Body, Organization
from ratsinfo.bodies.roles import RATSMITGLIED
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Consultation, Paper, PaperSection, PaperState, PaperType
from ratsinfo.search.indexing import flush_all
from tests.conftest import account, join

SECRET = "Grundstücksverhandlungen"  # a word only the non-public part contains


def _nonpublic_paper(body: Body, committee: Organization) -> Paper:
    paper = Paper.objects.create(
        body=body, name="Ankauf einer Fläche am Bahnhof", reference="BV/0901/2021-2026", public=False,
        state=PaperState.FREIGEGEBEN, paper_type=PaperType.BESCHLUSSVORLAGE,
    )
    PaperSection.objects.create(paper=paper, order=1, heading="Sachverhalt", text=f"Vertrauliche {SECRET} mit dem Eigentümer.")
    meeting = Meeting.objects.filter(organizations=committee).order_by("pk").first()
    item = AgendaItem.objects.create(meeting=meeting, order=900, number="N 9", name=f"{SECRET} Bahnhof", public=False)
    Consultation.objects.create(paper=paper, organization=committee, meeting=meeting, agenda_item=item)
    flush_all()
    return paper


@pytest.fixture
def committee(demo: Body) -> Organization:
    return Organization.objects.get(body=demo, short_name="BPU")


def test_the_page_lists_ranked_hits_with_marked_snippets(demo: Body, citizen_client: Client) -> None:
    page = citizen_client.get("/suche/", {"q": "Sozialträgerkonferenzen"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "BV/0240/2021-2026" in html and "<mark>" in html
    assert "Vorlage (1)" in html  # the kind filter with its count


def test_json_has_the_documented_shape(demo: Body, citizen_client: Client) -> None:
    data = citizen_client.get("/suche/", {"q": "BV 240", "format": "json"}).json()
    first = data["results"][0]
    assert set(first) >= {"type", "title", "url", "snippet", "score", "date"}
    assert first["type"] == "vorlage" and first["title"].startswith("BV/0240/2021-2026")
    assert first["url"] == "/vorlagen/BV-0240-2021-2026/"


def test_filters_and_date_sorting_and_keyset_paging(demo: Body, citizen_client: Client) -> None:
    data = citizen_client.get("/suche/", {"q": "Sitzung", "format": "json", "sortierung": "datum"}).json()
    dates = [r["date"] for r in data["results"] if r["date"]]
    assert dates == sorted(dates, reverse=True)
    seen = {r["url"] for r in data["results"]}
    assert data["next"]
    more = citizen_client.get("/suche/", {"q": "Sitzung", "format": "json", "sortierung": "datum", "nach": data["next"]}).json()
    assert more["results"] and not seen & {r["url"] for r in more["results"]}
    only = citizen_client.get("/suche/", {"q": "Bebauungsplan", "format": "json", "art": "vorlage"}).json()
    assert only["results"] and {r["type"] for r in only["results"]} == {"vorlage"}


def test_bad_parameters_are_dropped_not_a_500(demo: Body, citizen_client: Client) -> None:
    for params in ({"q": "Plan", "jahr": "abc"}, {"q": "Plan", "nach": "x~y"}, {"q": "\x00\"*"}, {"q": "a" * 5000}):
        assert citizen_client.get("/suche/", params).status_code == 200


def test_the_page_costs_a_bounded_number_of_queries(
    demo: Body, citizen_client: Client, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(9):
        citizen_client.get("/suche/", {"q": "Maßnahmenplan"})


def test_anonymous_search_never_shows_or_counts_nonpublic_text(
    demo: Body, committee: Organization, citizen_client: Client
) -> None:
    _nonpublic_paper(demo, committee)
    html = citizen_client.get("/suche/", {"q": SECRET}).content.decode()
    assert 'class="search-hit"' not in html and "Nichts zu" in html
    assert 'option value="vorlage"' not in html and 'option value="top"' not in html  # no counts
    assert "BV/0901" not in html and "Ankauf" not in html and "Vertrauliche" not in html
    data = citizen_client.get("/suche/", {"q": SECRET, "format": "json"}).json()
    assert data["results"] == [] and data["total"] == 0
    assert citizen_client.get("/suche/feed/", {"q": SECRET}).content.count(b"<entry>") == 0


def test_a_member_finds_the_nonpublic_part_of_her_committee_only(
    demo: Body, committee: Organization, db: Any
) -> None:
    _nonpublic_paper(demo, committee)
    member: User = account("bpu-mitglied", RATSMITGLIED, body=demo)
    join(member, committee)
    other: User = account("anderes-mitglied", RATSMITGLIED, body=demo)
    join(other, Organization.objects.get(body=demo, short_name="JOS"))
    as_member, as_other = Client(), Client()
    as_member.force_login(member)
    as_other.force_login(other)
    found = as_member.get("/suche/", {"q": SECRET, "format": "json"}).json()
    assert {r["type"] for r in found["results"]} == {"vorlage", "top"}
    hidden = as_other.get("/suche/", {"q": SECRET, "format": "json"}).json()
    assert hidden["results"] == [] and hidden["total"] == 0
    page = as_other.get("/suche/", {"q": "Bahnhof"}).content.decode()
    assert "BV/0901" not in page and SECRET not in page


def test_the_vorlage_page_lists_similar_vorlagen(demo: Body, citizen_client: Client) -> None:
    html = citizen_client.get("/vorlagen/BV-0181-2021-2026/").content.decode()
    assert "Ähnliche Vorlagen" in html and "Bebauungsplan Nr. 215" in html.split("Ähnliche Vorlagen")[1]
