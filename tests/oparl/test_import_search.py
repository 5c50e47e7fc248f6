"""Imported objects reach the search index although the importer writes in bulk (no post_save)."""

from __future__ import annotations

from typing import Any

from ratsinfo.bodies.models import Organization, Person
from ratsinfo.files.models import File
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.oparl.importer.client import ClientConfig
from ratsinfo.oparl.importer.run import ImportOptions, run_import
from ratsinfo.papers.models import Paper
from ratsinfo.search.models import Document, Kind, Pending
from tests.oparl.test_import_support import FixtureServer, town_routes

FAST = ClientConfig(retries=1, backoff=0.01, timeout=5)


def test_every_imported_object_is_marked_and_indexed_after_the_run(db: Any, django_capture_on_commit_callbacks: Any) -> None:
    with FixtureServer(town_routes()) as server, django_capture_on_commit_callbacks() as callbacks:
        result = run_import(ImportOptions(url=server.url("/oparl/"), client=FAST, progress=False))
    assert result.complete
    expected = {Kind.PAPER: Paper, Kind.MEETING: Meeting, Kind.AGENDA_ITEM: AgendaItem, Kind.FILE: File,
                Kind.ORGANIZATION: Organization, Kind.PERSON: Person}
    for kind, model in expected.items():
        imported = set(model.objects.filter(source_url__isnull=False).values_list("pk", flat=True))
        assert imported, kind
        assert set(Pending.objects.filter(kind=kind).values_list("object_id", flat=True)) == imported, kind
    assert callbacks, "die Indexierung wird nach dem Lauf eingestellt"
    for callback in callbacks:
        callback()  # what the commit would start: the worker's index_pending (immediate in tests)
    assert not Pending.objects.exists()
    paper = Paper.objects.filter(source_url__isnull=False).first()
    assert Document.objects.filter(kind=Kind.PAPER, object_id=paper.pk).exists()


def test_an_unchanged_rerun_marks_nothing(db: Any) -> None:
    with FixtureServer(town_routes()) as server:
        run_import(ImportOptions(url=server.url("/oparl/"), client=FAST, progress=False))
        Pending.objects.all().delete()
        again = run_import(ImportOptions(url=server.url("/oparl/"), client=FAST, progress=False))
    assert again.stats.total("neu") == 0 and again.stats.total("geändert") == 0
    assert not Pending.objects.exists()
