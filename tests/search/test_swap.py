"""PostgreSQL's rebuild writes new tables and swaps them in (search/swap.py): the schema after it
is the one the migrations made, parallel connections write what one connection writes, and the
outbox leaves its marks alone while a rebuild runs. (Own module: these tests commit, and
`transactional_db` empties the database after each.)"""

from __future__ import annotations

from typing import Any

import psycopg
import pytest
from django.db import OperationalError, connection

from ratsinfo.corpus.generator import generate
from ratsinfo.search import beside, bulk, indexing, swap
from ratsinfo.search.models import Document, DocumentGremium, Pending, Term

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's shadow tables")

TABLES = ("search_document", "search_documentgremium", "search_term")
FIELDS = [f.name for f in Document._meta.concrete_fields if f.name != "indexed_at"]


def schema() -> dict[str, Any]:
    """What the migrations made of the index's tables: columns (with generated expression and
    compression), indexes, constraints (validated or not), identity sequences; no leftovers."""
    with connection.cursor() as cursor:
        def rows(sql: str) -> list[tuple[Any, ...]]:
            cursor.execute(sql, [list(TABLES)] * sql.count("%s"))
            return sorted(cursor.fetchall())

        return {
            "columns": rows(
                "SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, a.attcompression, "
                "a.attidentity, a.attgenerated, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
                "JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                "WHERE c.relname = ANY(%s) AND a.attnum > 0 AND NOT a.attisdropped"
            ),
            "indexes": rows("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"),
            "constraints": rows(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated FROM pg_constraint "
                "WHERE conrelid::regclass::text = ANY(%s) OR confrelid::regclass::text = ANY(%s)"
            ),
            "grants": rows(
                "SELECT table_name, grantee, privilege_type, is_grantable FROM information_schema.role_table_grants "
                "WHERE table_name = ANY(%s)"
            ),
            "sequences": rows("SELECT t, pg_get_serial_sequence(t, 'id') FROM unnest(%s::text[]) t"),
            "leftovers": rows("SELECT relname FROM pg_class WHERE relname LIKE ANY(ARRAY(SELECT t || '_next%%' FROM unnest(%s::text[]) t))"),
        }


def snapshot() -> tuple[set[tuple[Any, ...]], set[tuple[int, int]], set[str]]:
    return (
        set(Document.objects.values_list(*FIELDS)),
        set(DocumentGremium.objects.values_list("document_id", "organization_id")),
        set(Term.objects.values_list("stem", flat=True)),
    )


@pytest.mark.django_db
def test_the_swapped_in_tables_have_the_schema_the_migrations_made() -> None:
    generate(papers=10, seed=3)
    with connection.cursor() as cursor:  # other roles' rights stay as they were, no more, no less
        for role in ("ratsinfo_leser", "ratsinfo_andere"):
            cursor.execute(f"DO $$ BEGIN CREATE ROLE {role}; EXCEPTION WHEN duplicate_object THEN NULL; END $$")
        cursor.execute("GRANT SELECT ON search_document TO ratsinfo_leser")
        cursor.execute("GRANT SELECT ON search_term TO ratsinfo_leser WITH GRANT OPTION")
        cursor.execute("ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO ratsinfo_andere")  # (new tables get it)
    before = schema()
    assert before["leftovers"] == [] and len(before["indexes"]) >= 10
    assert ("search_term", "ratsinfo_leser", "SELECT", "YES") in before["grants"]

    bulk.rebuild(processes=0)

    assert schema() == before
    assert Document.objects.count() > 50
    with connection.cursor() as cursor:  # the new identity goes on after the ids written
        for table in TABLES:
            cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) > MAX(id) FROM {table}")
            assert cursor.fetchone()[0] is True


@pytest.mark.django_db(transaction=True)
def test_two_connections_write_what_one_writes_and_the_index_works(monkeypatch: Any) -> None:
    generate(papers=20, seed=7)
    indexing.rebuild()
    before, tables = snapshot(), schema()
    monkeypatch.setattr(swap, "SLICE_ROWS", 10)  # many slices, both connections take some
    opened: list[Any] = []
    connect = psycopg.connect
    monkeypatch.setattr(beside.psycopg, "connect", lambda *a, **k: opened.append(connect(*a, **k)) or opened[-1])

    bulk.rebuild(processes=2)

    assert len(opened) == 2

    assert snapshot() == before
    assert schema() == tables
    with connection.cursor() as cursor:  # the full-text index answers (and the planner knows the rows)
        cursor.execute("SELECT count(*) FROM search_document WHERE vector @@ to_tsquery('simple', 'haushalt')")
        assert cursor.fetchone()[0] > 0
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'search_document'")
        assert cursor.fetchone()[0] == len(before[0])


@pytest.mark.django_db(transaction=True)
def test_the_outbox_waits_while_a_rebuild_holds_the_lock() -> None:
    generate(papers=3, seed=2)
    Pending.objects.all().delete()
    Pending.objects.create(kind="vorlage", object_id=1)
    params = connection.get_connection_params()
    other = psycopg.connect(**{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port", "password")})
    try:
        other.execute("SELECT pg_advisory_lock(%s)", [swap.REBUILD_LOCK])

        assert indexing.flush() == 0
        assert Pending.objects.count() == 1

        other.execute("SELECT pg_advisory_unlock(%s)", [swap.REBUILD_LOCK])
        assert indexing.flush() == 1
        assert Pending.objects.count() == 0
    finally:
        other.close()


@pytest.mark.django_db(transaction=True)
def test_a_rebuild_that_fails_leaves_the_live_index_as_it_was_and_nothing_behind(monkeypatch: Any) -> None:
    generate(papers=5, seed=4)
    indexing.rebuild()
    before, tables = snapshot(), schema()
    monkeypatch.setattr(swap, "LOCK_TIMEOUT", "50ms")
    monkeypatch.setattr(swap, "SWAP_ATTEMPTS", 2)
    params = connection.get_connection_params()
    reader = psycopg.connect(**{k: v for k, v in params.items() if k in ("dbname", "user", "host", "port", "password")})
    try:  # a reader that keeps the index open (a transaction left idle) outlasts both attempts
        reader.execute("SELECT count(*) FROM search_document")
        with pytest.raises(OperationalError):
            bulk.rebuild(processes=2)
    finally:
        reader.close()

    assert snapshot() == before
    assert schema() == tables  # no new tables left behind


@pytest.mark.django_db
def test_a_view_on_the_index_stops_the_rebuild_instead_of_being_dropped() -> None:
    generate(papers=3, seed=1)
    with connection.cursor() as cursor:
        cursor.execute("CREATE VIEW oeffentliche_treffer AS SELECT id, title FROM search_document")
    before = snapshot()

    with pytest.raises(RuntimeError, match="oeffentliche_treffer"):
        bulk.rebuild(processes=0)

    assert snapshot() == before
