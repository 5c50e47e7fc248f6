"""Two-factor login with django-otp: a TOTP app plus one-time recovery codes.

Required for staff roles in the staff area, optional for council members. Whether a session
still owes its second factor is decided at login and kept in the session, so that ordinary
pages cost no extra query; the staff area checks afresh on every request.
"""

from __future__ import annotations

import logging
from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import django_otp
import segno
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ratsinfo.accounts.audit import record_event
from ratsinfo.accounts.models import AccountSettings, AuditKind
from ratsinfo.accounts.roles import has_staff_role

log = logging.getLogger("ratsinfo.accounts")

STATE_KEY = "ratsinfo_second_factor"  # "pending": device confirmed, code not yet given
DEMO_KEY = "ratsinfo_demo_account"  # shown as a banner on every page
SSO_KEY = "ratsinfo_sso"
PENDING = "pending"
SSO_BACKEND = "ratsinfo.accounts.oidc.StaffOIDCBackend"


class SecondFactorError(Exception):
    """A wrong or used code; the message is German and shown to the user."""


def is_demo_account(user: Any) -> bool:
    return AccountSettings.objects.filter(user_id=user.pk, demo_account=True).exists()


def requires_second_factor(user: Any) -> bool:
    """Staff roles must use a second factor; demo accounts are exempt (and marked as demo)."""
    return has_staff_role(user) and not is_demo_account(user)


def has_confirmed_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def is_verified(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(request.session.get(SSO_KEY)) or (hasattr(user, "is_verified") and user.is_verified())


def next_step(request: HttpRequest, *, staff_area: bool) -> str | None:
    """The name of the view a logged-in session must go to first, or None."""
    user = request.user
    if not user.is_authenticated:
        return None
    if not staff_area:  # from the session alone: ordinary pages cost no query for this
        return "accounts:verify" if request.session.get(STATE_KEY) == PENDING else None
    if is_verified(request):
        return None
    if has_confirmed_device(user):
        return "accounts:verify"
    return "accounts:setup" if requires_second_factor(user) else None


@receiver(user_logged_in, dispatch_uid="second_factor_state")
def _remember_state(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    request.session[DEMO_KEY] = is_demo_account(user)
    if getattr(user, "backend", "") == SSO_BACKEND and settings.RATSINFO_OIDC_SECOND_FACTOR:
        request.session[SSO_KEY] = True
    elif has_confirmed_device(user):
        request.session[STATE_KEY] = PENDING


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed TOTP device being set up (kept, so that a reload shows the same secret)."""
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator-App", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth URL as an inline SVG (no image files, no JavaScript)."""
    return str(segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR-Code für die Authenticator-App"))


def secret_text(device: TOTPDevice) -> str:
    """The secret in groups of four, for typing it in by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _mark_verified(request: HttpRequest, device: Any) -> None:
    django_otp.login(request, device)
    request.session.pop(STATE_KEY, None)


@transaction.atomic
def new_recovery_codes(user: Any) -> list[str]:
    """Replace all recovery codes; each works once. Returned once, never stored in clear elsewhere."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name="Wiederherstellungscodes")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.RATSINFO_RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def confirm_setup(request: HttpRequest, token: str) -> list[str]:
    """Confirm the app with its first code; returns the new recovery codes."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=False).order_by("pk").first()
    if device is None or not device.verify_token(token):
        raise SecondFactorError("Der Code stimmt nicht. Bitte den aktuellen Code aus der App eingeben.")
    TOTPDevice.objects.filter(user_id=user.pk).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    _mark_verified(request, device)
    record_event(AuditKind.SECOND_FACTOR, request=request, detail="Authenticator-App eingerichtet")
    return new_recovery_codes(user)


def verify(request: HttpRequest, token: str) -> None:
    """Check a code from the app or a recovery code (which is used up)."""
    user = request.user
    code = "".join(token.split()).lower()
    for device in [*TOTPDevice.objects.filter(user_id=user.pk, confirmed=True), *StaticDevice.objects.filter(user_id=user.pk)]:
        if django_otp.verify_token(user, device.persistent_id, code) is not None:
            _mark_verified(request, device)
            if isinstance(device, StaticDevice):
                record_event(AuditKind.SECOND_FACTOR, request=request, detail="Wiederherstellungscode verwendet")
            return
    log.warning("Zweiter Faktor: falscher Code für Konto %r", user.get_username())
    record_event(AuditKind.SECOND_FACTOR, request=request, detail="Falscher oder verbrauchter Code")
    raise SecondFactorError("Der Code stimmt nicht oder wurde schon verwendet.")


@transaction.atomic
def disable(request: HttpRequest) -> None:
    """Members may switch the second factor off again; staff may not."""
    user = request.user
    if requires_second_factor(user):
        raise SecondFactorError("Für Ihre Rolle ist die Anmeldung mit zweitem Faktor vorgeschrieben.")
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    StaticDevice.objects.filter(user_id=user.pk).delete()
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    record_event(AuditKind.SECOND_FACTOR, request=request, detail="Zweiter Faktor ausgeschaltet")


def after_password_login(request: HttpRequest, target: str) -> str:
    """Where the login page sends a fresh session: to its code, to set one up (staff), or on."""
    step = "accounts:verify" if request.session.get(STATE_KEY) == PENDING else None
    if step is None and requires_second_factor(request.user):
        step = "accounts:setup"
    return f"{reverse(step)}?{urlencode({'next': target})}" if step else target


def mark_demo_account(user: Any) -> None:
    """Flag a printed demo account: password alone, no second factor, a "Demo-Konto" banner."""
    AccountSettings.objects.update_or_create(user=user, defaults={"demo_account": True})
