"""Two full-text backends behind one interface, chosen by the database in use.

SQLite: an FTS5 table over the analysed term columns (external content, kept by triggers),
ranked with bm25. PostgreSQL: a generated tsvector column ('simple' configuration over the
same analysed terms, weights A/B/D) with a GIN index, ranked with ts_rank_cd. Both get the
filters and what the viewer may see (the objects' own `visible_to`, as EXISTS per candidate row)
from a Django queryset compiled into the WHERE clause; on SQLite the filters are also terms
inside FTS5.

At 100,000s of documents a common word matches most of them; nothing here ranks or counts all
matches (bench/search.py): a search ranks the newest RANK_CAP matches and the newest RANK_CAP
Vorlagen with the words in their title, and counts the newest COUNT_CAP visible matches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from ratsinfo.search.analysis import Query, filter_term, has_phrase, loosened
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
Row = tuple[Any, ...]  # (document id, score, sort date, *columns)


class Backend:
    rank_sql: str
    from_sql: str
    min_date: str  # SQL literal that sorts before every date (undated documents last)
    newest_first: str

    def pool(
        self, query: Query, qs: QuerySet[Document], any_of: bool, within: int | None, columns: str,
        required: Sequence[str] = (),
    ) -> tuple[str, list[Any]]:
        """SELECT id, score, <columns> of a bounded set of visible matches worth ranking."""
        raise NotImplementedError

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
        required: Sequence[str] = (),
    ) -> list[Row]:
        """(document id, score, sort date, *columns) of the best hits, best (or newest) first.
        `qs` holds what the viewer may see and the filters: the pool is drawn from visible
        matches only, so how far one can page says nothing about matches one may not see.
        With `within`, at most about `within` matches are ranked (see `pool`): ranking every
        match of a common word costs a rank per match (bm25 / a detoasted tsvector each).
        The pool holds matches that pass the filters, so a narrow filter never comes back empty
        while it has matches."""
        sort = f"COALESCE({TABLE}.date, {self.min_date})" if by_date else "NULL"
        extra = "".join(f", {TABLE}.{c} AS c_{c}" for c in columns)
        sql, params = self.pool(query, qs, any_of, within, f"{sort} AS sortdate{extra}", required)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = [(row[0], float(row[1]), as_date(row[2]) or dt.date.min, *row[3:]) for row in cursor.fetchall()]
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
        inner, params = self._newest(query, qs, cap, required)
        sql = (f"SELECT h.id, h.kind, h.paper_type, h.year, g.organization_id FROM ({inner}) h "
               f"LEFT JOIN {GREMIUM_TABLE} g ON g.document_id = h.id")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall(), False

    def _newest(self, query: Query, qs: QuerySet[Document], cap: int, required: Sequence[str]) -> tuple[str, list[Any]]:
        """SELECT id, kind, paper_type, year of the newest `cap` matches."""
        base, params = self._base(query, qs, rank=False, required=required)
        return (f"SELECT {TABLE}.id AS id, {TABLE}.kind AS kind, {TABLE}.paper_type AS paper_type, "
                f"{TABLE}.year AS year {base} ORDER BY {self.newest_first} LIMIT {int(cap)}"), params


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
        required: Sequence[str] = (),
    ) -> tuple[str, list[Any]]:
        """The newest `within` matches and the newest `within` Vorlagen with a title match (both passing the
        filters), ranked by bm25 and the kind prior: FTS5 computes bm25 of the rows it returns
        only, while ranking every match of a common word costs 0.5 µs a row, 400 ms for 700,000.
        Filters with a term (kind, Vorlagenart, year, Gremium) are doclist intersections in FTS5;
        a date range is tested per match."""
        if within is None:
            base, base_params = self._base(query, qs, any_of, required=required)
            return f"SELECT {TABLE}.id AS id, {self.rank_sql} AS score, {columns} {base}", base_params
        where, params = self._where(qs)
        newest = (f"SELECT * FROM (SELECT search_fts.rowid AS id, -{self.bm25} AS score {self.from_sql} "
                  f"AND ({where}) ORDER BY search_fts.rowid DESC LIMIT {int(within)})")
        both = f"SELECT id, MAX(score) AS score FROM ({newest} UNION ALL {newest}) GROUP BY id"
        sql = (f"SELECT {TABLE}.id AS id, p.score * {_BOOST} AS score, {columns} FROM ({both}) p "
               f"JOIN {TABLE} ON {TABLE}.id = p.id")
        titles = self.match_param(query, any_of, rank=False, required=[TITLE_POOL_KIND, *required],
                                  columns="{title_terms}")
        return sql, [self.match_param(query, any_of, required=required), *params, titles, *params]

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
    # The expression GIN index of migration 0004: titles only, without rechecking weights.
    title_from_sql = (f"FROM {TABLE} CROSS JOIN to_tsquery('simple', %s) q "
                      f"WHERE to_tsvector('simple', {TABLE}.title_terms) @@ q")

    def pool(
        self, query: Query, qs: QuerySet[Document], any_of: bool, within: int | None, columns: str,
        required: Sequence[str] = (),
    ) -> tuple[str, list[Any]]:
        """ts_rank_cd reads each matching tsvector (TOAST): rank the newest `within` matches and
        the newest `within` Vorlagen whose title matches (a Vorlage named after a common word is
        ranked even among 100,000 files mentioning it), both passing the filters. A phrase is
        looked for among the newest `within` documents with all its words (see `candidates`)."""
        where, params = self._where(qs)
        match = self.match_param(query, any_of, rank=False)
        if within is None:
            return (f"SELECT {TABLE}.id AS id, {self.rank_sql} AS score, {columns} {self.from_sql} AND ({where})",
                    [self.match_param(query, any_of), *params])
        newest = f"ORDER BY {TABLE}.id DESC LIMIT {int(within)}"
        words = self.match_param(loosened(query), any_of, rank=False)
        ids = f"SELECT id FROM (SELECT {TABLE}.id AS id {self.from_sql} AND ({where}) {newest}) a"
        # (`id + 0`: the GIN index finds the title matches, instead of a walk down the primary key
        # that computes the title vector of every row until enough have matched)
        ids += (f" UNION SELECT id FROM (SELECT {TABLE}.id AS id {self.title_from_sql} AND {TABLE}.kind = %s "
                f"AND ({where}) ORDER BY {TABLE}.id + 0 DESC LIMIT {int(within)}) t")
        id_params = [words, *params, match, Kind.PAPER.value, *params]
        sql = f"SELECT {TABLE}.id AS id, {self.rank_sql} AS score, {columns} {self.from_sql} AND {TABLE}.id IN ({ids})"
        return sql, [self.match_param(query, any_of), *id_params]

    def candidates(
        self, query: Query, qs: QuerySet[Document], cap: int, required: Sequence[str] = ()
    ) -> tuple[list[tuple[Any, ...]], bool]:
        """With a phrase: the phrase's matches among the newest `cap` documents with all its words.
        The GIN index answers the words without reading a row; a phrase needs the positions of
        each candidate's tsvector, and PostgreSQL, guessing a phrase as common as its words,
        would read every row of the table (30 s on 700,000) to find a rare one."""
        if not has_phrase(query):
            return super().candidates(query, qs, cap, required)
        inner, params = self._newest(loosened(query), qs, cap, required)
        sql = (f"SELECT h.id, h.kind, h.paper_type, h.year, g.organization_id, p.vector @@ to_tsquery('simple', %s) "
               f"FROM ({inner}) h JOIN {TABLE} p ON p.id = h.id LEFT JOIN {GREMIUM_TABLE} g ON g.document_id = h.id")
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.match_param(query, rank=False), *params])
            rows = cursor.fetchall()
        looked_at = len({row[0] for row in rows})
        return [row[:5] for row in rows if row[5]], looked_at >= cap

    def clause(self, terms: list[str], prefix: bool, form: str | None) -> str:
        quoted = [f"'{t}'" for t in terms]
        if prefix:
            quoted[-1] += ":*"
        return "(" + " <-> ".join(quoted) + (f" | '{form}':C" if form else "") + ")"

    def joiner(self, any_of: bool) -> str:
        return " | " if any_of else " & "


def analyze() -> None:
    """Fresh planner statistics after a rebuild (PostgreSQL would otherwise guess row counts)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # all tables: the visibility subqueries join the domain tables


def backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SQLiteBackend()
