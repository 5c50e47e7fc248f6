"""The worker never records a task as failed because the database went away under it (a quick
restart can be over before the failure is written): the task stays running, the outage reaches
the worker's loop, which waits and puts it back in the queue. Every other failure is recorded."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import OperationalError
from django.test import override_settings
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ratsinfo.ops import heartbeat
from ratsinfo.ops.management.commands.worker import OutageAwareWorker
from tests.hardening.fault_tasks import broken, cut_off_by_the_database

pytestmark = pytest.mark.django_db
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def claimed(task: Any, worker_id: str) -> DBTaskResult:
    with override_settings(TASKS=DATABASE_QUEUE):
        result = DBTaskResult.objects.get(pk=task.enqueue().id)
    result.claim(worker_id)
    return result


def worker(worker_id: str) -> OutageAwareWorker:
    return OutageAwareWorker(queue_names=["default"], interval=1, batch=True, backend_name="default",
                             startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[])


def test_a_task_cut_off_by_the_database_is_not_recorded_as_failed_and_runs_again() -> None:
    result = claimed(cut_off_by_the_database, "w1")
    with pytest.raises(OperationalError):
        worker("w1").run_task(result)
    result.refresh_from_db()
    assert result.status == TaskResultStatus.RUNNING
    assert heartbeat.requeue_interrupted_by_outage("w1") == 1
    result.refresh_from_db()
    assert result.status == TaskResultStatus.READY


def test_any_other_failure_is_recorded_with_its_reason() -> None:
    result = claimed(broken, "w1")
    worker("w1").run_task(result)
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED
    assert result.exception_class_path == "builtins.ValueError"
    assert heartbeat.requeue_interrupted_by_outage("w1") == 0
