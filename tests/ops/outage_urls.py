"""Views that meet an outage, for tests/ops/test_outage.py (mounted beside the real URLs)."""

from __future__ import annotations

import sqlite3

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def _disk_full(request: HttpRequest) -> HttpResponse:
    try:
        raise sqlite3.OperationalError("database or disk is full")
    except sqlite3.OperationalError as exc:
        raise OperationalError("database or disk is full") from exc


def _database_gone(request: HttpRequest) -> HttpResponse:
    raise OperationalError("connection failed: connection to server at \"127.0.0.1\", port 5432 failed: Connection refused")


def _defect(request: HttpRequest) -> HttpResponse:
    raise OperationalError("no such column: papers_paper.frobnicate")


urlpatterns = [
    path("test-ausfall/voll", _disk_full),
    path("test-ausfall/weg", _database_gone),
    path("test-ausfall/defekt", _defect),
    path("", include("ratsinfo.urls")),
]
handler500 = "ratsinfo.ops.outage.server_error"
