"""The fast full rebuild of the search index (`ratsinfo reindex`), for corpora of 100,000s of
Vorlagen and files.

The same documents as `indexing.write` builds one by one (tests compare them), but:
- the big kinds (Vorlagen, TOPs, Dateien) are read with a few flat queries instead of model
  instances with prefetches, URLs come from one `reverse()` per kind;
- analysis caches per distinct word (fold + stem) and per distinct term (compound parts), so a
  word costs a dict lookup: most words of a corpus are repeats; on a large corpus the texts are
  analysed in forked worker processes (one per core) while this process reads the next sources,
  and the compound parts are split in workers forked once the vocabulary is complete (723,501
  documents on two cores: 135 s → 100 s before the COPY);
- the documents are analysed once, kept in memory until the vocabulary is complete (compound
  parts depend on it), then written with executemany (SQLite) or COPY (PostgreSQL) with the
  FTS5 triggers / the GIN index out of the way: FTS5 'rebuild' and CREATE INDEX afterwards are
  much faster than maintaining the index row by row.
Document ids of objects that were indexed before stay (alerts remember the last id reported).
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import os
import re
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import nullcontext
from typing import Any

from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from ratsinfo.files.models import File
from ratsinfo.lib.bulkwrite import Table, reset_sequences
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Consultation, Paper, PaperSection, PaperType
from ratsinfo.search import analysis, fts, indexing, outbox, swap
from ratsinfo.search.backends import analyze
from ratsinfo.search.documents import BUILDERS, MAX_TEXT, Source, _day, sources
from ratsinfo.search.models import Document, DocumentGremium, ExtractionState, Kind, Pending, Term

log = logging.getLogger(__name__)
CHUNK = 5000  # objects read per query
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_EXTRACTED = (ExtractionState.DONE, ExtractionState.OCR)


def _url(name: str, kwarg: str) -> Callable[[Any], str]:
    """A URL builder from one reverse() (a placeholder replaced per object)."""
    marker = "7919191919" if kwarg == "pk" else "platzhalter-x9"
    pattern = reverse(name, kwargs={kwarg: marker})
    head, tail = pattern.split(marker)
    return lambda value: f"{head}{value}{tail}"


def _chunks(qs: Any, fields: tuple[str, ...]) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of a queryset in pk order, CHUNK at a time (keyset, no OFFSET)."""
    last = 0
    while True:
        rows = list(qs.filter(pk__gt=last).order_by("pk").values_list("pk", *fields)[:CHUNK])
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def _by(rows: Iterable[tuple[Any, Any]]) -> dict[Any, list[Any]]:
    out: dict[Any, list[Any]] = defaultdict(list)
    for key, value in rows:
        out[key].append(value)
    return out


def _meeting_orgs(ids: Iterable[int]) -> dict[int, set[int]]:
    through = Meeting.organizations.through
    out: dict[int, set[int]] = defaultdict(set)
    ids = list(ids)
    for i in range(0, len(ids), CHUNK):
        for mid, oid in through.objects.filter(meeting_id__in=ids[i : i + CHUNK]).values_list("meeting_id", "organization_id"):
            out[mid].add(oid)
    return out


def _paper_sources() -> Iterator[Source]:
    url = _url("portal:paper", "slug")
    labels = dict(PaperType.choices)
    fields = ("reference", "name", "slug", "paper_type", "date")
    for rows in _chunks(Paper.objects.filter(deleted=False), fields):
        ids = [r[0] for r in rows]
        sections = _by(
            (p, f"{h}\n{t}")
            for p, h, t in PaperSection.objects.filter(paper_id__in=ids).order_by("paper", "order", "pk")
            .values_list("paper_id", "heading", "text")
        )
        gremien = _by(Consultation.objects.filter(deleted=False, paper_id__in=ids).values_list("paper_id", "organization_id"))
        for pk, reference, name, slug, ptype, date in rows:
            yield Source(
                Kind.PAPER, pk, f"{reference} {name}".strip(), url(slug), "\n\n".join(sections.get(pk, ())),
                context=labels.get(ptype, ptype), date=date, paper_type=ptype,
                gremium_ids={o for o in gremien.get(pk, ()) if o}, title_extra=reference,
            )


def _meetings(ids: set[int]) -> dict[int, tuple[str, dt.date | None]]:
    out: dict[int, tuple[str, dt.date | None]] = {}
    ids_ = sorted(ids)
    for i in range(0, len(ids_), CHUNK):
        for pk, name, start in Meeting.objects.filter(pk__in=ids_[i : i + CHUNK]).values_list("pk", "name", "start"):
            out[pk] = (name, _day(start))
    return out


