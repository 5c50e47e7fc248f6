"""Facet values as index terms (analysis.filter_terms) and, on SQLite, the FTS5 table again
with their column (ratsinfo/search/fts.py): filters become doclist intersections in FTS5."""

import importlib
from collections import defaultdict

from django.db import migrations, models

from ratsinfo.search import fts
from ratsinfo.search.analysis import filter_terms

CHUNK = 5000
FULLTEXT_0002 = importlib.import_module("ratsinfo.search.migrations.0002_fulltext")


def fill(apps, schema_editor):
    """SQLite: the terms, then FTS5 again with their column. PostgreSQL filters in SQL and never
    reads the column (an UPDATE of every row would recompute every stored tsvector): the next
    `ratsinfo reindex` writes it."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    # (adding the column rebuilt search_document on SQLite, and with it went its triggers)
    drop_fts(apps, schema_editor)
    fill_terms(apps, connection)
    for statement in (fts.TABLE, *fts.TRIGGERS, fts.REBUILD):
        schema_editor.execute(statement)


def drop_fts(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":  # (the triggers name the column: DROP COLUMN fails)
        for statement in (*fts.DROP_TRIGGERS, fts.DROP_TABLE):
            schema_editor.execute(statement)


def restore_fts_of_0002(apps, schema_editor):
    """Backwards: the FTS5 table of migration 0002, without the filter column."""
    if schema_editor.connection.vendor == "sqlite":
        for statement in (*FULLTEXT_0002.SQLITE, fts.REBUILD):
            schema_editor.execute(statement)


def fill_terms(apps, connection):
    Document = apps.get_model("search", "Document")
    DocumentGremium = apps.get_model("search", "DocumentGremium")
    last = 0
    while True:
        rows = list(
            Document.objects.filter(pk__gt=last).order_by("pk").values_list("pk", "kind", "year", "paper_type")[:CHUNK]
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
