"""The life of a Vorlage through the one service layer: draft, Beratungsfolge, Mitzeichnung, Freigabe."""

from __future__ import annotations

from datetime import date

import pytest

from ratsinfo.bodies.models import Body
from ratsinfo.bodies.roles import SITZUNGSDIENST
from ratsinfo.papers import workflow
from ratsinfo.papers.models import (
    ConsultationRole,
    CosignatureState,
    Paper,
    PaperEventAction,
    PaperState,
    PaperType,
)
from ratsinfo.papers.workflow import PaperWorkflowError, Step
from tests.conftest import account
from tests.papers.workflow_fixtures import Council, build_council


@pytest.fixture
def council(body: Body) -> Council:
    return build_council(body)


def test_a_draft_starts_from_its_types_template(council: Council) -> None:
    paper = workflow.create_draft(council.author, council.body, PaperType.BESCHLUSSVORLAGE, "Konzept", department=council.fb2)
    assert list(paper.sections.values_list("heading", flat=True)) == list(workflow.TEMPLATES[PaperType.BESCHLUSSVORLAGE])
    assert paper.state == PaperState.ENTWURF and paper.reference == "" and paper.version == 2
    assert list(paper.events.values_list("action", flat=True)) == [PaperEventAction.CREATED]


def test_a_stale_version_is_refused_and_nothing_is_saved(council: Council) -> None:
    paper = council.draft()
    stale = paper.version
    workflow.update_draft(paper, council.author, expected_version=stale, name="Neuer Betreff")
    with pytest.raises(PaperWorkflowError, match=r"inzwischen von .* geändert"):
        workflow.update_draft(paper, council.author, expected_version=stale, name="Überschrieben?")
    assert Paper.objects.get(pk=paper.pk).name == "Neuer Betreff"


def test_someone_outside_the_department_may_not_edit(council: Council) -> None:
    paper = council.draft()
    with pytest.raises(PaperWorkflowError, match="nicht bearbeiten"):
        workflow.update_draft(paper, council.cosigner, expected_version=paper.version, name="fremd")


def test_exactly_one_deciding_step_for_a_beschlussvorlage(council: Council) -> None:
    paper = council.draft()
    twice = [Step(council.va, ConsultationRole.ENTSCHEIDUNG), Step(council.va, ConsultationRole.ENTSCHEIDUNG)]
    with pytest.raises(PaperWorkflowError, match="genau einen Schritt"):
        workflow.plan_consultations(paper, council.author, twice)
    only_advice = [Step(council.jos, ConsultationRole.VORBERATUNG), Step(council.va, ConsultationRole.VORBERATUNG)]
    paper = workflow.plan_consultations(paper, council.author, only_advice)  # built step by step …
    paper = workflow.send_for_cosigning(paper, council.author, departments=[council.kaemmerei])
    workflow.sign(paper, council.cosigner)
    with pytest.raises(PaperWorkflowError, match="es fehlt: ein entscheidendes Gremium"):  # … but not released so
        workflow.release(paper, council.mayor)


def test_a_fachausschuss_only_advises(council: Council) -> None:
    paper = council.draft()
    with pytest.raises(PaperWorkflowError, match="§ 76"):
        workflow.plan_consultations(paper, council.author, [Step(council.jos, ConsultationRole.ENTSCHEIDUNG)])


def test_a_mitteilungsvorlage_is_only_taken_note_of(council: Council) -> None:
    paper = council.draft(PaperType.MITTEILUNGSVORLAGE)
    with pytest.raises(PaperWorkflowError, match="Kenntnisnahme"):
        workflow.plan_consultations(paper, council.author, [Step(council.jos, ConsultationRole.VORBERATUNG)])
    workflow.plan_consultations(paper, council.author, [Step(council.jos, ConsultationRole.KENNTNISNAHME)])
    assert paper.consultations.get().role == ConsultationRole.KENNTNISNAHME


def test_a_matter_reserved_to_the_rat_ends_there_after_the_va(council: Council) -> None:
    paper = council.draft()
    paper = workflow.update_draft(paper, council.author, expected_version=paper.version, reserved_to_council=True)
    with pytest.raises(PaperWorkflowError, match="§ 58"):
        workflow.plan_consultations(paper, council.author, council.steps())  # the VA would decide
    with pytest.raises(PaperWorkflowError, match="Verwaltungsausschuss bereitet vor"):
        workflow.plan_consultations(paper, council.author, [Step(council.rat, ConsultationRole.ENTSCHEIDUNG)])
    workflow.plan_consultations(paper, council.author, [
        Step(council.jos, ConsultationRole.VORBERATUNG, council.jos_meeting),
        Step(council.va, ConsultationRole.VORBERATUNG, council.va_meeting),
        Step(council.rat, ConsultationRole.ENTSCHEIDUNG, council.rat_meeting),
    ])
    assert [c.organization for c in paper.consultations.order_by("order")] == [council.jos, council.va, council.rat]


