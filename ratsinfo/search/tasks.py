"""Background jobs of the search (django-tasks, run by `ratsinfo worker`)."""

from __future__ import annotations

from django_tasks import task


@task()
def index_pending() -> int:
    """Index everything marked as changed (idempotent: a second run finds nothing)."""
    from ratsinfo.search.indexing import flush_all

    return flush_all()


@task()
def extract_file(file_id: int) -> str:
    """Extract a file's text (failures are recorded on the Extraction, never raised)."""
    from ratsinfo.search.extraction import extract_file as run

    extraction = run(file_id)
    return extraction.state if extraction else "fehlt"


@task()
def send_alerts() -> int:
    from ratsinfo.search.alerts import send_digests

    return send_digests()
