"""A background task for the fault tests: slow, and all or nothing like every real task."""

from __future__ import annotations

import time

from django.db import transaction
from django_tasks import task

from ratsinfo.bodies.models import Location

# The status of the fault tests' own tasks (the generator's commits enqueue search indexing tasks too).
FAULT_TASK_STATUS = "SELECT status FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%fault_tasks%'"


@task()
def write_locations(marker: str, count: int, pause: float) -> int:
    with transaction.atomic():
        for i in range(count):
            Location.objects.create(description=f"{marker}-{i}")
            time.sleep(pause)
    return count


@task()
def cut_off_by_the_database() -> None:
    """As a task sees a database restart: its connection is terminated under it."""
    from django.db import OperationalError

    raise OperationalError("terminating connection due to administrator command")


@task()
def broken() -> None:
    raise ValueError("ein Fehler im Programm")
