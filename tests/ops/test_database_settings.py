"""How ratsinfo talks to its database."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_plans_are_not_jit_compiled(db: Any) -> None:
    # JIT compiled a search's plan for 600 ms to run it in 26 ms (bench/search.py).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_runs_in_wal_mode_with_foreign_keys(db: Any) -> None:
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
