"""The one way to record what a meeting did, for every body (council or not).

Attendance, quorum (§ 65), per item the result, votes, § 41 exclusions, majority (§ 66, special
majorities), elections (§ 67), own votes recorded on demand (§ 68), the recommendation carried to
the next step of the Beratungsfolge, postponement, and the Beschlusskontrolle record. The NKomVG
checks apply where the Gremium's rules say so (council bodies by default). Every step names the
version of the meeting it saw, so two people recording at once never overwrite each other.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone

from ratsinfo.bodies.models import Membership, Person
from ratsinfo.meetings.models import (
    AgendaItem,
    AgendaItemRecord,
    AgendaItemResult,
    Attendance,
    AttendanceStatus,
    Exclusion,
    Implementation,
    ItemKind,
    MajorityRule,
    Meeting,
    MeetingWorkflow,
    QuorumState,
    RecordedVote,
    StandIn,
    Vote,
)
from ratsinfo.meetings.rules import MeetingError, Rules, meeting_rules

__all__ = [
    "MeetingError",
    "ResultOutcome",
    "dispute_quorum",
    "majority_reached",
    "postpone_item",
    "record_attendance",
    "record_election",
    "record_own_vote",
    "record_result",
    "remove_own_vote",
    "resolution_diff",
    "state_quorum",
    "workflow_of",
]

ADOPTED = frozenset({
    AgendaItemResult.UNGEAENDERT, AgendaItemResult.GEAENDERT, AgendaItemResult.MEHRHEITLICH,
    AgendaItemResult.EINSTIMMIG,
})
# Results that are no decision: allowed even when the quorum is lacking.
NO_DECISION = frozenset({AgendaItemResult.VERTAGT, AgendaItemResult.ZURUECKGEZOGEN, ""})


# ---------------------------------------------------------------------------------------------
# Versions and the meeting's workflow row


def workflow_of(meeting: Meeting) -> MeetingWorkflow:
    workflow, _ = MeetingWorkflow.objects.get_or_create(meeting=meeting)
    return workflow


def _lock(meeting: Meeting, version: int | None) -> MeetingWorkflow:
    """Lock the meeting's workflow row; refuse if someone else changed the meeting since `version`."""
    workflow_of(meeting)
    workflow = MeetingWorkflow.objects.select_for_update().get(meeting=meeting)
    if version is not None and version != workflow.version:
        raise MeetingError(
            "Die Sitzung wurde inzwischen von jemand anderem bearbeitet. Bitte die Seite neu laden; "
            "Ihre Eingabe wurde nicht gespeichert."
        )
    workflow.version += 1
    workflow.save(update_fields=["version"])
    return workflow


def _record_of(item: AgendaItem) -> AgendaItemRecord:
    record, _ = AgendaItemRecord.objects.get_or_create(item=item)
    return record


# ---------------------------------------------------------------------------------------------
# Attendance and quorum


def voting_right(meeting: Meeting, person: Person, represents: Person | None = None) -> bool:
    """A member with voting right, or a deputy standing in for one."""
    org_ids = list(meeting.organizations.values_list("pk", flat=True))
    day = timezone.localdate(meeting.start) if meeting.start else None
    members = Membership.objects.alive().active_on(day).filter(organization__in=org_ids)
    if represents is not None:
        return members.filter(person=represents, voting_right=True, deputy=False).exists()
    return members.filter(person=person, voting_right=True, deputy=False).exists()


