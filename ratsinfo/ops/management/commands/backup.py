"""`ratsinfo backup PATH`: database and stored files, consistent while the system runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ratsinfo.ops.backup import BackupError, backup


class Command(BaseCommand):
    help = "Sichert Datenbank und gespeicherte Dateien in ein neues Verzeichnis (im laufenden Betrieb)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="neues oder leeres Verzeichnis für die Sicherung")

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            summary = backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Gesichert nach {path}: Datenbank ({summary.database}), {summary.files} Dateien.")
