"""The full-text index proper, different per database (see backends.py)."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_terms, body_terms, part_terms, exact_terms, "
    "content='search_document', content_rowid='id', tokenize='unicode61', detail=full)",
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts(rowid, title_terms, body_terms, part_terms, exact_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms, new.part_terms, new.exact_terms); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms, part_terms, exact_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms, old.part_terms, old.exact_terms); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_terms, body_terms, part_terms, exact_terms) "
    "VALUES ('delete', old.id, old.title_terms, old.body_terms, old.part_terms, old.exact_terms); "
    "INSERT INTO search_fts(rowid, title_terms, body_terms, part_terms, exact_terms) "
    "VALUES (new.id, new.title_terms, new.body_terms, new.part_terms, new.exact_terms); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES = [
    "ALTER TABLE search_document ADD COLUMN vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_terms), 'A') || "
    "setweight(to_tsvector('simple', body_terms), 'B') || "
    "setweight(to_tsvector('simple', exact_terms), 'C') || "
    "setweight(to_tsvector('simple', part_terms), 'D')) STORED",
    "CREATE INDEX search_document_vector ON search_document USING GIN (vector)",
]
POSTGRES_REVERSE = [
    "DROP INDEX IF EXISTS search_document_vector",
    "ALTER TABLE search_document DROP COLUMN IF EXISTS vector",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
