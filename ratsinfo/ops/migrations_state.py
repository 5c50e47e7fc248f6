"""Whether the database schema is current: for commands that need it and for /readyz."""

from __future__ import annotations

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def pending_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[str]:
    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


_current: set[str] = set()  # aliases found current by this process


def schema_is_current(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """For /readyz, probed every few seconds: the migration graph is loaded only until the schema is
    found current. New migrations come with new code, i.e. a new process, so the answer holds."""
    if alias not in _current and not pending_migrations(alias):
        _current.add(alias)
    return alias in _current


def migrate_if_needed() -> int:
    """Run the pending migrations (none on a current database); returns how many ran."""
    pending = pending_migrations()
    if pending:
        call_command("migrate", interactive=False, verbosity=0)
    return len(pending)
