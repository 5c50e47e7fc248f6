"""Facet values as index terms (analysis.filter_terms) and, on SQLite, the FTS5 table again
with their column: filters become doclist intersections in FTS5. The statements stay here as
written (ratsinfo/search/fts.py hands the current ones to the bulk rebuild)."""

import importlib
from collections import defaultdict

from django.db import migrations, models

from ratsinfo.search.analysis import filter_terms

CHUNK = 5000
FULLTEXT_0002 = importlib.import_module("ratsinfo.search.migrations.0002_fulltext")

COLUMNS = "title_terms, body_terms, part_terms, exact_terms, filter_terms"
_NEW = ", ".join(f"new.{c.strip()}" for c in COLUMNS.split(","))
_OLD = ", ".join(f"old.{c.strip()}" for c in COLUMNS.split(","))
TABLE = (
    f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, "
    "content='search_document', content_rowid='id', tokenize='unicode61', detail=full)"
)
TRIGGERS = [
    "CREATE TRIGGER search_fts_insert AFTER INSERT ON search_document BEGIN "
    f"INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {_NEW}); END",
    "CREATE TRIGGER search_fts_delete AFTER DELETE ON search_document BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {_OLD}); END",
    "CREATE TRIGGER search_fts_update AFTER UPDATE ON search_document BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) VALUES ('delete', old.id, {_OLD}); "
    f"INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {_NEW}); END",
]
DROP_TRIGGERS = FULLTEXT_0002.SQLITE_REVERSE[:3]  # (the same names as in 0002)
DROP_TABLE = FULLTEXT_0002.SQLITE_REVERSE[3]
REBUILD = "INSERT INTO search_fts(search_fts) VALUES ('rebuild')"


def fill(apps, schema_editor):
    """SQLite: the terms, then FTS5 again with their column. PostgreSQL: not here (an UPDATE of
    every row would recompute every stored tsvector); migration 0007, which computes the vector
    anew with these terms in it, fills the rows not written since."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    # (adding the column rebuilt search_document on SQLite, and with it went its triggers)
    drop_fts(apps, schema_editor)
    fill_terms(apps, connection)
    for statement in (TABLE, *TRIGGERS, REBUILD):
        schema_editor.execute(statement)


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":  # (the triggers name the column: DROP COLUMN fails)
        for statement in (*DROP_TRIGGERS, DROP_TABLE):
            schema_editor.execute(statement)


def restore_fts_of_0002(apps, schema_editor):
    """Backwards: the FTS5 table of migration 0002, without the filter column."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in (*FULLTEXT_0002.SQLITE, REBUILD):
            schema_editor.execute(statement)


def fill_terms(apps, connection, only_empty=False):
    Document = apps.get_model("search", "Document")
    DocumentGremium = apps.get_model("search", "DocumentGremium")
    documents = Document.objects.filter(filter_terms="") if only_empty else Document.objects.all()
    last = 0
    while True:
        rows = list(
            documents.filter(pk__gt=last).order_by("pk").values_list("pk", "kind", "year", "paper_type")[:CHUNK]
        )
        if not rows:
            break
        last = rows[-1][0]
        gremien = defaultdict(list)
        pairs = DocumentGremium.objects.filter(document_id__in=[r[0] for r in rows])
        for doc, org in pairs.values_list("document_id", "organization_id"):
            gremien[doc].append(org)
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE search_document SET filter_terms = %s WHERE id = %s",
                [(filter_terms(kind, year, ptype, gremien[pk]), pk) for pk, kind, year, ptype in rows],
            )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_title_index")]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, restore_fts_of_0002),
        migrations.AddField(model_name="document", name="filter_terms", field=models.TextField(blank=True)),
        migrations.RunPython(fill, drop_fts),
    ]