def _agenda_item_sources() -> Iterator[Source]:
    url = _url("portal:meeting", "pk")
    fields = ("meeting_id", "number", "name", "result", "resolution_text")
    for rows in _chunks(AgendaItem.objects.filter(deleted=False), fields):
        mids = {r[1] for r in rows}
        meetings, orgs = _meetings(mids), _meeting_orgs(mids)
        for pk, mid, number, name, result, resolution in rows:
            mname, day = meetings[mid]
            yield Source(
                Kind.AGENDA_ITEM, pk, f"{number} {name}".strip(), f"{url(mid)}#top-{pk}",
                "\n".join(t for t in (result, resolution) if t), context=mname, date=day,
                gremium_ids=set(orgs.get(mid, ())),
            )


def _file_sources() -> Iterator[Source]:
    url = _url("portal:file", "pk")
    fields = ("name", "file_name", "date", "paper_id", "meeting_id", "agenda_item_id", "text",
              "extraction__state", "extraction__text")
    for rows in _chunks(File.objects.filter(deleted=False), fields):
        pids = sorted({r[4] for r in rows if r[4]})
        papers = {
            p[0]: p[1:] for p in Paper.objects.filter(pk__in=pids).values_list("pk", "reference", "name", "paper_type", "date")
        }
        # Every Beratung of the Vorlage (like the per-object builder's prefetch).
        consultations = _by(Consultation.objects.filter(paper_id__in=pids).values_list("paper_id", "organization_id"))
        item_meeting = dict(
            AgendaItem.objects.filter(pk__in={r[6] for r in rows if r[6]}).values_list("pk", "meeting_id")
        )
        mids = {r[5] for r in rows if r[5]} | set(item_meeting.values())
        meetings, orgs = _meetings(mids), _meeting_orgs(mids)
        for pk, name, file_name, date, pid, mid, iid, text, state, extracted in rows:
            context, paper_type, gremien = "", "", set()
            if pid is not None:
                reference, pname, paper_type, pdate = papers[pid]
                context = f"zu Vorlage {f'{reference} {pname}'.strip()}"
                date = date or pdate
                gremien = {o for o in consultations.get(pid, ()) if o}
            mid = mid or (item_meeting.get(iid) if iid else None)
            if mid is not None:
                mname, day = meetings[mid]
                context = context or f"zur Sitzung {mname}"
                date = date or day
                gremien |= orgs.get(mid, set())
            yield Source(
                Kind.FILE, pk, name or file_name, url(pk), extracted if state in _EXTRACTED else text,
                context=context, date=date, paper_type=paper_type, gremium_ids=gremien, title_extra=file_name,
            )


FAST: dict[str, Callable[[], Iterator[Source]]] = {Kind.PAPER: _paper_sources, Kind.AGENDA_ITEM: _agenda_item_sources, Kind.FILE: _file_sources}


def all_sources(kind: str) -> Iterable[Source]:
    return FAST[kind]() if kind in FAST else sources(kind)


class _Memo(dict):  # type: ignore[type-arg]
    """A dict that computes a missing key once (a C-level lookup for every repeat)."""

    def __init__(self, compute: Callable[[str], Any]):
        super().__init__()
        self.compute = compute

    def __missing__(self, key: str) -> Any:
        value = self[key] = self.compute(key)
        return value


class Analyzer:
    """`indexing.analysed` with caches: raw word -> term, raw word -> folded form (if it is not
    its own stem), term -> compound parts; the vocabulary grows with every new term (`learned`
    holds the terms added since a pool worker last reported them)."""

    def __init__(self) -> None:
        self.term_of = _Memo(self._term)
        self.exact_of: dict[str, str] = {}
        self.parts_of = _Memo(self._parts)
        self.vocabulary: set[str] = set(analysis.base_vocabulary())
        self.learned: list[str] = []

    def _term(self, raw: str) -> str:
        folded = analysis.fold(raw)
        if not folded or len(folded) > analysis.MAX_WORD:
            return ""
        if folded.isdigit():
            folded = folded.lstrip("0") or "0"
        term = analysis.stem(folded)
        if term != folded:
            self.exact_of[raw] = folded
        if analysis.MIN_PART <= len(term) <= 60 and not term.isdigit() and term not in self.vocabulary:
            self.vocabulary.add(term)
            self.learned.append(term)
        return term

    def _parts(self, term: str) -> frozenset[str]:
        return frozenset(analysis.compound_parts(term, self.vocabulary))

    def analyse(self, text: str) -> tuple[list[str], set[str]]:
        """Terms in order and the folded forms that differ from their stem."""
        raws = _WORD.findall(text)
        terms = [t for t in map(self.term_of.__getitem__, raws) if t]
        exact = self.exact_of
        return terms, {exact[r] for r in set(raws) if r in exact}

    def terms(self, title: str, text: str) -> tuple[str, str, str]:
        """Title terms, body terms and exact forms of one document, as the columns hold them."""
        title_terms, exact_t = self.analyse(title)
        body_terms, exact_b = self.analyse(text)
        return " ".join(title_terms), " ".join(body_terms), " ".join(sorted(exact_t | exact_b))

    def parts(self, everything: set[str]) -> set[str]:
        """Compound parts of a document's terms that are not terms of it already (once the
        vocabulary is complete)."""
        return set().union(*map(self.parts_of.__getitem__, everything)) - everything


