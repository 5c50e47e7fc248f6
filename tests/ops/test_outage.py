"""Outages an operator expects (database restart, full disk) answer a German 503, never a traceback;
a read that writes on the side goes on when the disk is full. (In real subprocesses with a real
full disk and a real database restart: tests/hardening/test_faults.py.)"""

from __future__ import annotations

from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.models import User
from django.db import OperationalError
from django.test import Client, override_settings

from ratsinfo.ops import migrations_state
from ratsinfo.ops.outage import classify
from tests.members.conftest import council, member

__all__ = ["council", "member"]

pytestmark = pytest.mark.django_db


@override_settings(ROOT_URLCONF="tests.ops.outage_urls")
def test_a_full_disk_answers_speicher_voll_with_503() -> None:
    response = Client().get("/test-ausfall/voll")
    assert response.status_code == 503 and response["Retry-After"].isdigit()
    page = response.content.decode()
    assert "<h1>Speicher voll</h1>" in page and 'lang="de"' in page and "Traceback" not in page


@override_settings(ROOT_URLCONF="tests.ops.outage_urls")
def test_an_unreachable_database_answers_503_not_500() -> None:
    response = Client().get("/test-ausfall/weg")
    assert response.status_code == 503
    assert "Vorübergehend nicht erreichbar" in response.content.decode()
    assert "default-src 'none'" in response["Content-Security-Policy"]  # the usual headers all the same


@override_settings(ROOT_URLCONF="tests.ops.outage_urls")
def test_a_defect_stays_a_500() -> None:
    response = Client(raise_request_exception=False).get("/test-ausfall/defekt")
    assert response.status_code == 500 and "Technischer Fehler" in response.content.decode()


@override_settings(ROOT_URLCONF="tests.ops.outage_urls")
def test_an_outage_met_in_a_middleware_answers_503(ratsfrau: User) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(ratsfrau)
    gone = OperationalError("server closed the connection unexpectedly")
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=gone):
        response = client.get("/vorlagen/")
    assert response.status_code == 503 and "Vorübergehend nicht erreichbar" in response.content.decode()


def test_mein_ratsinfo_opens_when_the_visit_cannot_be_noted(member: User) -> None:
    client = Client()
    client.force_login(member)
    assert client.get("/mein-ratsinfo/").status_code == 200  # the first visit is noted
    full = OperationalError("database or disk is full")
    with mock.patch("ratsinfo.members.services._note_visit", side_effect=full):
        assert client.get("/mein-ratsinfo/").status_code == 200
    busy = OperationalError("no such table: members_lastvisit")
    with mock.patch("ratsinfo.members.services._note_visit", side_effect=busy), pytest.raises(OperationalError):
        client.get("/mein-ratsinfo/")  # anything but a full disk is still an error


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (OSError(28, "No space left on device"), "storage_full"),
        (OperationalError("database or disk is full"), "storage_full"),
        (OperationalError("disk I/O error"), "storage_full"),
        (OperationalError("database is locked"), "database_unavailable"),
        (OperationalError("unable to open database file"), "database_unavailable"),
        (OperationalError("terminating connection due to administrator command"), "database_unavailable"),
        (OperationalError("no such table: x"), None),
        (ValueError("connection"), None),
    ],
)
def test_outages_are_told_from_defects(error: BaseException, kind: str | None) -> None:
    assert classify(error) == kind


def test_readyz_loads_the_migration_graph_only_until_the_schema_is_current(monkeypatch: Any) -> None:
    monkeypatch.setattr(migrations_state, "_current", set())
    calls: list[str] = []
    pending = [["ops.0009_neu"], []]

    def fake_pending(alias: str = "default") -> list[str]:
        calls.append(alias)
        return pending.pop(0) if pending else []

    monkeypatch.setattr(migrations_state, "pending_migrations", fake_pending)
    assert migrations_state.schema_is_current() is False
    assert migrations_state.schema_is_current() is True
    for _ in range(5):
        assert migrations_state.schema_is_current() is True
    assert len(calls) == 2
