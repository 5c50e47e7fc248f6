"""`ratsinfo worker`: runs background jobs (django-tasks database backend), with a heartbeat.

A database restart or a full disk does not end the worker: it waits until the database answers
again, puts the task it was running back in the queue (its transaction was rolled back) and goes on.
A task cut off by the database going away is never recorded as failed, even when the database is
back by the time the failure would be written (a quick restart): it runs again.
"""

from __future__ import annotations

import contextlib
import logging
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, connections
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, DEFAULT_TASK_QUEUE_NAME
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from ratsinfo.ops import heartbeat
from ratsinfo.ops.migrations_state import pending_migrations
from ratsinfo.ops.outage import classify

logger = logging.getLogger(__name__)
RETRY_SECONDS = (0.5, 1, 2, 5, 10)  # waiting for the database: quick at first, then every 10 s


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
            while True:
                try:
                    self._run_tasks(worker_id, batch, int(options.get("verbosity", 1)))
                    break
                except DatabaseError as exc:
                    if classify(exc) is None:
                        raise
                    self.stderr.write(f"Datenbank nicht erreichbar oder Speicher voll ({exc}); warte …")
                    self._wait_for_database()
                    if requeued := heartbeat.requeue_interrupted_by_outage(worker_id):
                        self.stdout.write(f"{requeued} unterbrochene Aufgabe(n) erneut eingereiht.")
        finally:
            beating.stop()
            with contextlib.suppress(DatabaseError):  # stopped during an outage: the entry goes stale
                heartbeat.forget(worker_id)

    def _run_tasks(self, worker_id: str, batch: bool, verbosity: int) -> None:
        """The library's loop (`db_worker` with its defaults), with the outage rule above."""
        db_worker.Command().configure_logging(verbosity)
        worker = OutageAwareWorker(
            queue_names=[DEFAULT_TASK_QUEUE_NAME], interval=1, batch=batch, backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not batch,
            max_tasks=None, worker_id=worker_id, excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()

    def _wait_for_database(self) -> None:
        for attempt in range(10**9):
            connections.close_all()
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT 1")
                return
            except DatabaseError:
                time.sleep(RETRY_SECONDS[min(attempt, len(RETRY_SECONDS) - 1)])

    def _wait_for_schema(self, batch: bool) -> None:
        """`ratsinfo serve` migrates; a worker started alongside waits instead of racing it."""
        if not pending_migrations():
            return
        if batch:
            raise CommandError("Die Datenbank ist nicht auf dem neuesten Stand: zuerst `ratsinfo migrate`.")
        self.stdout.write("Warte auf ausstehende Migrationen (`ratsinfo serve` oder `ratsinfo migrate`) …")
        while pending_migrations():
            time.sleep(2)


class OutageAwareWorker(db_worker.Worker):
    def run_task(self, db_task_result: DBTaskResult) -> None:
        record_failure = db_task_result.set_failed

        def set_failed(exc: BaseException) -> None:
            if classify(exc) == "database_unavailable":
                # Left RUNNING: the outage reaches `handle`, which waits for the database and
                # puts the task back in the queue (heartbeat.requeue_interrupted_by_outage).
                raise exc
            record_failure(exc)

        db_task_result.set_failed = set_failed  # type: ignore[method-assign]
        super().run_task(db_task_result)
