"""The life of a Vorlage, one service per step: draft, Beratungsfolge, Mitzeichnung, Freigabe, withdrawal,
Ergänzungsvorlage, and Anträge/Anfragen (§§ 56, 57 NKomVG).

Every step runs in one transaction, increments `Paper.version` and writes a `PaperEvent` (who, when,
comment). Every refusal is a `PaperWorkflowError` with a German message the screens show as is.
Screens, the demo and tests call these functions; importers record what happened elsewhere through
`record_imported` and are never refused by drafting rules.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from ratsinfo.bodies.access import viewer_for
from ratsinfo.bodies.models import Body, Location, Organization, OrganizationKind, Person
from ratsinfo.files.models import File, FileRole
from ratsinfo.files.services import FileError, attach_file
from ratsinfo.meetings.models import Meeting, MeetingState
from ratsinfo.papers import numbering
from ratsinfo.papers.models import (
    Consultation,
    ConsultationRole,
    Cosignature,
    CosignatureState,
    Paper,
    PaperEvent,
    PaperEventAction,
    PaperSection,
    PaperSettings,
    PaperState,
    PaperType,
)

RELEASE_PERMISSION = "papers.release_paper"
SUBMIT_MOTION_PERMISSION = "papers.submit_motion"
DECISION_HEADINGS = ("Beschlussvorschlag", "Beschlussempfehlung")

# The text template of each type: its sections in order (the first one carries the proposal).
TEMPLATES: dict[str, tuple[str, ...]] = {
    PaperType.BESCHLUSSVORLAGE: ("Beschlussvorschlag", "Sach- und Rechtslage", "Finanzielle Auswirkungen", "Anlagen"),
    PaperType.DRINGLICHKEITSVORLAGE: (
        "Beschlussvorschlag", "Begründung der Dringlichkeit", "Sach- und Rechtslage", "Finanzielle Auswirkungen",
    ),
    PaperType.MITTEILUNGSVORLAGE: ("Mitteilung", "Sachstand", "Anlagen"),
    PaperType.INFORMATIONSVORLAGE: ("Information", "Sachstand", "Anlagen"),
    PaperType.ANTWORT: ("Anfrage", "Antwort der Verwaltung"),
    PaperType.ANTRAG: ("Antrag", "Begründung"),
    PaperType.ANFRAGE: ("Anfrage", "Begründung"),
    PaperType.AENDERUNGSANTRAG: ("Geänderter Beschlussvorschlag", "Begründung"),
}
NEEDS_DECISION = frozenset({PaperType.BESCHLUSSVORLAGE, PaperType.DRINGLICHKEITSVORLAGE, PaperType.ANTRAG})
NOTICE_ONLY = frozenset({PaperType.MITTEILUNGSVORLAGE, PaperType.INFORMATIONSVORLAGE, PaperType.ANFRAGE})
MOTION_TYPES = frozenset({PaperType.ANTRAG, PaperType.ANFRAGE, PaperType.AENDERUNGSANTRAG})
EDITABLE_STATES = (PaperState.ENTWURF, PaperState.MITZEICHNUNG)


class PaperWorkflowError(ValueError):
    """A workflow step was refused; the message is German and meant for the user."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field  # the form field the message belongs to, if any


@dataclass(frozen=True)
class Step:
    """One planned step of the Beratungsfolge."""

    organization: Organization
    role: str
    meeting: Meeting | None = None


# --- helpers -------------------------------------------------------------------------------------


def _record(paper: Paper, user: User | None, action: str, comment: str = "") -> PaperEvent:
    """Count the change (optimistic lock) and write the history entry."""
    paper.version += 1
    paper._change_reason = PaperEventAction(action).label  # type: ignore[attr-defined]  # simple-history
    paper.save()
    return PaperEvent.objects.create(paper=paper, action=action, actor=user, comment=comment, version=paper.version)


def _locked(paper: Paper, expected_version: int | None = None) -> Paper:
    fresh = Paper.objects.select_for_update().get(pk=paper.pk)
    if expected_version is not None and fresh.version != expected_version:
        last = fresh.events.select_related("actor").order_by("-at", "-pk").first()
        who = f" von {_name(last.actor)}" if last and last.actor else ""
        raise PaperWorkflowError(
            f"Die Vorlage wurde inzwischen{who} geändert (jetzt Stand {fresh.version}, Ihr Stand {expected_version}). "
            "Ihre Änderungen wurden nicht gespeichert; bitte die Vorlage neu laden und erneut ändern.",
            field="version",
        )
    return fresh