@transaction.atomic
def record_attendance(
    meeting: Meeting, person: Person, status: str, *, arrived: dt.time | None = None, left: dt.time | None = None,
    represents: Person | None = None, chair: bool = False, version: int | None = None,
) -> Attendance:
    """One member's attendance (§ 68: with from–to times and deputies)."""
    rules = meeting_rules(meeting)
    _lock(meeting, version)
    if status not in AttendanceStatus.values:
        raise MeetingError("Unbekannte Anwesenheitsangabe.")
    if status == AttendanceStatus.VIDEO and rules.nkomvg_checks and not rules.hybrid_allowed:
        raise MeetingError("Die Hauptsatzung erlaubt für dieses Gremium keine Teilnahme per Video.")
    if arrived and left and left < arrived:
        raise MeetingError("Das Ende der Anwesenheit liegt vor ihrem Beginn.")
    if represents is not None and represents.pk == person.pk:
        raise MeetingError("Ein Mitglied kann sich nicht selbst vertreten.")
    if represents is not None and Attendance.objects.filter(
        meeting=meeting, represents=represents, status__in=[AttendanceStatus.PRESENT, AttendanceStatus.VIDEO]
    ).exclude(person=person).exists():
        raise MeetingError(f"{represents} wird in dieser Sitzung bereits vertreten.")
    attendance, _ = Attendance.objects.update_or_create(
        meeting=meeting, person=person,
        defaults={
            "status": status, "arrived": arrived, "left": left, "represents": represents, "chair": chair,
            "voting": voting_right(meeting, person, represents),
        },
    )
    if represents is not None:
        # The deputy sees this meeting's non-public part (StandIn feeds the Viewer).
        StandIn.objects.update_or_create(meeting=meeting, deputy=person, defaults={"represents": represents})
    meeting.participants.add(person)
    return attendance


def voting_present(meeting: Meeting, at: dt.time | None = None) -> set[int]:
    """Ids of the persons with a vote who are in the session (at a time of day, if given)."""
    present = set()
    for a in Attendance.objects.filter(meeting=meeting, voting=True, status__in=[AttendanceStatus.PRESENT, AttendanceStatus.VIDEO]):
        if at is None or ((a.arrived is None or a.arrived <= at) and (a.left is None or a.left > at)):
            present.add(a.person_id)
    return present


def quorum_needed(rules: Rules) -> int:
    """§ 65: more than half of the statutory members."""
    return rules.statutory_members // 2 + 1


def _count(meeting: Meeting, rules: Rules, at: dt.time | None) -> tuple[str, int]:
    present = len(voting_present(meeting, at))
    return (QuorumState.STATED if present >= quorum_needed(rules) else QuorumState.LACKING), present


@transaction.atomic
def state_quorum(meeting: Meeting, *, at: dt.time | None = None, version: int | None = None) -> MeetingWorkflow:
    """The chair states the quorum at the start; from then on it is presumed until disputed."""
    rules = meeting_rules(meeting)
    workflow = _lock(meeting, version)
    state, present = _count(meeting, rules, at) if rules.nkomvg_checks else (QuorumState.STATED, 0)
    workflow.quorum, workflow.quorum_present, workflow.quorum_at = state, present, timezone.now()
    workflow.save(update_fields=["quorum", "quorum_present", "quorum_at"])
    return workflow


@transaction.atomic
def dispute_quorum(meeting: Meeting, *, at: dt.time | None = None, version: int | None = None) -> MeetingWorkflow:
    """Someone doubts the quorum: recount from the attendance at that moment."""
    rules = meeting_rules(meeting)
    workflow = _lock(meeting, version)
    if not rules.nkomvg_checks:
        raise MeetingError("Für dieses Gremium gilt keine Beschlussfähigkeitsregel.")
    state, present = _count(meeting, rules, at)
    workflow.quorum = QuorumState.DISPUTED_OK if state == QuorumState.STATED else QuorumState.LACKING
    workflow.quorum_present, workflow.quorum_at = present, timezone.now()
    workflow.save(update_fields=["quorum", "quorum_present", "quorum_at"])
    return workflow


# ---------------------------------------------------------------------------------------------
# Majorities


def majority_reached(rule: str, yes: int, no: int, statutory_members: int) -> bool:
    """§ 66 by default: more yes than no, abstentions do not count, a tie rejects. Special majorities
    count the statutory members (majority of the members; two thirds)."""
    if rule == MajorityRule.MEMBERS:
        return yes > statutory_members / 2
    if rule == MajorityRule.TWO_THIRDS:
        return 3 * yes >= 2 * statutory_members and yes > 0
    return yes > no


def resolution_diff(recommendation: str, resolution: str) -> list[tuple[str, str]]:
    """Word diff of a changed decision against the recommendation: ("=", "-", "+") and text."""
    old, new = recommendation.split(), resolution.split()
    parts: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(("=", " ".join(old[a1:a2])))
            continue
        if a2 > a1:
            parts.append(("-", " ".join(old[a1:a2])))
        if b2 > b1:
            parts.append(("+", " ".join(new[b1:b2])))
    return parts


# ---------------------------------------------------------------------------------------------
# Results


