"""Parser for the municipality's plain-text export of a Vorlage.

Layout (see ratsinfo/corpus/fixtures/beschlussvorlage-BV-0240-2021-2026.txt)::

    <blank lines>
    Beschlussvorlage                      type line
    Vorlage Nr.: BV/0240/2021-2026
    öffentlich                            or nichtöffentlich / nicht öffentlich
    23.09.2022
    <blank>
    Beratungsfolge<TAB>Termin<TAB>Zuständigkeit       (optional table)
    Gremium<TAB>06.10.2022<TAB>Vorberatung            (date may be empty)
    <blank>
    Tagesordnungspunkt:
    subject line(s)
    <blank>
    Heading:                              sections, each a line ending in ':'
    paragraphs separated by blank lines
    …
    file name **title**                   trailing attachment lines

Parsing is pure (no database); errors name the offending line in German.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from ratsinfo.papers.models import ConsultationRole, PaperType

PAPER_TYPES: dict[str, str] = {value.casefold(): value for value in PaperType.values}
ROLES: dict[str, str] = {value.casefold(): value for value in ConsultationRole.values}
PUBLIC_WORDS = {"öffentlich": True, "nichtöffentlich": False, "nicht öffentlich": False, "nicht-öffentlich": False}

DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
REFERENCE_RE = re.compile(r"^Vorlage(?:n)?[ \t]*-?[ \t]*Nr\.?[ \t]*:[ \t]*(?P<ref>\S.*)$", re.IGNORECASE)
SUBJECT_RE = re.compile(r"^Tagesordnungspunkt[ \t]*:[ \t]*(?P<rest>.*)$", re.IGNORECASE)
ATTACHMENT_RE = re.compile(r"^(?P<file>\S.*?)[ \t]+\*\*(?P<title>[^*].*?)\*\*$")
# A section heading is a short noun phrase ending in a colon ("Sach- und Rechtslage:",
# "Finanzielle Auswirkungen:", "2. Begründung:"). Prose ending in a colon ("Der Rat
# beschließt:", "Wir bitten um Beantwortung folgender Fragen:") starts like a sentence or has
# a lower-case word that is not a connecting word; lower-case adjectives are accepted only
# next to a typical heading noun ("Finanzielle und personelle Auswirkungen:").
HEADING_RE = re.compile(r"^(?P<heading>(?:\d+(?:\.\d+)*\.?[ \t]+)?[^\W\d_][^:]{0,79}):$")
HEADING_MAX_WORDS = 7
CONNECTING_WORDS = frozenset(
    ["und", "oder", "sowie", "der", "die", "das", "des", "den", "dem", "zur", "zum", "zu", "für", "auf", "im", "in", "mit", "von", "vom", "nach", "bei", "über", "an", "am", "aus", "gem.", "gemäß", "bzw.", "u.", "einschl.", "inkl.", "je", "pro", "–", "-", "&"]
)
SENTENCE_STARTERS = frozenset(
    ["der", "die", "das", "den", "dem", "ein", "eine", "wir", "ich", "es", "er", "sie", "folgendes", "folgende", "hierzu", "dazu", "dies", "diese", "dieser", "hiermit", "daher", "somit", "insoweit", "bitte"]
)
HEADING_NOUNS = frozenset(
    ["auswirkungen", "begründung", "beschlussvorschlag", "beschlussempfehlung", "beschluss", "sachverhalt", "rechtslage", "sachstand", "anlage", "anlagen", "finanzierung", "kosten", "stellungnahme", "stellungnahmen", "ergebnis", "ergebnisse", "antrag", "anfrage", "antwort", "beratung", "beratungen", "hinweis", "hinweise", "alternativen", "klimaschutz", "beteiligung", "auslegung", "abwägung", "rechtsgrundlage", "rechtsgrundlagen", "zuständigkeit", "vorbemerkung", "ausgangslage", "haushalt", "haushaltsmittel", "mitteilung", "bericht", "empfehlung", "vorschlag", "zusammenfassung"]
)
# A paragraph ending like this is complete; anything else may have been cut by a page break.
FINAL_PUNCTUATION_RE = re.compile(r"[.!?:;…][\"'“”„»«)\]]*$")
BOM = "\ufeff"


class VorlageParseError(ValueError):
    """The text is not a Vorlage in the expected layout. `line_no` is 1-based (0: whole file)."""

    def __init__(self, reason: str, line_no: int = 0, line: str | None = None) -> None:
        self.reason = reason
        self.line_no = line_no
        self.line = line
        super().__init__(self.message)

    @property
    def message(self) -> str:
        if not self.line_no:
            return self.reason
        shown = (self.line or "").replace("\t", "⇥")
        if len(shown) > 80:
            shown = shown[:77] + "…"
        return f"Zeile {self.line_no} „{shown}“: {self.reason}"


@dataclass(frozen=True)
class ParsedConsultation:
    organization: str
    date: date | None
    role: str

    def to_json(self) -> dict[str, Any]:
        return {
            "organization": self.organization,
            "date": self.date.isoformat() if self.date else None,
            "role": self.role,
        }


@dataclass(frozen=True)
class ParsedSection:
    heading: str
    text: str


@dataclass(frozen=True)
class ParsedAttachment:
    file_name: str
    title: str


@dataclass(frozen=True)
class ParsedVorlage:
    paper_type: str
    reference: str
    public: bool
    date: date
    name: str
    consultations: list[ParsedConsultation] = field(default_factory=list)
    sections: list[ParsedSection] = field(default_factory=list)
    attachments: list[ParsedAttachment] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The `--json` shape (camelCase keys like OParl)."""
        return {
            "paperType": self.paper_type,
            "reference": self.reference,
            "public": self.public,
            "date": self.date.isoformat(),
            "name": self.name,
            "consultations": [c.to_json() for c in self.consultations],
            "sections": [asdict(s) for s in self.sections],
            "attachments": [{"fileName": a.file_name, "title": a.title} for a in self.attachments],
        }


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) only; the export of the municipality is UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line_end = data.find(b"\n", exc.start)
        line = data[line_start : line_end if line_end >= 0 else len(data)].decode("utf-8", errors="replace")
        raise VorlageParseError(
            f"Die Datei ist nicht UTF-8-kodiert (ungültiges Byte 0x{data[exc.start]:02x}); "
            "bitte als UTF-8 speichern.",
            data[: exc.start].count(b"\n") + 1,
            line.rstrip("\r"),
        ) from exc
    return text.removeprefix(BOM)


