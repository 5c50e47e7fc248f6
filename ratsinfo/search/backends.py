"""Two full-text backends behind one interface, chosen by the database in use.

SQLite: an FTS5 table over the analysed term columns (external content, kept by triggers),
ranked with bm25. PostgreSQL: a generated tsvector column ('simple' configuration over the
same analysed terms, weights A/B/D) with a GIN index, ranked with ts_rank_cd. Both get the
candidate rows from a Django queryset (visibility and filters), compiled into the WHERE clause,
so the permission rule stays `visible_to` and nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from ratsinfo.search.analysis import Query
from ratsinfo.search.models import Document

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


class Backend:
    rank_sql: str
    from_sql: str
    min_date: str  # SQL literal that sorts before every date (undated documents last)
    order_by_score = "score DESC, id ASC"
    newest_first: str

    def pool(
        self, query: Query, qs: QuerySet[Document], any_of: bool, within: int, columns: str, narrowed: bool
    ) -> tuple[str, list[Any]]:
        """SELECT id, score, <columns> of a bounded set of visible matches worth ranking."""
        raise NotImplementedError

    def clause(self, terms: list[str], prefix: bool, form: str | None) -> str:
        """One clause in the engine's syntax: a term or phrase, a prefix, the exact form as typed."""
        raise NotImplementedError

    def joiner(self, any_of: bool) -> str:
        raise NotImplementedError

    def match_param(self, query: Query, any_of: bool = False, rank: bool = True) -> str:
        """The full-text query; terms are [a-z0-9] only (analysis.py), so nothing needs escaping.
        The exact forms only change the rank, not which documents match: counting leaves them out
        (on PostgreSQL a weighted term makes the GIN index recheck every row)."""
        clauses = []
        for terms, prefix in query.clauses:
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
        self, query: Query, qs: QuerySet[Document], any_of: bool = False, rank: bool = True
    ) -> tuple[str, list[Any]]:
        where, params = self._where(qs)
        return f"{self.from_sql} AND ({where})", [self.match_param(query, any_of, rank), *params]

    def hits(
        self, query: Query, qs: QuerySet[Document], *, by_date: bool = False, after: Cursor | None = None,
        limit: int = 25, any_of: bool = False, columns: tuple[str, ...] = (), within: int | None = None,
        narrowed: bool = False,
    ) -> list[tuple[Any, ...]]:
        """(document id, score, sort value, *columns) of the best hits, best (or newest) first.
        With `within`, at most about `within` matches are ranked (see `pool`): ranking every
        match of a common word costs a rank per match (bm25 / a detoasted tsvector each).
        `narrowed`: filters beyond visibility are applied; the pool then holds matches that pass
        them (the newest), so a narrow filter never comes back empty while it has matches."""
        base, params = self._base(query, qs, any_of)
        sort = f"COALESCE({TABLE}.date, {self.min_date})" if by_date else "NULL"
        extra = "".join(f", {TABLE}.{c} AS c_{c}" for c in columns)
        inner = f"SELECT {TABLE}.id AS id, {self.rank_sql} AS score, {sort} AS sortdate{extra} {base}"
        if within is not None:
            inner, params = self.pool(query, qs, any_of, within, f"{sort} AS sortdate{extra}", narrowed)
        if by_date:
            outer_where, order = "h.sortdate < %s OR (h.sortdate = %s AND h.id < %s)", "h.sortdate DESC, h.id DESC"
            key = "sortdate"
        else:
            outer_where, order = "h.score < %s OR (h.score = %s AND h.id > %s)", "h.score DESC, h.id ASC"
            key = "score"
        outer = "".join(f", h.c_{c}" for c in columns)
        sql = f"SELECT h.id, h.score, h.{key}{outer} FROM ({inner}) h"
        if after is not None:
            sql += f" WHERE {outer_where}"
            params += [after.value, after.value, after.id]
        sql += f" ORDER BY {order} LIMIT %s"
        params.append(limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(row[0], float(row[1]), *row[2:]) for row in cursor.fetchall()]

    def candidates(self, query: Query, qs: QuerySet[Document], cap: int) -> list[tuple[Any, ...]]:
        """(id, kind, paper_type, year, Gremium or None) of at most `cap` matches, newest first
        (one row per Gremium): what the facets count, bounded whatever the size of the match set."""
        base, params = self._base(query, qs, rank=False)
        inner = (f"SELECT {TABLE}.id AS id, {TABLE}.kind AS kind, {TABLE}.paper_type AS paper_type, "
                 f"{TABLE}.year AS year {base} ORDER BY {self.newest_first} LIMIT {int(cap)}")
        sql = (f"SELECT h.id, h.kind, h.paper_type, h.year, g.organization_id FROM ({inner}) h "
               f"LEFT JOIN {GREMIUM_TABLE} g ON g.document_id = h.id")
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def counts(self, query: Query, qs: QuerySet[Document], column: str) -> list[tuple[Any, int]]:
        """Hits per value of a Document column, or per Gremium with column 'gremium'."""
        base, params = self._base(query, qs, rank=False)
        if column == "gremium":
            join = f"JOIN {GREMIUM_TABLE} g ON g.document_id = {TABLE}.id"
            base = base.replace(" WHERE ", f" {join} WHERE ", 1)
            group = "g.organization_id"
        else:
            group = f"{TABLE}.{column}"
        sql = f"SELECT {group}, COUNT(*) {base} GROUP BY {group}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [(row[0], row[1]) for row in cursor.fetchall()]


