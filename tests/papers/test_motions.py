"""Anträge and Anfragen (§§ 56, 57 NKomVG): submitted online or on paper, received, numbered, answered."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from ratsinfo.bodies.models import Body, Organization, OrganizationKind, Person
from ratsinfo.papers import numbering, workflow
from ratsinfo.papers.models import ConsultationRole, Paper, PaperState, PaperType
from ratsinfo.papers.workflow import PaperWorkflowError, Step
from tests.conftest import join
from tests.papers.workflow_fixtures import Council, build_council


@pytest.fixture
def council(body: Body) -> Council:
    return build_council(body)


@pytest.fixture
def gruppe(body: Body) -> Organization:
    return Organization.objects.create(body=body, name="Gruppe Grüne – KA – Linke", short_name="Grüne/KA/Linke", kind=OrganizationKind.GRUPPE)


def _antrag(user: User, body: Body, group: Organization | None) -> Paper:
    return workflow.submit_motion(
        user, body, PaperType.ANTRAG, "Erstellung eines Integrationskonzeptes", group=group,
        sections=[("Antrag", "Die Verwaltung wird beauftragt, ein Integrationskonzept erstellen zu lassen."), ("Begründung", "")],
    )


def test_a_group_member_submits_and_the_sitzungsdienst_numbers_it(
    council: Council, gruppe: Organization, ratsfrau: User, sitzungsdienst: User
) -> None:
    join(ratsfrau, gruppe)
    antrag = _antrag(ratsfrau, council.body, gruppe)
    assert antrag.state == PaperState.EINGEREICHT and antrag.reference == ""
    assert not Paper.objects.visible_to(None).filter(pk=antrag.pk).exists()
    received = workflow.receive_motion(antrag, sitzungsdienst)
    term = numbering.term_label(numbering.term_on(council.body, timezone.localdate()))
    assert (received.reference, received.state, received.received_on) == (f"AN/0001/{term}", PaperState.FREIGEGEBEN, timezone.localdate())
    workflow.plan_consultations(received, sitzungsdienst, [Step(council.jos, ConsultationRole.VORBERATUNG), Step(council.va, ConsultationRole.ENTSCHEIDUNG)])
    assert received.consultations.count() == 2


def test_only_members_of_the_group_submit_for_it(council: Council, gruppe: Organization, ratsfrau: User) -> None:
    with pytest.raises(PaperWorkflowError, match="nicht zu Gruppe"):
        _antrag(ratsfrau, council.body, gruppe)
    with pytest.raises(PaperWorkflowError, match="reichen Ratsmitglieder"):
        _antrag(council.author, council.body, None)


def test_only_the_sitzungsdienst_receives(council: Council, ratsfrau: User) -> None:
    antrag = _antrag(ratsfrau, council.body, None)
    with pytest.raises(PaperWorkflowError, match="Sitzungsdienst"):
        workflow.receive_motion(antrag, council.mayor)


def test_an_anfrage_on_paper_is_entered_and_numbered(council: Council, gruppe: Organization, sitzungsdienst: User) -> None:
    anfrage = workflow.enter_paper_motion(
        sitzungsdienst, council.body, PaperType.ANFRAGE, "Sprachkurse in Ahlhorn", group=gruppe,
        sections=[("Anfrage", "Wie viele Plätze gibt es?")], received_on=date(2022, 5, 3),
    )
    assert anfrage.reference == "AF/0001/2021-2026" and anfrage.originator_organizations.get() == gruppe
    with pytest.raises(PaperWorkflowError, match="Kenntnisnahme"):
        workflow.plan_consultations(anfrage, sitzungsdienst, [Step(council.va, ConsultationRole.ENTSCHEIDUNG)])


def test_the_answering_beschlussvorlage_links_both_ways(council: Council, gruppe: Organization, sitzungsdienst: User) -> None:
    antrag = workflow.enter_paper_motion(
        sitzungsdienst, council.body, PaperType.ANTRAG, "Integrationskonzept", group=gruppe,
        sections=[("Antrag", "Ein Konzept erstellen lassen.")], received_on=date(2022, 6, 2),
    )
    answer = workflow.answer_motion(antrag, council.author, department=council.fb2)
    assert answer.paper_type == PaperType.BESCHLUSSVORLAGE and antrag in answer.related_papers.all()
    assert answer in antrag.related_papers.all()


def test_an_amendment_shows_its_change_against_the_proposal(council: Council, sitzungsdienst: User) -> None:
    vorlage = workflow.release(council.ready(), council.mayor)
    person = Person.objects.create(body=council.body, name="Tobias Grotelüschen")
    amendment = workflow.enter_paper_motion(
        sitzungsdienst, council.body, PaperType.AENDERUNGSANTRAG, "Änderung", persons=[person], amends=vorlage,
        sections=[("Geänderter Beschlussvorschlag", "Die Verwaltung wird sofort beauftragt.")], received_on=date(2022, 10, 1),
    )
    assert amendment.amends == vorlage and amendment in vorlage.amendments.all()
    parts = [(p.kind, p.text.strip()) for p in workflow.amendment_diff(amendment)]
    assert parts == [("same", "Die Verwaltung wird"), ("inserted", "sofort"), ("same", "beauftragt.")]


def test_an_amendment_needs_a_released_vorlage(council: Council, sitzungsdienst: User) -> None:
    person = Person.objects.create(body=council.body, name="Tobias Grotelüschen")
    with pytest.raises(PaperWorkflowError, match="freigegebenen Vorlage"):
        workflow.enter_paper_motion(
            sitzungsdienst, council.body, PaperType.AENDERUNGSANTRAG, "Änderung", persons=[person],
            amends=council.draft(), sections=[("Geänderter Beschlussvorschlag", "x")], received_on=date(2022, 10, 1),
        )
