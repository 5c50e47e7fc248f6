"""Site-wide guards."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_pending_migrations() -> None:
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=StringIO())
    except SystemExit as exc:  # pragma: no cover - the failure path
        pytest.fail(f"Fehlende Migrationen:\n{out.getvalue()}")
        raise exc


def test_system_checks_pass() -> None:
    call_command("check", fail_level="WARNING")