@dataclass
class ResultOutcome:
    item: AgendaItem
    adopted: bool | None
    warnings: list[str] = field(default_factory=list)
    implementation: Implementation | None = None


Effect = Callable[[AgendaItem], Any]


@transaction.atomic
def record_result(
    item: AgendaItem, result: str, *, yes: int | None = None, no: int | None = None, abstain: int | None = None,
    resolution_text: str | None = None, excluded: Iterable[Person] = (), majority_rule: str | None = None,
    requires_action: bool | None = None, at: dt.time | None = None, version: int | None = None,
    effects: Iterable[Effect] = (),
) -> ResultOutcome:
    """Record an item's result. `effects` are further consequences of the same decision (e.g. the
    Maßnahmenplan's changes), run in the same transaction: one item, several effects."""
    item = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
    meeting = item.meeting
    rules = meeting_rules(meeting)
    workflow = _lock(meeting, version)
    record = _record_of(item)
    if result not in AgendaItemResult.values:
        raise MeetingError("Bitte ein Ergebnis aus der Liste wählen.")
    if item.deleted:
        raise MeetingError("Der Tagesordnungspunkt ist gelöscht.")
    if majority_rule is not None:
        record.majority_rule = majority_rule
    excluded = list(excluded)
    counts = [v for v in (yes, no, abstain) if v is not None]
    if any(v < 0 for v in counts):
        raise MeetingError("Stimmenzahlen können nicht negativ sein.")
    warnings: list[str] = []
    adopted: bool | None = None
    if rules.nkomvg_checks:
        if workflow.quorum == QuorumState.LACKING and result not in NO_DECISION:
            raise MeetingError(
                "Die Beschlussunfähigkeit ist festgestellt: es kann kein Beschluss gefasst werden "
                "(nur vertagen oder zurückziehen)."
            )
        present = voting_present(meeting, at)
        excluded_ids = {p.pk for p in excluded}
        if RecordedVote.objects.filter(item=item, person_id__in=excluded_ids).exists():
            raise MeetingError("Ein befangenes Mitglied (§ 41) darf nicht mitstimmen; seine Stimme ist festgehalten.")
        entitled = len(present - excluded_ids)
        if counts and sum(counts) > entitled and Attendance.objects.filter(meeting=meeting).exists():
            raise MeetingError(
                f"Es wurden {sum(counts)} Stimmen eingetragen, aber nur {entitled} stimmberechtigte Mitglieder "
                "sind anwesend und nicht befangen."
            )
        # § 65 Abs. 3: more than half excluded: still quorate, but the Kommunalaufsicht must approve.
        record.kommunalaufsicht = len(excluded_ids) > rules.statutory_members / 2
        if record.kommunalaufsicht:
            warnings.append("Mehr als die Hälfte der Mitglieder ist befangen: der Beschluss bedarf der Genehmigung der Kommunalaufsicht (§ 65 Abs. 3).")
        _own_votes_fit(item, yes, no, abstain)
        if counts:
            adopted = majority_reached(record.majority_rule, yes or 0, no or 0, rules.statutory_members)
            warnings += _contradictions(result, adopted, yes or 0, no or 0, abstain or 0)
    if result == AgendaItemResult.GEAENDERT:
        text = (resolution_text if resolution_text is not None else item.resolution_text).strip()
        if not text or text == record.recommendation.strip():
            raise MeetingError("„geändert beschlossen“ braucht den geänderten Beschlusstext.")
    item.result = result
    item.votes_yes, item.votes_no, item.votes_abstain = yes, no, abstain
    item.votes_conflicted = len(excluded) or None
    if resolution_text is not None:
        item.resolution_text = resolution_text
    elif result in ADOPTED and not item.resolution_text:
        item.resolution_text = record.recommendation
    item.save()
    Exclusion.objects.filter(item=item).exclude(person__in=excluded).delete()
    for person in excluded:
        Exclusion.objects.get_or_create(item=item, person=person)
    record.warning = " ".join(warnings)[:500]
    outcome = ResultOutcome(item=item, adopted=adopted if adopted is not None else (result in ADOPTED), warnings=warnings)
    _carry_forward(item, record, result, requires_action, outcome)
    record.save()
    if record.kind == ItemKind.MINUTES and result in ADOPTED:
        from ratsinfo.meetings.publication import approve_minutes_by

        approve_minutes_by(item)
    for effect in effects:
        effect(item)
    return outcome