def _name(user: User | None) -> str:
    if user is None:
        return "unbekannt"
    return user.get_full_name() or user.get_username()


def _may_edit(paper: Paper, user: User) -> bool:
    viewer = viewer_for(user)
    if viewer.sees_everything:
        return True
    return Paper.objects.administered_by(viewer).filter(pk=paper.pk).exists()


def _require_editor(paper: Paper, user: User) -> None:
    if not _may_edit(paper, user):
        raise PaperWorkflowError("Sie dürfen diese Vorlage nicht bearbeiten (nur Verfasser/in, federführender Fachbereich oder Sitzungsdienst).")


def _require_state(paper: Paper, states: Iterable[str], doing: str) -> None:
    if paper.state not in states:
        raise PaperWorkflowError(f"{doing} ist im Stand „{paper.get_state_display()}“ nicht möglich.")


def _text_of(paper: Paper) -> list[tuple[str, str]]:
    return [(paper.name, ""), *paper.sections.order_by("order").values_list("heading", "text")]


def _write_sections(paper: Paper, sections: Sequence[tuple[str, str]]) -> None:
    paper.sections.all().delete()
    PaperSection.objects.bulk_create(
        PaperSection(paper=paper, order=i, heading=heading.strip(), text=text.strip())
        for i, (heading, text) in enumerate(sections, start=1)
    )


def _places(locations: Iterable[Location]) -> list[Location]:
    places = list(locations)
    if any(place.deleted for place in places):
        raise PaperWorkflowError("Ein gewählter Ort ist gelöscht.", field="locations")
    return places


def decision_text(paper: Paper) -> str:
    section = paper.sections.filter(heading__in=DECISION_HEADINGS).order_by("order").first()
    return section.text if section else ""


# --- drafting --------------------------------------------------------------------------------------


@transaction.atomic
def create_draft(
    user: User,
    body: Body,
    paper_type: str,
    name: str,
    *,
    department: Organization | None,
    originators: Iterable[Organization] = (),
    originator_persons: Iterable[Person] = (),
    related: Iterable[Paper] = (),
    public: bool = True,
    day: date | None = None,
    sections: Sequence[tuple[str, str]] | None = None,
    reserved_to_council: bool = False,
    follow_up_of: Paper | None = None,
    locations: Iterable[Location] = (),
) -> Paper:
    """A new Vorlage in the Entwurf state with the sections of its type's template.

    A follow-up (Ergänzungsvorlage) takes the original's number with the next suffix at once."""
    if paper_type not in TEMPLATES:
        raise PaperWorkflowError("Bitte eine Vorlagenart wählen.", field="paper_type")
    if not name.strip():
        raise PaperWorkflowError("Bitte einen Betreff angeben.", field="name")
    if department is not None and department.kind not in (OrganizationKind.FACHBEREICH, OrganizationKind.VERWALTUNG):
        raise PaperWorkflowError("Federführend kann nur ein Fachbereich der Verwaltung sein.", field="department")
    paper = Paper.objects.create(
        body=body, paper_type=paper_type, name=name.strip(), public=public, date=day or timezone.localdate(),
        state=PaperState.ENTWURF, created_by=user, reserved_to_council=reserved_to_council, published_at=None,
    )
    template = sections if sections is not None else [(heading, "") for heading in TEMPLATES[paper_type]]
    _write_sections(paper, template)
    if department is not None:
        paper.under_direction_of.add(department)
    paper.originator_organizations.add(*originators)
    paper.originator_persons.add(*originator_persons)
    paper.related_papers.add(*related)
    paper.locations.add(*_places(locations))
    if follow_up_of is not None:
        paper.follow_up_of, paper.reference, paper.slug = follow_up_of, numbering.follow_up_reference(follow_up_of), ""
        paper.related_papers.add(follow_up_of)
        paper.superordinated_papers.add(follow_up_of)
    elif numbering.numbers_at_creation(body, paper_type):
        _assign_number(paper)
    _record(paper, user, PaperEventAction.FOLLOW_UP if follow_up_of else PaperEventAction.CREATED,
            f"ergänzt {follow_up_of.reference}" if follow_up_of else "")
    return paper


