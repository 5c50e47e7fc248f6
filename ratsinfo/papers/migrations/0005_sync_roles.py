"""Give the roles the permissions of the new models (Nummernkreise): `papers.*` covers them."""

from django.db import migrations

from ratsinfo.bodies.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("papers", "0004_workflow"),
        ("bodies", "0003_roles"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
