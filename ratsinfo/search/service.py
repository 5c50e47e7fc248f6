"""Search as the pages and the API use it: visible hits, facets, snippets, related Vorlagen."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ratsinfo.bodies.models import Organization
from ratsinfo.lib.access import PUBLIC, Viewer
from ratsinfo.papers.models import PaperType
from ratsinfo.search import analysis
from ratsinfo.search.backends import Backend, Cursor, as_date, backend
from ratsinfo.search.beside import Later, Statement
from ratsinfo.search.documents import BUILDERS
from ratsinfo.search.models import Document, DocumentGremium, Kind, Term

PER_PAGE = 20
# A search counts (facets, total) and ranks at most this many of the newest visible matches: a
# common word matches 100,000s of documents, and "mindestens 500 Treffer" says enough (the
# newest 250 visible matches and the 250 newest visible Vorlagen with the words in their title
# are ranked). Each counted or ranked match costs a row read and a visibility test, each ranked
# one its tsvector: at 1,000 / 500 a search on PostgreSQL took p95 107 ms in one process beside
# its helpers, at 500 / 250 70 ms (bench/README.md, session 9).
COUNT_CAP = 500
RANK_CAP = 250
SNIPPET_CHARS = 240
SCAN_CHARS = 200_000  # how far into a document a snippet is looked for
TERM_COLUMNS = ("title_terms", "body_terms", "part_terms", "exact_terms")  # not needed to show a hit


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    paper_type: str = ""
    gremium: int | None = None
    year: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    by_date: bool = False

    def facet_values(self) -> dict[str, str | int]:
        """The facet filters that are set."""
        values = {"kind": self.kind, "paper_type": self.paper_type, "gremium": self.gremium, "year": self.year}
        return {f: v for f, v in values.items() if v not in ("", None)}

    def terms(self, skip: str = "") -> list[str]:
        """The filter terms of the facet filters set (analysis.filter_terms), but `skip`'s."""
        return [analysis.filter_term(f, v) for f, v in self.facet_values().items() if f != skip]


@dataclass
class Hit:
    id: int
    kind: str
    kind_label: str
    title: str
    context: str
    url: str
    snippet: SafeString
    score: float
    date: dt.date | None

    def as_json(self) -> dict[str, Any]:
        return {
            "type": self.kind, "title": self.title, "url": self.url, "snippet": str(self.snippet),
            "score": round(self.score, 6), "date": self.date.isoformat() if self.date else None,
            "context": self.context,
        }


@dataclass
class Results:
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    capped: bool = False  # more matches than counted: the total is a lower bound
    # Some facet count stopped at COUNT_CAP (with a filter set, a facet counts with its own off,
    # so its counts can be lower bounds even where the total is not).
    facets_capped: bool = False
    counted_within: int = 0  # COUNT_CAP as the search ran
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)
    next_cursor: Cursor | None = None


def visible_documents(viewer: Viewer) -> QuerySet[Document]:
    """Index rows of objects the viewer may open: the objects' own `visible_to`, nothing else.
    Checked per candidate row (EXISTS on the object's primary key): a search looks at a bounded
    number of matches, while `object_id IN (all visible objects)` would build the set of every
    visible Vorlage, TOP and file for each query. The condition is compiled once per viewer
    (`_visibility`) and applied as SQL: building and compiling the seven `visible_to`
    querysets cost about 8 ms of every search, for the same SQL each time."""
    sql, params = _visibility(viewer)
    # (The SQL names the table "search_document": filter this queryset, never nest it as a subquery.)
    return Document.objects.filter(RawSQL(sql, params, output_field=BooleanField()))


def _visibility_condition(viewer: Viewer) -> Q:
    condition = Q()
    for kind, (model, _) in BUILDERS.items():
        visible = model._default_manager.visible_to(viewer).filter(pk=OuterRef("object_id"))  # type: ignore[attr-defined]
        condition |= Q(Q(kind=kind) & Q(Exists(visible)))
    return condition