@transaction.atomic
def update_draft(
    paper: Paper,
    user: User,
    *,
    expected_version: int,
    name: str | None = None,
    sections: Sequence[tuple[str, str]] | None = None,
    department: Organization | None = None,
    public: bool | None = None,
    day: date | None = None,
    reserved_to_council: bool | None = None,
    locations: Iterable[Location] | None = None,
    comment: str = "",
) -> Paper:
    """Save a changed draft; refused if someone saved in between. A changed text voids the signatures.

    `locations` (the places the Vorlage concerns, shown on its map) replaces the present ones."""
    paper = _locked(paper, expected_version)
    _require_editor(paper, user)
    _require_state(paper, EDITABLE_STATES, "Ändern")
    before = _text_of(paper)
    if name is not None:
        if not name.strip():
            raise PaperWorkflowError("Bitte einen Betreff angeben.", field="name")
        paper.name = name.strip()
    if sections is not None:
        _write_sections(paper, sections)
    if department is not None:
        paper.under_direction_of.set([department])
    if locations is not None:
        paper.locations.set(_places(locations))
    for field, value in (("public", public), ("date", day), ("reserved_to_council", reserved_to_council)):
        if value is not None:
            setattr(paper, field, value)
    paper.save()
    _record(paper, user, PaperEventAction.CHANGED, comment)
    if _text_of(paper) != before:
        _invalidate_signatures(paper, user)
    return paper


@transaction.atomic
def set_places(
    paper: Paper, user: User, locations: Iterable[Location], *, expected_version: int | None = None
) -> Paper:
    """Name the places a Vorlage concerns, also after its release: they locate it and leave its text as decided."""
    paper = _locked(paper, expected_version)
    _require_editor(paper, user)
    _require_state(paper, (*EDITABLE_STATES, PaperState.FREIGEGEBEN), "Orte ändern")
    places = _places(locations)
    paper.locations.set(places)
    _record(paper, user, PaperEventAction.PLACES, ", ".join(str(place) for place in places) or "keine Orte")
    return paper


def _invalidate_signatures(paper: Paper, user: User) -> None:
    signed = list(paper.cosignatures.filter(state=CosignatureState.SIGNED))
    for cosignature in signed:
        cosignature.state = CosignatureState.INVALIDATED
        cosignature.comment = f"Text am {timezone.localtime():%d.%m.%Y %H:%M} nach der Mitzeichnung geändert"
        cosignature.save()
    if signed:
        names = ", ".join(str(c.department or c.person) for c in signed)
        _record(paper, user, PaperEventAction.INVALIDATED, f"Text geändert; Mitzeichnung erneut nötig: {names}")


# --- Beratungsfolge ----------------------------------------------------------------------------------


def check_steps(paper: Paper, steps: Sequence[Step]) -> None:
    """The rules of a Beratungsfolge (§§ 58, 76 NKomVG); raises PaperWorkflowError.

    A plan may still lack its deciding step while it is built step by step; the release requires it."""
    roles = [step.role for step in steps]
    for position, step in enumerate(steps, start=1):
        if step.role not in ConsultationRole.values:
            raise PaperWorkflowError(f"Schritt {position}: bitte eine Zuständigkeit wählen.", field="steps")
        if step.organization.body_id != paper.body_id or step.organization.kind not in (
            OrganizationKind.RAT, OrganizationKind.VERWALTUNGSAUSSCHUSS, OrganizationKind.FACHAUSSCHUSS,
            OrganizationKind.ORTSRAT,
        ):
            raise PaperWorkflowError(f"Schritt {position}: {step.organization} ist kein Gremium des Rates.", field="steps")
        if step.meeting is not None:
            _check_meeting(position, step)
    dated = [step.meeting.start for step in steps if step.meeting is not None and step.meeting.start]
    if dated != sorted(dated):
        raise PaperWorkflowError("Die Sitzungen der Beratungsfolge müssen zeitlich aufeinander folgen.", field="steps")
    if paper.paper_type in NOTICE_ONLY and any(role != ConsultationRole.KENNTNISNAHME for role in roles):
        raise PaperWorkflowError(
            f"Eine {paper.get_paper_type_display()} wird nur zur Kenntnis gegeben: jeder Schritt braucht die "
            "Zuständigkeit „Kenntnisnahme“.", field="steps",
        )
    deciding = [i for i, role in enumerate(roles) if role == ConsultationRole.ENTSCHEIDUNG]
    if len(deciding) > 1:
        raise PaperWorkflowError("Nur ein Gremium entscheidet: bitte genau einen Schritt „Entscheidung“.", field="steps")
    if deciding:
        _check_deciding(paper, steps, deciding[0])