def test_the_rat_decides_only_what_is_reserved_to_it(council: Council) -> None:
    paper = council.draft()
    steps = [Step(council.va, ConsultationRole.VORBERATUNG), Step(council.rat, ConsultationRole.ENTSCHEIDUNG)]
    with pytest.raises(PaperWorkflowError, match="nur, was ihm vorbehalten"):
        workflow.plan_consultations(paper, council.author, steps)


def test_the_target_meeting_must_be_one_of_the_gremiums_planned_meetings(council: Council) -> None:
    paper = council.draft()
    wrong = [Step(council.jos, ConsultationRole.VORBERATUNG, council.va_meeting), Step(council.va, ConsultationRole.ENTSCHEIDUNG)]
    with pytest.raises(PaperWorkflowError, match="keine Sitzung von"):
        workflow.plan_consultations(paper, council.author, wrong)
    council.jos_meeting.cancelled = True
    council.jos_meeting.save()
    with pytest.raises(PaperWorkflowError, match="nicht mehr geplant"):
        workflow.plan_consultations(paper, council.author, council.steps())
    backwards = [Step(council.jos, ConsultationRole.VORBERATUNG, None), Step(council.va, ConsultationRole.ENTSCHEIDUNG, council.va_meeting)]
    workflow.plan_consultations(paper, council.author, backwards)


def test_a_change_after_signing_voids_the_signature(council: Council) -> None:
    paper = council.ready()
    assert workflow.ready_for_release(paper)
    paper = workflow.update_draft(paper, council.author, expected_version=paper.version, name="Geänderter Betreff")
    cosignature = paper.cosignatures.get()
    assert cosignature.state == CosignatureState.INVALIDATED and "nach der Mitzeichnung geändert" in cosignature.comment
    assert not workflow.ready_for_release(paper)
    assert paper.events.filter(action=PaperEventAction.INVALIDATED).exists()
    with pytest.raises(PaperWorkflowError, match="alle Mitzeichnungen"):
        workflow.release(paper, council.mayor)
    workflow.sign(paper, council.cosigner)  # signs the changed text anew
    assert workflow.release(paper, council.mayor).reference == "BV/0001/2021-2026"


def test_a_change_of_the_beratungsfolge_keeps_the_signature(council: Council) -> None:
    paper = council.ready()
    workflow.plan_consultations(paper, council.author, council.steps()[1:])
    assert paper.cosignatures.get().state == CosignatureState.SIGNED


def test_returned_with_a_comment_the_draft_goes_back_to_the_author(council: Council) -> None:
    paper = council.draft()
    paper = workflow.send_for_cosigning(paper, council.author, departments=[council.kaemmerei])
    with pytest.raises(PaperWorkflowError, match="begründen"):
        workflow.return_with_comment(paper, council.cosigner, comment=" ")
    workflow.return_with_comment(paper, council.cosigner, comment="Kosten für 2023 fehlen.")
    paper.refresh_from_db()
    assert paper.state == PaperState.ENTWURF
    assert paper.cosignatures.get().state == CosignatureState.RETURNED
    event = paper.events.get(action=PaperEventAction.RETURNED)
    assert event.actor == council.cosigner and event.comment == "Kosten für 2023 fehlen."
    workflow.send_for_cosigning(paper, council.author)
    assert paper.cosignatures.get().state == CosignatureState.REQUESTED


def test_only_the_asked_department_signs(council: Council) -> None:
    paper = workflow.send_for_cosigning(council.draft(), council.author, departments=[council.kaemmerei])
    with pytest.raises(PaperWorkflowError, match="keine offene Mitzeichnung"):
        workflow.sign(paper, council.mayor)


def test_release_names_what_is_missing(council: Council) -> None:
    paper = workflow.create_draft(council.author, council.body, PaperType.BESCHLUSSVORLAGE, "Leer", department=None)
    with pytest.raises(PaperWorkflowError) as refused:
        workflow.release(paper, council.mayor)
    assert str(refused.value) == (
        "Freigabe nicht möglich, es fehlt: federführender Fachbereich, Beratungsfolge, Beschlussvorschlag."
    )
    assert Paper.objects.get(pk=paper.pk).state == PaperState.ENTWURF


