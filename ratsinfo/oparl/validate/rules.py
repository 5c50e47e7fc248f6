"""The rules of `ratsinfo oparl-validate`, a finding per broken rule, and the report (text and JSON)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# rule id -> (German title, English title); the spec chapter in brackets where it helps.
RULES: dict[str, tuple[str, str]] = {
    "http": ("Abruf fehlgeschlagen oder Antwort ist kein JSON", "request failed or the answer is not JSON"),
    "cors": ("Kopfzeile „Access-Control-Allow-Origin: *“ fehlt", "header 'Access-Control-Allow-Origin: *' missing"),
    "schema-required": ("Pflichtfeld fehlt", "required field missing"),
    "schema-type": ("falscher JSON-Typ (oder sonstiger Verstoß gegen das Schema)",
                    "wrong JSON type (or another schema violation)"),
    "schema-format": ("falsches Format (URL, Datum, Zeitstempel mit Zeitzone)",
                      "wrong format (URL, date, timestamp with time zone)"),
    "empty-value": ("leerer Wert (null, \"\", [], {}) statt das Feld wegzulassen",
                    "empty value (null, \"\", [], {}) instead of leaving the field out"),
    "type-url": ("„type“ fehlt, ist keine OParl-1.1-URL oder passt nicht an diese Stelle",
                 "'type' missing, not an OParl 1.1 URL or wrong at this place"),
    "id-unresolved": ("„id“ oder Verweis lässt sich nicht abrufen", "id or reference does not resolve"),
    "id-mismatch": ("„id“ liefert ein anderes Objekt (andere id oder anderer Typ)",
                    "id resolves to another object (other id or type)"),
    "reference-type": ("Verweis zeigt auf ein Objekt des falschen Typs", "reference points to an object of the wrong type"),
    "embedded-mismatch": ("eingebettetes Objekt weicht vom Objekt unter seiner id ab",
                          "embedded object differs from the object at its own id"),
    "list-shape": ("Listenseite ohne „data“-Array oder „links“-Objekt", "list page without 'data' array or 'links' object"),
    "pagination-next": ("„links.next“ führt im Kreis oder auf keine Listenseite", "'links.next' loops or leads to no list page"),
    "pagination-duplicate": ("Objekt erscheint mehrfach in einer Liste", "object appears more than once in a list"),
    "pagination-missing": ("Objekte fehlen je nach Seitengröße oder gegenüber „totalElements“",
                           "objects missing depending on page size or against 'totalElements'"),
    "pagination-limit": ("Parameter „limit“ wird überschritten", "parameter 'limit' is exceeded"),
    "filter-modified-since": ("Filter „modified_since“ filtert nicht richtig", "'modified_since' does not filter correctly"),
    "filter-created-since": ("Filter „created_since“ filtert nicht richtig", "'created_since' does not filter correctly"),
    "deleted-shape": ("gelöschtes Objekt (deleted: true) mit weiteren Feldern",
                      "deleted object (deleted: true) with further fields"),
    "file-size": ("„size“ passt nicht zu den heruntergeladenen Bytes", "'size' does not match the downloaded bytes"),
    "file-checksum": ("„sha512Checksum“ passt nicht zu den heruntergeladenen Bytes",
                      "'sha512Checksum' does not match the downloaded bytes"),
}
EXAMPLES = 3


@dataclass
class Finding:
    rule: str
    type_name: str  # OParl type the finding belongs to ("System", "Paper", …)
    url: str
    message: str


@dataclass
class Report:
    url: str
    findings: list[Finding] = field(default_factory=list)
    objects: Counter[str] = field(default_factory=Counter)  # checked objects per type (embedded included)
    requests: int = 0
    notes: list[str] = field(default_factory=list)  # what could not be checked and why
    incomplete: bool = False  # the request budget ran out before every check had run

    def add(self, rule: str, type_name: str, url: str, message: str) -> None:
        assert rule in RULES, rule
        self.findings.append(Finding(rule, type_name, url, message))

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    @property
    def ok(self) -> bool:
        return not self.findings

    def grouped(self) -> list[dict[str, Any]]:
        """Per type and rule: count and the first examples, ordered by type then rule."""
        groups: dict[tuple[str, str], list[Finding]] = {}
        for finding in self.findings:
            groups.setdefault((finding.type_name, finding.rule), []).append(finding)
        return [
            {"type": type_name, "rule": rule, "title_de": RULES[rule][0], "title_en": RULES[rule][1],
             "count": len(found),
             "examples": [{"url": f.url, "message": f.message} for f in found[:EXAMPLES]]}
            for (type_name, rule), found in sorted(groups.items())
        ]

    def broken_rules(self) -> set[str]:
        return {f.rule for f in self.findings}

    def as_json(self) -> dict[str, Any]:
        return {"url": self.url, "ok": self.ok, "incomplete": self.incomplete, "requests": self.requests,
                "objects": dict(sorted(self.objects.items())), "findings": self.grouped(), "notes": self.notes}

    def as_text(self) -> str:
        checked = ", ".join(f"{name} {count}" for name, count in sorted(self.objects.items())) or "keine"
        lines = [f"OParl-1.1-Prüfung von {self.url}",
                 f"Abrufe: {self.requests}; geprüfte Objekte: {checked}"]
        if self.incomplete:
            lines.append("Unvollständig: die Abrufgrenze (--max-requests) war erreicht, bevor alles geprüft war.")
        lines += [f"Hinweis: {text}" for text in self.notes]
        if self.ok:
            lines.append("Ergebnis: keine Regel verletzt (no rule broken).")
            return "\n".join(lines)
        current = None
        for group in self.grouped():
            if group["type"] != current:
                current = group["type"]
                lines.append(f"\n{current}")
            lines.append(f"  [{group['rule']}] {group['title_de']} ({group['title_en']}): {group['count']}×")
            lines += [f"    - {e['url']}: {e['message']}" for e in group["examples"]]
        rules = len({g["rule"] for g in self.grouped()})
        lines.append(f"\nErgebnis: {len(self.findings)} Verstöße gegen {rules} Regeln "
                     f"({len(self.findings)} violations of {rules} rules).")
        return "\n".join(lines)
