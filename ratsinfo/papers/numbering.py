"""Vorlagennummern: a pattern per type and Wahlperiode, a row-locked counter, never reused.

`BV/{number:04}/{term}` gives `BV/0240/2021-2026`. The counter row of (Gemeinde, type, term) is
locked (`select_for_update`) while a number is taken, so two releases in the same second get
consecutive numbers; imported numbers of the same term are skipped (the counter continues after
the highest one found), a new term starts at 1.
"""

from __future__ import annotations

import re
import string
from datetime import date

from django.db import transaction

from ratsinfo.bodies.models import Body, LegislativeTerm
from ratsinfo.papers.models import NumberAssignment, NumberCounter, NumberPattern, Paper, PaperType

DEFAULT_PATTERNS: dict[str, str] = {
    PaperType.BESCHLUSSVORLAGE: "BV/{number:04}/{term}",
    PaperType.MITTEILUNGSVORLAGE: "MV/{number:04}/{term}",
    PaperType.INFORMATIONSVORLAGE: "IV/{number:04}/{term}",
    PaperType.DRINGLICHKEITSVORLAGE: "DV/{number:04}/{term}",
    PaperType.ANTRAG: "AN/{number:04}/{term}",
    PaperType.AENDERUNGSANTRAG: "ÄA/{number:04}/{term}",
    PaperType.ANFRAGE: "AF/{number:04}/{term}",
    PaperType.ANTWORT: "AW/{number:04}/{term}",
}
_NUMBER_FIELD = re.compile(r"\{number(?::[^}]*)?\}")


class NumberingError(ValueError):
    """A Vorlage cannot be numbered (no Wahlperiode, bad pattern); German message."""


def pattern_for(body: Body, paper_type: str) -> NumberPattern:
    found = NumberPattern.objects.filter(body=body, paper_type=paper_type).first()
    if found is not None:
        return found
    return NumberPattern(body=body, paper_type=paper_type, pattern=DEFAULT_PATTERNS.get(paper_type, "{number:04}/{term}"))


def numbers_at_creation(body: Body, paper_type: str) -> bool:
    return pattern_for(body, paper_type).assign_at == NumberAssignment.AT_CREATION


def validate_pattern(pattern: str) -> None:
    """Raises NumberingError unless the pattern has exactly one {number} and formats cleanly."""
    fields = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    if fields.count("number") != 1 or set(fields) - {"number", "term"}:
        raise NumberingError("Das Muster braucht genau einen Platzhalter {number:04} und darf sonst nur {term} enthalten.")
    try:
        pattern.format(number=1, term="2021-2026")
    except (ValueError, KeyError, IndexError) as exc:
        raise NumberingError(f"Das Muster lässt sich nicht anwenden: {exc}") from exc


def term_on(body: Body, day: date) -> LegislativeTerm:
    term = (
        LegislativeTerm.objects.filter(body=body, deleted=False, start_date__lte=day)
        .filter(end_date__gte=day)
        .order_by("-start_date")
        .first()
    )
    if term is None:
        raise NumberingError(f"Für den {day:%d.%m.%Y} ist keine Wahlperiode angelegt; bitte zuerst in den Stammdaten anlegen.")
    return term


def term_label(term: LegislativeTerm) -> str:
    """`2021-2026` for the term from 1 Nov 2021 to 31 Oct 2026 (the name is used without dates)."""
    if term.start_date and term.end_date:
        return f"{term.start_date.year}-{term.end_date.year}"
    return term.name.removeprefix("Wahlperiode ").strip()


def format_reference(pattern: str, number: int, term: str, suffix: str = "") -> str:
    """The reference; a follow-up's suffix (`-1`) goes right after the running number."""
    return _NUMBER_FIELD.sub(lambda m: m.group(0) + "{suffix}", pattern, count=1).format(
        number=number, term=term, suffix=suffix
    )


def _matcher(pattern: str, term: str) -> re.Pattern[str]:
    """A regex finding the running number in references of this pattern and term (no suffix)."""
    parts = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        parts.append(re.escape(literal))
        if name == "number":
            parts.append(r"(?P<number>\d+)")
        elif name == "term":
            parts.append(re.escape(term))
    return re.compile("^" + "".join(parts) + "$")


def _highest_existing(body: Body, pattern: str, term: str) -> int:
    """The highest running number already used (imported or given) for this pattern and term."""
    matcher = _matcher(pattern, term)
    literal_start = pattern.split("{", 1)[0]
    references = Paper.objects.filter(body=body, reference__startswith=literal_start).values_list("reference", flat=True)
    numbers = [int(m.group("number")) for ref in references if (m := matcher.match(ref))]
    return max(numbers, default=0)


@transaction.atomic
def next_reference(body: Body, paper_type: str, day: date) -> str:
    """Take the next number of (body, type, term of `day`): gap-free, unique, never reused."""
    pattern = pattern_for(body, paper_type).pattern
    validate_pattern(pattern)
    term = term_on(body, day)
    label = term_label(term)
    NumberCounter.objects.get_or_create(body=body, paper_type=paper_type, term=term)
    counter = NumberCounter.objects.select_for_update().get(body=body, paper_type=paper_type, term=term)
    # Under the lock: continue after imported numbers of this term (never below the counter).
    number = max(counter.last_number, _highest_existing(body, pattern, label)) + 1
    reference = format_reference(pattern, number, label)
    while Paper.objects.filter(body=body, reference=reference).exists():  # taken by hand or an import
        number += 1
        reference = format_reference(pattern, number, label)
    counter.last_number = number
    counter.save(update_fields=["last_number"])
    return reference


def follow_up_reference(original: Paper) -> str:
    """`BV/0240/2021-2026` -> `BV/0240-1/2021-2026` (then -2, …); the first free suffix."""
    match = re.match(r"^(?P<head>.*?/?\d+)(?:-\d+)?(?P<tail>/.*)?$", original.reference)
    if not original.reference or match is None:
        raise NumberingError("Eine Ergänzungsvorlage braucht eine nummerierte Ursprungsvorlage.")
    head, tail = match.group("head"), match.group("tail") or ""
    n = 1
    while Paper.objects.filter(body_id=original.body_id, reference=f"{head}-{n}{tail}").exists():
        n += 1
    return f"{head}-{n}{tail}"


@transaction.atomic
def take_over_counter(body: Body, paper_type: str, term: LegislativeTerm, last_number: int) -> NumberCounter:
    """Carry over the last number given by the previous system (never lowers the counter)."""
    NumberCounter.objects.get_or_create(body=body, paper_type=paper_type, term=term)
    counter = NumberCounter.objects.select_for_update().get(body=body, paper_type=paper_type, term=term)
    counter.last_number = max(counter.last_number, last_number)
    counter.save(update_fields=["last_number"])
    return counter


@transaction.atomic
def set_pattern(body: Body, paper_type: str, pattern: str, assign_at: str) -> NumberPattern:
    """Configure a type's Nummernkreis (validated; numbers already given stay as they are)."""
    if paper_type not in PaperType.values:
        raise NumberingError("Unbekannte Vorlagenart.")
    if assign_at not in NumberAssignment.values:
        raise NumberingError("Bitte wählen, wann die Nummer vergeben wird.")
    validate_pattern(pattern)
    found, _ = NumberPattern.objects.update_or_create(
        body=body, paper_type=paper_type, defaults={"pattern": pattern.strip(), "assign_at": assign_at}
    )
    return found