def _contradictions(result: str, adopted: bool, yes: int, no: int, abstain: int) -> list[str]:
    warnings = []
    if result in ADOPTED and not adopted:
        warnings.append("Das eingetragene Ergebnis „beschlossen“ widerspricht den Stimmen: die erforderliche Mehrheit ist nicht erreicht.")
    if result == AgendaItemResult.ABGELEHNT and adopted:
        warnings.append("Das eingetragene Ergebnis „abgelehnt“ widerspricht den Stimmen: die erforderliche Mehrheit ist erreicht.")
    if result == AgendaItemResult.EINSTIMMIG and (no or abstain):
        warnings.append("„einstimmig“ widerspricht den Nein-Stimmen oder Enthaltungen.")
    if yes == no and result in ADOPTED:
        warnings.append("Bei Stimmengleichheit ist ein Antrag abgelehnt (§ 66).")
    return warnings


def _carry_forward(
    item: AgendaItem, record: AgendaItemRecord, result: str, requires_action: bool | None, outcome: ResultOutcome
) -> None:
    """A Vorberatung's result becomes the next step's recommendation; an adopted decision that asks the
    administration to act gets its Beschlusskontrolle record."""
    from ratsinfo.papers.models import Consultation, PaperType

    consultation = Consultation.objects.filter(agenda_item=item).select_related("paper").first()
    if consultation is not None and result in ADOPTED:
        later = Consultation.objects.alive().filter(paper=consultation.paper, order__gt=consultation.order).order_by("order")
        for step in later:
            if step.agenda_item_id:
                AgendaItemRecord.objects.update_or_create(item_id=step.agenda_item_id, defaults={"recommendation": item.resolution_text})
            break
    if requires_action is None:
        requires_action = bool(
            consultation is not None and consultation.authoritative and result in ADOPTED
            and consultation.paper.paper_type == PaperType.BESCHLUSSVORLAGE
        )
    record.requires_action = requires_action
    if requires_action and result in ADOPTED:
        department = consultation.paper.under_direction_of.order_by("pk").first() if consultation else None
        outcome.implementation, _ = Implementation.objects.get_or_create(item=item, defaults={"department": department})
    elif not requires_action:
        Implementation.objects.filter(item=item, notes__isnull=True).delete()


# ---------------------------------------------------------------------------------------------
# Own votes, elections, postponement


def _own_votes_fit(item: AgendaItem, yes: int | None, no: int | None, abstain: int | None) -> None:
    """Votes recorded by name cannot outnumber the votes counted of their kind."""
    counted: dict[str, int | None] = {Vote.YES: yes, Vote.NO: no, Vote.ABSTAIN: abstain}
    for vote, label in Vote.choices:
        named = RecordedVote.objects.filter(item=item, vote=vote).count()
        total = counted[vote]
        if total is not None and named > total:
            raise MeetingError(
                f"Es sind {named} {label}-Stimmen namentlich festgehalten, gezählt wurden aber nur {total}."
            )


@transaction.atomic
def record_own_vote(item: AgendaItem, person: Person, vote: str, *, version: int | None = None) -> RecordedVote:
    """§ 68: a member demands that their own vote be recorded (not in a secret vote)."""
    item = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
    meeting = item.meeting
    rules = meeting_rules(meeting)
    _lock(meeting, version)
    record = _record_of(item)
    if vote not in Vote.values:
        raise MeetingError("Unbekannte Stimme.")
    if record.election and record.election.get("method") == "geheim":
        raise MeetingError("In einer geheimen Wahl wird keine Stimme namentlich festgehalten.")
    if Exclusion.objects.filter(item=item, person=person).exists():
        raise MeetingError(f"{person} ist befangen (§ 41) und hat nicht mitgestimmt.")
    if rules.nkomvg_checks and Attendance.objects.filter(meeting=meeting).exists() and person.pk not in voting_present(meeting):
        raise MeetingError(f"{person} ist nicht als stimmberechtigtes Mitglied anwesend.")
    recorded, _ = RecordedVote.objects.update_or_create(item=item, person=person, defaults={"vote": vote})
    _own_votes_fit(item, item.votes_yes, item.votes_no, item.votes_abstain)
    return recorded


