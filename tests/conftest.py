"""Personas and shared fixtures. Tests read like the domain: the Sitzungsdienst, a Ratsfrau
of the group, a citizen (anonymous)."""

from __future__ import annotations

from collections.abc import Iterator
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


@pytest.fixture
def staff_client(sitzungsdienst: User) -> Client:
    client = Client()
    client.force_login(sitzungsdienst)
    return client


@pytest.fixture(autouse=True, scope="session")
def _file_storage(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Stored file contents go to a temporary directory, never into the working copy's var/."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="module")
def demo_db(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Body]:
    """One demo Gemeinde for the read-only tests of a module, rolled back at its end."""
    from django.db import transaction

    from ratsinfo.corpus.demo import build_demo

    with django_db_blocker.unblock(), transaction.atomic():
        body = build_demo()
        yield body
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_db: Body, db: Any) -> Body:
    return demo_db