def _check_meeting(position: int, step: Step) -> None:
    meeting = step.meeting
    assert meeting is not None
    if meeting.cancelled or meeting.deleted or meeting.meeting_state == MeetingState.DURCHGEFUEHRT:
        raise PaperWorkflowError(f"Schritt {position}: die Sitzung „{meeting}“ ist nicht mehr geplant.", field="steps")
    if not meeting.organizations.filter(pk=step.organization.pk).exists():
        raise PaperWorkflowError(
            f"Schritt {position}: die Sitzung „{meeting}“ ist keine Sitzung von {step.organization}.", field="steps"
        )


def _check_deciding(paper: Paper, steps: Sequence[Step], index: int) -> None:
    decider = steps[index].organization
    if any(step.role in (ConsultationRole.VORBERATUNG, ConsultationRole.ANHOERUNG) for step in steps[index + 1:]):
        raise PaperWorkflowError("Vorberatung und Anhörung müssen vor der Entscheidung liegen.", field="steps")
    if decider.kind == OrganizationKind.FACHAUSSCHUSS:
        raise PaperWorkflowError(
            "Fachausschüsse beraten nur vor (§ 76 NKomVG): entscheiden kann der Verwaltungsausschuss oder, "
            "wenn die Angelegenheit ihm vorbehalten ist, der Rat.", field="steps",
        )
    if paper.reserved_to_council:
        passes_va = any(s.organization.kind == OrganizationKind.VERWALTUNGSAUSSCHUSS for s in steps[:index])
        if decider.kind != OrganizationKind.RAT or not passes_va:
            raise PaperWorkflowError(
                "Die Angelegenheit ist dem Rat vorbehalten (§ 58 NKomVG): der Rat entscheidet, und der "
                "Verwaltungsausschuss bereitet vor (§ 76 NKomVG).", field="steps",
            )
    elif decider.kind == OrganizationKind.RAT:
        raise PaperWorkflowError(
            "Der Rat entscheidet nur, was ihm vorbehalten ist (§ 58 NKomVG): bitte „dem Rat vorbehalten“ "
            "ankreuzen oder den Verwaltungsausschuss entscheiden lassen.", field="steps",
        )


@transaction.atomic
def plan_consultations(paper: Paper, user: User, steps: Sequence[Step], *, expected_version: int | None = None) -> Paper:
    """Replace the planned Beratungsfolge (steps already on an agenda stay untouched and are refused)."""
    paper = _locked(paper, expected_version)
    _require_editor(paper, user)
    _require_state(paper, (*EDITABLE_STATES, PaperState.EINGEREICHT, PaperState.FREIGEGEBEN), "Die Beratungsfolge planen")
    check_steps(paper, steps)
    current = paper.consultations.filter(deleted=False)
    if current.filter(agenda_item__isnull=False).exists():
        raise PaperWorkflowError("Die Vorlage steht schon auf einer Tagesordnung; die Beratungsfolge ändert der Sitzungsdienst dort.")
    _write_steps(paper, steps)
    summary = " → ".join(f"{s.organization.short_name or s.organization} ({s.role})" for s in steps)
    _record(paper, user, PaperEventAction.PLANNED, summary or "Beratungsfolge geleert")
    return paper


def _write_steps(paper: Paper, steps: Sequence[Step]) -> None:
    current = paper.consultations.filter(deleted=False)
    if paper.state == PaperState.FREIGEGEBEN:
        for old in current:  # the public may have seen them: tombstones for OParl
            old.soft_delete()
    else:
        current.delete()
    for order, step in enumerate(steps, start=1):
        Consultation.objects.create(
            paper=paper, organization=step.organization, meeting=step.meeting, order=order, role=step.role,
            authoritative=step.role == ConsultationRole.ENTSCHEIDUNG,
            planned_date=step.meeting.start.date() if step.meeting and step.meeting.start else None,
        )


def planned_steps(paper: Paper) -> list[Step]:
    return [
        Step(c.organization, c.role, c.meeting)
        for c in paper.consultations.filter(deleted=False).select_related("organization", "meeting").order_by("order")
        if c.organization is not None
    ]


# --- Mitzeichnung ----------------------------------------------------------------------------------


