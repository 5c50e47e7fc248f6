"""Vorlagennummern: pattern per type and term, gap-free under concurrent releases, never reused."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from django.db import connection, connections

from ratsinfo.bodies.models import Body
from ratsinfo.papers import numbering, workflow
from ratsinfo.papers.models import NumberAssignment, NumberPattern, Paper, PaperState, PaperType
from tests.papers.workflow_fixtures import Council, build_council


@pytest.fixture
def council(body: Body) -> Council:
    return build_council(body)


def test_numbering_continues_after_imported_numbers_of_the_term(council: Council) -> None:
    Paper.objects.create(body=council.body, reference="BV/0240/2021-2026", name="importiert", paper_type="Beschlussvorlage")
    Paper.objects.create(body=council.body, reference="BV/0238/2021-2026", name="importiert", paper_type="Beschlussvorlage")
    Paper.objects.create(body=council.body, reference="BV/0999/2016-2021", name="alte Wahlperiode", paper_type="Beschlussvorlage")
    assert workflow.release(council.ready(), council.mayor).reference == "BV/0241/2021-2026"
    Paper.objects.create(body=council.body, reference="BV/0250/2021-2026", name="später importiert", paper_type="Beschlussvorlage")
    assert workflow.release(council.ready(), council.mayor).reference == "BV/0251/2021-2026"


def test_a_new_term_starts_at_one(council: Council) -> None:
    Paper.objects.create(body=council.body, reference="BV/0240/2021-2026", name="importiert", paper_type="Beschlussvorlage")
    assert numbering.next_reference(council.body, PaperType.BESCHLUSSVORLAGE, date(2026, 11, 20)) == "BV/0001/2026-2031"


def test_each_type_has_its_own_counter_and_pattern(council: Council) -> None:
    NumberPattern.objects.create(body=council.body, paper_type=PaperType.MITTEILUNGSVORLAGE, pattern="{term}/MV-{number:03}")
    day = date(2022, 1, 5)
    assert numbering.next_reference(council.body, PaperType.BESCHLUSSVORLAGE, day) == "BV/0001/2021-2026"
    assert numbering.next_reference(council.body, PaperType.MITTEILUNGSVORLAGE, day) == "2021-2026/MV-001"
    assert numbering.next_reference(council.body, PaperType.MITTEILUNGSVORLAGE, day) == "2021-2026/MV-002"


def test_numbers_can_be_given_at_creation(council: Council) -> None:
    NumberPattern.objects.create(
        body=council.body, paper_type=PaperType.BESCHLUSSVORLAGE, pattern="BV/{number:04}/{term}",
        assign_at=NumberAssignment.AT_CREATION,
    )
    paper = council.draft()
    assert paper.reference == "BV/0001/2021-2026" and paper.slug == "BV-0001-2021-2026"
    assert workflow.release(council.ready(), council.mayor).reference == "BV/0002/2021-2026"


@pytest.mark.parametrize("pattern", ["BV/{term}", "BV/{number}/{number}", "BV/{number:04}/{jahr}", "BV/{number:q}"])
def test_a_bad_pattern_is_refused(pattern: str) -> None:
    with pytest.raises(numbering.NumberingError):
        numbering.validate_pattern(pattern)


def test_the_number_is_unique_per_gemeinde_not_across(council: Council) -> None:
    other = Body.objects.create(name="Gemeinde Wardenburg")
    from ratsinfo.bodies.models import LegislativeTerm

    LegislativeTerm.objects.create(body=other, name="2021-2026", start_date=date(2021, 11, 1), end_date=date(2026, 10, 31))
    day = date(2022, 3, 1)
    assert numbering.next_reference(council.body, PaperType.ANTRAG, day) == "AN/0001/2021-2026"
    assert numbering.next_reference(other, PaperType.ANTRAG, day) == "AN/0001/2021-2026"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_releases_take_consecutive_numbers(body: Body) -> None:
    council = build_council(body)
    papers = [council.ready() for _ in range(8)]
    barrier = threading.Barrier(len(papers))
    errors: list[BaseException] = []

    def release(paper: Paper) -> None:
        try:
            barrier.wait()
            workflow.release(paper, council.mayor)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=release, args=(p,)) for p in papers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = sorted(Paper.objects.filter(state=PaperState.FREIGEGEBEN).values_list("reference", flat=True))
    assert references == [f"BV/{n:04d}/2021-2026" for n in range(1, 9)]
