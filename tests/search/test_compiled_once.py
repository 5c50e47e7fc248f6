"""What a search computes once and reuses: the viewer's visibility condition (per viewer, never
shared between viewers, never kept when it depends on the database or the day), and the snippet,
which reads a text only up to the end of its passage."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import Q

from ratsinfo.bodies.models import Body, Organization
from ratsinfo.lib.access import PUBLIC, Viewer
from ratsinfo.papers.models import Paper, PaperSection, PaperState, PaperType
from ratsinfo.search import analysis, service
from ratsinfo.search.indexing import flush_all

SECRET = "Erbpachtverhandlungen"


@pytest.fixture
def secret_paper(demo: Body) -> Paper:
    committee = Organization.objects.get(body=demo, short_name="BPU")
    paper = Paper.objects.create(
        body=demo, name="Erbpacht am Mühlenteich", reference="BV/0902/2021-2026", public=False,
        state=PaperState.FREIGEGEBEN, paper_type=PaperType.BESCHLUSSVORLAGE,
    )
    PaperSection.objects.create(paper=paper, order=1, heading="Sachverhalt", text=f"Vertrauliche {SECRET}.")
    paper.consultations.create(organization=committee)
    flush_all()
    return paper


def _found(viewer: Viewer) -> list[str]:
    return [hit.title for hit in service.search(viewer, SECRET).hits]


def test_each_viewer_keeps_its_own_condition_whatever_the_order(secret_paper: Paper) -> None:
    committee = secret_paper.consultations.get().organization
    member = Viewer(user_id=1, person_id=1, gremium_ids=frozenset({committee.pk}))
    other = Viewer(user_id=2, person_id=2, gremium_ids=frozenset({committee.pk + 1000}))
    service._COMPILED.clear()
    for _ in range(2):  # the second round runs on the kept conditions
        assert _found(PUBLIC) == []
        assert [t for t in _found(member) if "Erbpacht" in t]
        assert _found(other) == []
    assert {key[0] for key in service._COMPILED} == {PUBLIC, member, other}


def test_the_condition_is_compiled_once_per_viewer(demo: Body, django_assert_num_queries: Any) -> None:
    service._COMPILED.clear()
    first = service._visibility(PUBLIC)
    with django_assert_num_queries(0):
        again = service._visibility(PUBLIC)
    assert again is first


@pytest.mark.parametrize(
    "condition",
    [
        lambda: Q(pk__in=list(Organization.objects.values_list("pk", flat=True))),  # reads the database
        lambda: Q(date__lte=dt.date.today()),  # depends on the day
    ],
    ids=["database", "today"],
)
def test_a_condition_that_depends_on_more_than_the_viewer_is_not_kept(
    demo: Body, monkeypatch: pytest.MonkeyPatch, condition: Any
) -> None:
    monkeypatch.setattr(service, "_visibility_condition", lambda viewer: condition())
    service._COMPILED.clear()
    service._visibility(PUBLIC)
    assert service._COMPILED == {}


def test_a_snippet_marks_the_matches_of_its_passage_and_escapes_html() -> None:
    text = "Vorwort " * 100 + "Der Haushalt <2027> und die Haushalte der Gemeinde. " + "Nachwort " * 100 + "Haushalt"
    out = service.snippet(text, analysis.parse("Haushalt"))
    assert out.count("<mark>") == 2 and "<mark>Haushalte</mark>" in out
    assert "&lt;2027&gt;" in out and "<2027>" not in out
    assert out.startswith("… ") and out.endswith(" …")


def test_a_snippet_marks_a_prefix_and_falls_back_to_the_beginning() -> None:
    assert service.snippet("Integrationskonzept und Integration", analysis.parse("Integr*")).count("<mark>") == 2
    assert service.snippet("Ein Text ohne Treffer", analysis.parse("Haushalt")) == "Ein Text ohne Treffer"
