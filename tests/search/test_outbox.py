"""The outbox of the search index: a search never writes; visibility is right before the worker
runs (only texts lag); one task per transaction; bulk writers (generator, OParl importer) mark
what they write in their own transaction through `mark_objects`."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from ratsinfo.bodies.models import Body
from ratsinfo.corpus.generator import generate
from ratsinfo.files.models import File
from ratsinfo.papers.models import Paper, PaperSection, PaperState
from ratsinfo.search import outbox
from ratsinfo.search.indexing import flush_all
from ratsinfo.search.models import Document, Kind, Pending
from ratsinfo.search.tasks import index_pending
from tests.oparl.test_import import do_import, town_server  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def found(client: Client, query: str) -> list[str]:
    return [hit["title"] for hit in client.get("/suche/", {"q": query, "format": "json"}).json()["results"]]


def marked(kind: str) -> set[int]:
    return set(Pending.objects.filter(kind=kind).values_list("object_id", flat=True))


def released(body: Body, name: str, text: str) -> Paper:
    paper = Paper.objects.create(body=body, name=name, state=PaperState.FREIGEGEBEN)
    PaperSection.objects.create(paper=paper, order=1, heading="Sachverhalt", text=text)
    flush_all()
    return paper


def test_a_vorlage_made_non_public_is_hidden_at_once_before_the_worker_runs(body: Body, citizen_client: Client) -> None:
    paper = released(body, "Grundstücksankauf Ahlhorn", "Ankauf einer Teilfläche am Sandberg.")
    assert found(citizen_client, "Teilflächen") == ["Grundstücksankauf Ahlhorn"]
    paper.public = False
    paper.save()  # no commit in this test: the index_pending task has not run
    assert marked(Kind.PAPER) == {paper.pk}
    assert found(citizen_client, "Teilflächen") == [] and found(citizen_client, "Grundstücksankauf") == []
    assert "Sandberg" not in citizen_client.get("/suche/", {"q": "Teilfläche"}).content.decode()  # no snippet


def test_a_search_writes_nothing_and_only_the_text_lags_until_the_worker_runs(body: Body, citizen_client: Client) -> None:
    paper = released(body, "Dorfgemeinschaftshaus Bissel", "Sanierung des Daches.")
    section = paper.sections.get()
    section.text = "Neubau einer Photovoltaikanlage."
    section.save()
    before = list(Document.objects.values_list("pk", "body_terms", "indexed_at"))
    assert found(citizen_client, "Photovoltaikanlage") == []  # the text lags …
    assert found(citizen_client, "Dach") == ["Dorfgemeinschaftshaus Bissel"]
    assert marked(Kind.PAPER) == {paper.pk}  # … and the search indexed nothing itself
    assert list(Document.objects.values_list("pk", "body_terms", "indexed_at")) == before
    index_pending.enqueue()  # what `ratsinfo worker` runs
    assert found(citizen_client, "Photovoltaikanlagen") == ["Dorfgemeinschaftshaus Bissel"]
    assert not Pending.objects.exists()


def test_many_changes_in_one_transaction_enqueue_one_indexing_task(
    body: Body, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        for n in range(3):
            paper = Paper.objects.create(body=body, name=f"Radweg Abschnitt {n}")
            PaperSection.objects.create(paper=paper, order=1, heading="Sachverhalt", text="Lückenschluss.")
    assert len([c for c in callbacks if isinstance(c, outbox.EnqueueIndexing)]) == 1
    assert len(marked(Kind.PAPER)) == 3


def test_bulk_written_rows_are_marked_through_one_function_in_the_writers_transaction(body: Body) -> None:
    first, second = Paper.objects.bulk_create([  # no save(), no signal
        Paper(body=body, name="Kläranlage Huntlosen", slug="klaer", state=PaperState.FREIGEGEBEN),
        Paper(body=body, name="Friedhofssatzung", slug="friedhof", state=PaperState.FREIGEGEBEN),
    ])
    PaperSection.objects.bulk_create([PaperSection(paper=first, order=1, heading="Sachverhalt", text="Faulturm.")])
    assert not Pending.objects.exists()
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.mark_objects(Paper, [first.pk, second.pk])
        raise RuntimeError  # the writer's transaction fails: its marks go with it
    assert not Pending.objects.exists()
    outbox.mark_objects(PaperSection, PaperSection.objects.filter(paper=first))  # a part marks its Vorlage
    outbox.mark_objects(Paper, [second.pk, second.pk])
    outbox.mark_objects(Paper, [second.pk])  # marked twice: still one row
    assert marked(Kind.PAPER) == {first.pk, second.pk} and Pending.objects.count() == 2
    call_command("reindex", "--pending")
    assert not Pending.objects.exists()
    assert "faulturm" in Document.objects.get(kind=Kind.PAPER, object_id=first.pk).body_terms


def test_the_generator_marks_everything_it_writes(db: Any) -> None:
    stats = generate(papers=12, seed=3)
    papers = set(Paper.objects.filter(body_id=stats.body_id).values_list("pk", flat=True))
    files = set(File.objects.filter(body_id=stats.body_id).values_list("pk", flat=True))
    assert papers and files
    assert papers <= marked(Kind.PAPER) and files <= marked(Kind.FILE)
    flush_all()
    assert set(Document.objects.filter(kind=Kind.PAPER).values_list("object_id", flat=True)) >= papers


def test_the_oparl_import_marks_new_and_changed_objects_and_nothing_unchanged(
    db: Any, town_server: Any  # noqa: F811
) -> None:
    do_import(town_server.url("/oparl/"))
    papers = set(Paper.objects.values_list("pk", flat=True))
    assert len(papers) == 5 and papers <= marked(Kind.PAPER)
    assert set(File.objects.values_list("pk", flat=True)) <= marked(Kind.FILE)
    Pending.objects.all().delete()
    do_import(town_server.url("/oparl/"))  # the same data again
    assert marked(Kind.PAPER) == set()
