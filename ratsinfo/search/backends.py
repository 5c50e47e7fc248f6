"""Two full-text backends behind one interface, chosen by the database in use.

SQLite: an FTS5 table over the analysed term columns (external content, kept by triggers),
ranked with bm25. PostgreSQL: a generated tsvector column ('simple' configuration over the
same analysed terms, weights A/B/C/D, and the facet values and recency buckets as lexemes of
their own, migration 0007) with a GIN index, ranked with ts_rank_cd. Both get the filters and
what the viewer may see (the objects' own `visible_to`, as EXISTS per candidate row) from a
Django queryset compiled into the WHERE clause; the filters are also terms inside the index.

At 100,000s of documents a common word matches most of them; nothing here ranks or counts all
matches (bench/search.py): a search ranks the newest RANK_CAP matches and the newest RANK_CAP
Vorlagen with the words in their title, and counts the newest COUNT_CAP visible matches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from ratsinfo.search import beside, fts
from ratsinfo.search.analysis import Query, facet_of, filter_term, has_phrase, loosened
from ratsinfo.search.beside import Later, Statement
from ratsinfo.search.models import Document, Kind

TABLE = Document._meta.db_table
# Vorlagen are what most searches are after; the agenda items, files and meetings about the
# same matter follow them (a prior per kind, multiplied with the text rank).
KIND_BOOST = {"vorlage": 3.0, "massnahme": 1.5, "top": 1.2}
_BOOST = "CASE " + " ".join(f"WHEN {TABLE}.kind = '{k}' THEN {b}" for k, b in KIND_BOOST.items()) + " ELSE 1.0 END"
GREMIUM_TABLE = "search_documentgremium"


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: after (sort value, id) of the last hit shown."""

    value: float | str | dt.date
    id: int


# The title pool holds Vorlagen: a Vorlage named after a common word is what a search for it is
# after, among 100,000s of files and agenda items that mention the word.
TITLE_POOL_KIND = filter_term("kind", Kind.PAPER)
FACET_COLUMNS = f"{TABLE}.id AS id, {TABLE}.kind AS kind, {TABLE}.paper_type AS paper_type, {TABLE}.year AS year"
# What the filters and the visibility conditions read of a document (search.service).
MATCH_COLUMNS = ", ".join(f"{TABLE}.{c}" for c in ("id", "kind", "object_id", "paper_type", "year", "date"))
Row = tuple[Any, ...]  # (document id, score, sort date, *columns)


