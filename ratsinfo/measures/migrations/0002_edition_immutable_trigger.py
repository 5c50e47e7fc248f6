"""A Fortschreibung is immutable in the database too: an UPDATE cannot change its plan, name,
date or snapshot (only `noted_by` may be filled in later). DELETE stays possible at the database
level so test databases can be flushed; the model refuses it. SQLite drops triggers when a later
migration rebuilds the table: re-create them then."""

from django.db import migrations

SQLITE_UP = """
CREATE TRIGGER measures_planedition_immutable
BEFORE UPDATE OF plan_id, name, edition_date, snapshot ON measures_planedition
WHEN OLD.plan_id IS NOT NEW.plan_id OR OLD.name IS NOT NEW.name
  OR OLD.edition_date IS NOT NEW.edition_date OR OLD.snapshot IS NOT NEW.snapshot
BEGIN
  SELECT RAISE(ABORT, 'Eine Fortschreibung ist unveränderlich.');
END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS measures_planedition_immutable;"

PG_UP = ("""
CREATE OR REPLACE FUNCTION measures_planedition_immutable() RETURNS trigger AS $$
BEGIN
  IF OLD.plan_id IS DISTINCT FROM NEW.plan_id OR OLD.name IS DISTINCT FROM NEW.name
     OR OLD.edition_date IS DISTINCT FROM NEW.edition_date
     OR OLD.snapshot::text IS DISTINCT FROM NEW.snapshot::text THEN
    RAISE EXCEPTION 'Eine Fortschreibung ist unveränderlich.';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql
""", """
CREATE TRIGGER measures_planedition_immutable BEFORE UPDATE ON measures_planedition
FOR EACH ROW EXECUTE FUNCTION measures_planedition_immutable()
""")
PG_DOWN = (
    "DROP TRIGGER IF EXISTS measures_planedition_immutable ON measures_planedition",
    "DROP FUNCTION IF EXISTS measures_planedition_immutable()",
)


def up(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)
    elif vendor == "postgresql":
        for statement in PG_UP:
            schema_editor.execute(statement)


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)
    elif vendor == "postgresql":
        for statement in PG_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("measures", "0001_initial")]
    operations = [migrations.RunPython(up, down)]
