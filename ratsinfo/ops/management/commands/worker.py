"""`ratsinfo worker`: runs background jobs (django-tasks database backend), with a heartbeat."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ratsinfo.ops import heartbeat
from ratsinfo.ops.migrations_state import pending_migrations


class Command(BaseCommand):
    help = "Arbeitet Hintergrundaufgaben ab (Textextraktion, Benachrichtigungen, Importe)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", action="store_true", help="Alle offenen Aufgaben abarbeiten und beenden")

    def handle(self, *args: Any, batch: bool, **options: Any) -> None:
        self._wait_for_schema(batch)
        worker_id = heartbeat.new_worker_id()
        heartbeat.beat(worker_id)
        if requeued := heartbeat.requeue_orphaned_tasks():
            self.stdout.write(f"{requeued} unterbrochene Aufgabe(n) erneut eingereiht.")
        beating = heartbeat.HeartbeatThread(worker_id)
        beating.start()
        try:
            call_command("db_worker", "--worker-id", worker_id, *(["--batch"] if batch else []))
        finally:
            beating.stop()
            heartbeat.forget(worker_id)

    def _wait_for_schema(self, batch: bool) -> None:
        """`ratsinfo serve` migrates; a worker started alongside waits instead of racing it."""
        if not pending_migrations():
            return
        if batch:
            raise CommandError("Die Datenbank ist nicht auf dem neuesten Stand: zuerst `ratsinfo migrate`.")
        self.stdout.write("Warte auf ausstehende Migrationen (`ratsinfo serve` oder `ratsinfo migrate`) …")
        while pending_migrations():
            time.sleep(2)
