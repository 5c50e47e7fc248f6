"""PostgreSQL: the tsvector also holds each document's facet values and its recency bucket as
lexemes of their own ("f:kvorlage", "f:y2021", "f:r0_170": the bucket of 4,096 ids the document's
id falls in, and the larger buckets holding it), which search words, [a-z0-9] only, can never be. A search for the newest matches
of a common word asks the GIN index for the word within the newest buckets: the index
intersects the postings and only those rows are read, instead of every match of the word (a
bitmap of 300,000 rows, each read, then sorted). SQLite has the filters as an FTS5 column (0005)
and walks its doclists newest first.

The title index of migration 0004 becomes one over the Vorlagen's title terms and the same
lexemes. Rewrites every row on PostgreSQL (the generated column is computed anew): minutes for a large
index, like `ratsinfo reindex`."""

import importlib

from django.db import migrations

FULLTEXT_0002 = importlib.import_module("ratsinfo.search.migrations.0002_fulltext")
TITLE_INDEX_0004 = importlib.import_module("ratsinfo.search.migrations.0004_title_index")
FILTER_TERMS_0005 = importlib.import_module("ratsinfo.search.migrations.0005_filter_terms")

# Recency buckets in levels: level k holds 4 ** k buckets of level 0 (2 ** 12 ids), so a range of
# the newest ids is a handful of lexemes however deep a search has to look ("f:r2_10" is the
# 11th bucket of 65,536 ids).
BUCKET_BITS = 12
LEVEL_BITS = 2
LEVELS = 5
PREFIX = "f:"
BUCKETS = " || ".join(
    f"' {PREFIX}r{k}_' || (id >> {BUCKET_BITS + k * LEVEL_BITS})::text" for k in range(LEVELS)
)
# (array_to_tsvector takes the lexemes as they are: no parser splits "f:kvorlage")
FILTER_LEXEMES = (
    f"array_to_tsvector(string_to_array('{PREFIX}' || replace(filter_terms, ' ', ' {PREFIX}') || {BUCKETS}, ' '))"
)
DROP_GIN_INDEX, DROP_VECTOR = FULLTEXT_0002.POSTGRES_REVERSE
ADD_VECTOR, GIN_INDEX = FULLTEXT_0002.POSTGRES
assert ADD_VECTOR.endswith(") STORED")
POSTGRES = [
    "SET LOCAL maintenance_work_mem = '256MB'",
    DROP_GIN_INDEX,
    DROP_VECTOR,
    TITLE_INDEX_0004.DROP,
    # (the facet terms are filled here, forwards(): without indexes to keep)
    ADD_VECTOR.removesuffix(") STORED") + f" || {FILTER_LEXEMES}) STORED",  # 0002's terms, then these
    GIN_INDEX,
]
FILL_AFTER = 4  # statements before the fill
# The title pool's index (Vorlagen with the words in their title, backends.py) the same way: the
# title terms and these lexemes, Vorlagen only.
TITLE_VECTOR = f"(to_tsvector('simple', title_terms) || {FILTER_LEXEMES})"
TITLE_INDEX = f"CREATE INDEX search_document_title_vector ON search_document USING GIN ({TITLE_VECTOR}) WHERE kind = 'vorlage'"
POSTGRES.append(TITLE_INDEX)
POSTGRES_REVERSE = [DROP_GIN_INDEX, DROP_VECTOR, ADD_VECTOR, GIN_INDEX, TITLE_INDEX_0004.DROP, TITLE_INDEX_0004.CREATE]


def forwards(apps, schema_editor):
    """Migration 0005 left the facet terms of PostgreSQL's rows to the next reindex: those not
    written since are written here, between dropping the old vector and computing the new one."""
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES[:FILL_AFTER]:
            schema_editor.execute(sql)
        FILTER_TERMS_0005.fill_terms(apps, schema_editor.connection, only_empty=True)
        for sql in POSTGRES[FILL_AFTER:]:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES_REVERSE:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_year_index")]

    operations = [migrations.RunPython(forwards, backwards)]
