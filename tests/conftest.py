"""Personas and shared fixtures. Tests read like the domain: the Sitzungsdienst, a Ratsfrau
of the group, a citizen (anonymous). Roles are the groups the data migration creates
(ratsinfo/bodies/roles.py); what a member sees follows from their memberships."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from ratsinfo.bodies.access import viewer_for
from ratsinfo.bodies.models import Body, Membership, Organization, Person
from ratsinfo.bodies.roles import RATSMITGLIED, SITZUNGSDIENST
from ratsinfo.lib.access import Viewer


def account(username: str, role: str | None = None, *, staff: bool = False, body: Body | None = None) -> User:
    """An account with a role (group) and, given a Gemeinde, the person behind it."""
    user = User.objects.create_user(username=username, password="geheim-genug-123", is_staff=staff)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if body is not None:
        Person.objects.create(body=body, name=username.title(), family_name=username.title(), user=user)
    return user


def join(user: User, organization: Organization, **fields: Any) -> Membership:
    """Make the person behind `user` a member of `organization` (from 2021-11-01 unless given)."""
    person = Person.objects.get(user=user)
    fields.setdefault("start_date", date(2021, 11, 1))
    return Membership.objects.create(person=person, organization=organization, **fields)


def viewer(user: Any) -> Viewer:
    return viewer_for(user)


@pytest.fixture
def body(db: Any) -> Body:
    return Body.objects.create(name="Gemeinde Großenkneten", short_name="Großenkneten", ags="03458008")


@pytest.fixture
def sitzungsdienst(db: Any) -> User:
    """Staff of the council office: sees and edits everything."""
    return account("sitzungsdienst", SITZUNGSDIENST, staff=True)


@pytest.fixture
def ratsfrau(body: Body) -> User:
    """A council member of the Gruppe Grüne – KA – Linke; what she sees follows from her memberships
    (none until a test gives her some with `join`)."""
    return account("ratsfrau", RATSMITGLIED, body=body)


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


@pytest.fixture(autouse=True, scope="session")
def _file_storage(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Stored file contents go to a temporary directory, never into the working copy's var/."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _search_helpers_closed() -> Iterator[None]:
    """The search's helper connections (PostgreSQL, search/beside.py) closed after each test: the
    test database cannot be dropped while they are open."""
    yield
    from ratsinfo.search import beside

    beside.close_all()


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