# The first pass analyses in worker processes on a corpus this large (two cores: reading the
# sources, about a third of the work, goes on in this process meanwhile); below it, starting
# them costs more than they save.
POOL_MIN_DOCUMENTS = 20_000
POOL_BATCH = 400  # documents per task
_worker: Analyzer | None = None


def _start_worker() -> None:
    global _worker
    _worker = Analyzer()


def _analyse_batch(batch: list[tuple[str, str]]) -> tuple[list[tuple[str, str, str]], list[str]]:
    """The batch's term columns and the terms the analysing vocabulary learned meanwhile (in a
    worker its own; without workers the rebuild's analyzer, whose vocabulary has them already)."""
    assert _worker is not None
    done = [_worker.terms(title, text) for title, text in batch]
    learned, _worker.learned = _worker.learned, []
    return done, learned


def _processes() -> int:
    """Worker processes for the first pass: one per core, none with one core, none where the
    platform cannot fork (a worker must not import Django anew)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores if cores > 1 and "fork" in multiprocessing.get_all_start_methods() else 0


class _InProcess:
    """The workers' interface, run at once here (no processes)."""

    def __enter__(self) -> _InProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future[Any]:
        done: Future[Any] = Future()
        done.set_result(fn(*args))
        return done


def _first_pass(analyzer: Analyzer, progress: Callable[[int], None], processes: int) -> list[list[Any]]:
    """Every document analysed, parts still missing; the vocabulary grows meanwhile. Sources
    are read here (the database connection stays in this process), their texts analysed in
    batches, with `processes` in forked workers a bounded number of batches ahead. (A worker that
    dies, say of memory, breaks the pool: BrokenProcessPool ends the rebuild, where
    multiprocessing.Pool would wait for its result forever.)"""
    global _worker
    docs: list[list[Any]] = []
    texts: list[tuple[str, str]] = []
    waiting: deque[tuple[int, Future[tuple[list[tuple[str, str, str]], list[str]]]]] = deque()

    def collect() -> None:
        first, result = waiting.popleft()
        columns, learned = result.result()
        analyzer.vocabulary.update(learned)
        for i, (title_terms, body_terms, exact) in enumerate(columns, first):
            docs[i][9:12] = title_terms, body_terms, exact
        progress(len(columns))

    _worker = analyzer  # (without workers; a forked worker replaces it with its own)
    try:
        with _workers(processes, _start_worker) if processes else _InProcess() as pool:
            for kind in BUILDERS:
                for source in all_sources(kind):
                    text = source.text[:MAX_TEXT]
                    date = source.date
                    docs.append([kind, source.object_id, source.title[:1000], source.context[:1000], source.url[:500],
                                 text, date, date.year if date else None, source.paper_type, "", "", "",
                                 source.gremium_ids])
                    texts.append((f"{source.title} {source.title_extra}", text))
                    if len(texts) == POOL_BATCH:
                        waiting.append((len(docs) - len(texts), pool.submit(_analyse_batch, texts)))
                        texts = []
                        if len(waiting) > 2 * processes:
                            collect()
            if texts:
                waiting.append((len(docs) - len(texts), pool.submit(_analyse_batch, texts)))
            while waiting:
                collect()
    finally:
        _worker = None
    return docs