class Backend:
    rank_sql: str
    from_sql: str
    min_date: str  # SQL literal that sorts before every date (undated documents last)
    newest_first: str

    def pool(
        self, query: Query, qs: QuerySet[Document], any_of: bool, within: int | None, columns: str,
        required: Sequence[str] = (), newest: Sequence[int] | None = None, titles: bool = True,
    ) -> tuple[str, list[Any]]:
        """SELECT id, score, <columns> of a bounded set of visible matches worth ranking.
        `newest`: the ids of the newest visible matches if the caller has them (the facets'
        candidates): a backend may rank those instead of looking for them again. `titles`
        False: the title pool is left to a statement of its own (`title_pool`)."""
        raise NotImplementedError

    def session(self) -> AbstractContextManager[None]:
        """Around the statements of one search: what the engine needs set for them."""
        return nullcontext()

    def runs_beside(self) -> bool:
        """Whether statements can run beside the request's own now (`start_beside`)."""
        return False

    def start_beside(self, statements: Sequence[Statement]) -> list[Later]:
        """Start `statements` beside the request's own statements, in its snapshot; without
        helpers each runs on the request's connection when its result is first asked for."""
        return [Later(s) for s in statements]

    def run(self, statement: Statement) -> Any:
        with self.session(), connection.cursor() as cursor:
            cursor.execute(statement.sql, statement.params)
            return statement.finish(cursor.fetchall())

    def title_pool(
        self, query: Query, qs: QuerySet[Document], any_of: bool, within: int, columns: str, required: Sequence[str],
    ) -> Statement | None:
        """The ranked title pool (see `pool`) as a statement of its own, if the engine has one."""
        return None

    def hit_columns(self, by_date: bool, columns: Sequence[str] = ()) -> str:
        """What `hits` selects after (id, score): the sort date and `columns`."""
        sort = f"COALESCE({TABLE}.date, {self.min_date})" if by_date else "NULL"
        return f"{sort} AS sortdate" + "".join(f", {TABLE}.{c} AS c_{c}" for c in columns)

    def clause(self, terms: list[str], prefix: bool, form: str | None) -> str:
        """One clause in the engine's syntax: a term or phrase, a prefix, the exact form as typed."""
        raise NotImplementedError

    def joiner(self, any_of: bool) -> str:
        raise NotImplementedError

    def match_param(self, query: Query, any_of: bool = False, rank: bool = True, required: Sequence[str] = ()) -> str:
        """The full-text query; terms are [a-z0-9] only (analysis.py), so nothing needs escaping.
        The exact forms only change the rank, not which documents match: counting leaves them out
        (on PostgreSQL a weighted term makes the GIN index recheck every row). `required`: filter
        terms (analysis.filter_terms) a backend may use to narrow the matches early; the filters
        themselves are in the queryset."""
        clauses = []
        for i, (terms, prefix) in enumerate(query.clauses):
            if i in query.alternatives:
                alternatives = [self.clause([t], p, None) for t, p in query.alternatives[i]]
                clauses.append("(" + self.joiner(True).join(alternatives) + ")")
                continue
            form = query.exact.get(terms[0]) if rank and len(terms) == 1 and not prefix else None
            clauses.append(self.clause(terms, prefix, form))
        return self.joiner(any_of).join(clauses)

    def _where(self, qs: QuerySet[Document]) -> tuple[str, list[Any]]:
        """The WHERE clause of a single-table Document queryset, as SQL and parameters."""
        query = qs.query
        compiler = query.get_compiler(using=qs.db)
        where, params = compiler.compile(query.where) if query.where else ("", [])
        if len(query.alias_map) > 1:
            raise ValueError("Der Suchfilter darf keine Tabellen verknüpfen (Exists/Subquery verwenden).")
        return (where or "1=1"), list(params)

    def _base(
        self, query: Query, qs: QuerySet[Document], any_of: bool = False, rank: bool = True,
        required: Sequence[str] = (),
    ) -> tuple[str, list[Any]]:
        where, params = self._where(qs)
        return f"{self.from_sql} AND ({where})", [self.match_param(query, any_of, rank, required), *params]

    def hits(
        self, query: Query, qs: QuerySet[Document], *, by_date: bool = False, after: Cursor | None = None,
        limit: int = 25, any_of: bool = False, columns: tuple[str, ...] = (), within: int | None = None,
        required: Sequence[str] = (), newest: Sequence[int] | None = None, also: Sequence[Later] = (),
    ) -> list[Row]:
        """(document id, score, sort date, *columns) of the best hits, best (or newest) first.
        `qs` holds what the viewer may see and the filters: the pool is drawn from visible
        matches only, so how far one can page says nothing about matches one may not see.
        With `within`, at most about `within` matches are ranked (see `pool`): ranking every
        match of a common word costs a rank per match (bm25 / a detoasted tsvector each).
        The pool holds matches that pass the filters, so a narrow filter never comes back empty
        while it has matches. `also`: the title pool, started beside this statement
        (`title_pool` with the same arguments)."""
        columns_sql = self.hit_columns(by_date, columns)
        sql, params = self.pool(query, qs, any_of, within, columns_sql, required, newest, titles=not also)
        with self.session(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        for later in also:
            found += later.result()
        unique = {row[0]: row for row in found}.values()  # (a Vorlage in both pools has one score)
        rows = [(row[0], float(row[1]), as_date(row[2]) or dt.date.min, *row[3:]) for row in unique]
        if by_date:
            rows.sort(key=lambda r: (r[2], r[0]), reverse=True)
            if after is not None:
                if not isinstance(after.value, dt.date):
                    return []  # a cursor of another sort order (a hand-made address)
                rows = [r for r in rows if (r[2], r[0]) < (after.value, after.id)]
        else:
            rows.sort(key=lambda r: (-r[1], r[0]))
            if after is not None:
                if not isinstance(after.value, float | int):
                    return []
                score = float(after.value)
                rows = [r for r in rows if r[1] < score or (r[1] == score and r[0] > after.id)]
        return rows[:limit]

    def candidates(
        self, query: Query, qs: QuerySet[Document], cap: int, required: Sequence[str] = ()
    ) -> tuple[list[tuple[Any, ...]], bool]:
        """(id, kind, paper_type, year, Gremium or None) of at most `cap` matches, newest first
        (one row per Gremium): what the facets count, bounded whatever the size of the match set;
        and whether the engine looked at part of the matches only (beyond the cap)."""
        found: tuple[list[tuple[Any, ...]], bool] = self.run(self.candidates_statement(query, qs, cap, required))
        return found

    def candidates_statement(
        self, query: Query, qs: QuerySet[Document], cap: int, required: Sequence[str] = ()
    ) -> Statement:
        """`candidates` as a statement (its result: the rows and whether they are partial)."""
        inner, params = self._newest(query, qs, cap, required)
        sql = (f"SELECT h.id, h.kind, h.paper_type, h.year, g.organization_id FROM ({inner}) h "
               f"LEFT JOIN {GREMIUM_TABLE} g ON g.document_id = h.id")
        return Statement(sql, params, lambda rows: (rows, False))

    def _newest(
        self, query: Query, qs: QuerySet[Document], cap: int, required: Sequence[str], select: str = FACET_COLUMNS
    ) -> tuple[str, list[Any]]:
        """SELECT `select` (id, kind, paper_type, year) of the newest `cap` matches."""
        base, params = self._base(query, qs, rank=False, required=required)
        return f"SELECT {select} {base} ORDER BY {self.newest_first} LIMIT {int(cap)}", params


def as_date(value: Any) -> dt.date | None:
    """A date column as the database returns it in raw SQL (SQLite: text)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class SQLiteBackend(Backend):
    name = "sqlite-fts5"
    # bm25 is smaller for better hits; weights per column: title, body, compound parts.
    bm25 = "bm25(search_fts, 10.0, 1.0, 0.2, 8.0, 0.0)"
    TEXT_COLUMNS = "{title_terms body_terms part_terms exact_terms}"
    rank_sql = f"-{bm25} * {_BOOST}"
    from_sql = f"FROM search_fts JOIN {TABLE} ON {TABLE}.id = search_fts.rowid WHERE search_fts MATCH %s"
    min_date = "'0001-01-01'"
    newest_first = "search_fts.rowid DESC"  # FTS5 walks its doclists backwards: no sort

    def match_param(
        self, query: Query, any_of: bool = False, rank: bool = True, required: Sequence[str] = (),
        columns: str = TEXT_COLUMNS,
    ) -> str:
        """The search in the text columns only (or `columns`), the filter terms in theirs."""
        match = f"{columns} : ({super().match_param(query, any_of, rank)})"
        return match + (" AND {filter_terms} : (" + " AND ".join(required) + ")" if required else "")

    def pool(
        self, query: Query, qs: QuerySet[Document], any_of: bool, within: int | None, columns: str,
        required: Sequence[str] = (), newest: Sequence[int] | None = None, titles: bool = True,
    ) -> tuple[str, list[Any]]:
        """The newest `within` matches and the newest `within` Vorlagen with a title match (both passing the
        filters), ranked by bm25 and the kind prior: FTS5 computes bm25 of the rows it returns
        only, while ranking every match of a common word costs 0.5 µs a row, 400 ms for 700,000.
        Filters with a term (kind, Vorlagenart, year, Gremium) are doclist intersections in FTS5;
        a date range is tested per match. (`newest` is not needed: FTS5 reads the newest
        matches' doclists backwards and computes bm25 as it goes, cheaper than a second query.)"""
        if within is None:
            base, base_params = self._base(query, qs, any_of, required=required)
            return f"SELECT {TABLE}.id AS id, {self.rank_sql} AS score, {columns} {base}", base_params
        where, params = self._where(qs)
        latest = (f"SELECT * FROM (SELECT search_fts.rowid AS id, -{self.bm25} AS score {self.from_sql} "
                  f"AND ({where}) ORDER BY search_fts.rowid DESC LIMIT {int(within)})")
        both = f"SELECT id, MAX(score) AS score FROM ({latest} UNION ALL {latest}) GROUP BY id"
        sql = (f"SELECT {TABLE}.id AS id, p.score * {_BOOST} AS score, {columns} FROM ({both}) p "
               f"JOIN {TABLE} ON {TABLE}.id = p.id")
        title_match = self.match_param(query, any_of, rank=False, required=[TITLE_POOL_KIND, *required],
                                       columns="{title_terms}")
        return sql, [self.match_param(query, any_of, required=required), *params, title_match, *params]

    def clause(self, terms: list[str], prefix: bool, form: str | None) -> str:
        phrase = '"' + " ".join(terms) + '"' + ("*" if prefix else "")
        return f'({phrase} OR exact_terms : "{form}")' if form else phrase

    def joiner(self, any_of: bool) -> str:
        return " OR " if any_of else " AND "


class PostgresBackend(Backend):
    name = "postgresql-tsvector"
    rank_sql = f"ts_rank_cd({TABLE}.vector, q) * {_BOOST}"
    from_sql = f"FROM {TABLE} CROSS JOIN to_tsquery('simple', %s) q WHERE {TABLE}.vector @@ q"
    min_date = "DATE '0001-01-01'"
    newest_first = f"{TABLE}.id DESC"

    def __init__(self) -> None:
        self._tops: dict[tuple[str, ...], int] = {}  # ceilings by filter terms (_newest_id)
        self._in_session = False
        self._own_snapshot = False  # the session's transaction is its own (not a caller's)
        self._started: list[Later] = []  # running beside; waited for before the session ends

    def pool(
        self, query: Query, qs: QuerySet[Document], any_of: bool, within: int | None, columns: str,
        required: Sequence[str] = (), newest: Sequence[int] | None = None, titles: bool = True,
    ) -> tuple[str, list[Any]]:
        """ts_rank_cd reads each matching tsvector (TOAST): rank the newest `within` matches and
        the newest `within` Vorlagen whose title matches (a Vorlage named after a common word is
        ranked even among 100,000 files mentioning it), both passing the filters. A phrase is
        looked for among the newest `within` documents with all its words (see `candidates`)."""
        if within is None:
            where, params = self._where(qs)
            return (f"SELECT {TABLE}.id AS id, {self.rank_sql} AS score, {columns} {self.from_sql} AND ({where})",
                    [self.match_param(query, any_of), *params])
        if newest is None:
            ids, id_params = self._newest(loosened(query), qs, within, required, f"{TABLE}.id AS id", any_of)
        else:
            ids, id_params = "SELECT unnest(%s::bigint[]) AS id", [list(newest[:within])]
        if titles:
            title_ids, title_params = self._title_ids(query, qs, any_of, within, required)
            ids, id_params = f"SELECT id FROM ({ids}) a UNION SELECT id FROM ({title_ids}) t", [*id_params, *title_params]
        # The counted ids and the title matches match the query already; only the loosened
        # search's need the test (each test detoasts the tsvector once more).
        return self._ranked(ids, id_params, query, any_of, columns, test=newest is None)

    def title_pool(
        self, query: Query, qs: QuerySet[Document], any_of: bool, within: int, columns: str, required: Sequence[str],
    ) -> Statement:
        sql, params = self._ranked(*self._title_ids(query, qs, any_of, within, required), query, any_of, columns)
        return Statement(sql, params)

    def _title_ids(
        self, query: Query, qs: QuerySet[Document], any_of: bool, within: int, required: Sequence[str],
    ) -> tuple[str, list[Any]]:
        return self._newest(
            query, qs, within, [TITLE_POOL_KIND, *required], f"{TABLE}.id AS id", any_of, matches=self.TITLE_MATCHES
        )

    def _ranked(
        self, ids: str, params: list[Any], query: Query, any_of: bool, columns: str, test: bool = False,
    ) -> tuple[str, list[Any]]:
        """id, score, `columns` of the documents `ids` selects; `test`: of those matching the query.
        Each id looked up by its primary key (OFFSET 0 keeps the subquery a loop per id): the
        planner, guessing a phrase rare, would otherwise read every match of the words and
        recheck each tsvector (11,572 for "Deckung gewährleistet", 160 ms) to join them with
        1,000 ids."""
        condition = f"AND {TABLE}.vector @@ q" if test else ""
        sql = (f"SELECT r.* FROM ({ids}) ids CROSS JOIN LATERAL (SELECT {TABLE}.id AS id, {self.rank_sql} AS score, "
               f"{columns} FROM {TABLE}, to_tsquery('simple', %s) q WHERE {TABLE}.id = ids.id {condition} OFFSET 0) r")
        return sql, [*params, self.match_param(query, any_of)]

    def candidates_statement(
        self, query: Query, qs: QuerySet[Document], cap: int, required: Sequence[str] = ()
    ) -> Statement:
        """With a phrase: the phrase's matches among the newest `cap` documents with all its words.
        The GIN index answers the words without reading a row; a phrase needs the positions of
        each candidate's tsvector, and PostgreSQL, guessing a phrase as common as its words,
        would read every row of the table (30 s on 700,000) to find a rare one."""
        if not has_phrase(query):
            return super().candidates_statement(query, qs, cap, required)
        inner, params = self._newest(loosened(query), qs, cap, required)
        sql = (f"SELECT h.id, h.kind, h.paper_type, h.year, g.organization_id, p.vector @@ to_tsquery('simple', %s) "
               f"FROM ({inner}) h JOIN {TABLE} p ON p.id = h.id LEFT JOIN {GREMIUM_TABLE} g ON g.document_id = h.id")

        def finish(rows: list[tuple[Any, ...]]) -> tuple[list[tuple[Any, ...]], bool]:
            looked_at = len({row[0] for row in rows})
            return [row[:5] for row in rows if row[5]], looked_at >= cap

        return Statement(sql, [self.match_param(query, rank=False), *params], finish)

    # A search for the newest matches asks for them in the newest recency buckets first (each
    # document's vector holds its buckets as lexemes, migration 0007): the GIN index intersects
    # the word's postings with the buckets', and only those rows are read and sorted. Stage i
    # reaches STAGES[i] buckets of 4,096 ids further down (a few lexemes of the bucket levels);
    # the last one takes the rest. The stages run one after another until `cap` rows have come
    # (the LIMIT over UNION ALL stops pulling): a common word is done in the newest bucket, and
    # no stage reads many more rows than the ones before it found.
    STAGES = (1, 1, 2, 4, 8, 16, 32, 64, 128, 256)

    SETTINGS = {"max_parallel_workers_per_gather": "0", "work_mem": "1MB"}

    @contextmanager
    def session(self) -> Iterator[None]:
        """A search's statements in one read-only snapshot with settings of their own: no
        parallel workers (a Parallel Append would run every stage at once, and out of order,
        where the stages must stop at the cap), and a work_mem too small to hash every visible
        Vorlage or file for the visibility test (the planner counts the matches of all stages,
        not the few it reads before the cap). One snapshot (REPEATABLE READ): the ranked pool
        takes the ids the counts found visible. Inside a caller's transaction the settings are
        put back afterwards. Re-entrant: `hits` and `candidates` open it themselves."""
        if self._in_session:
            yield
            return
        names = list(self.SETTINGS)
        outer: AbstractContextManager[Any]
        set_all = ", ".join(f"set_config('{n}', %s, true)" for n in names)
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                cursor.execute(f"SELECT {', '.join(f'current_setting({n!r})' for n in names)}, {set_all}",
                               list(self.SETTINGS.values()))
                previous = list(cursor.fetchone()[: len(names)])
                outer = nullcontext()
            else:
                previous = None
                outer = transaction.atomic()
        with outer, connection.cursor() as cursor:
            if previous is None:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute(f"SELECT {set_all}", list(self.SETTINGS.values()))
            self._in_session, self._own_snapshot = True, previous is None
            try:
                yield
            finally:
                for later in self._started:  # (their snapshot is this transaction's)
                    later.wait()
                self._in_session, self._own_snapshot, self._started = False, False, []
                if previous is not None:
                    cursor.execute(f"SELECT {set_all}", previous)

    def runs_beside(self) -> bool:
        """Inside a search's own snapshot (a caller's transaction may hold writes a helper
        could not see) and with helpers configured."""
        return self._in_session and self._own_snapshot and beside.helpers() > 0

    def start_beside(self, statements: Sequence[Statement]) -> list[Later]:
        if not self.runs_beside():
            return super().start_beside(statements)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        started = beside.start(statements, snapshot, self.SETTINGS)
        self._started += started
        return started

    MATCHES = f"{TABLE}.vector @@ {{q}}"
    # The title index (migration 0007, Vorlagen only): the title pool's newest matches.
    TITLE_MATCHES = f"{fts.TITLE_VECTOR} @@ {{q}} AND {TABLE}.kind = '{Kind.PAPER.value}'"

    def _newest(
        self, query: Query, qs: QuerySet[Document], cap: int, required: Sequence[str], select: str = FACET_COLUMNS,
        any_of: bool = False, matches: str = MATCHES,
    ) -> tuple[str, list[Any]]:
        where, where_params = self._where(qs)
        match = self.match_param(query, any_of, rank=False)
        stages, params = [], []
        for buckets, below in self._stages(required):
            lexemes = " & ".join([*(self._lexeme(t) for t in required), *buckets])
            tsquery = "to_tsquery('simple', %s)" + (" && %s::tsquery" if lexemes else "")
            bound = f"AND {TABLE}.id < {below}" if below is not None else ""
            stages.append(f"(SELECT {MATCH_COLUMNS} FROM {TABLE} WHERE {matches.format(q=f'({tsquery})')} {bound} "
                          f"ORDER BY {TABLE}.id DESC)")
            params += [match, *([lexemes] if lexemes else [])]
        # The stages' matches newest first, then the filters and what the viewer may see, tested
        # in that order until `cap` have passed; a stage runs when the ones before it are used
        # up. (OFFSET 0: the tests stay out here, planned once, not copied into every stage,
        # where they would also run for each of a stage's matches. IS TRUE: an EXISTS of a filter
        # stays a test per row; as a join, a hash or merge join could reorder the rows.)
        return (f"SELECT {select} FROM (SELECT * FROM ({' UNION ALL '.join(stages)}) stages OFFSET 0) {TABLE} "
                f"WHERE (({where})) IS TRUE LIMIT {int(cap)}"), [*params, *where_params]

    # The highest id a document passing a filter can have (a search starts there), read from the
    # end of an index on (value, id) each: ordered by both columns, the walk down the primary key
    # (checking every row for the value, 700 ms for Vorlagen, which have the lowest ids after a
    # rebuild), which the planner takes for MAX(id) WHERE value = …, cannot serve it. A value
    # without documents gives 0.
    CEILINGS = {"kind": (TABLE, "kind", "id"), "year": (TABLE, "year", "id"),
                "gremium": (GREMIUM_TABLE, "organization_id", "document_id")}

    @staticmethod
    def _ceiling(table: str, column: str, id_column: str) -> str:
        return (f"COALESCE((SELECT CASE WHEN {column} = %s THEN {id_column} ELSE 0 END FROM (SELECT {column}, "
                f"{id_column} FROM {table} WHERE {column} <= %s ORDER BY {column} DESC, {id_column} DESC LIMIT 1) c), 0)")

    def _stages(self, required: Sequence[str]) -> list[tuple[list[str], int | None]]:
        """Per stage: the bucket lexemes (one OR-ed clause) or, for the rest, the id it stays below."""
        upper = (self._newest_id(required) >> fts.BUCKET_BITS) + 1  # buckets below `upper` are left
        stages: list[tuple[list[str], int | None]] = []
        for size in self.STAGES:
            if upper <= 0:
                return stages
            lower = max(0, upper - size)
            stages.append(([f"({' | '.join(self._cover(lower, upper))})"], None))
            upper = lower
        if upper > 0:
            stages.append(([], upper << fts.BUCKET_BITS))
        return stages

    def _cover(self, lower: int, upper: int) -> list[str]:
        """Bucket lexemes for the level-0 buckets lower … upper - 1: the largest aligned ones."""
        lexemes = []
        while lower < upper:
            level = fts.LEVELS - 1
            while level and (lower % (1 << level * fts.LEVEL_BITS) or lower + (1 << level * fts.LEVEL_BITS) > upper):
                level -= 1
            lexemes.append(self._lexeme(f"r{level}_{lower >> level * fts.LEVEL_BITS}"))
            lower += 1 << level * fts.LEVEL_BITS
        return lexemes

    @staticmethod
    def _lexeme(term: str) -> str:
        """A lexeme of the vector's own (facet value, recency bucket) in tsquery syntax."""
        return f"'{fts.FILTER_PREFIX}{term}'"

    def _newest_id(self, required: Sequence[str]) -> int:
        """The newest document that can pass the filters (the lowest of the filters' ceilings):
        with a filter whose documents are all old, the search starts among them, instead of
        wading down through the newest buckets. Once per search and filters."""
        key = tuple(sorted(required))
        if key not in self._tops:
            ceilings, params = [f"(SELECT MAX(id) FROM {TABLE})"], []
            for facet, value in map(facet_of, key):
                if facet in self.CEILINGS:
                    ceilings.append(self._ceiling(*self.CEILINGS[facet]))
                    params += [value if facet == "kind" else int(value)] * 2
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT LEAST({', '.join(ceilings)})", params)
                self._tops[key] = cursor.fetchone()[0] or 0
        return self._tops[key]

    def clause(self, terms: list[str], prefix: bool, form: str | None) -> str:
        quoted = [f"'{t}'" for t in terms]
        if prefix:
            quoted[-1] += ":*"
        return "(" + " <-> ".join(quoted) + (f" | '{form}':C" if form else "") + ")"

    def joiner(self, any_of: bool) -> str:
        return " | " if any_of else " & "


def analyze(analyzed: Iterable[str] = ()) -> None:
    """Fresh planner statistics after a rebuild (PostgreSQL would otherwise guess row counts) of
    all tables (the visibility subqueries join the domain tables) but those `analyzed` already."""
    if connection.vendor == "postgresql":
        skip = set(analyzed)
        tables = [t for t in connection.introspection.table_names() if t not in skip] if skip else []
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(map(connection.ops.quote_name, tables))}" if tables else "ANALYZE")


def backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
