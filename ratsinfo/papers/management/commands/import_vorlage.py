"""`ratsinfo import-vorlage PFAD [--dry-run] [--json] [--body ID|KURZNAME]`.

--dry-run only parses and reports (nothing is written, no Gemeinde needed).
--json prints the parse result as one JSON object on stdout; without --dry-run the Vorlage
is still imported and the import summary goes to stderr, so stdout stays pure JSON.
Exit status 2 for input that is not a Vorlage in the expected layout (and for a missing
or ambiguous Gemeinde); nothing is written then.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from django.core.management.base import BaseCommand, CommandError

from ratsinfo.papers.importers.vorlage_text.parse import VorlageParseError, parse_bytes
from ratsinfo.papers.importers.vorlage_text.services import (
    VorlageImportError,
    apply_vorlage,
    resolve_body,
)


class Fehler(CommandError):
    """Printed by Django as „Fehler: …“ on stderr; exit status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=2)


class Command(BaseCommand):
    help = "Liest eine Vorlage im Textformat der Gemeinde ein (Beratungsfolge, Abschnitte, Anlagen)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", metavar="PFAD", help="Textdatei der Vorlage (UTF-8)")
        parser.add_argument("--dry-run", action="store_true", help="nur prüfen und anzeigen, nichts speichern")
        parser.add_argument("--json", action="store_true", help="Ergebnis des Einlesens als JSON ausgeben")
        parser.add_argument("--body", help="Gemeinde (ID oder Kurzname), nötig bei mehreren Gemeinden")

    def handle(self, *args: Any, path: str, dry_run: bool, json: bool, body: str | None, **options: Any) -> None:
        source = Path(path)
        try:
            data = source.read_bytes()
        except FileNotFoundError as exc:
            raise Fehler(f"Datei nicht gefunden: {path}") from exc
        except IsADirectoryError as exc:
            raise Fehler(f"{path} ist ein Verzeichnis, keine Datei.") from exc
        except OSError as exc:
            raise Fehler(f"Datei {path} kann nicht gelesen werden: {exc.strerror}") from exc
        try:
            parsed = parse_bytes(data)
        except VorlageParseError as exc:
            raise Fehler(f"{source.name}: {exc.message}") from exc

        report = None
        if not dry_run:
            try:
                report = apply_vorlage(parsed, resolve_body(body))
            except VorlageImportError as exc:
                raise Fehler(str(exc)) from exc

        if json:
            self.stdout.write(orjson.dumps(parsed.to_json()).decode())
            if report is not None:
                self.stderr.write(report.summary())
            return
        if report is not None:
            self.stdout.write(report.summary())
            return
        self.stdout.write(
            f"Probelauf – nichts gespeichert. {parsed.paper_type} {parsed.reference} vom "
            f"{parsed.date:%d.%m.%Y} ({'öffentlich' if parsed.public else 'nichtöffentlich'}): {parsed.name}\n"
            f"Beratungsfolge: {len(parsed.consultations)} Schritt(e), Abschnitte: "
            + (", ".join(s.heading for s in parsed.sections) or "keine")
            + f", Anlagen: {len(parsed.attachments)}"
        )
