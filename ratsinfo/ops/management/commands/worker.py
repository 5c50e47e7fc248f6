"""`ratsinfo worker`: runs background jobs (django-tasks database backend)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Arbeitet Hintergrundaufgaben ab (Textextraktion, Benachrichtigungen, Importe)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Alle offenen Aufgaben abarbeiten und beenden")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        extra = ["--batch"] if batch else []
        call_command("db_worker", *extra)