def parse_bytes(data: bytes) -> ParsedVorlage:
    return parse_text(decode(data))


def parse_text(text: str) -> ParsedVorlage:
    return _Parser(text).parse()


def _clean(line: str) -> str:
    # Tabs are significant in the Beratungsfolge table, so only spaces and page breaks go.
    return line.rstrip(" \f\v\u00a0").lstrip(" \f\v\u00a0" + BOM)


def _parse_date(value: str, line_no: int, line: str, what: str) -> date:
    match = DATE_RE.match(value.strip())
    if not match:
        raise VorlageParseError(f"{what} im Format TT.MM.JJJJ erwartet.", line_no, line)
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise VorlageParseError(f"„{value.strip()}“ ist kein gültiges Datum.", line_no, line) from exc


def is_heading(line: str) -> bool:
    match = HEADING_RE.match(line.strip())
    if not match:
        return False
    words = match.group("heading").split()
    if len(words) > HEADING_MAX_WORDS:
        return False
    folded = [word.casefold().strip("()„“\"'") for word in words]
    if folded[0] in SENTENCE_STARTERS:
        return False
    if all(
        not word[0].isalpha() or word[0].isupper() or f in CONNECTING_WORDS
        for word, f in zip(words, folded, strict=True)
    ):
        return True
    return any(f in HEADING_NOUNS for f in folded)


