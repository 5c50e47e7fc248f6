"""PostgreSQL: a GIN index over the title terms alone, so a search can find the newest title
matches of a common word without reading every matching tsvector (backends.py, `within`)."""

from django.db import migrations

CREATE = "CREATE INDEX IF NOT EXISTS search_document_title_vector ON search_document USING GIN (to_tsvector('simple', title_terms))"
DROP = "DROP INDEX IF EXISTS search_document_title_vector"


def _run(sql: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_alert_of_a_member")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
