"""Personas of the accounts tests: staff and council members with the roles' real group names."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ratsinfo.accounts import roles
from ratsinfo.accounts.models import AccountSettings

PASSWORD = "geheim-genug-123"


def account(username: str, *groups: str, demo: bool = False) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    if demo:
        AccountSettings.objects.create(user=user, demo_account=True)
    return user


def current_code(user: User, *, confirmed: bool | None = None, later: int = 0) -> str:
    """What the person's authenticator app shows now (or `later` steps of 30 s on: a code is
    accepted once, and the next login within the same 30 s needs the next one)."""
    qs = TOTPDevice.objects.filter(user=user)
    device = (qs if confirmed is None else qs.filter(confirmed=confirmed)).get()
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift + later):06d}"


def login(client: Client, username: str, password: str = PASSWORD, *, address: str = "192.0.2.10", path: str = "/anmelden/") -> Any:
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.fixture
def sachbearbeiterin(db: Any) -> User:
    """Staff of a Fachbereich: two-factor login is required for her."""
    return account("sachbearbeitung", roles.SACHBEARBEITUNG)


@pytest.fixture
def administrator(db: Any) -> User:
    user = account("admin", roles.ADMINISTRATOR)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def ratsherr(db: Any) -> User:
    """A council member: second factor optional."""
    return account("ratsherr", roles.RATSMITGLIED)