def join_page_breaks(paragraphs: list[str]) -> list[str]:
    """Re-join paragraphs a page break split: one without final punctuation followed by one
    that starts in lower case ("… von baulichen und" / "sozialen Maßnahmen …")."""
    joined: list[str] = []
    for paragraph in paragraphs:
        if (
            joined
            and paragraph[:1].islower()
            and not FINAL_PUNCTUATION_RE.search(joined[-1])
        ):
            joined[-1] = f"{joined[-1].rstrip()} {paragraph.lstrip()}"
        else:
            joined.append(paragraph)
    return joined


class _Parser:
    def __init__(self, text: str) -> None:
        text = text.removeprefix(BOM)
        # CRLF, CR and LF all end a line; numbering follows what an editor shows.
        self.lines = [_clean(raw) for raw in re.split(r"\r\n|\r|\n", text)]
        self.pos = 0  # index into self.lines

    # -- helpers -----------------------------------------------------------------------------
    def _line_no(self) -> int:
        return self.pos + 1

    def _skip_blank(self) -> None:
        while self.pos < len(self.lines) and not self.lines[self.pos].strip():
            self.pos += 1

    def _next_content(self, expected: str) -> str:
        self._skip_blank()
        if self.pos >= len(self.lines):
            last = max(i for i, line in enumerate(self.lines) if line.strip())
            raise VorlageParseError(
                f"Die Datei endet nach dieser Zeile, es fehlt noch {expected}.", last + 1, self.lines[last]
            )
        return self.lines[self.pos]

    def _error(self, reason: str) -> VorlageParseError:
        return VorlageParseError(reason, self._line_no(), self.lines[self.pos] if self.pos < len(self.lines) else "")

    # -- grammar -------------------------------------------------------------------------------
    def parse(self) -> ParsedVorlage:
        if not any(line.strip() for line in self.lines):
            raise VorlageParseError("Die Datei ist leer.")
        paper_type = self._paper_type()
        reference = self._reference()
        public = self._public()
        paper_date = self._date()
        consultations = self._consultations()
        name = self._subject()
        body_end, attachments = self._attachments()
        sections = self._sections(body_end)
        return ParsedVorlage(
            paper_type=paper_type,
            reference=reference,
            public=public,
            date=paper_date,
            name=name,
            consultations=consultations,
            sections=sections,
            attachments=attachments,
        )

    def _paper_type(self) -> str:
        line = self._next_content("die Vorlagenart")
        paper_type = PAPER_TYPES.get(line.strip().casefold())
        if paper_type is None:
            raise self._error(
                "Vorlagenart erwartet (" + ", ".join(PaperType.values) + ")."
            )
        self.pos += 1
        return paper_type

    def _reference(self) -> str:
        line = self._next_content("„Vorlage Nr.: …“")
        match = REFERENCE_RE.match(line.strip())
        if not match:
            raise self._error("„Vorlage Nr.: …“ mit der Vorlagennummer erwartet.")
        self.pos += 1
        reference = match.group("ref").strip()
        if len(reference) > 100:
            raise VorlageParseError("Die Vorlagennummer ist länger als 100 Zeichen.", self.pos, line)
        return reference

    def _public(self) -> bool:
        line = self._next_content("„öffentlich“ oder „nichtöffentlich“")
        value = PUBLIC_WORDS.get(" ".join(line.split()).casefold())
        if value is None:
            raise self._error("„öffentlich“ oder „nichtöffentlich“ erwartet.")
        self.pos += 1
        return value

    def _date(self) -> date:
        line = self._next_content("das Datum der Vorlage")
        value = _parse_date(line, self._line_no(), line, "Datum der Vorlage")
        self.pos += 1
        return value

    def _consultations(self) -> list[ParsedConsultation]:
        line = self._next_content("„Tagesordnungspunkt:“")
        header = [cell.strip().casefold() for cell in line.split("\t")]
        if header[0] != "beratungsfolge":
            return []  # no Beratungsfolge (e.g. an Anfrage): the subject must come next
        if header != ["beratungsfolge", "termin", "zuständigkeit"]:
            raise self._error(
                "Kopfzeile „Beratungsfolge⇥Termin⇥Zuständigkeit“ (durch Tabulatoren getrennt) erwartet."
            )
        self.pos += 1
        rows: list[ParsedConsultation] = []
        while self.pos < len(self.lines) and self.lines[self.pos].strip():
            row = self.lines[self.pos]
            if SUBJECT_RE.match(row.strip()):
                break
            cells = [cell.strip() for cell in row.split("\t")]
            if len(cells) != 3:
                raise self._error(
                    "Beratungsfolge: 3 durch Tabulatoren getrennte Spalten erwartet "
                    f"(Gremium, Termin, Zuständigkeit), gefunden: {len(cells)}."
                )
            organization, when, role = cells
            if not organization:
                raise self._error("Gremium fehlt in der Beratungsfolge.")
            if len(organization) > 300:
                raise self._error("Der Name des Gremiums ist länger als 300 Zeichen.")
            planned = _parse_date(when, self._line_no(), row, "Termin") if when else None
            canonical_role = ROLES.get(role.casefold())
            if canonical_role is None:
                raise self._error(
                    f"Unbekannte Zuständigkeit „{role}“ (erlaubt: {', '.join(ConsultationRole.values)})."
                )
            rows.append(ParsedConsultation(organization, planned, canonical_role))
            self.pos += 1
        if not rows:
            raise self._error("Die Beratungsfolge hat keine Zeilen.")
        return rows

    def _subject(self) -> str:
        line = self._next_content("„Tagesordnungspunkt:“")
        match = SUBJECT_RE.match(line.strip())
        if not match:
            raise self._error("„Tagesordnungspunkt:“ mit dem Betreff der Vorlage erwartet.")
        self.pos += 1
        parts = [match.group("rest").strip()] if match.group("rest").strip() else []
        if not parts:
            self._skip_blank()
        while self.pos < len(self.lines) and self.lines[self.pos].strip():
            if is_heading(self.lines[self.pos]) and parts:
                break
            parts.append(self.lines[self.pos].strip())
            self.pos += 1
        name = " ".join(" ".join(parts).split())
        if not name:
            raise VorlageParseError("Der Betreff nach „Tagesordnungspunkt:“ fehlt.", self.pos, "Tagesordnungspunkt:")
        if len(name) > 1000:
            raise VorlageParseError("Der Betreff ist länger als 1000 Zeichen.", self.pos, line)
        return name

    def _attachments(self) -> tuple[int, list[ParsedAttachment]]:
        """Attachment lines at the end of the file (scanned backwards); returns where the body ends."""
        end = len(self.lines)
        found: list[ParsedAttachment] = []
        index = end - 1
        while index >= self.pos:
            line = self.lines[index].strip()
            if not line:
                index -= 1
                continue
            match = ATTACHMENT_RE.match(line)
            if not match:
                break
            file_name, title = match.group("file").strip(), match.group("title").strip()
            if len(file_name) > 300 or len(title) > 500:
                raise VorlageParseError("Dateiname oder Titel der Anlage ist zu lang.", index + 1, self.lines[index])
            found.append(ParsedAttachment(file_name, title))
            end = index
            index -= 1
        found.reverse()
        return end, found

    def _sections(self, end: int) -> list[ParsedSection]:
        sections: list[tuple[str, list[list[str]]]] = []
        for index in range(self.pos, end):
            line = self.lines[index]
            if not line.strip():
                if sections and sections[-1][1] and sections[-1][1][-1]:
                    sections[-1][1].append([])  # a blank line ends the paragraph
                continue
            if is_heading(line):
                heading = line.strip()[:-1].strip()
                sections.append((heading, [[]]))
                continue
            if not sections:
                raise VorlageParseError(
                    "Text vor der ersten Abschnittsüberschrift (eine Zeile, die mit „:“ endet, "
                    "z. B. „Beschlussempfehlung:“).",
                    index + 1,
                    line,
                )
            paragraphs = sections[-1][1]
            paragraphs[-1].append(line.strip())
        result = []
        for heading, blocks in sections:
            # Lines inside one paragraph keep their line break (lists, addresses).
            texts = ["\n".join(block) for block in blocks if block]
            result.append(ParsedSection(heading, "\n\n".join(join_page_breaks(texts))))
        return result

