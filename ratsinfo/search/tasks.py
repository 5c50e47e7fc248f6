"""Background jobs of the search (django-tasks, run by `ratsinfo worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def index_pending() -> int:
    """Index everything marked as changed (idempotent: a second run finds nothing)."""
    from ratsinfo.search.indexing import flush_all

    return flush_all()
