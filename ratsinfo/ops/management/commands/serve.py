"""`ratsinfo serve [--port N]`: migrate, then serve the application with gunicorn."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Führt ausstehende Migrationen aus und startet den Webserver (gunicorn)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=2, help="Prozesse (Standard: 2)")
        parser.add_argument("--threads", type=int, default=4, help="Threads je Prozess (Standard: 4)")

    def handle(self, *args: Any, port: int, host: str, workers: int, threads: int, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        from django.db import connections

        connections.close_all()  # gunicorn forks: no shared database connection
        from gunicorn.app.base import BaseApplication

        from ratsinfo.wsgi import application

        class Server(BaseApplication):  # type: ignore[misc]
            def load_config(self) -> None:
                self.cfg.set("bind", f"{host}:{port}")
                self.cfg.set("workers", workers)
                self.cfg.set("threads", threads)
                self.cfg.set("accesslog", "-")
                self.cfg.set("timeout", 120)

            def load(self) -> Any:
                return application

        self.stdout.write(f"ratsinfo läuft auf http://{host}:{port}/ (Strg+C beendet)")
        Server().run()
