"""Outages an operator expects: the database restarting or unreachable, the disk full.

Such an error is no defect of the request: the visitor gets a German 503 page (try again in a
moment) and the log one line, not a traceback. `OutageMiddleware` answers for errors raised in a
view, `server_error` (handler500) for those raised in a middleware (a session read while the
database restarts), and `tolerate_full_storage` lets a read go on when a write it makes on the
side (the members' "new since your last visit") finds the disk full.
"""

from __future__ import annotations

import errno
import logging
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template import loader

logger = logging.getLogger(__name__)

Outage = Literal["storage_full", "database_unavailable"]
RETRY_AFTER_SECONDS = 30
_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
# SQLite: SQLITE_FULL; "disk I/O error" when not even the WAL index can grow on a full disk.
_SQLITE_FULL = ("database or disk is full", "disk i/o error")
_POSTGRES_RESOURCES = "53"  # SQLSTATE class 53: disk_full, out_of_memory, too_many_connections
_MESSAGES = {
    "storage_full": ("Speicher voll", "Der Speicherplatz des Servers ist erschöpft. Lesen geht weiter; "
                                      "Änderungen sind erst wieder möglich, wenn die Betreuung Platz geschaffen hat."),
    "database_unavailable": ("Vorübergehend nicht erreichbar", "Die Datenbank ist im Moment nicht erreichbar, "
                                                               "zum Beispiel während eines Neustarts."),
}


def classify(exc: BaseException | None) -> Outage | None:
    """Which outage an exception (or one it was raised from) reports; None for everything else."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _FULL_ERRNOS:
            return "storage_full"
        if isinstance(exc, (sqlite3.OperationalError, OperationalError)) and str(exc).lower().startswith(_SQLITE_FULL):
            return "storage_full"
        sqlstate = getattr(exc, "sqlstate", None)
        if isinstance(sqlstate, str) and sqlstate.startswith(_POSTGRES_RESOURCES):
            return "storage_full" if sqlstate == "53100" else "database_unavailable"
        if isinstance(exc, (OperationalError, InterfaceError)) and _connection_lost(exc):
            return "database_unavailable"
        exc = exc.__cause__ or exc.__context__
    return None


def _connection_lost(exc: Exception) -> bool:
    # PostgreSQL: no sqlstate on a failed connect, 57P01-03 on an administrator's shutdown, 08 on a lost link.
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if sqlstate is not None:
        return str(sqlstate).startswith(("08", "57P"))
    text = str(exc).lower()
    return isinstance(exc, InterfaceError) or any(
        word in text for word in ("connection", "server closed", "terminating", "unable to open database", "is locked")
    )


def outage_response(kind: Outage) -> HttpResponse:
    """The German 503 page; rendered without the database or the request (neither may be there)."""
    title, text = _MESSAGES[kind]
    response = HttpResponse(loader.get_template("ops/503.html").render({"title": title, "text": text}), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _log(kind: Outage, request: HttpRequest, exc: BaseException) -> None:
    logger.warning("%s: %s %s (%s: %s)", _MESSAGES[kind][0], request.method, request.path, type(exc).__name__,
                   str(exc).splitlines()[0] if str(exc) else "")


class OutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        kind = classify(exception)
        if kind is None:
            return None
        _log(kind, request, exception)
        return outage_response(kind)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: an outage met outside a view still gets its 503, everything else the 500 page."""
    exc = sys.exc_info()[1]
    kind = classify(exc)
    if kind is not None and exc is not None:
        _log(kind, request, exc)
        return outage_response(kind)
    from ratsinfo.portal.views import server_error as portal_server_error

    return portal_server_error(request)


@contextmanager
def tolerate_full_storage(what: str) -> Iterator[None]:
    """For a write a read makes on the side: on a full disk it is skipped (one log line), the read goes on.
    Use it around a whole transaction (atomic inside), so nothing of it is half written."""
    try:
        yield
    except DatabaseError as exc:
        if classify(exc) != "storage_full":
            raise
        logger.warning("Speicher voll: %s nicht gespeichert (%s)", what, exc)
