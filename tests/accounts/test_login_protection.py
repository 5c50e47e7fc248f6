"""Guessing passwords: after N failures an account and an address are locked for the cool-off,
without any password hashing, on the portal login and the admin login alike."""

from __future__ import annotations

import logging
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import base_user
from django.contrib.auth.models import User
from django.db.models import F
from django.test import Client

from ratsinfo.accounts.models import AuditEvent, AuditKind
from tests.accounts.conftest import login

pytestmark = pytest.mark.django_db

LIMIT = settings.AXES_FAILURE_LIMIT
ATTACKER = "198.51.100.66"


def _guess(client: Client, username: str, times: int, *, path: str = "/anmelden/") -> list[int]:
    return [login(client, username, "falsch", address=ATTACKER, path=path).status_code for _ in range(times)]


def test_wrong_passwords_lock_the_account_with_a_german_message(ratsherr: User, caplog: pytest.LogCaptureFixture) -> None:
    client = Client()
    with caplog.at_level(logging.WARNING, logger="ratsinfo.accounts"):
        statuses = _guess(client, "ratsherr", LIMIT)
    assert statuses[:-1] == [200] * (LIMIT - 1)  # the form again, with its error
    assert statuses[-1] == 429
    page = login(client, "ratsherr", "falsch", address=ATTACKER)
    assert page.status_code == 429
    text = page.content.decode()
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in text and text.count("<h1") == 1
    # One log line and one audit event per failed login (the refused one while locked too).
    assert sum("Anmeldung fehlgeschlagen" in r.getMessage() for r in caplog.records) == LIMIT + 1
    assert any("gesperrt" in r.getMessage() for r in caplog.records)
    assert AuditEvent.objects.filter(kind=AuditKind.LOGIN_FAILED, actor_name="ratsherr").count() == LIMIT + 1
    assert AuditEvent.objects.filter(kind=AuditKind.LOCKOUT, address=ATTACKER).exists()


def test_the_right_password_is_refused_while_locked_from_any_address(ratsherr: User) -> None:
    _guess(Client(), "ratsherr", LIMIT)
    owner = Client()
    response = login(owner, "ratsherr", address="203.0.113.5")
    assert response.status_code == 429
    assert "_auth_user_id" not in owner.session


def test_colleagues_behind_the_same_address_are_unaffected(ratsherr: User, sachbearbeiterin: User) -> None:
    _guess(Client(), "ratsherr", LIMIT)
    # The town hall's staff share one NAT address: one locked account does not lock them out.
    assert login(Client(), "sachbearbeitung", address=ATTACKER).status_code == 302
    assert login(Client(), "sachbearbeitung", address="203.0.113.5").status_code == 302


def test_password_spraying_from_one_address_locks_the_address(sachbearbeiterin: User) -> None:
    client = Client()
    statuses = [
        login(client, f"konto{i}", "falsch", address=ATTACKER).status_code
        for i in range(settings.RATSINFO_LOGIN_ADDRESS_FAILURE_LIMIT)
    ]
    assert statuses[-1] == 429 and statuses.count(429) == 1
    assert login(Client(), "sachbearbeitung", address=ATTACKER).status_code == 429
    assert login(Client(), "sachbearbeitung", address="203.0.113.5").status_code == 302


def test_the_lock_ends_after_the_cool_off(ratsherr: User) -> None:
    _guess(Client(), "ratsherr", LIMIT)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME)
    client = Client()
    assert login(client, "ratsherr", address=ATTACKER).status_code == 302
    assert client.session["_auth_user_id"] == str(ratsherr.pk)


def test_the_admin_login_is_protected_too(administrator: User) -> None:
    statuses = _guess(Client(), "admin", LIMIT, path="/verwaltung/admin/login/")
    assert statuses[-1] == 429
    assert login(Client(), "admin", address="203.0.113.9", path="/verwaltung/admin/login/").status_code == 429


def test_two_hundred_guesses_hash_only_until_the_lockout(ratsherr: User) -> None:
    client = Client()
    with mock.patch.object(base_user, "check_password", wraps=base_user.check_password) as hashing:
        statuses = _guess(client, "ratsherr", 200)
    assert hashing.call_count == LIMIT  # the 190 guesses after the lockout never reach a hasher
    assert statuses.count(429) == 200 - LIMIT + 1


def test_a_successful_login_is_logged_and_not_locked(ratsherr: User) -> None:
    client = Client()
    _ = [login(client, "ratsherr", "falsch", address="203.0.113.7") for _ in range(LIMIT - 1)]
    assert login(client, "ratsherr", address="203.0.113.7").status_code == 302
    event = AuditEvent.objects.filter(kind=AuditKind.LOGIN).get()
    assert (event.actor, event.address) == (ratsherr, "203.0.113.7")
