"""`ratsinfo demo`: create (or rebuild) the demo database with the Gemeinde Großenkneten.

SQLite file databases are deleted and migrated afresh (an old or broken schema cannot get in
the way); other databases (PostgreSQL from DATABASE_URL, in-memory test databases) are
migrated and flushed. Everything in the database is replaced – it is a demo database.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections


def _sqlite_file(alias: str = DEFAULT_DB_ALIAS) -> Path | None:
    connection = connections[alias]
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    if name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    return Path(name)


def reset_database() -> None:
    path = _sqlite_file()
    if path is not None:
        connections[DEFAULT_DB_ALIAS].close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
    else:
        call_command("migrate", interactive=False, verbosity=0)
        connection = connections[DEFAULT_DB_ALIAS]
        # Inside a transaction (tests) PostgreSQL refuses TRUNCATE while deferred foreign-key
        # checks are pending: run them now.
        deferred = connection.vendor == "postgresql" and connection.in_atomic_block
        if deferred:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        call_command("flush", interactive=False, verbosity=0)
        if deferred:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")


class Command(BaseCommand):
    help = "Legt die Demo-Datenbank (Gemeinde Großenkneten) an oder baut sie neu auf."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000, help="Port für den Hinweis auf die Adresse")

    def handle(self, *args: Any, port: int, **options: Any) -> None:
        from ratsinfo.bodies.models import Organization, Person
        from ratsinfo.corpus.demo import DEMO_USERS, build_demo
        from ratsinfo.files.models import File
        from ratsinfo.meetings.models import AgendaItem, Meeting
        from ratsinfo.papers.models import Paper

        started = time.monotonic()
        reset_database()
        body = build_demo()
        call_command("reindex", "--quiet")  # the demo is bulk-written: build the search index once
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Demo-Gemeinde „{body.name}“ angelegt in {seconds:.1f} s: "
            f"{Organization.objects.filter(body=body).count()} Gremien, "
            f"{Person.objects.filter(body=body).count()} Personen, "
            f"{Paper.objects.filter(body=body).count()} Vorlagen, "
            f"{Meeting.objects.count()} Sitzungen, {AgendaItem.objects.count()} Tagesordnungspunkte, "
            f"{File.objects.filter(body=body).count()} Dateien."
        )
        self.stdout.write(f"\nStarten mit `ratsinfo serve --port {port}`, dann http://127.0.0.1:{port}/ öffnen.")
        self.stdout.write("Anmeldung unter /anmelden/ mit:")
        for user in DEMO_USERS:
            self.stdout.write(f"  {user.username:<20} Passwort: {user.password:<26} {user.description}")