@transaction.atomic
def remove_own_vote(item: AgendaItem, person: Person, *, version: int | None = None) -> None:
    """A vote recorded by mistake is taken out of the record again."""
    _lock(item.meeting, version)
    if not RecordedVote.objects.filter(item=item, person=person).delete()[0]:
        raise MeetingError(f"Für {person} ist keine Stimme festgehalten.")


ElectionMethod = Literal["stimmzettel", "handzeichen", "geheim"]
ELECTION_METHODS: dict[str, str] = {
    "stimmzettel": "Wahl durch Stimmzettel",
    "handzeichen": "offene Wahl durch Handzeichen",
    "geheim": "geheime Wahl (auf Verlangen eines Mitglieds)",
}


def election_majority(statutory_members: int) -> int:
    """§ 67: elected in the first round is who has more than half of the members' votes."""
    return statutory_members // 2 + 1


def _candidates(votes: Mapping[str, int]) -> dict[str, int]:
    cleaned: dict[str, int] = {}
    for name, count in votes.items():
        name = " ".join(str(name).split())
        if not name:
            raise MeetingError("Jede Bewerbung braucht einen Namen.")
        if name.casefold() in {n.casefold() for n in cleaned}:
            raise MeetingError(f"„{name}“ ist zweimal als Bewerbung eingetragen.")
        if count < 0:
            raise MeetingError("Stimmenzahlen können nicht negativ sein.")
        cleaned[name] = count
    if not cleaned:
        raise MeetingError("Mindestens eine Bewerberin oder ein Bewerber ist nötig.")
    return cleaned


def election_text(election: Mapping[str, Any]) -> str:
    """The wording for the Niederschrift: procedure, every round's tally, the lot, who is elected."""
    parts = [ELECTION_METHODS.get(election["method"], election["method"]) + "."]
    for r in election["rounds"]:
        tally = ", ".join(f"{name} {count}" for name, count in r["votes"].items())
        others = [f"{label} {r[key]}" for key, label in (("no", "Nein"), ("abstain", "Enthaltungen"), ("invalid", "ungültig")) if r.get(key)]
        parts.append(f"{r['round']}. Wahlgang: {tally}" + (f" ({', '.join(others)})" if others else "") + ".")
        if r["round"] == 1 and not r["elected"]:
            parts.append(f"Niemand hat die erforderliche Mehrheit von {r['required']} Stimmen erreicht.")
        if r.get("by_lot"):
            parts.append(f"Bei Stimmengleichheit hat das von der/dem Vorsitzenden gezogene Los für {r['elected']} entschieden.")
    last = election["rounds"][-1]
    parts.append(f"Gewählt ist {last['elected']}." if last["elected"] else "Ein zweiter Wahlgang ist erforderlich.")
    return " ".join(parts)


