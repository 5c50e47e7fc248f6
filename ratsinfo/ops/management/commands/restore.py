"""`ratsinfo restore PATH [--force]`: a backup into an empty installation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ratsinfo.ops.backup import BackupError, restore


class Command(BaseCommand):
    help = "Spielt eine Sicherung in eine leere Installation zurück (eine volle nur mit --force)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Verzeichnis einer Sicherung von `ratsinfo backup`")
        parser.add_argument("--force", action="store_true", help="auch eine Installation mit Daten überschreiben")

    def handle(self, *args: Any, path: Path, force: bool, **options: Any) -> None:
        try:
            summary = restore(path, force=force)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"Zurückgespielt aus {path}: Datenbank ({summary.database}), {summary.files} Dateien.")
