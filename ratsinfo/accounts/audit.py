"""The one way to write the audit log: `record_event(...)`.

Other apps call it for releases, publications and downloads of non-public files; the
receivers in `signals.py` call it for logins and changes of roles and rights.
"""

from __future__ import annotations

import ipaddress
import logging
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from ratsinfo.accounts.models import AuditEvent, AuditKind

log = logging.getLogger("ratsinfo.audit")


def client_address(request: HttpRequest | None) -> str | None:
    """The address the login protection uses too (django-axes sets it from the trusted proxy setup)."""
    if request is None:
        return None
    raw = getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None


def _actor(request: HttpRequest | None, actor: Any) -> Any:
    if actor is None and request is not None:
        actor = getattr(request, "user", None)
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


@transaction.atomic
def record_event(
    kind: AuditKind | str,
    *,
    request: HttpRequest | None = None,
    actor: Any = None,
    actor_name: str = "",
    obj: models.Model | None = None,
    detail: str = "",
) -> AuditEvent:
    """Write one audit event. `actor` defaults to the request's user; `obj` is referenced by type, id and name."""
    user = _actor(request, actor)
    event = AuditEvent(
        at=timezone.now(),
        actor=user,
        actor_name=(user.get_username() if user is not None else actor_name)[:150],
        kind=AuditKind(kind),
        address=client_address(request),
        detail=detail,
    )
    if obj is not None:
        event.object_type = obj._meta.label_lower
        event.object_id = str(obj.pk)
        event.object_repr = str(obj)[:300]
    event.save()
    log.info("audit %s konto=%s objekt=%s:%s adresse=%s", event.kind, event.actor_name or "-",
             event.object_type or "-", event.object_id or "-", event.address or "-")
    return event
