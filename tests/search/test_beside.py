"""PostgreSQL runs a search's independent statements on helper connections beside the request's
own, in its snapshot (search/beside.py): what a citizen, a member and a member of another
Gremium find, and every count, is the same as with the statements one after another. (Own
module: the helpers see committed rows only, so these tests commit; `transactional_db`
empties the database after each.)"""

from __future__ import annotations

import re
from typing import Any

import psycopg
import pytest
from django.db import connection, transaction
from django.test import override_settings

from ratsinfo.bodies.models import Organization
from ratsinfo.corpus.generator import generate
from ratsinfo.lib.access import PUBLIC, Viewer
from ratsinfo.papers.models import Paper, PaperSection
from ratsinfo.search import beside, indexing, service
from ratsinfo.search.models import DocumentGremium
from ratsinfo.search.service import Filters, Results, search, visible_documents

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's helper connections"),
    pytest.mark.django_db(transaction=True),
]


def _corpus() -> tuple[list[str], list[Filters], list[Viewer]]:
    generate(papers=30, seed=11)
    indexing.rebuild()
    titles = list(Paper.objects.order_by("pk").values_list("name", flat=True)[:30])
    words = sorted({w for t in titles for w in re.findall(r"[A-Za-zÄÖÜäöüß]{7,}", t)})[:6]
    text = PaperSection.objects.exclude(text="").order_by("pk").values_list("text", flat=True).first() or ""
    pair = re.findall(r"[A-Za-zÄÖÜäöüß]{4,}", text)[:2]
    queries = [*words, f'"{" ".join(pair)}"', words[0][:4] + "*", f"{words[0]} {words[1]}"]
    gremien = list(DocumentGremium.objects.order_by().values_list("organization_id", flat=True).distinct()[:2])
    filters = [
        Filters(), Filters(kind="vorlage"), Filters(kind="datei", paper_type="Beschlussvorlage"),
        Filters(year=2024), Filters(gremium=gremien[0]), Filters(by_date=True),
        Filters(kind="top", year=2023, gremium=gremien[-1]),
    ]
    committee = Organization.objects.get(pk=gremien[0])
    viewers = [
        PUBLIC,
        Viewer(user_id=1, person_id=1, gremium_ids=frozenset({committee.pk})),
        Viewer(user_id=2, person_id=2, gremium_ids=frozenset({gremien[-1]})),  # (another Gremium)
    ]
    return queries, filters, viewers


def _seen(results: Results) -> tuple[Any, ...]:
    hits = [(h.id, round(h.score, 9), str(h.snippet)) for h in results.hits]
    return results.total, results.capped, results.facets_capped, results.facets, hits, results.next_cursor


def _all(queries: list[str], filters: list[Filters], viewers: list[Viewer]) -> list[tuple[Any, ...]]:
    return [_seen(search(v, q, f, per_page=5)) for v in viewers for q in queries for f in filters]


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many statements were started on helpers."""
    counts: list[int] = []
    start = beside.start
    monkeypatch.setattr(beside, "start", lambda statements, *a: counts.append(len(statements)) or start(statements, *a))
    return counts


FALLBACK = "Hilfsverbindung fehlgeschlagen"


@pytest.mark.parametrize("caps", [(500, 250), (3, 2)])
def test_with_helpers_every_viewer_finds_and_counts_what_they_find_one_after_another(
    started: list[int], monkeypatch: pytest.MonkeyPatch, caps: tuple[int, int], caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(service, "COUNT_CAP", caps[0])
    monkeypatch.setattr(service, "RANK_CAP", caps[1])
    queries, filters, viewers = _corpus()
    with override_settings(RATSINFO_SEARCH_HELPERS=0):
        in_turn = _all(queries, filters, viewers)
    assert started == []
    beside_ = _all(queries, filters, viewers)
    # The title pool beside every search, one count per facet filter beside the filtered ones.
    assert len(started) == len(in_turn) and max(started) == 4
    assert beside_ == in_turn
    assert any(r[0] for r in in_turn) and any(r[1] for r in in_turn) == (caps[0] == 3)
    assert FALLBACK not in caplog.text  # the helpers ran them, not the request after a failure


def test_helpers_see_the_requests_snapshot_not_what_was_committed_since(
    started: list[int], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Every indexed word taken out by another connection after the search's snapshot was taken,
    before the helpers start: they still see the words as the request does."""
    queries, filters, viewers = _corpus()
    expected = _all(queries[:3], filters, viewers[:1])
    start = beside.start

    def emptied_meanwhile(statements: Any, *args: Any) -> Any:
        with beside.own_connection() as other:
            other.execute("UPDATE search_document SET title_terms = '', body_terms = '', part_terms = '', exact_terms = ''")
        return start(statements, *args)

    monkeypatch.setattr(beside, "start", emptied_meanwhile)
    seen = [_seen(search(PUBLIC, queries[0], filters[1], per_page=5))]
    assert seen == expected[1:2] and expected[1][0]  # (kind=vorlage: a count and the titles beside)
    assert started[-1] == 2
    assert FALLBACK not in caplog.text


def test_the_public_finds_nothing_it_may_not_see_beside_either(started: list[int]) -> None:
    queries, filters, _ = _corpus()
    visible = set(visible_documents(PUBLIC).values_list("pk", flat=True))
    assert visible
    for q in queries:
        for f in filters:
            results = search(PUBLIC, q, f, per_page=50)
            assert {h.id for h in results.hits} <= visible
            assert results.total <= len(visible)
    assert started


def test_a_failing_helper_leaves_the_statement_to_the_request(monkeypatch: pytest.MonkeyPatch, started: list[int]) -> None:
    queries, filters, viewers = _corpus()
    expected = _all(queries[:2], filters, viewers[:1])

    def gone(*args: Any) -> Any:
        raise psycopg.OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(beside, "_run", gone)
    assert _all(queries[:2], filters, viewers[:1]) == expected
    assert started


def test_a_helper_whose_connection_was_dropped_connects_again(
    started: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    queries, filters, viewers = _corpus()
    expected = _all(queries[:1], filters[2:3], viewers[:1])
    with connection.cursor() as cursor:  # (the database restarted, say: every other session ends)
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
        assert cursor.fetchall()
    assert _all(queries[:1], filters[2:3], viewers[:1]) == expected
    assert FALLBACK in caplog.text
    caplog.clear()
    assert _all(queries[:1], filters[2:3], viewers[:1]) == expected
    assert FALLBACK not in caplog.text


def test_inside_a_callers_transaction_nothing_runs_beside(started: list[int]) -> None:
    queries, filters, _ = _corpus()
    with transaction.atomic():  # (a helper could not see what this transaction wrote)
        search(PUBLIC, queries[0], filters[2])
    assert started == []
    search(PUBLIC, queries[0], filters[2])
    assert started == [3]