def _workers(processes: int, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"), initializer=initializer)


_vocabulary_of: Analyzer | None = None  # the complete vocabulary, for workers forked by _part_terms


def _parts_of(terms: list[tuple[str, str]]) -> list[str]:
    """The compound parts of documents given by their title and body terms (the term sets again
    from the strings: kept per document they would need GBs)."""
    assert _vocabulary_of is not None
    parts = _vocabulary_of.parts
    return [" ".join(sorted(parts(set(title.split()) | set(body.split())))) for title, body in terms]


def _part_terms(analyzer: Analyzer, docs: list[list[Any]], processes: int) -> list[str]:
    """Each document's compound parts, once the vocabulary is complete; with `processes`, in
    workers forked now, which inherit the vocabulary and get the documents' terms in ranges (a
    worker reading the documents themselves would copy a page per document it touches)."""
    global _vocabulary_of
    _vocabulary_of = analyzer
    try:
        terms = [(d[9], d[10]) for d in docs]
        if not processes:
            return _parts_of(terms)
        step = max(1, -(-len(docs) // (processes * 8)))  # several ranges per worker: an even share
        with _workers(processes) as pool:
            ranges = list(pool.map(_parts_of, [terms[i : i + step] for i in range(0, len(terms), step)]))
        return [parts for chunk in ranges for parts in chunk]
    finally:
        _vocabulary_of = None


def rebuild(progress: Callable[[int], None] = lambda n: None, processes: int | None = None) -> int:
    """Rebuild the whole index; `processes`: worker processes for the analysis (default: one per
    core on a corpus of POOL_MIN_DOCUMENTS or more), and on PostgreSQL as many connections
    writing the new tables (swap.py)."""
    if processes is None:
        processes = _processes() if sum(indexing.count_sources().values()) >= POOL_MIN_DOCUMENTS else 0
    with swap.rebuild_lock() if connection.vendor == "postgresql" else nullcontext():
        # The marks of changes made before the sources are read: the rebuild covers them. Marks
        # made meanwhile stay for the outbox (on PostgreSQL it waits for the rebuild's end), so
        # do marks set again meanwhile (marking anew gives a mark there the new time).
        covered = dict(Pending.objects.values_list("pk", "marked_at"))
        total = _rebuild(progress, processes, covered)
    outbox.index_after_commit()
    return total


def _rebuild(progress: Callable[[int], None], processes: int, covered: dict[int, dt.datetime]) -> int:
    started = time.monotonic()
    analyzer = Analyzer()
    docs = _first_pass(analyzer, progress, processes)
    analysed = time.monotonic()
    part_terms = _part_terms(analyzer, docs, processes)
    log.info("Suchindex: %d Dokumente gelesen und analysiert in %.1f s, Wortteile in %.1f s",
             len(docs), analysed - started, time.monotonic() - analysed)
    old_ids = {(k, o): pk for pk, k, o in Document.objects.values_list("pk", "kind", "object_id")}
    next_id = max(old_ids.values(), default=0) + 1
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    doc_table = Table(
        Document, ["id", "kind", "object_id", "title", "context", "url", "text", "date", "year", "paper_type",
                   "title_terms", "body_terms", "part_terms", "exact_terms", "filter_terms", "indexed_at"],
    )
    gremium_table = Table(DocumentGremium, ["id", "document_id", "organization_id"])
    adapt_date = connection.ops.adapt_datefield_value
    doc_rows: list[tuple[Any, ...]] = []
    gremium_rows: list[tuple[Any, ...]] = []
    for d, parts in zip(docs, part_terms, strict=True):
        pk = old_ids.get((d[0], d[1]))
        if pk is None:
            pk, next_id = next_id, next_id + 1
        filters = analysis.filter_terms(d[0], d[7], d[8], d[12])
        doc_rows.append((pk, *d[:6], adapt_date(d[6]), *d[7:11], parts, d[11], filters, now))
        gremium_rows.extend((None, pk, o) for o in d[12])
    gremium_rows = [(i, pk, o) for i, (_, pk, o) in enumerate(gremium_rows, 1)]
    del docs, part_terms
    writes = [
        (doc_table, doc_rows), (gremium_table, gremium_rows),
        (Table(Term, ["id", "stem"]), list(enumerate(sorted(analyzer.vocabulary), 1))),
    ]

    def forget_covered() -> None:
        """(In the transaction that replaces the index; the rows locked: a mark set again between
        reading and deleting waits for the commit and is then written anew.)"""
        pks = list(covered)
        for i in range(0, len(pks), outbox.LIST_CHUNK):
            marks = Pending.objects.select_for_update().filter(pk__in=pks[i : i + outbox.LIST_CHUNK])
            unchanged = [pk for pk, at in marks.values_list("pk", "marked_at") if at == covered[pk]]
            Pending.objects.filter(pk__in=unchanged).delete()

    if connection.vendor == "postgresql":
        swap.write(writes, forget_covered, processes)  # (sets the identity sequences in its swap)
    else:
        _write_sqlite(writes, forget_covered)
        reset_sequences([Document, DocumentGremium, Term])
    analyze([table.model._meta.db_table for table, _ in writes])  # (swap.py analyses its new tables)
    return len(doc_rows)


def _write_sqlite(writes: list[tuple[Table, list[tuple[Any, ...]]]], after: Callable[[], None]) -> None:
    """Replace the whole index in one transaction, the FTS5 index built once at the end."""
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection.cursor()
        try:
            with connection.cursor() as cursor:
                for table, _ in reversed(writes):
                    if table.model is Document:
                        for statement in fts.DROP_TRIGGERS:
                            cursor.execute(statement)
                    cursor.execute(f"DELETE FROM {table.model._meta.db_table}")
            for table, rows in writes:
                for i in range(0, len(rows), 20_000):
                    table.write(raw, rows[i : i + 20_000])
            with connection.cursor() as cursor:
                cursor.execute(fts.REBUILD)
                for statement in fts.TRIGGERS:
                    cursor.execute(statement)
            after()
        finally:
            raw.close()
