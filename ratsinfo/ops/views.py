"""Liveness and readiness for a load balancer: status words and booleans, never data."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ratsinfo.ops.heartbeat import recent_worker_exists
from ratsinfo.ops.migrations_state import schema_is_current

logger = logging.getLogger(__name__)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers (no database access: a database outage must not restart the web server)."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready for traffic: database reachable, schema current, a worker alive."""
    checks = {"database": False, "migrations": False, "worker": False}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = True
        checks["migrations"] = schema_is_current()
        checks["worker"] = recent_worker_exists()
    except Exception:  # an unreachable database is an answer here, not an error page
        logger.warning("Bereitschaftsprüfung: Datenbank nicht erreichbar", exc_info=True)
    ready = all(checks.values())
    return JsonResponse({"status": "ok" if ready else "nicht bereit", "checks": checks}, status=200 if ready else 503)
