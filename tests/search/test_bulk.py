"""`ratsinfo reindex` takes the bulk path (search/bulk.py): it must write exactly what the
per-object indexing writes, keep the ids alerts remember, and leave a working full-text index."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from ratsinfo.bodies.models import Body
from ratsinfo.corpus.generator import generate
from ratsinfo.files.models import File
from ratsinfo.lib.access import PUBLIC
from ratsinfo.search import bulk, indexing, outbox
from ratsinfo.search.models import Document, DocumentGremium, Extraction, Pending, Term
from ratsinfo.search.service import search

FIELDS = [f.name for f in Document._meta.concrete_fields if f.name != "indexed_at"]


def snapshot() -> tuple[set[tuple[Any, ...]], set[tuple[int, int]], set[str]]:
    return (
        set(Document.objects.values_list(*FIELDS)),
        set(DocumentGremium.objects.values_list("document_id", "organization_id")),
        set(Term.objects.values_list("stem", flat=True)),
    )


def test_the_bulk_rebuild_writes_what_the_per_object_indexing_writes(demo: Body) -> None:
    generate(papers=40, seed=5)
    indexing.rebuild()
    before = snapshot()
    assert len(before[0]) > 200

    bulk.rebuild()

    assert snapshot() == before


def test_generated_anlagen_have_extracted_german_text_that_the_search_finds(demo: Body) -> None:
    generate(papers=40, seed=5)
    call_command("reindex", "--quiet")
    anlagen = File.objects.filter(role="auxiliary", file_name__contains="-anlage-", extraction__isnull=False)
    assert anlagen.count() >= 80  # two per generated Vorlage
    extraction = Extraction.objects.filter(file__in=anlagen).first()
    assert extraction is not None and extraction.state == "fertig" and len(extraction.text.split()) > 50
    hits = search(PUBLIC, "Sozialträgerkonferenzen", facets=False).hits
    assert any(hit.kind == "datei" and "Anlage" in hit.title for hit in hits)


def test_a_rebuild_keeps_the_ids_of_documents_already_indexed(demo: Body) -> None:
    ids = dict(Document.objects.values_list("url", "id"))
    bulk.rebuild()
    assert dict(Document.objects.values_list("url", "id")) == ids


def test_worker_processes_analyse_exactly_what_one_process_does(demo: Body, monkeypatch: Any) -> None:
    generate(papers=20, seed=7)
    bulk.rebuild(processes=0)
    before = snapshot()
    monkeypatch.setattr(bulk, "POOL_BATCH", 7)  # many batches, more than the pool keeps waiting
    counted: list[int] = []

    assert bulk.rebuild(progress=counted.append, processes=2) == len(before[0])

    assert snapshot() == before
    assert sum(counted) == len(before[0])


def test_marks_made_while_a_rebuild_reads_stay_for_the_outbox(demo: Body, monkeypatch: Any) -> None:
    """The rebuild covers the changes marked before it reads the sources; a change marked
    meanwhile may have been read before it was made: its mark stays, and is indexed next."""
    outbox.mark("vorlage", 10**6)
    outbox.mark("top", 10**6)
    part_terms = bulk._part_terms

    def while_reading(*args: Any) -> Any:
        outbox.mark("sitzung", 10**6)  # a new mark
        outbox.mark("top", 10**6)  # the same object changed again: its mark must stay too
        return part_terms(*args)

    monkeypatch.setattr(bulk, "_part_terms", while_reading)

    bulk.rebuild(processes=0)

    assert set(Pending.objects.values_list("kind", "object_id")) == {("sitzung", 10**6), ("top", 10**6)}


def test_postgresql_compresses_the_long_columns_with_lz4(db: Any) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's TOAST compression")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        if not cursor.fetchone()[0]:
            pytest.skip("this server was built without lz4")
        cursor.execute(
            "SELECT attname, attcompression FROM pg_attribute WHERE attrelid = 'search_document'::regclass "
            "AND attname IN ('text', 'body_terms', 'vector')"
        )
        assert dict(cursor.fetchall()) == {"text": "l", "body_terms": "l", "vector": "l"}
