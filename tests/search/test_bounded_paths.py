"""The paths that keep a search bounded on 100,000s of documents (bench/search.py) give the
same answers as the plain ones: filters as index terms, prefixes as the terms they begin, a
ranked pool of visible matches only, facets counted with their own filters."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from ratsinfo.bodies.models import Body, Organization
from ratsinfo.lib.access import PUBLIC
from ratsinfo.papers.models import Paper, PaperSection, PaperState, PaperType
from ratsinfo.search import analysis, fts, service
from ratsinfo.search.backends import TITLE_POOL_KIND, Cursor, backend
from ratsinfo.search.indexing import flush_all
from ratsinfo.search.models import Document, DocumentGremium, Kind
from ratsinfo.search.service import Filters, search

SEED = "BV/0240/2021-2026"


def titles(query: str) -> list[str]:
    return [hit.title for hit in search(PUBLIC, query, facets=False).hits]


def test_a_document_carries_its_facet_values_as_filter_terms(demo: Body) -> None:
    seed = Paper.objects.get(reference=SEED)
    doc = Document.objects.get(kind=Kind.PAPER, object_id=seed.pk)
    terms = doc.filter_terms.split()
    assert {"kvorlage", f"y{seed.date.year}", "tbeschlussvorlage"} <= set(terms)
    assert {t for t in terms if t.startswith("g")} == {f"g{pk}" for pk in doc.gremien.values_list("organization_id", flat=True)}
    assert doc.gremien.exists()


def test_a_word_shaped_like_a_filter_term_finds_nothing(demo: Body) -> None:
    year = Paper.objects.get(reference=SEED).date.year
    for word in ("kvorlage", f"y{year}", "tbeschlussvorlage"):
        assert search(PUBLIC, word).hits == [], word


def test_each_filter_finds_what_the_unfiltered_search_shows_of_it(demo: Body) -> None:
    everything = search(PUBLIC, "Bebauungsplan", per_page=200).hits
    seed_year = Paper.objects.get(reference=SEED).date.year
    for filters, keep in (
        (Filters(kind="vorlage"), lambda h: h.kind == "vorlage"),
        (Filters(kind="datei"), lambda h: h.kind == "datei"),
        (Filters(year=seed_year), lambda h: h.date is not None and h.date.year == seed_year),
    ):
        found = search(PUBLIC, "Bebauungsplan", filters, per_page=200)
        assert [h.title for h in found.hits] == [h.title for h in everything if keep(h)], filters
        assert found.total == len(found.hits)


def test_a_filtered_total_counts_the_filtered_matches_when_others_fill_the_cap(
    demo: Body, monkeypatch: pytest.MonkeyPatch
) -> None:
    full = search(PUBLIC, "Bebauungsplan", Filters(kind="vorlage"))
    kinds = {k for k, _, n in search(PUBLIC, "Bebauungsplan").facets["kind"] if n}
    assert len(kinds) > 1 and full.total >= 3
    monkeypatch.setattr(service, "COUNT_CAP", 2)
    capped = search(PUBLIC, "Bebauungsplan", Filters(kind="vorlage"))
    # Counted among the matches of the filter, not among the newest of every kind.
    assert capped.total == 2 and capped.capped
    # The kind facet counts with its own filter off: the other kinds stay to switch to.
    assert capped.facets["kind"] == search(PUBLIC, "Bebauungsplan").facets["kind"]


def test_a_prefix_is_searched_as_the_known_terms_it_begins(demo: Body, monkeypatch: pytest.MonkeyPatch) -> None:
    query = service.expand_prefixes(analysis.parse("Integr*"))
    assert query.alternatives[0] and all(t.startswith("integr") and not p for t, p in query.alternatives[0])
    expanded = titles("Integr*")
    monkeypatch.setattr(service, "MAX_EXPANSION", 0)  # too many known terms: the engine's own prefix
    assert not service.expand_prefixes(analysis.parse("Integr*")).alternatives  # ("integr" is its own stem)
    # The same documents; the rank differs a little (bm25 of the terms instead of the prefix).
    assert set(titles("Integr*")) == set(expanded) and any(t.startswith(SEED) for t in expanded[:3])


def test_a_prefix_that_is_a_whole_word_finds_that_word(demo: Body, monkeypatch: pytest.MonkeyPatch) -> None:
    def found(query: str) -> set[str]:
        return {h.title for h in search(PUBLIC, query, per_page=1000, facets=False).hits}

    assert found("Bebauungsplan*") >= found("Bebauungsplan")
    assert found("Verwaltung*") >= found("Verwaltung")
    # What is found does not depend on which words the vocabulary holds (non-public texts add to it).
    expanded = found("Verwaltung*")
    monkeypatch.setattr(service, "MAX_EXPANSION", 0)
    alternatives = service.expand_prefixes(analysis.parse("Verwaltung*")).alternatives
    assert alternatives[0] == [("verwaltung", True), ("verwalt", False)]
    assert found("Verwaltung*") == expanded


def test_a_hand_made_cursor_of_the_other_sort_order_ends_the_list(demo: Body) -> None:
    by_score = Cursor(1.5, 3)
    by_date = Cursor(dt.date(2024, 1, 1), 3)
    assert search(PUBLIC, "Bebauungsplan", Filters(by_date=True), after=by_score).hits == []
    assert search(PUBLIC, "Bebauungsplan", after=by_date).hits == []


def test_the_ranked_pool_holds_visible_matches_only(demo: Body, monkeypatch: pytest.MonkeyPatch) -> None:
    """How far one can page must not tell how many newer matches one may not see."""
    for n in range(9):  # three public Vorlagen, then six newer ones not public
        public = n < 3
        paper = Paper.objects.create(
            body=demo, name=f"Zaubertrank {n}", reference=f"BV/{950 + n:04d}/2021-2026", public=public,
            state=PaperState.FREIGEGEBEN, paper_type=PaperType.BESCHLUSSVORLAGE,
            published_at=timezone.now() if public else None,
        )
        PaperSection.objects.create(paper=paper, order=1, heading="Sachverhalt", text="Der Zaubertrank wird gebraut.")
    flush_all()
    monkeypatch.setattr(service, "RANK_CAP", 3)
    assert sorted(h.title for h in search(PUBLIC, "Zaubertrank", facets=False).hits) == [
        f"BV/{950 + n:04d}/2021-2026 Zaubertrank {n}" for n in range(3)
    ]


def test_the_migration_fills_the_filter_terms_of_an_existing_index(demo: Body) -> None:
    seed = Paper.objects.get(reference=SEED)
    Document.objects.update(filter_terms="")
    assert search(PUBLIC, "Integrationskonzept", Filters(kind="vorlage")).hits == [] or connection.vendor != "sqlite"
    migration = importlib.import_module("ratsinfo.search.migrations.0005_filter_terms")
    Document.objects.filter(pk=Document.objects.order_by("pk")[0].pk).update(filter_terms="kdatei")
    migration.fill_terms(apps, connection, only_empty=True)  # as 0007 calls it on PostgreSQL
    assert Document.objects.filter(filter_terms="kdatei").count() == 1  # (written since: left alone)
    migration.fill_terms(apps, connection)  # (its FTS5 rebuild runs with every test database's migrations)
    assert Document.objects.filter(filter_terms="").count() == 0
    hits = search(PUBLIC, "Integrationskonzept", Filters(kind="vorlage")).hits
    assert any(h.title.startswith(seed.reference) for h in hits)


def test_a_phrase_finds_its_words_in_order_only(demo: Body) -> None:
    # PostgreSQL looks for the phrase among the documents with all its words (backends.py).
    found = search(PUBLIC, '"Erstellung eines Integrationskonzeptes"')
    assert any(h.title.startswith(SEED) for h in found.hits) and found.total == len(found.hits)
    reversed_ = search(PUBLIC, '"Integrationskonzeptes Erstellung"')
    assert reversed_.hits == [] and reversed_.total == 0
    assert search(PUBLIC, "Integrationskonzeptes Erstellung").hits  # the words alone are there


def test_the_newest_matches_are_the_same_across_recency_buckets(demo: Body) -> None:
    """PostgreSQL looks for the newest matches in the newest buckets of 4,096 ids first, then
    deeper (backends.PostgresBackend.STAGES), the rest below the last stage: whichever stage the
    cap is reached in, the rows are those of the plain query, newest first; the filters (kind,
    year, Gremium: each also where the search starts) hold in every stage."""
    Document.objects.all().delete()  # (the module's demo index; back after the test)
    gremium = Organization.objects.order_by("pk").first()
    assert gremium is not None
    bucket = 1 << fts.BUCKET_BITS
    ids = [3, 5, bucket + 1, 40 * bucket, 150 * bucket + 7, 600 * bucket, 700 * bucket + 5, 800 * bucket,
           1000 * bucket + 1, 1200 * bucket, 1299 * bucket + 3, 1300 * bucket, 1300 * bucket + 9]
    for n, pk in enumerate(ids):
        kind, year, gremien = Kind.PAPER if n % 3 else Kind.FILE, 2020 + n % 2, [gremium.pk] if n % 5 else []
        Document.objects.create(
            pk=pk, kind=kind, object_id=pk, title=f"Zaubertrank {n}", url="/", year=year,
            title_terms="zaubertrank" if n % 4 else "kessel", body_terms="brau",
            filter_terms=analysis.filter_terms(kind, year, "", gremien),
        )
        DocumentGremium.objects.bulk_create([DocumentGremium(document_id=pk, organization_id=g) for g in gremien])
    engine = backend()
    word = analysis.parse("Zaubertrank")
    matching = [(n, pk) for n, pk in enumerate(ids) if n % 4]

    def newest(rows: list[tuple[Any, ...]]) -> list[int]:
        return sorted({row[0] for row in rows}, reverse=True)

    everything = Document.objects.all()
    for filters, keep in (
        (Filters(), lambda n: True),
        (Filters(kind=Kind.PAPER), lambda n: n % 3),
        (Filters(year=2021), lambda n: n % 2),
        (Filters(gremium=gremium.pk), lambda n: n % 5),
        (Filters(kind=Kind.PAPER, year=2020, gremium=gremium.pk), lambda n: n % 3 and not n % 2 and n % 5),
    ):
        expected = sorted((pk for n, pk in matching if keep(n)), reverse=True)
        qs = service._filtered(everything, filters)
        for cap in (1, 2, 3, 5, len(ids)):
            assert newest(engine.candidates(word, qs, cap, filters.terms())[0]) == expected[:cap], (filters, cap)
    assert engine.candidates(analysis.parse("Kessel Zaubertrank"), everything, 5)[0] == []
    # The title pool: the newest Vorlage with the word in its title is ranked, however few are.
    papers = sorted((pk for n, pk in matching if n % 3), reverse=True)
    ranked = engine.hits(word, everything.filter(kind=Kind.PAPER), within=1, limit=10, required=[TITLE_POOL_KIND])
    assert papers[0] in [row[0] for row in ranked]
