"""Anträge and Anfragen online (§ 56 NKomVG): draft, co-sign within the Fraktion/Gruppe, submit.

`submit` is the one seam to the Vorlagen workflow: while `ratsinfo.papers.workflow.submit_motion`
is not available it creates the Paper itself (type Antrag/Anfrage, state Entwurf, created_by the
submitter, the Fraktion/Gruppe as originator), where the Sitzungsdienst finds it among the drafts.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from ratsinfo.bodies.models import GROUP_KINDS, Membership, Organization
from ratsinfo.members.models import MotionDraft, MotionSignature, MotionState
from ratsinfo.members.services import MembersError, person_of
from ratsinfo.papers.models import Paper, PaperType

SUBMIT_PERMISSION = "papers.submit_motion"


def groups_of(user: User) -> QuerySet[Organization]:
    """The Fraktionen/Gruppen the account currently belongs to (members and their Geschäftsführung)."""
    person = person_of(user)
    if person is None:
        return Organization.objects.none()
    active = Membership.objects.active_on(timezone.localdate()).filter(person=person, deleted=False, deputy=False)
    return Organization.objects.filter(
        pk__in=active.values("organization_id"), kind__in=GROUP_KINDS, deleted=False
    ).order_by("name")


def drafts_of(user: User) -> QuerySet[MotionDraft]:
    """Drafts and submissions of the account's Fraktionen/Gruppen."""
    return MotionDraft.objects.filter(group__in=groups_of(user)).select_related("group", "author", "paper")


def _draft_for(user: User, draft_id: int, *, lock: bool = False) -> MotionDraft:
    drafts = drafts_of(user).select_for_update(of=("self",)) if lock else drafts_of(user)
    draft = drafts.filter(pk=draft_id).first()
    if draft is None:
        raise MembersError("Dieser Entwurf gehört nicht zu Ihrer Fraktion oder Gruppe.")
    return draft


@transaction.atomic
def create_draft(user: User, *, kind: str, group: Organization, title: str, text: str, reasoning: str = "") -> MotionDraft:
    if not groups_of(user).filter(pk=group.pk).exists():
        raise MembersError("Sie können nur für Ihre eigene Fraktion oder Gruppe einen Entwurf anlegen.")
    return MotionDraft.objects.create(
        kind=kind, group=group, title=title.strip(), text=text.strip(), reasoning=reasoning.strip(), author=user
    )


@transaction.atomic
def cosign(user: User, draft_id: int) -> MotionSignature:
    draft = _draft_for(user, draft_id, lock=True)
    if draft.state != MotionState.ENTWURF:
        raise MembersError("Ein eingereichter Antrag kann nicht mehr mitgezeichnet werden.")
    person = person_of(user)
    if person is None:
        raise MembersError("Ihr Konto ist keiner Person zugeordnet.")
    signature, _ = MotionSignature.objects.get_or_create(draft=draft, person=person, defaults={"at": timezone.now()})
    return signature


@transaction.atomic
def submit(user: User, draft_id: int) -> Paper:
    """Submit the draft as a Vorlage of the Fraktion/Gruppe (Ratsmitglieder and the Geschäftsführung)."""
    draft = _draft_for(user, draft_id, lock=True)
    if draft.state != MotionState.ENTWURF:
        raise MembersError("Dieser Entwurf ist bereits eingereicht.")
    if not user.has_perm(SUBMIT_PERMISSION):
        raise MembersError("Einreichen können Ratsmitglieder und die Fraktions- oder Gruppengeschäftsführung.")
    paper = _create_paper(user, draft)
    draft.state, draft.paper = MotionState.EINGEREICHT, paper
    draft.save(update_fields=["state", "paper", "modified"])
    return paper


def _create_paper(user: User, draft: MotionDraft) -> Paper:
    """Hand the draft to the Vorlagen workflow: it lands in the Sitzungsdienst's incoming list."""
    from ratsinfo.papers.workflow import PaperWorkflowError, submit_motion

    kind = PaperType.ANFRAGE if draft.kind == PaperType.ANFRAGE else PaperType.ANTRAG
    sections = [("Anfrage" if kind == PaperType.ANFRAGE else "Antrag", draft.text)]
    if draft.reasoning:
        sections.append(("Begründung", draft.reasoning))
    try:
        paper = submit_motion(user, draft.group.body, kind, draft.title, sections=sections, group=draft.group)
    except PaperWorkflowError as error:
        raise MembersError(str(error)) from error
    paper.originator_persons.add(*[s.person for s in draft.signatures.select_related("person")])
    return paper
