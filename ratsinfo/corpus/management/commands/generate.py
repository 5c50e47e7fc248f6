"""`ratsinfo generate --papers N --seed S`: a synthetic Gemeinde for tests and benchmarks."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ratsinfo.corpus.generator import generate
from ratsinfo.ops.migrations_state import migrate_if_needed


class Command(BaseCommand):
    help = "Erzeugt einen synthetischen Bestand (Gemeinde, Gremien, Sitzungen, Vorlagen) für Tests und Benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--papers", type=int, default=1000, help="Anzahl der Vorlagen (Standard 1000)")
        parser.add_argument("--seed", type=int, default=1, help="Startwert des Zufallsgenerators (Standard 1)")
        parser.add_argument("--no-progress", action="store_true", help="keinen Fortschrittsbalken zeigen")

    def handle(self, *args: Any, **options: Any) -> None:
        papers = options["papers"]
        if papers < 0:
            raise CommandError("--papers muss 0 oder größer sein.")
        if migrate_if_needed():
            self.stdout.write("Die Datenbank war noch nicht eingerichtet: Migrationen ausgeführt.")
        progress = not options["no_progress"] and sys.stdout.isatty()
        stats = generate(papers=papers, seed=options["seed"], progress=progress)
        rate = stats.papers / stats.seconds if stats.seconds else 0.0
        self.stdout.write(
            f"Erzeugt: {stats.papers} Vorlagen, {stats.meetings} Sitzungen, {stats.agenda_items} Tagesordnungspunkte, "
            f"{stats.consultations} Beratungen, {stats.files} Dateien, {stats.persons} Personen, "
            f"{stats.organizations} Gremien ({stats.rows} Zeilen) in {stats.seconds:.1f} s ({rate:.0f} Vorlagen/s)."
        )
        if stats.slug_prefix:
            self.stdout.write(f"Die Datenbank enthielt schon Daten: Adresskürzel mit Präfix „{stats.slug_prefix}“.")
