"""The roles of a council office as groups with their permissions (see ratsinfo/bodies/roles.py)."""

from django.db import migrations

from ratsinfo.bodies.roles import sync_roles


def drop_global_switch(apps, schema_editor):
    # The one global "sees non-public" switch and the old demo group are replaced by per-Gremium audiences.
    apps.get_model("auth", "Permission").objects.filter(content_type__app_label="bodies", codename="view_nonpublic").delete()
    apps.get_model("auth", "Group").objects.filter(name="Ratsmitglieder").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("bodies", "0002_audiences"),
        ("papers", "0003_paper_author_cosignature"),
        ("meetings", "0003_standin"),
        ("files", "0002_ever_public"),
        ("measures", "0002_edition_immutable_trigger"),
        ("oparl", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_global_switch, migrations.RunPython.noop),
        migrations.RunPython(sync_roles, migrations.RunPython.noop),
    ]
