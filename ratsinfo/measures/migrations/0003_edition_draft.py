"""A Fortschreibung may be a draft until a decision adopts it. SQLite rebuilds the table to add
the column and so drops the immutability trigger of 0002: it is created again."""

import importlib

from django.db import migrations, models

_immutable = importlib.import_module("ratsinfo.measures.migrations.0002_edition_immutable_trigger")


def recreate_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(_immutable.SQLITE_DOWN)
        schema_editor.execute(_immutable.SQLITE_UP)


class Migration(migrations.Migration):
    dependencies = [("measures", "0002_edition_immutable_trigger")]

    operations = [
        migrations.AddField(
            model_name="planedition",
            name="is_draft",
            field=models.BooleanField(default=False, verbose_name="Entwurf (noch nicht beschlossen)"),
        ),
        migrations.RunPython(recreate_sqlite_trigger, migrations.RunPython.noop),
    ]
