"""PostgreSQL: the index's long columns (texts, terms, the tsvector) compressed with lz4 instead
of pglz where the server has it (PostgreSQL 14+ built with lz4, as the Debian and official
packages are). Writing a row costs much less (`ratsinfo reindex` on 723,501 documents: pglz
was a fifth of the COPY), reading a tsvector to rank it too. Rows keep their compression until
they are written again; the next `ratsinfo reindex` rewrites them all. SQLite: nothing."""

from django.db import migrations

COLUMNS = ("text", "title_terms", "body_terms", "part_terms", "exact_terms", "vector")


def _set(schema_editor, method: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
        )
        if cursor.fetchone() is None:
            return  # a server built without lz4 keeps pglz
    changes = ", ".join(f"ALTER COLUMN {c} SET COMPRESSION {method}" for c in COLUMNS)
    schema_editor.execute(f"ALTER TABLE search_document {changes}")


def forwards(apps, schema_editor):
    _set(schema_editor, "lz4")


def backwards(apps, schema_editor):
    _set(schema_editor, "DEFAULT")  # the server's default_toast_compression again


class Migration(migrations.Migration):
    dependencies = [("search", "0008_kind_index")]

    operations = [migrations.RunPython(forwards, backwards)]
