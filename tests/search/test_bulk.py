"""`ratsinfo reindex` takes the bulk path (search/bulk.py): it must write exactly what the
per-object indexing writes, keep the ids alerts remember, and leave a working full-text index."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command

from ratsinfo.bodies.models import Body
from ratsinfo.corpus.generator import generate
from ratsinfo.files.models import File
from ratsinfo.lib.access import PUBLIC
from ratsinfo.search import bulk, indexing
from ratsinfo.search.models import Document, DocumentGremium, Extraction, Term
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
