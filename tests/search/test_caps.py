"""A search counts and ranks a bounded number of matches (service.COUNT_CAP / RANK_CAP), so a
common word costs the same on 100,000s of documents; what it shows then says it is a lower bound."""

from __future__ import annotations

import pytest

from ratsinfo.bodies.models import Body
from ratsinfo.lib.access import PUBLIC
from ratsinfo.search import service
from ratsinfo.search.service import Filters, search


def test_without_caps_the_total_is_the_sum_of_the_kinds(demo: Body) -> None:
    results = search(PUBLIC, "Bebauungsplan")
    assert not results.capped
    assert results.total == sum(n for _, _, n in results.facets["kind"]) >= 3


def test_a_capped_search_counts_at_most_the_cap_and_says_so(demo: Body, monkeypatch: pytest.MonkeyPatch) -> None:
    full = search(PUBLIC, "Bebauungsplan")
    monkeypatch.setattr(service, "COUNT_CAP", 2)
    monkeypatch.setattr(service, "RANK_CAP", 2)
    capped = search(PUBLIC, "Bebauungsplan")
    assert capped.capped and capped.total == 2 < full.total
    assert sum(n for _, _, n in capped.facets["kind"]) == 2
    # At most RANK_CAP matches ranked, plus as many Vorlagen with a title match (so 2 ×).
    assert 0 < len(capped.hits) <= 4 < len(full.hits)


def test_facets_count_each_with_the_other_filters_only(demo: Body) -> None:
    everything = search(PUBLIC, "Bebauungsplan")
    papers_only = search(PUBLIC, "Bebauungsplan", Filters(kind="vorlage"))
    # The kind facet ignores its own filter, so one can switch to another kind …
    assert papers_only.facets["kind"] == everything.facets["kind"]
    # … and the total is the hits of that kind.
    assert papers_only.total == dict((k, n) for k, _, n in everything.facets["kind"])["vorlage"]
    assert sum(n for _, _, n in papers_only.facets["paper_type"]) == papers_only.total


def test_the_page_says_when_the_count_is_a_lower_bound(demo: Body, client, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    whole = client.get("/suche/", {"q": "Bebauungsplan"}).content.decode()
    assert "Die Zahlen in Klammern sind" not in whole
    monkeypatch.setattr(service, "COUNT_CAP", 2)
    page = client.get("/suche/", {"q": "Bebauungsplan"}).content.decode()
    assert "mindestens 2 Treffer" in page
    assert "Die Zahlen in Klammern sind unter den neuesten 2 Treffern gezählt." in page
    data = client.get("/suche/", {"q": "Bebauungsplan", "format": "json"}).json()
    assert data["total"] == 2 and data["total_is_lower_bound"] is True


def test_the_page_says_when_only_a_facet_count_is_a_lower_bound(demo: Body, client, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """With a kind chosen, the kind facet counts all kinds (its own filter off): that count can
    stop at the cap while the total of the chosen kind is complete."""
    kinds = dict((k, n) for k, _, n in search(PUBLIC, "Bebauungsplan").facets["kind"])
    assert sum(kinds.values()) > kinds["vorlage"]
    monkeypatch.setattr(service, "COUNT_CAP", kinds["vorlage"])

    page = client.get("/suche/", {"q": "Bebauungsplan", "art": "vorlage"}).content.decode()

    assert f"{kinds['vorlage']} Treffer" in page and "mindestens" not in page
    assert f"Die Zahlen in Klammern sind unter den neuesten {kinds['vorlage']} Treffern gezählt." in page


def _one_statement_per_filter_set(engine, query, visible, filters):  # type: ignore[no-untyped-def]
    skipped = {f: service._candidates(engine, query, visible, filters, skip=f) for f in filters.facet_values()}
    return service._candidates(engine, query, visible, filters), skipped


@pytest.mark.parametrize("cap", [1000, 2])
def test_the_counts_with_every_filter_taken_from_a_complete_count_with_one_off_are_the_same(
    demo: Body, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    """A facet count with its own filter off that holds every match gives the candidates with
    every filter too (service._counted): the same hits and counts as counting them again."""
    from ratsinfo.search.models import DocumentGremium

    monkeypatch.setattr(service, "COUNT_CAP", cap)
    gremium = DocumentGremium.objects.values_list("organization_id", flat=True).first()
    year = search(PUBLIC, "Bebauungsplan").facets["year"][0][0]
    cases = [
        Filters(kind="vorlage"), Filters(year=int(year)), Filters(gremium=gremium),
        Filters(kind="datei", paper_type="Beschlussvorlage"), Filters(kind="vorlage", year=int(year), gremium=gremium),
    ]
    calls: list[str] = []
    candidates = service._candidates
    monkeypatch.setattr(service, "_candidates", lambda *a, **k: calls.append(k.get("skip", "")) or candidates(*a, **k))
    for filters in cases:
        for word in ("Bebauungsplan", "Haushalt", "Sozialträgerkonferenzen"):
            calls.clear()
            derived = search(PUBLIC, word, filters)
            statements = len(calls)
            with monkeypatch.context() as m:
                m.setattr(service, "_counted", _one_statement_per_filter_set)
                again = search(PUBLIC, word, filters)
            assert (derived.total, derived.capped, derived.facets) == (again.total, again.capped, again.facets)
            assert [h.id for h in derived.hits] == [h.id for h in again.hits]
            if cap == 1000:  # the demo has fewer matches than that: the statement with every filter is saved
                assert statements == len(filters.facet_values())
