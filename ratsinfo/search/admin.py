"""Staff see the state of text extraction (and why a file failed) for the files they may see."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from ratsinfo.bodies.access import viewer_of
from ratsinfo.files.models import File
from ratsinfo.search.models import Extraction


@admin.register(Extraction)
class ExtractionAdmin(SimpleHistoryAdmin):
    list_display = ["file", "state", "reason", "pages", "finished_at"]
    list_filter = ["state"]
    search_fields = ["file__file_name", "reason"]
    readonly_fields = ["file", "state", "reason", "pages", "sha512", "finished_at", "text"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        visible = File.objects.visible_to(viewer_of(request)).values("pk")
        return super().get_queryset(request).select_related("file").filter(file__in=visible)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
