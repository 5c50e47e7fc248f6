"""Relevance on the demo: hand-written queries whose expected document is in the top 3,
the same on SQLite FTS5 and PostgreSQL."""

from __future__ import annotations

import pytest

from ratsinfo.bodies.models import Body
from ratsinfo.lib.access import PUBLIC
from ratsinfo.measures.models import Measure
from ratsinfo.papers.models import Paper, PaperState, PaperType
from ratsinfo.search.indexing import index_objects
from ratsinfo.search.models import Kind
from ratsinfo.search.service import search

SEED = "BV/0240/2021-2026"


def top3(query: str) -> list[str]:
    return [hit.title for hit in search(PUBLIC, query, facets=False).hits[:3]]


def test_the_genitive_finds_the_bebauungsplan_vorlagen(demo: Body) -> None:
    titles = top3("Bebauungsplans")
    assert titles and all("Bebauungsplan" in t for t in titles)


def test_ss_for_sz_finds_the_massnahmenplan_vorlage(demo: Body) -> None:
    expected = Paper.objects.get(name__contains="Fortschreibung des Maßnahmenplans")
    assert any(expected.name in t for t in top3("Massnahmenplan"))


@pytest.mark.parametrize(
    "query",
    ["Sozialträgerkonferenzen", "Integrationskonzeptes", "BV 240", "0240", SEED, "Integr*",
     '"Erstellung eines Integrationskonzeptes"'],
)
def test_the_seed_vorlage_is_found(demo: Body, query: str) -> None:
    assert any(t.startswith(SEED) for t in top3(query)), (query, top3(query))


def test_a_compound_part_finds_the_compound_below_exact_hits(demo: Body) -> None:
    paper = Paper.objects.create(
        body=demo, name="Konzept für die Spielplätze", reference="BV/0999/2021-2026",
        state=PaperState.FREIGEGEBEN, paper_type=PaperType.BESCHLUSSVORLAGE,
    )
    index_objects(Kind.PAPER, [paper.pk])
    titles = [hit.title for hit in search(PUBLIC, "Konzept", facets=False).hits]
    compound = [i for i, t in enumerate(titles) if "Integrationskonzept" in t]
    assert compound, titles
    assert titles.index(str(paper)) < min(compound)


def test_umlaut_spelled_out_finds_buergerhaus(demo: Body) -> None:
    hits = search(PUBLIC, "Buergerhaus", facets=False).hits
    assert hits and any("Bürgerhaus" in f"{h.title} {h.snippet}" or "Bürgerhaus" in h.context for h in hits)


def test_a_measure_is_found_by_its_title(demo: Body) -> None:
    measure = Measure.objects.visible_to(None).order_by("pk").first()
    assert measure is not None
    word = max(measure.title.split(), key=len)
    assert any(h.kind == "massnahme" for h in search(PUBLIC, word, facets=False).hits)


def test_snippets_mark_the_match_and_escape_html(demo: Body) -> None:
    hit = next(h for h in search(PUBLIC, "Sozialträgerkonferenzen", facets=False).hits if h.title.startswith(SEED))
    assert "<mark>Sozialträgerkonferenzen</mark>" in hit.snippet or "<mark>Sozialträgerkonferenz" in hit.snippet
