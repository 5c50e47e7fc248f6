from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_groups(sender: Any, **kwargs: Any) -> None:
    from ratsinfo.measures.services import ensure_editor_groups

    ensure_editor_groups()


class MeasuresConfig(AppConfig):
    name = "ratsinfo.measures"
    label = "measures"
    verbose_name = "Maßnahmenplan"

    def ready(self) -> None:
        # The editor groups Quartiersmanagement and Verwaltung exist in every database.
        post_migrate.connect(_ensure_groups, sender=self, dispatch_uid="measures_editor_groups")
