"""Invariants of the domain model: enforced by the database or the model, with history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from ratsinfo.bodies.models import Body, Membership, Organization, OrganizationKind, Person
from ratsinfo.files.models import File
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import (
    Consultation,
    ConsultationRole,
    Paper,
    PaperSection,
    reference_slug,
)

pytestmark = pytest.mark.django_db


def test_reference_becomes_a_readable_slug() -> None:
    assert reference_slug("BV/0240/2021-2026") == "BV-0240-2021-2026"
    assert reference_slug(" 2015/0288-1 ") == "2015-0288-1"


def test_paper_slug_comes_from_the_reference_and_stays_unique(body: Body) -> None:
    first = Paper.objects.create(body=body, name="A", reference="BV/0240/2021-2026")
    other_body = Body.objects.create(name="Gemeinde Wardenburg")
    second = Paper.objects.create(body=other_body, name="B", reference="BV/0240/2021-2026")
    assert first.slug == "BV-0240-2021-2026"
    assert second.slug == "BV-0240-2021-2026-2"


def test_a_reference_is_unique_within_a_body(body: Body) -> None:
    Paper.objects.create(body=body, name="A", reference="BV/0001/2021-2026")
    with pytest.raises(IntegrityError), transaction.atomic():
        Paper.objects.create(body=body, name="B", reference="BV/0001/2021-2026", slug="andere")
    # Papers without a reference (e.g. imported ones) do not collide.
    Paper.objects.create(body=body, name="C")
    Paper.objects.create(body=body, name="D")


def test_agenda_item_order_is_unique_per_meeting() -> None:
    meeting = Meeting.objects.create(name="Rat")
    AgendaItem.objects.create(meeting=meeting, order=1, name="Eröffnung")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, order=1, name="Doppelt")


def test_a_membership_cannot_end_before_it_starts(body: Body) -> None:
    person = Person.objects.create(body=body, given_name="Anna", family_name="Meyer")
    rat = Organization.objects.create(body=body, name="Rat", kind=OrganizationKind.RAT)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=person, organization=rat, start_date=dt.date(2021, 11, 1), end_date=dt.date(2021, 1, 1))


def test_the_verwaltungsausschuss_never_meets_in_public(body: Body) -> None:
    """§ 78 NKomVG."""
    va = Organization.objects.create(body=body, name="Verwaltungsausschuss", kind=OrganizationKind.VERWALTUNGSAUSSCHUSS, meetings_public=True)
    assert va.meetings_public is False


def test_a_decision_step_is_authoritative(body: Body) -> None:
    paper = Paper.objects.create(body=body, name="A", reference="BV/1")
    va = Organization.objects.create(body=body, name="VA", kind=OrganizationKind.VERWALTUNGSAUSSCHUSS)
    consultation = Consultation.objects.create(paper=paper, organization=va, role=ConsultationRole.ENTSCHEIDUNG)
    assert consultation.authoritative


def test_person_name_and_slug_are_derived(body: Body) -> None:
    person = Person.objects.create(body=body, titles=["Dr."], given_name="Jörg", family_name="Müller")
    assert person.name == "Dr. Jörg Müller"
    assert person.slug == "dr-jorg-muller"


def test_changing_an_embedded_object_bumps_its_parent(body: Body) -> None:
    """OParl clients sync by `modified`: a new result on an agenda item is a change of the meeting."""
    meeting = Meeting.objects.create(name="Rat")
    item = AgendaItem.objects.create(meeting=meeting, order=1, name="Haushalt")
    meeting.refresh_from_db()
    before = meeting.modified
    item.result = "einstimmig beschlossen"
    item.save()
    meeting.refresh_from_db()
    assert meeting.modified > before

    paper = Paper.objects.create(body=body, name="A", reference="BV/2")
    before = Paper.objects.get(pk=paper.pk).modified
    PaperSection.objects.create(paper=paper, order=1, heading="Beschlussvorschlag", text="…")
    assert Paper.objects.get(pk=paper.pk).modified > before

    before = Paper.objects.get(pk=paper.pk).modified
    File.objects.create(body=body, paper=paper, file_name="anlage.pdf")
    assert Paper.objects.get(pk=paper.pk).modified > before


def test_every_change_is_kept_as_history(body: Body) -> None:
    paper = Paper.objects.create(body=body, name="Erster Betreff", reference="BV/3")
    paper.name = "Zweiter Betreff"
    paper.save()
    names = [h.name for h in paper.history.order_by("history_date")]
    assert names == ["Erster Betreff", "Zweiter Betreff"]
    assert paper.history.first().history_type == "~"


def test_majority_rule_of_section_66(body: Body) -> None:
    meeting = Meeting.objects.create(name="Ausschuss")
    seed_result = AgendaItem(meeting=meeting, order=1, name="x", votes_yes=7, votes_no=2, votes_abstain=0)
    tie = AgendaItem(meeting=meeting, order=2, name="y", votes_yes=4, votes_no=4, votes_abstain=3)
    assert seed_result.adopted_by_majority is True
    assert seed_result.vote_summary == "Ja 7, Nein 2, Enthaltungen 0"
    assert tie.adopted_by_majority is False