@transaction.atomic
def record_election(
    item: AgendaItem, votes: Mapping[str, int], *, method: ElectionMethod = "stimmzettel", objection: bool = False,
    secret_demanded: bool = False, round_number: int = 1, lot_winner: str = "", no: int = 0, abstain: int = 0,
    invalid: int = 0, version: int | None = None,
) -> dict[str, Any]:
    """§ 67 NKomVG: by ballot; by show of hands only with one candidate and no objection; secret on one
    member's demand. Elected is who has more than half of the members' votes; otherwise a second round
    where most votes win; a tie there is decided by lot drawn by the chair (the drawn name is recorded).
    Recording the first round again replaces both rounds (a correction)."""
    item = AgendaItem.objects.select_related("meeting").get(pk=item.pk)
    meeting = item.meeting
    rules = meeting_rules(meeting)
    workflow = _lock(meeting, version)
    record = _record_of(item)
    if item.deleted:
        raise MeetingError("Der Tagesordnungspunkt ist gelöscht.")
    if rules.nkomvg_checks and workflow.quorum == QuorumState.LACKING:
        raise MeetingError("Die Beschlussunfähigkeit ist festgestellt: es kann nicht gewählt werden.")
    votes = _candidates(votes)
    if method not in ELECTION_METHODS:
        raise MeetingError("Bitte ein Wahlverfahren aus der Liste wählen.")
    if min(no, abstain, invalid) < 0:
        raise MeetingError("Stimmenzahlen können nicht negativ sein.")
    if secret_demanded:
        if method == "handzeichen":
            raise MeetingError("Ein Mitglied verlangt geheime Wahl: durch Handzeichen kann dann nicht gewählt werden (§ 67).")
        method = "geheim"
    if method == "handzeichen" and len(votes) > 1:
        raise MeetingError("Durch Handzeichen darf nur gewählt werden, wenn es genau eine Bewerbung gibt (§ 67).")
    if method == "handzeichen" and objection:
        raise MeetingError("Ein Mitglied widerspricht der Wahl durch Handzeichen: es wird mit Stimmzetteln gewählt (§ 67).")
    if method == "handzeichen" and invalid:
        raise MeetingError("Bei einer Wahl durch Handzeichen gibt es keine ungültigen Stimmzettel.")
    if round_number not in (1, 2):
        raise MeetingError("Es gibt einen ersten und einen zweiten Wahlgang.")
    earlier = (record.election or {}).get("rounds") or []
    if round_number == 2 and (not earlier or earlier[0]["elected"]):
        raise MeetingError("Ein zweiter Wahlgang findet nur statt, wenn im ersten niemand die erforderliche Mehrheit erhalten hat.")
    total = sum(votes.values()) + no + abstain + invalid
    if rules.nkomvg_checks and Attendance.objects.filter(meeting=meeting).exists():
        present = len(voting_present(meeting))
        if total > present:
            raise MeetingError(f"Es wurden {total} Stimmen gezählt, aber nur {present} Stimmberechtigte sind anwesend.")
    required = election_majority(rules.statutory_members)
    best = max(votes.values())
    leaders = [name for name, count in votes.items() if count == best]
    lot_winner = " ".join(lot_winner.split())
    elected, by_lot = "", False
    if round_number == 1 or len(leaders) == 1:
        if lot_winner:
            raise MeetingError("Das Los entscheidet nur bei Stimmengleichheit im zweiten Wahlgang.")
        if round_number == 2 or (best >= required and len(leaders) == 1):
            elected = leaders[0]
    else:
        if best == 0:
            raise MeetingError("Im zweiten Wahlgang hat niemand eine Stimme erhalten.")
        winner = next((name for name in leaders if name.casefold() == lot_winner.casefold()), "")
        if not winner:
            raise MeetingError(
                f"Stimmengleichheit zwischen {' und '.join(leaders)}: das Los entscheidet; bitte die gezogene Person angeben."
            )
        elected, by_lot = winner, True
    this_round = {
        "round": round_number, "votes": votes, "no": no, "abstain": abstain, "invalid": invalid,
        "required": required, "elected": elected, "by_lot": by_lot,
    }
    rounds = [this_round] if round_number == 1 else [earlier[0], this_round]
    record.kind = ItemKind.ELECTION
    # The latest round's figures stay at the top level (the Niederschrift and older readers use them).
    record.election = {
        "method": method, "round": round_number, "votes": votes, "elected": elected, "by_lot": by_lot, "rounds": rounds,
    }
    record.warning = ""
    record.save()
    item.result = (f"gewählt: {elected}" if elected else "zweiter Wahlgang erforderlich")[:200]
    item.resolution_text = election_text(record.election)
    item.save(update_fields=["result", "resolution_text", "modified"])
    if method == "geheim":
        RecordedVote.objects.filter(item=item).delete()
    return record.election


@transaction.atomic
def postpone_item(item: AgendaItem, to_meeting: Meeting, *, version: int | None = None) -> AgendaItem:
    """„vertagt“: the item is recorded as postponed and goes onto the agenda of a later meeting."""
    from ratsinfo.meetings.planning import add_item
    from ratsinfo.papers.models import Consultation

    _lock(item.meeting, version)
    if to_meeting.pk == item.meeting_id:
        raise MeetingError("Ein vertagter Punkt muss in eine andere Sitzung.")
    if item.meeting.start and to_meeting.start and to_meeting.start <= item.meeting.start:
        raise MeetingError("Ein Punkt kann nur in eine spätere Sitzung vertagt werden.")
    item.result = AgendaItemResult.VERTAGT
    item.save(update_fields=["result", "modified"])
    consultation = Consultation.objects.filter(agenda_item=item).first()
    new = add_item(to_meeting, item.name, public=item.public, consultation=consultation)
    record = _record_of(item)
    record.postponed_to = new
    record.save(update_fields=["postponed_to"])
    return new
