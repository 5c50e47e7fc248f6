"""Personas and shared fixtures. Tests read like the domain: the Sitzungsdienst, a Ratsfrau
of the group, a citizen (anonymous)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.test import Client

from ratsinfo.bodies.models import Body


@pytest.fixture
def body(db: Any) -> Body:
    return Body.objects.create(name="Gemeinde Großenkneten", short_name="Großenkneten", ags="03458008")


def _user_with_nonpublic_access(username: str, group_name: str) -> User:
    group, _ = Group.objects.get_or_create(name=group_name)
    group.permissions.add(Permission.objects.get(codename="view_nonpublic", content_type__app_label="bodies"))
    user = User.objects.create_user(username=username, password="geheim-genug-123")
    user.groups.add(group)
    return user


@pytest.fixture
def sitzungsdienst(db: Any) -> User:
    """Staff of the council office: sees and edits everything."""
    user = _user_with_nonpublic_access("sitzungsdienst", "Sitzungsdienst")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def ratsfrau(db: Any) -> User:
    """A council member of the Gruppe Grüne – KA – Linke: sees non-public papers of the council."""
    return _user_with_nonpublic_access("ratsfrau", "Ratsmitglieder")


@pytest.fixture
def citizen_client() -> Client:
    """An anonymous visitor of the public portal."""
    return Client()


def login_with_second_factor(client: Client, user: User) -> Client:
    """Log `user` in as after password and app code (staff need both for /verwaltung/)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator-App", confirmed=True
    )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.pop("ratsinfo_second_factor", None)
    session.save()
    return client


@pytest.fixture
def staff_client(sitzungsdienst: User) -> Client:
    """Logged in with the password only: enough for the portal, not for /verwaltung/
    (use `login_with_second_factor` there)."""
    client = Client()
    client.force_login(sitzungsdienst)
    return client