def _visibility(viewer: Viewer) -> tuple[str, tuple[Any, ...]]:
    """The compiled visibility condition of a viewer. Kept for later searches only if it is a
    function of the viewer alone: compiling ran no query (a `visible_to` reading ids from the
    database would bake them in) and no parameter is a date or time (today's memberships)."""
    key = (viewer, connection.alias, connection.vendor)
    kept = _COMPILED.get(key)  # (one lookup: another thread may clear the dict meanwhile)
    if kept is not None:
        return kept
    queries: list[str] = []

    def noting(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(noting):
        query = Document.objects.filter(_visibility_condition(viewer)).query
        sql, params = query.get_compiler(using=connection.alias).compile(query.where)
    compiled = (sql, tuple(params))
    if not queries and not any(_is_time(p) for p in params):
        if len(_COMPILED) >= 256:
            _COMPILED.clear()
        _COMPILED[key] = compiled
    return compiled


_COMPILED: dict[tuple[Viewer, str, str], tuple[str, tuple[Any, ...]]] = {}
_ISO_TIME = re.compile(r"\d{4}-\d\d-\d\d|\d\d:\d\d")  # as SQLite gets a date or time


def _is_time(param: Any) -> bool:
    return isinstance(param, dt.date | dt.time) or (isinstance(param, str) and bool(_ISO_TIME.match(param)))


def _filtered(qs: QuerySet[Document], filters: Filters, *, skip: str = "") -> QuerySet[Document]:
    if filters.kind and skip != "kind":
        qs = qs.filter(kind=filters.kind)
    if filters.paper_type and skip != "paper_type":
        qs = qs.filter(paper_type=filters.paper_type)
    if filters.gremium is not None and skip != "gremium":
        qs = qs.filter(Exists(DocumentGremium.objects.filter(document=OuterRef("pk"), organization=filters.gremium)))
    if filters.year is not None and skip != "year":
        qs = qs.filter(year=filters.year)
    if filters.date_from is not None:
        qs = qs.filter(date__gte=filters.date_from)
    if filters.date_to is not None:
        qs = qs.filter(date__lte=filters.date_to)
    return qs


MAX_EXPANSION = 40  # known terms a prefix is replaced by; more, and the engine expands it


def expand_prefixes(query: analysis.Query) -> analysis.Query:
    """A prefix ("Verwa*") as the known terms it begins (search.Term, one indexed range query;
    more than MAX_EXPANSION: the engine's prefix), plus the stem of the prefix itself
    ("Verwaltung*" finds "Verwaltung", indexed as "verwalt"): both engines would otherwise merge
    the postings of every term with that prefix, 100,000s for a common one, before the first hit."""
    for i, (terms, prefix) in enumerate(query.clauses):
        head = terms[0]
        if not prefix or len(terms) != 1 or len(head) < analysis.MIN_PART or head.isdigit():
            continue
        known = Term.objects.filter(stem__gte=head, stem__lt=head + "{").order_by()  # "{" follows "z"
        stems = set(known.values_list("stem", flat=True)[: MAX_EXPANSION + 1])
        own = analysis.stem(head)
        if stems and len(stems) <= MAX_EXPANSION:
            query.alternatives[i] = [(t, False) for t in sorted(stems | {own})]
        elif own != head:
            # The engine's prefix, and the stem as above: which documents are found never
            # depends on the vocabulary, which non-public texts add to.
            query.alternatives[i] = [(head, True), (own, False)]
    return query


def search(
    viewer: Viewer, text: str, filters: Filters = Filters(), after: Cursor | None = None, per_page: int = PER_PAGE,
    facets: bool = True,
) -> Results:
    query = analysis.parse(text)
    if not query:
        return Results()
    query = expand_prefixes(query)
    engine = backend()
    visible = visible_documents(viewer)
    results = Results()
    with engine.session():
        beside = _beside(engine, query, visible, filters, facets)
        if beside is None:
            counted, skipped = _counted(engine, query, visible, filters) if facets else (None, {})
        else:
            counted = _candidates(engine, query, visible, filters) if facets else None
        rows = engine.hits(
            query, _filtered(visible, filters), by_date=filters.by_date, after=after,
            limit=per_page + 1, within=RANK_CAP, required=filters.terms(),
            newest=sorted(counted[0], reverse=True)[:RANK_CAP] if counted is not None else None,
            also=[beside.pop("titles")] if beside is not None else [],
        )
        if beside is not None:
            skipped = {facet: later.result() for facet, later in beside.items()}
        if counted is not None:
            results.facets, results.total, results.capped = _facets(filters, counted, skipped)
            results.facets_capped = counted[1] or any(capped for _, capped in skipped.values())
            results.counted_within = COUNT_CAP
    if len(rows) > per_page:
        last = rows[per_page - 1]
        results.next_cursor = Cursor(last[2] if filters.by_date else last[1], last[0])
        rows = rows[:per_page]
    results.hits = _hits(rows, query)
    return results


FACETS = ("kind", "paper_type", "year", "gremium")


def _beside(
    engine: Backend, query: analysis.Query, visible: QuerySet[Document], filters: Filters, facets: bool,
) -> dict[str, Later] | None:
    """Where the engine can run statements beside the request's own (PostgreSQL, beside.py):
    the title pool and, per facet with a filter, the candidates with that filter off, started
    now; the request's connection counts the candidates with every filter and ranks meanwhile.
    None: everything runs in turn (`_counted`)."""
    if not engine.runs_beside():
        return None
    titles = engine.title_pool(
        query, _filtered(visible, filters), False, RANK_CAP, engine.hit_columns(filters.by_date), filters.terms()
    )
    if titles is None:
        return None
    statements = {"titles": titles}
    if facets:
        statements.update({f: _candidates_statement(engine, query, visible, filters, f) for f in filters.facet_values()})
    return dict(zip(statements, engine.start_beside(list(statements.values())), strict=True))


def _facets(
    filters: Filters, counted: tuple[dict[int, Counted], bool], skipped: dict[str, tuple[dict[int, Counted], bool]],
) -> tuple[dict[str, Any], int, bool]:
    """Counts per kind, Vorlagenart, Gremium and year over the visible hits; each facet counts with
    the other filters applied but not its own, so one can switch within it: `counted` (every
    filter: the total and the facets without a filter) and `skipped` (per facet with a filter,
    that filter off)."""
    counters: dict[str, Counter[Any]] = {f: Counter() for f in FACETS}
    docs, capped = counted
    for facet in FACETS:
        _count(counters[facet], facet, skipped.get(facet, counted)[0].values())
    return _facet_lists(counters), len(docs), capped


Counted = tuple[str, str, int | None, set[int]]  # kind, Vorlagenart, year, Gremien


def _counted(
    engine: Any, query: analysis.Query, visible: QuerySet[Document], filters: Filters,
) -> tuple[tuple[dict[int, Counted], bool], dict[str, tuple[dict[int, Counted], bool]]]:
    """The candidates with every filter, and per facet with a filter those with that filter off
    (one statement each). The latter come first: where one of them holds every match (fewer
    than COUNT_CAP), the candidates with every filter are its documents that pass the filter
    left off, and their statement is saved (a search with one facet filter on a less common
    word costs one statement instead of two)."""
    skipped = {facet: _candidates(engine, query, visible, filters, skip=facet) for facet in filters.facet_values()}
    for facet, (docs, capped) in skipped.items():
        if not capped:
            value = filters.facet_values()[facet]
            return ({pk: doc for pk, doc in docs.items() if _passes(doc, facet, value)}, False), skipped
    return _candidates(engine, query, visible, filters), skipped


def _passes(doc: Counted, facet: str, value: str | int) -> bool:
    return value in _values(doc, facet)


def _values(doc: Counted, facet: str) -> Iterable[Any]:
    """A document's values of one facet (one each, but the Gremien of its Beratungsfolge)."""
    kind, paper_type, year, gremien = doc
    return gremien if facet == "gremium" else ({"kind": kind, "paper_type": paper_type, "year": year}[facet],)


def _candidates(
    engine: Any, query: analysis.Query, visible: QuerySet[Document], filters: Filters, skip: str = ""
) -> tuple[dict[int, Counted], bool]:
    """The newest COUNT_CAP visible matches passing the filters (but `skip`'s) by document id,
    and whether there are more (or more the engine did not look at)."""
    found: tuple[dict[int, Counted], bool] = engine.run(_candidates_statement(engine, query, visible, filters, skip))
    return found


def _candidates_statement(
    engine: Backend, query: analysis.Query, visible: QuerySet[Document], filters: Filters, skip: str = ""
) -> Statement:
    statement = engine.candidates_statement(
        query, _filtered(visible, filters, skip=skip), COUNT_CAP + 1, filters.terms(skip=skip)
    )
    rows_of = statement.finish
    return replace(statement, finish=lambda rows: _docs(*rows_of(rows)))


def _docs(rows: list[tuple[Any, ...]], partial: bool) -> tuple[dict[int, Counted], bool]:
    docs: dict[int, Counted] = {}
    for pk, kind, paper_type, year, gremium in rows:
        doc = docs.setdefault(pk, (kind, paper_type, year, set()))
        if gremium is not None:
            doc[3].add(gremium)
    capped = len(docs) > COUNT_CAP or partial
    if len(docs) > COUNT_CAP:
        for pk in sorted(docs)[: len(docs) - COUNT_CAP]:  # the oldest is one too many
            del docs[pk]
    return docs, capped


def _count(counter: Counter[Any], facet: str, docs: Iterable[Counted]) -> None:
    for doc in docs:
        counter.update(_values(doc, facet))


def _facet_lists(counters: dict[str, Counter[Any]]) -> dict[str, Any]:
    kinds, types, years, gremien = (counters[f] for f in FACETS)
    names = dict(Organization.objects.visible_to(None).filter(pk__in=list(gremien)).values_list("pk", "name"))
    return {
        "kind": [(k, label, kinds[k]) for k, label in Kind.choices if kinds.get(k)],
        "paper_type": [(k, label, types[k]) for k, label in PaperType.choices if types.get(k)],
        "gremium": sorted(
            ((str(pk), names[pk], n) for pk, n in gremien.items() if pk in names), key=lambda f: (-f[2], f[1])
        )[:30],
        "year": sorted(((str(y), str(y), n) for y, n in years.items() if y), reverse=True),
    }


def _hits(rows: list[tuple[Any, ...]], query: analysis.Query) -> list[Hit]:
    """The hits of ranked rows (id, score, …), in their order, in one query."""
    docs = Document.objects.defer(*TERM_COLUMNS).in_bulk([r[0] for r in rows])
    return [_hit(docs[r[0]], r[1], query) for r in rows if r[0] in docs]


def _hit(doc: Document, score: float, query: analysis.Query) -> Hit:
    return Hit(
        doc.pk, doc.kind, doc.get_kind_display(), doc.title, doc.context, doc.url,
        snippet(doc.text, query), score, doc.date,
    )


def _matcher(query: analysis.Query) -> Callable[[str], bool]:
    """Whether a word of a text is one the query looks for, remembered per word (a long text
    repeats its words; folding and stemming each costs a few µs)."""
    targets = [(typed, prefix, typed if prefix else analysis.stem(typed)) for typed, prefix in query.highlight]
    seen: dict[str, bool] = {}

    def matches(word: str) -> bool:
        found = seen.get(word)
        if found is None:
            found = seen[word] = _matches(word, targets)
        return found

    return matches


def _matches(word: str, targets: list[tuple[str, bool, str]]) -> bool:
    folded = analysis.fold(word)
    if not folded:
        return False
    if folded.isdigit():
        folded = folded.lstrip("0") or "0"
    stemmed = analysis.stem(folded)
    for typed, prefix, target in targets:
        if prefix:
            if folded.startswith(typed):
                return True
            continue
        # The word itself, or a compound ending in it ("Integrationskonzept" for "Konzept").
        if stemmed == target or (len(target) >= analysis.MIN_PART and stemmed.endswith(target)):
            return True
    return False


_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def snippet(text: str, query: analysis.Query) -> SafeString:
    """A passage around the first match with the matching words in <mark>, HTML-escaped. The
    words are looked at up to the end of the passage only."""
    scan = text[:SCAN_CHARS]
    matches = _matcher(query)
    words = _WORD.finditer(scan)
    first = next((m.span() for m in words if matches(m.group())), None)
    if first is None:
        return mark_safe(escape(_shorten(text[:SNIPPET_CHARS], len(text) > SNIPPET_CHARS)))
    start = max(0, first[0] - SNIPPET_CHARS // 3)
    if start:
        space = scan.find(" ", start)
        start = space + 1 if 0 <= space < first[0] else start
    end = max(first[1], min(len(scan), start + SNIPPET_CHARS))  # (a first word longer than the passage)
    space = scan.rfind(" ", first[1], end)
    end = space if space > first[1] and end < len(scan) else end
    spans = [first]
    for m in words:
        if m.end() > end:
            break
        if matches(m.group()):
            spans.append(m.span())
    out, pos = [], start
    for a, b in spans:
        out += [escape(scan[pos:a]), "<mark>", escape(scan[a:b]), "</mark>"]
        pos = b
    out.append(escape(scan[pos:end]))
    body = " ".join("".join(out).split())
    return mark_safe(("… " if start else "") + body + (" …" if end < len(text) else ""))


def _shorten(text: str, cut: bool) -> str:
    text = " ".join(text.split())
    return text + " …" if cut else text


def related_papers(viewer: Viewer, paper: Any, limit: int = 5) -> list[Hit]:
    """More like this: Vorlagen sharing the most telling words of this one's title and sections
    (read from the prefetched sections, so this costs one query)."""
    body = " ".join(f"{s.heading} {s.text}" for s in paper.sections.all())
    counts = Counter(t for t in analysis.terms(body) if len(t) >= 6 and not t.isdigit())
    title = [t for t in analysis.terms(paper.name) if len(t) >= 5 and not t.isdigit()]
    chosen = list(dict.fromkeys([*title, *(t for t, _ in counts.most_common(8))]))[:12]
    if not chosen:
        return []
    query = analysis.Query(clauses=[([t], False) for t in chosen])
    qs = visible_documents(viewer).filter(kind=Kind.PAPER).exclude(object_id=paper.pk)
    engine = backend()
    with engine.session():
        rows = engine.hits(
            query, qs, limit=limit, any_of=True, columns=("title", "url", "date"),
            within=RANK_CAP, required=[analysis.filter_term("kind", Kind.PAPER)],
        )
    return [
        Hit(pk, Kind.PAPER, Kind.PAPER.label, title, "", url, mark_safe(""), score, as_date(day))
        for pk, score, _, title, url, day in rows
    ]


def search_new(text: str, after_document_id: int, limit: int, viewer: Viewer = PUBLIC) -> list[Hit]:
    """Matches the viewer may see indexed after `after_document_id`, oldest first (alert digests)."""
    query = analysis.parse(text)
    if not query:
        return []
    query = expand_prefixes(query)
    qs = visible_documents(viewer).filter(pk__gt=after_document_id)
    rows = backend().hits(query, qs, limit=limit)
    return sorted(_hits(rows, query), key=lambda h: h.id)