class SQLiteBackend(Backend):
    name = "sqlite-fts5"
    # bm25 is smaller for better hits; weights per column: title, body, compound parts.
    rank_sql = f"-bm25(search_fts, 10.0, 1.0, 0.2, 8.0) * {_BOOST}"
    from_sql = f"FROM search_fts JOIN {TABLE} ON {TABLE}.id = search_fts.rowid WHERE search_fts MATCH %s"
    min_date = "'0001-01-01'"
    newest_first = "search_fts.rowid DESC"  # FTS5 walks its doclists backwards: no sort
    bm25 = "bm25(search_fts, 10.0, 1.0, 0.2, 8.0)"

    def pool(
        self, query: Query, qs: QuerySet[Document], any_of: bool, within: int, columns: str, narrowed: bool
    ) -> tuple[str, list[Any]]:
        """The `within` best matches by bm25 alone (FTS5 ranks in C and keeps the top k), then
        visibility and the kind prior on those only; with filters the newest `within` that pass."""
        if narrowed:
            base, base_params = self._base(query, qs, any_of)
            sql = f"SELECT {TABLE}.id AS id, {self.rank_sql} AS score, {columns} {base} ORDER BY {self.newest_first}"
            return f"{sql} LIMIT {int(within)}", base_params
        where, params = self._where(qs)
        best = (f"SELECT rowid AS id, -{self.bm25} AS score FROM search_fts WHERE search_fts MATCH %s "
                f"ORDER BY {self.bm25} LIMIT {int(within)}")
        sql = (f"SELECT {TABLE}.id AS id, p.score * {_BOOST} AS score, {columns} FROM ({best}) p "
               f"JOIN {TABLE} ON {TABLE}.id = p.id WHERE ({where})")
        return sql, [self.match_param(query, any_of), *params]

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
    # The expression GIN index of migration 0003: titles only, without rechecking weights.
    title_from_sql = (f"FROM {TABLE} CROSS JOIN to_tsquery('simple', %s) q "
                      f"WHERE to_tsvector('simple', {TABLE}.title_terms) @@ q")

    def pool(
        self, query: Query, qs: QuerySet[Document], any_of: bool, within: int, columns: str, narrowed: bool
    ) -> tuple[str, list[Any]]:
        """ts_rank_cd reads each matching tsvector (TOAST): rank the newest `within` visible
        matches and the newest `within` whose title matches (a Vorlage named after a common word
        is ranked even among 100,000 files mentioning it)."""
        where, params = self._where(qs)
        match = self.match_param(query, any_of, rank=False)
        newest = f"ORDER BY {TABLE}.id DESC LIMIT {int(within)}"
        ids = (f"SELECT id FROM (SELECT {TABLE}.id AS id {self.from_sql} AND ({where}) {newest}) a UNION "
               f"SELECT id FROM (SELECT {TABLE}.id AS id {self.title_from_sql} AND ({where}) {newest}) t")
        sql = f"SELECT {TABLE}.id AS id, {self.rank_sql} AS score, {columns} {self.from_sql} AND {TABLE}.id IN ({ids})"
        return sql, [self.match_param(query, any_of), match, *params, match, *params]

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
