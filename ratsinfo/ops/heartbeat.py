"""Worker heartbeats and the recovery of tasks whose worker died.

`ratsinfo worker` beats every HEARTBEAT_SECONDS from a thread of its own. A task whose worker has
not beaten for STALE_SECONDS (a kill -9, a lost machine) is put back in the queue by the next
live worker, so every interrupted task runs again; tasks are written to be repeatable (each one
works in a transaction or checks what is already done).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import threading

from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ratsinfo.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = float(os.environ.get("RATSINFO_HEARTBEAT_SECONDS", "10"))
STALE_SECONDS = float(os.environ.get("RATSINFO_WORKER_STALE_SECONDS", "60"))


def new_worker_id() -> str:
    # Random part: a restarted container reuses its pid, and the new worker must not pass for
    # the dead one whose tasks it is to requeue.
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{secrets.token_hex(4)}"


def beat(worker_id: str) -> None:
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen=now)
    if not updated:
        WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"seen": now, "started": now})


def forget(worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def recent_worker_exists() -> bool:
    return WorkerHeartbeat.objects.filter(seen__gte=_stale_before()).exists()


def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=STALE_SECONDS)


def requeue_orphaned_tasks() -> int:
    """Running tasks whose worker is no longer alive go back to the queue; returns how many."""
    alive = set(WorkerHeartbeat.objects.filter(seen__gte=_stale_before()).values_list("worker_id", flat=True))
    requeued = 0
    with transaction.atomic():
        for task in DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING):
            owner = task.worker_ids[-1] if task.worker_ids else ""
            if owner not in alive:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                requeued += 1
                logger.warning("Aufgabe %s von %s (kein Lebenszeichen) erneut eingereiht", task.id, owner or "?")
    WorkerHeartbeat.objects.filter(seen__lt=_stale_before()).delete()
    return requeued


def requeue_interrupted_by_outage(worker_id: str) -> int:
    """After a database outage: the worker's task that was running (its transaction rolled back)
    goes back to the queue; returns how many. (The worker never records an outage as a task's
    failure: `worker.OutageAwareWorker`.)"""
    requeued = 0
    with transaction.atomic():
        for task in DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING):
            if task.worker_ids and task.worker_ids[-1] == worker_id:
                task.status = TaskResultStatus.READY
                task.started_at = None
                task.save(update_fields=["status", "started_at"])
                requeued += 1
                logger.warning("Aufgabe %s nach Datenbankausfall erneut eingereiht", task.id)
    return requeued


class HeartbeatThread(threading.Thread):
    """Beats and recovers orphaned tasks until stopped; its own database connection."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="ratsinfo-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_SECONDS):
                close_old_connections()
                try:
                    beat(self.worker_id)
                    requeue_orphaned_tasks()
                except Exception as exc:  # a database restart: try again at the next beat
                    logger.warning("Lebenszeichen des Workers %s nicht geschrieben: %s", self.worker_id, exc)
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=HEARTBEAT_SECONDS + 5)
