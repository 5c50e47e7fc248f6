"""Audit receivers: logins, failed logins, lockouts and changes of roles and rights.

Changes of roles and rights arrive as m2m signals (admin, shell, SSO and migrations alike);
the acting user comes from the request that simple-history's middleware keeps for the thread.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.models import Group, User
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest
from simple_history.models import HistoricalRecords

from ratsinfo.accounts.audit import client_address, record_event
from ratsinfo.accounts.models import AuditKind

log = logging.getLogger("ratsinfo.accounts")


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    record_event(AuditKind.LOGIN, request=request, actor=user)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kwargs: Any) -> None:
    if user is not None:
        record_event(AuditKind.LOGOUT, request=request, actor=user)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    username = str(credentials.get("username") or "")[:150]
    log.warning("Anmeldung fehlgeschlagen: Konto %r von %s", username, client_address(request) or "unbekannt")
    record_event(AuditKind.LOGIN_FAILED, request=request, actor_name=username)


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def _locked_out(sender: Any, request: HttpRequest, username: str | None, ip_address: str | None, **kwargs: Any) -> None:
    log.warning("Anmeldung gesperrt nach Fehlversuchen: Konto %r von %s", username, ip_address)
    record_event(AuditKind.LOCKOUT, request=request, actor_name=str(username or "")[:150],
                 detail="Zu viele Fehlversuche: Konto und Adresse vorübergehend gesperrt.")


# Account flags that grant or withdraw rights like a role does.
_FLAGS = {"is_superuser": "Administratorrechte (Superuser)", "is_staff": "Zugang zur Verwaltungsoberfläche", "is_active": "Konto aktiv"}


@receiver(pre_save, sender=User, dispatch_uid="audit_user_flags_before")
def _flags_before(sender: Any, instance: User, update_fields: Any = None, **kwargs: Any) -> None:
    if instance.pk is None or (update_fields is not None and not set(update_fields) & _FLAGS.keys()):
        return  # new accounts and logins (last_login only) change no rights
    old = User.objects.filter(pk=instance.pk).values(*_FLAGS).first() or {}
    instance._audit_flag_changes = [  # type: ignore[attr-defined]
        f"{label}: {'ja' if getattr(instance, flag) else 'nein'}"
        for flag, label in _FLAGS.items() if flag in old and old[flag] != getattr(instance, flag)
    ]


@receiver(post_save, sender=User, dispatch_uid="audit_user_flags_after")
def _flags_after(sender: Any, instance: User, **kwargs: Any) -> None:
    changes = instance.__dict__.pop("_audit_flag_changes", None)
    if changes:
        request = getattr(HistoricalRecords.context, "request", None)
        record_event(AuditKind.PERMISSIONS, request=request, obj=instance, detail="; ".join(changes))


_VERBS = {"post_add": "hinzugefügt", "post_remove": "entzogen", "pre_clear": "alle entzogen"}


def _names(model: Any, pks: set[int] | None, field: str) -> str:
    if not pks:
        return ""
    return ", ".join(sorted(str(v) for v in model.objects.filter(pk__in=pks).values_list(field, flat=True)))


def _linked_pks(through: Any, instance: Any, model: type) -> set[int]:
    fks = [f for f in through._meta.get_fields() if f.many_to_one]
    source = next(f for f in fks if isinstance(instance, f.related_model))
    target = next(f for f in fks if f is not source and f.related_model is model)
    return set(through.objects.filter(**{source.name: instance}).values_list(target.attname, flat=True))


def _record_m2m(kind: AuditKind, action: str, subject: Any, label: str, names: str) -> None:
    request = getattr(HistoricalRecords.context, "request", None)
    record_event(kind, request=request, obj=subject, detail=f"{label} {_VERBS[action]}: {names}".rstrip(": "))


def _m2m_handler(kind: AuditKind, forward_label: str, reverse_label: str, forward_field: str, reverse_field: str):  # type: ignore[no-untyped-def]
    def handler(sender: Any, instance: Any, action: str, reverse: bool, model: type, pk_set: set[int] | None, **kwargs: Any) -> None:
        if action not in _VERBS:
            return
        if action == "pre_clear":
            pk_set = _linked_pks(sender, instance, model)  # None on clear: name what is about to go
        label, field = (reverse_label, reverse_field) if reverse else (forward_label, forward_field)
        _record_m2m(kind, action, instance, label, _names(model, pk_set, field))

    return handler


_user_groups = _m2m_handler(AuditKind.GROUPS, "Rollen", "Konten", "name", "username")
_user_perms = _m2m_handler(AuditKind.PERMISSIONS, "Rechte", "Konten", "codename", "username")
_group_perms = _m2m_handler(AuditKind.PERMISSIONS, "Rechte", "Rollen", "codename", "name")
m2m_changed.connect(_user_groups, sender=User.groups.through, dispatch_uid="audit_user_groups")
m2m_changed.connect(_user_perms, sender=User.user_permissions.through, dispatch_uid="audit_user_perms")
m2m_changed.connect(_group_perms, sender=Group.permissions.through, dispatch_uid="audit_group_perms")