@transaction.atomic
def send_for_cosigning(
    paper: Paper, user: User, *, departments: Iterable[Organization] = (), persons: Iterable[Person] = (),
    comment: str = "",
) -> Paper:
    """Ask Fachbereiche or named persons to co-sign; open requests of a returned draft are asked again."""
    paper = _locked(paper)
    _require_editor(paper, user)
    _require_state(paper, EDITABLE_STATES, "Die Mitzeichnung")
    departments, persons = list(departments), list(persons)
    for department in departments:
        if department.kind not in (OrganizationKind.FACHBEREICH, OrganizationKind.VERWALTUNG):
            raise PaperWorkflowError(f"{department} ist kein Fachbereich.", field="departments")
        paper.cosignatures.get_or_create(department=department, defaults={"state": CosignatureState.REQUESTED})
    for person in persons:
        paper.cosignatures.get_or_create(person=person, defaults={"state": CosignatureState.REQUESTED})
    if not paper.cosignatures.exists():
        raise PaperWorkflowError("Bitte mindestens einen Fachbereich oder eine Person zur Mitzeichnung wählen.", field="departments")
    paper.cosignatures.exclude(state=CosignatureState.SIGNED).update(state=CosignatureState.REQUESTED, decided_at=None)
    paper.state = PaperState.MITZEICHNUNG
    names = ", ".join(str(c.department or c.person) for c in paper.cosignatures.select_related("department", "person"))
    _record(paper, user, PaperEventAction.SENT, f"{names}. {comment}".strip(" ."))
    return paper


def open_cosignature_for(paper: Paper, user: User) -> Cosignature | None:
    """The request this account may answer: as the named person, or for its Fachbereich."""
    viewer = viewer_for(user)
    mine = paper.cosignatures.filter(state__in=(CosignatureState.REQUESTED, CosignatureState.INVALIDATED))
    if viewer.person_id is not None:
        found = mine.filter(person_id=viewer.person_id).first()
        if found:
            return found
    return mine.filter(department__in=viewer.department_ids).first()


def _decide(paper: Paper, user: User, state: str, comment: str) -> Cosignature:
    _require_state(paper, (PaperState.MITZEICHNUNG,), "Mitzeichnen")
    cosignature = open_cosignature_for(paper, user)
    if cosignature is None:
        raise PaperWorkflowError("Für Sie oder Ihren Fachbereich liegt keine offene Mitzeichnung dieser Vorlage vor.")
    if paper.created_by_id == user.pk:
        raise PaperWorkflowError("Die Verfasserin oder der Verfasser kann die eigene Vorlage nicht mitzeichnen.")
    cosignature.state, cosignature.comment = state, comment.strip()
    cosignature.decided_at, cosignature.decided_by = timezone.now(), user
    cosignature.save()
    return cosignature


@transaction.atomic
def sign(paper: Paper, user: User, *, comment: str = "", expected_version: int | None = None) -> Cosignature:
    """Co-sign the text as it stands (a later change of the text voids this signature)."""
    paper = _locked(paper, expected_version)
    cosignature = _decide(paper, user, CosignatureState.SIGNED, comment)
    label = str(cosignature.department or cosignature.person)
    _record(paper, user, PaperEventAction.SIGNED, f"für {label}. {comment}".strip(" ."))
    return cosignature


@transaction.atomic
def return_with_comment(paper: Paper, user: User, *, comment: str, expected_version: int | None = None) -> Cosignature:
    """Send the draft back to the author with a comment (it is a draft again)."""
    if not comment.strip():
        raise PaperWorkflowError("Bitte begründen, warum die Vorlage zurückgegeben wird.", field="comment")
    paper = _locked(paper, expected_version)
    cosignature = _decide(paper, user, CosignatureState.RETURNED, comment)
    paper.state = PaperState.ENTWURF
    _record(paper, user, PaperEventAction.RETURNED, comment.strip())
    return cosignature


def ready_for_release(paper: Paper) -> bool:
    return not paper.cosignatures.exclude(state=CosignatureState.SIGNED).exists()


# --- Freigabe ------------------------------------------------------------------------------------


def missing_for_release(paper: Paper) -> list[str]:
    """What still stops the release, in German (empty: complete)."""
    missing = []
    if paper.date is None:
        missing.append("Datum der Vorlage")
    if not paper.under_direction_of.exists():
        missing.append("federführender Fachbereich")
    steps = planned_steps(paper)
    if not steps:
        missing.append("Beratungsfolge")
    elif paper.paper_type in NEEDS_DECISION and not any(s.role == ConsultationRole.ENTSCHEIDUNG for s in steps):
        missing.append("ein entscheidendes Gremium in der Beratungsfolge")
    if paper.paper_type == PaperType.BESCHLUSSVORLAGE and not decision_text(paper).strip():
        missing.append("Beschlussvorschlag")
    if paper.cosignatures.exclude(state=CosignatureState.SIGNED).exists():
        missing.append("alle Mitzeichnungen")
    return missing