def test_four_eyes_the_author_never_releases(council: Council) -> None:
    paper = council.ready()
    council.author.user_permissions.add(_release_permission())
    author = type(council.author).objects.get(pk=council.author.pk)  # fresh permission cache
    with pytest.raises(PaperWorkflowError, match="Vier-Augen-Prinzip"):
        workflow.release(paper, author)


def test_only_the_mayor_or_a_named_delegate_releases(council: Council, body: Body) -> None:
    paper = council.ready()
    with pytest.raises(PaperWorkflowError, match="nur die Bürgermeisterin"):
        workflow.release(paper, council.cosigner)
    delegate = account("allgemeiner-vertreter", SITZUNGSDIENST, staff=True)
    delegate.user_permissions.add(_release_permission())
    released = workflow.release(paper, type(delegate).objects.get(pk=delegate.pk))
    assert released.state == PaperState.FREIGEGEBEN and released.slug == "BV-0001-2021-2026"


def test_the_whole_path_is_in_the_history(council: Council) -> None:
    paper = workflow.release(council.ready(), council.mayor, comment="gez. Bürgermeister")
    assert list(paper.events.values_list("action", "actor__username")) == [
        (PaperEventAction.CREATED, "sachbearbeitung"),
        (PaperEventAction.CHANGED, "sachbearbeitung"),
        (PaperEventAction.PLANNED, "sachbearbeitung"),
        (PaperEventAction.SENT, "sachbearbeitung"),
        (PaperEventAction.SIGNED, "kaemmerei"),
        (PaperEventAction.RELEASED, "buergermeister"),
    ]
    assert paper.events.last().comment == "Nummer BV/0001/2021-2026. gez. Bürgermeister"
    assert paper.history.first().history_change_reason == "freigegeben"


def test_a_withdrawn_vorlage_keeps_its_number_and_it_is_not_reused(council: Council) -> None:
    first = workflow.release(council.ready(), council.mayor)
    withdrawn = workflow.withdraw(first, council.author, comment="Sachverhalt erledigt")
    assert withdrawn.state == PaperState.ZURUECKGEZOGEN and withdrawn.reference == "BV/0001/2021-2026"
    assert workflow.release(council.ready(), council.mayor).reference == "BV/0002/2021-2026"


def test_a_follow_up_carries_the_suffix_and_links_to_the_original(council: Council) -> None:
    original = workflow.release(council.ready(), council.mayor)
    follow_up = workflow.create_follow_up(original, council.author)
    second = workflow.create_follow_up(original, council.author)
    assert (follow_up.reference, second.reference) == ("BV/0001-1/2021-2026", "BV/0001-2/2021-2026")
    assert follow_up.follow_up_of == original and original in follow_up.related_papers.all()
    assert follow_up.state == PaperState.ENTWURF and follow_up.name.startswith("Ergänzungsvorlage")
    assert workflow.decision_text(follow_up) == workflow.decision_text(original)


def test_no_follow_up_to_a_draft(council: Council) -> None:
    with pytest.raises(PaperWorkflowError, match="freigegebenen"):
        workflow.create_follow_up(council.draft(), council.author)


def test_a_released_vorlage_keeps_its_beratungsfolge_and_waits_for_its_first_agenda(council: Council) -> None:
    paper = workflow.release(council.ready(), council.mayor)
    assert paper.consultations.filter(meeting=council.va_meeting, role=ConsultationRole.ENTSCHEIDUNG).exists()
    # Public with its first meeting's Einladung (tests/papers/test_publication.py), not at release.
    assert not Paper.objects.visible_to(None).filter(pk=paper.pk).exists()


def test_a_draft_is_not_public(council: Council) -> None:
    assert not Paper.objects.visible_to(None).filter(pk=council.draft().pk).exists()


def _release_permission():  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import Permission

    return Permission.objects.get(codename="release_paper")


def test_a_draft_dated_outside_any_term_cannot_be_numbered(council: Council) -> None:
    paper = council.draft(day=date(2019, 5, 1))
    paper = workflow.plan_consultations(paper, council.author, [Step(council.va, ConsultationRole.ENTSCHEIDUNG)])
    with pytest.raises(PaperWorkflowError, match="keine Wahlperiode"):
        workflow.release(paper, council.mayor)
