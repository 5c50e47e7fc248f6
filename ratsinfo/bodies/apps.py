from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender: Any, **kwargs: Any) -> None:
    from django.apps import apps

    from ratsinfo.bodies.roles import sync_roles

    sync_roles(apps)


class BodiesConfig(AppConfig):
    name = "ratsinfo.bodies"
    label = "bodies"
    verbose_name = "Gemeinden, Gremien und Personen"

    def ready(self) -> None:
        # The data migration creates the roles; a test database flush removes them, so they are
        # restored after every migrate/flush as well (idempotent).
        post_migrate.connect(_sync_roles, sender=self, dispatch_uid="bodies_sync_roles")