def may_release(user: User, paper: Paper) -> bool:
    return user.is_active and user.has_perm(RELEASE_PERMISSION) and paper.created_by_id != user.pk


def _assign_number(paper: Paper) -> None:
    if not paper.reference:
        try:
            paper.reference = numbering.next_reference(paper.body, paper.paper_type, paper.date or timezone.localdate())
        except numbering.NumberingError as exc:
            raise PaperWorkflowError(str(exc)) from exc
        paper.slug = ""  # derived anew from the number
        paper.save()


@transaction.atomic
def release(paper: Paper, user: User, *, comment: str = "", expected_version: int | None = None) -> Paper:
    """Freigabe by the Bürgermeister/in or a named delegate (four-eyes); assigns the number."""
    paper = _locked(paper, expected_version)
    if not user.has_perm(RELEASE_PERMISSION):
        raise PaperWorkflowError("Freigeben darf nur die Bürgermeisterin/der Bürgermeister oder eine benannte Vertretung.")
    if paper.created_by_id == user.pk:
        raise PaperWorkflowError("Vier-Augen-Prinzip: die eigene Vorlage kann nicht selbst freigegeben werden.")
    _require_state(paper, EDITABLE_STATES, "Die Freigabe")
    missing = missing_for_release(paper)
    if missing:
        raise PaperWorkflowError("Freigabe nicht möglich, es fehlt: " + ", ".join(missing) + ".")
    _assign_number(paper)
    paper.state = PaperState.FREIGEGEBEN
    _publish_at_release(paper)
    _record(paper, user, PaperEventAction.RELEASED, f"Nummer {paper.reference}. {comment}".strip(" ."))
    return paper


def _publish_at_release(paper: Paper) -> None:
    """A released public Vorlage goes online with its first meeting's agenda; where the Gemeinde
    configured it, at once (PaperSettings)."""
    paper.published_at = timezone.now() if PaperSettings.publishes_at_release(paper.body_id) else None


@transaction.atomic
def publish_with_agenda(paper_ids: Iterable[int], *, now: datetime | None = None) -> list[Paper]:
    """The Einladung (or a Nachtrag) of a meeting puts these Vorlagen on its agenda: the released ones
    not yet online are published now (called by meetings.publication.send_invitation)."""
    now = now or timezone.now()
    ids = sorted(set(paper_ids))
    papers = list(Paper.objects.select_for_update().filter(
        pk__in=ids, state=PaperState.FREIGEGEBEN, published_at__isnull=True, deleted=False,
    ).order_by("pk"))
    for paper in papers:
        paper.published_at = now
        paper._change_reason = "mit der Tagesordnung veröffentlicht"  # type: ignore[attr-defined]  # simple-history
        paper.save(update_fields=["published_at"])  # also marks it and its files as having been public
    return papers


@transaction.atomic
def withdraw(paper: Paper, user: User, *, comment: str) -> Paper:
    """Zurückziehen: the Vorlage keeps its number (numbers are never reused)."""
    if not comment.strip():
        raise PaperWorkflowError("Bitte einen Grund für das Zurückziehen angeben.", field="comment")
    paper = _locked(paper)
    if not (_may_edit(paper, user) or user.has_perm(RELEASE_PERMISSION)):
        raise PaperWorkflowError("Sie dürfen diese Vorlage nicht zurückziehen.")
    _require_state(paper, (*EDITABLE_STATES, PaperState.EINGEREICHT, PaperState.FREIGEGEBEN), "Das Zurückziehen")
    paper.state = PaperState.ZURUECKGEZOGEN
    _record(paper, user, PaperEventAction.WITHDRAWN, comment.strip())
    return paper


@transaction.atomic
def create_follow_up(original: Paper, user: User, *, name: str | None = None) -> Paper:
    """An Ergänzungsvorlage: a new draft numbered `…-1` after the original, linked to it."""
    original = Paper.objects.select_for_update().get(pk=original.pk)  # serialises the suffixes
    if original.state != PaperState.FREIGEGEBEN:
        raise PaperWorkflowError("Eine Ergänzungsvorlage gibt es nur zu einer freigegebenen Vorlage.")
    if not original.reference:
        raise PaperWorkflowError("Eine Ergänzungsvorlage braucht eine nummerierte Ursprungsvorlage.")
    sections = list(original.sections.order_by("order").values_list("heading", "text"))
    return create_draft(
        user, original.body, original.paper_type, name or f"Ergänzungsvorlage: {original.name}",
        department=original.under_direction_of.first(), public=original.public, sections=sections,
        reserved_to_council=original.reserved_to_council, follow_up_of=original,
    )


