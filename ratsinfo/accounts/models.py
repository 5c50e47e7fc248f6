"""Per-account settings and the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class AccountSettings(models.Model):
    """What an account needs beyond Django's User: the demo flag and the SSO subject."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_settings")
    # Demo accounts log in with their printed password alone (no second factor) and say so.
    demo_account = models.BooleanField("Demo-Konto", default=False)
    # The `sub` claim of the identity provider: SSO logins match on it, never on a username,
    # so that a provider account can never take over a local account of the same name.
    oidc_subject = models.CharField("OIDC-Subject", max_length=255, null=True, blank=True, unique=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "Kontoeinstellung"
        verbose_name_plural = "Kontoeinstellungen"

    def __str__(self) -> str:
        return f"Einstellungen von {self.user}"


class AuditKind(models.TextChoices):
    LOGIN = "login", "Anmeldung"
    LOGIN_FAILED = "login_failed", "Fehlgeschlagene Anmeldung"
    LOCKOUT = "lockout", "Sperre nach Fehlversuchen"
    LOGOUT = "logout", "Abmeldung"
    SECOND_FACTOR = "second_factor", "Zweiter Faktor"
    GROUPS = "groups", "Rollen geändert"
    PERMISSIONS = "permissions", "Rechte geändert"
    RELEASE = "release", "Freigabe"
    PUBLICATION = "publication", "Veröffentlichung"
    DOWNLOAD = "download", "Abruf einer nichtöffentlichen Datei"


class AuditEvent(models.Model):
    """One security-relevant event; written only through `audit.record_event`, never changed."""

    at = models.DateTimeField("Zeitpunkt", db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too: failed logins name accounts that may not exist, and deleted users stay named.
    actor_name = models.CharField("Konto", max_length=150, blank=True, db_index=True)
    kind = models.CharField("Art", max_length=20, choices=AuditKind.choices, db_index=True)
    object_type = models.CharField("Objektart", max_length=100, blank=True)
    object_id = models.CharField("Objekt-ID", max_length=64, blank=True)
    object_repr = models.CharField("Objekt", max_length=300, blank=True)
    address = models.GenericIPAddressField("Adresse", null=True, blank=True)
    detail = models.TextField("Einzelheiten", blank=True)

    class Meta:
        verbose_name = "Protokolleintrag"
        verbose_name_plural = "Protokoll"
        indexes = [models.Index(fields=["-at", "-id"], name="audit_at_id_desc")]

    def __str__(self) -> str:
        return f"{self.at:%d.%m.%Y %H:%M} {self.get_kind_display()} {self.actor_name}"
