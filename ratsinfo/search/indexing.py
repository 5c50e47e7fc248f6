"""Keeping the index in step: changed objects are marked in their own transaction (outbox.py) and
indexed by the `index_pending` task enqueued after the commit (or the worker's next run, or
`ratsinfo reindex --pending`); `ratsinfo reindex` rebuilds everything."""

from __future__ import annotations

import logging
from collections.abc import Callable, Container, Iterable

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from ratsinfo.search import analysis, swap
from ratsinfo.search.backends import analyze
from ratsinfo.search.documents import BUILDERS, Source, sources
from ratsinfo.search.models import Document, DocumentGremium, Kind, Pending, Term
from ratsinfo.search.outbox import mark

log = logging.getLogger(__name__)
FLUSH_BATCH = 500
LOOKUP_CHUNK = 5000


def known_terms(candidates: Iterable[str]) -> set[str]:
    candidates = list(candidates)
    found: set[str] = set(candidates) & analysis.base_vocabulary()
    for i in range(0, len(candidates), LOOKUP_CHUNK):
        chunk = candidates[i : i + LOOKUP_CHUNK]
        found.update(Term.objects.filter(stem__in=chunk).values_list("stem", flat=True))
    return found


def analysed(source: Source, vocabulary: Callable[[Iterable[str]], Container[str]]) -> Document:
    title_words = list(analysis.words(f"{source.title} {source.title_extra}"))
    body_words = list(analysis.words(source.text[:400_000]))
    title_terms = [analysis.stem(w) for w in title_words]
    body_terms = [analysis.stem(w) for w in body_words]
    exact = {w for w in (*title_words, *body_words) if analysis.stem(w) != w}
    everything = set(title_terms) | set(body_terms)
    known = vocabulary(analysis.candidate_parts(everything))
    parts = {p for t in everything for p in analysis.compound_parts(t, known)} - everything
    date = source.date
    return Document(
        kind=source.kind, object_id=source.object_id, title=source.title[:1000],
        context=source.context[:1000], url=source.url[:500], text=source.text[:400_000],
        date=date, year=date.year if date else None, paper_type=source.paper_type,
        title_terms=" ".join(title_terms), body_terms=" ".join(body_terms),
        part_terms=" ".join(sorted(parts)), exact_terms=" ".join(sorted(exact)),
        filter_terms=analysis.filter_terms(
            source.kind, date.year if date else None, source.paper_type, source.gremium_ids
        ),
    )


def _new_terms(docs: list[Document]) -> set[str]:
    return {
        t for d in docs for t in (*d.title_terms.split(), *d.body_terms.split())
        if analysis.MIN_PART <= len(t) <= 60 and not t.isdigit()
    }


def write(
    batch: list[Source], vocabulary: Callable[[Iterable[str]], Container[str]] = known_terms, *, learn: bool = True
) -> None:
    """Insert or replace the documents of `batch` (one kind) and their Gremien."""
    if not batch:
        return
    docs = [analysed(s, vocabulary) for s in batch]
    kind = batch[0].kind
    fields = [f.name for f in Document._meta.concrete_fields if f.name not in ("id", "kind", "object_id")]
    Document.objects.bulk_create(
        docs, update_conflicts=True, unique_fields=["kind", "object_id"], update_fields=fields
    )
    ids = dict(
        Document.objects.filter(kind=kind, object_id__in=[s.object_id for s in batch]).values_list("object_id", "id")
    )
    DocumentGremium.objects.filter(document_id__in=ids.values()).delete()
    DocumentGremium.objects.bulk_create(
        [DocumentGremium(document_id=ids[s.object_id], organization_id=o) for s in batch for o in s.gremium_ids],
        ignore_conflicts=True,
    )
    if learn:  # (a rebuild writes the whole vocabulary first)
        Term.objects.bulk_create([Term(stem=t) for t in _new_terms(docs)], ignore_conflicts=True, batch_size=2000)


def index_objects(kind: str, pks: Iterable[int]) -> None:
    """(Re)index the given objects of one kind; deleted or missing ones leave the index."""
    pks = set(pks)
    batch = list(sources(kind, pks))
    write(batch)
    gone = pks - {s.object_id for s in batch}
    if gone:
        Document.objects.filter(kind=kind, object_id__in=gone).delete()


def flush(limit: int = FLUSH_BATCH) -> int:
    """Index up to `limit` pending objects. The marks are removed first, inside the same
    transaction: a change committed meanwhile marks again and is indexed next time."""
    with transaction.atomic():
        if connection.vendor == "postgresql" and swap.rebuild_running():
            return 0  # the marks wait for the rebuild's end (it enqueues this task again)
        marks = Pending.objects.order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            # Marks a change is setting again right now are left for the next run (that change
            # enqueues one after its commit); waiting for them could deadlock with it.
            marks = marks.select_for_update(skip_locked=True)
        rows = list(marks.values_list("pk", "kind", "object_id")[:limit])
        if not rows:
            return 0
        Pending.objects.filter(pk__in=[r[0] for r in rows]).delete()
        by_kind: dict[str, set[int]] = {}
        for _, kind, object_id in rows:
            by_kind.setdefault(kind, set()).add(object_id)
        for kind, pks in by_kind.items():
            if kind in BUILDERS:
                index_objects(kind, pks)
    return len(rows)


def flush_all() -> int:
    total = 0
    while done := flush():
        total += done
    return total


def count_sources() -> dict[str, int]:
    return {kind: model._default_manager.filter(deleted=False).count() for kind, (model, _) in BUILDERS.items()}


def rebuild(progress: Callable[[int], None] = lambda n: None, batch_size: int = 500) -> int:
    """Rebuild the whole index: the vocabulary first (so compounds split the same whatever the
    order), then every document; stale documents are removed. Document ids of unchanged objects
    stay (alerts remember the last id they reported)."""
    vocabulary: set[str] = set(analysis.base_vocabulary())
    for kind in BUILDERS:
        for source in sources(kind):
            vocabulary.update(
                t for t in analysis.terms(f"{source.title} {source.title_extra} {source.text[:400_000]}")
                if analysis.MIN_PART <= len(t) <= 60 and not t.isdigit()
            )
    with transaction.atomic():
        Pending.objects.all().delete()
        Term.objects.all().delete()
        Term.objects.bulk_create([Term(stem=t) for t in sorted(vocabulary)], batch_size=5000)
    started = timezone.now()
    total = 0
    for kind in BUILDERS:
        batch: list[Source] = []
        for source in sources(kind):
            batch.append(source)
            if len(batch) >= batch_size:
                total += _write_batch(batch, vocabulary, progress)
                batch = []
        total += _write_batch(batch, vocabulary, progress)
    Document.objects.filter(indexed_at__lt=started).delete()  # objects gone since the last build
    analyze()
    return total


def _write_batch(batch: list[Source], vocabulary: set[str], progress: Callable[[int], None]) -> int:
    with transaction.atomic():
        write(batch, lambda candidates: vocabulary, learn=False)
    progress(len(batch))
    return len(batch)


def last_document_id() -> int:
    return Document.objects.aggregate(m=Max("pk"))["m"] or 0


__all__ = ["Kind", "flush", "flush_all", "index_objects", "mark", "rebuild"]