# --- Anträge und Anfragen (§§ 56, 57 NKomVG) -------------------------------------------------------


def _check_submitter(user: User, group: Organization | None) -> Person:
    viewer = viewer_for(user)
    person = Person.objects.filter(user=user, deleted=False).first()
    if person is None or not user.has_perm(SUBMIT_MOTION_PERMISSION):
        raise PaperWorkflowError("Anträge und Anfragen reichen Ratsmitglieder, Fraktionen und Gruppen ein.")
    if group is not None:
        if not group.is_group:
            raise PaperWorkflowError(f"{group} ist keine Fraktion oder Gruppe.", field="group")
        if group.pk not in viewer.gremium_ids:
            raise PaperWorkflowError(f"Sie gehören nicht zu {group}.", field="group")
    return person


@transaction.atomic
def submit_motion(
    user: User, body: Body, paper_type: str, name: str, *, sections: Sequence[tuple[str, str]],
    group: Organization | None = None, amends: Paper | None = None, public: bool = True,
) -> Paper:
    """A member, Fraktion or Gruppe submits an Antrag, Änderungsantrag or Anfrage online (members' area)."""
    if paper_type not in MOTION_TYPES:
        raise PaperWorkflowError("Eingereicht werden können Anträge, Änderungsanträge und Anfragen.", field="paper_type")
    person = _check_submitter(user, group)
    return _new_motion(user, body, paper_type, name, sections, group, [person], amends, public, PaperState.EINGEREICHT,
                       PaperEventAction.SUBMITTED)


def _new_motion(
    user: User, body: Body, paper_type: str, name: str, sections: Sequence[tuple[str, str]],
    group: Organization | None, persons: Sequence[Person], amends: Paper | None, public: bool, state: str,
    action: str, day: date | None = None,
) -> Paper:
    if not name.strip():
        raise PaperWorkflowError("Bitte einen Betreff angeben.", field="name")
    if not any(text.strip() for _, text in sections):
        raise PaperWorkflowError("Bitte den Text des Antrags oder der Anfrage angeben.", field="text")
    if paper_type == PaperType.AENDERUNGSANTRAG and (
        amends is None or amends.state != PaperState.FREIGEGEBEN or not decision_text(amends)
    ):
        raise PaperWorkflowError(
            "Ein Änderungsantrag gehört zu einer freigegebenen Vorlage mit Beschlussvorschlag.", field="amends"
        )
    paper = Paper.objects.create(
        body=body, paper_type=paper_type, name=name.strip(), public=public, date=day or timezone.localdate(),
        state=state, created_by=user, amends=amends if paper_type == PaperType.AENDERUNGSANTRAG else None,
        published_at=None,
    )
    _write_sections(paper, sections)
    if group is not None:
        paper.originator_organizations.add(group)
    paper.originator_persons.add(*persons)
    if paper.amends is not None:
        paper.superordinated_papers.add(paper.amends)
    _record(paper, user, action)
    return paper


@transaction.atomic
def receive_motion(paper: Paper, user: User, *, received_on: date | None = None, comment: str = "") -> Paper:
    """The Sitzungsdienst receives a submitted Antrag/Anfrage: it gets its number (`AN/…`, `AF/…`)."""
    paper = _locked(paper)
    if not viewer_for(user).sees_everything:
        raise PaperWorkflowError("Anträge und Anfragen nimmt der Sitzungsdienst entgegen.")
    _require_state(paper, (PaperState.EINGEREICHT,), "Die Entgegennahme")
    paper.received_on = received_on or timezone.localdate()
    paper.date = paper.date or paper.received_on
    _assign_number(paper)
    paper.state = PaperState.FREIGEGEBEN
    _publish_at_release(paper)
    _record(paper, user, PaperEventAction.RECEIVED, f"Nummer {paper.reference}. {comment}".strip(" ."))
    return paper


