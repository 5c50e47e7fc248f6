"""The admin asks the one place too: a changelist shows only what the staff member may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from ratsinfo.bodies.access import viewer_of


class AudienceAdminMixin:
    """For ModelAdmins of records with an audience (Vorlagen, TOPs, Dateien)."""

    model: Any

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)  # type: ignore[misc]
        visible = self.model._default_manager.visible_to(viewer_of(request)).values("pk")
        return queryset.filter(pk__in=visible)