@transaction.atomic
def enter_paper_motion(
    user: User, body: Body, paper_type: str, name: str, *, sections: Sequence[tuple[str, str]],
    received_on: date, group: Organization | None = None, persons: Sequence[Person] = (), amends: Paper | None = None,
    public: bool = True,
) -> Paper:
    """The Sitzungsdienst enters an Antrag/Anfrage received on paper, and receives it at once."""
    if paper_type not in MOTION_TYPES:
        raise PaperWorkflowError("Erfasst werden können Anträge, Änderungsanträge und Anfragen.", field="paper_type")
    if group is None and not persons:
        raise PaperWorkflowError("Bitte die einreichende Fraktion, Gruppe oder Person angeben.", field="group")
    paper = _new_motion(user, body, paper_type, name, sections, group, persons, amends, public,
                        PaperState.EINGEREICHT, PaperEventAction.SUBMITTED, day=received_on)
    return receive_motion(paper, user, received_on=received_on, comment="auf Papier eingegangen")


@transaction.atomic
def answer_motion(motion: Paper, user: User, *, department: Organization, name: str | None = None) -> Paper:
    """The administration's Beschlussvorlage (or Antwort) answering an Antrag (Anfrage), linked both ways."""
    if motion.paper_type not in (PaperType.ANTRAG, PaperType.ANFRAGE) or motion.state != PaperState.FREIGEGEBEN:
        raise PaperWorkflowError("Beantwortet wird ein eingegangener Antrag oder eine eingegangene Anfrage.")
    paper_type = PaperType.BESCHLUSSVORLAGE if motion.paper_type == PaperType.ANTRAG else PaperType.ANTWORT
    paper = create_draft(
        user, motion.body, paper_type, name or f"{motion.name} ({motion.reference})", department=department,
        originators=[o for o in [department.parent] if o is not None], related=[motion], public=motion.public,
    )
    paper.superordinated_papers.add(motion)
    return paper


# --- Änderungsantrag: readable difference to the original Beschlussvorschlag -----------------------


@dataclass(frozen=True)
class DiffPart:
    kind: str  # "same", "deleted", "inserted"
    text: str


def amendment_diff(amendment: Paper) -> list[DiffPart]:
    """The amended proposal against the original one, word by word."""
    if amendment.amends is None:
        return []
    original = re.findall(r"\S+\s*", decision_text(amendment.amends))
    first = amendment.sections.order_by("order").first()
    changed = re.findall(r"\S+\s*", first.text if first else "")
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(a=[w.strip() for w in original], b=[w.strip() for w in changed], autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            parts.append(DiffPart("same", "".join(changed[b1:b2])))
            continue
        if a2 > a1:
            parts.append(DiffPart("deleted", "".join(original[a1:a2])))
        if b2 > b1:
            parts.append(DiffPart("inserted", "".join(changed[b1:b2])))
    return parts


# --- imports ---------------------------------------------------------------------------------------


@transaction.atomic
def record_imported(paper: Paper, *, source: str, user: User | None = None) -> PaperEvent:
    """An importer notes what happened elsewhere (no drafting rules; the number is taken as given)."""
    return PaperEvent.objects.create(
        paper=paper, action=PaperEventAction.IMPORTED, actor=user, comment=source, version=paper.version
    )


# --- Anlagen -----------------------------------------------------------------------------------------


@transaction.atomic
def add_attachment(
    paper: Paper, user: User, *, data: bytes, file_name: str, name: str = "", public: bool = True,
    mime_type: str = "",
) -> File:
    """Attach an Anlage to a draft; like a text change, it voids earlier signatures."""
    paper = _locked(paper)
    _require_editor(paper, user)
    _require_state(paper, EDITABLE_STATES, "Eine Anlage hinzufügen")
    clean_name = re.sub(r"[\x00-\x1f/\\]+", " ", file_name).strip(" .")[:300]
    if not clean_name or not data:
        raise PaperWorkflowError("Bitte eine nicht leere Datei mit Dateinamen wählen.", field="file")
    order = paper.files.count() + 1
    attachment = File(
        body=paper.body, paper=paper, role=FileRole.AUXILIARY, file_name=clean_name, name=name.strip() or clean_name,
        mime_type=mime_type[:120], public=public, date=timezone.localdate(), order=order,
    )
    try:  # the one upload path: type sniffed from the bytes, size limit, content stored once
        attach_file(attachment, [data], file_name=clean_name)
    except FileError as exc:
        raise PaperWorkflowError(str(exc), field="file") from exc
    _record(paper, user, PaperEventAction.FILE_ADDED, attachment.name)
    _invalidate_signatures(paper, user)
    return attachment
