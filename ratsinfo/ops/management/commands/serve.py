"""`ratsinfo serve [--port N]`: migrate, then serve the application with gunicorn.

Tuned with bench/load.py (200 clients, see bench/README.md): gthread workers (a thread waits for
the database while another computes), one process per core by default, and a keep-alive longer
than any client's or proxy's idle timeout, so it is always the client that closes an idle
connection: when the server closed first, a request the client sent at that moment was lost
(the ReadErrors of the first load runs). The accept backlog takes a burst of new connections.
"""

from __future__ import annotations

import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

KEEPALIVE_SECONDS = 75  # > httpx's 5 s, nginx's upstream 60 s, a browser's ~60 s idle
BACKLOG = 2048


class Command(BaseCommand):
    help = "Führt ausstehende Migrationen aus und startet den Webserver (gunicorn)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--workers", type=int, default=max(2, os.cpu_count() or 2),
                            help="Prozesse (Standard: Anzahl der Kerne, mindestens 2)")
        parser.add_argument("--threads", type=int, default=4, help="Threads je Prozess (Standard: 4)")
        parser.add_argument("--keep-alive", type=int, default=KEEPALIVE_SECONDS,
                            help=f"Sekunden, die eine ruhende Verbindung offen bleibt (Standard: {KEEPALIVE_SECONDS})")
        parser.add_argument("--no-access-log", action="store_true", help="keine Zeile je Anfrage ausgeben")

    def handle(self, *args: Any, port: int, host: str, workers: int, threads: int, keep_alive: int,
               no_access_log: bool, **options: Any) -> None:
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
                self.cfg.set("worker_class", "gthread")
                self.cfg.set("keepalive", keep_alive)
                self.cfg.set("backlog", BACKLOG)
                self.cfg.set("accesslog", None if no_access_log else "-")
                self.cfg.set("timeout", 120)  # a worker silent this long is restarted
                self.cfg.set("graceful_timeout", 30)
                # One machine may run several servers (tests, a staging copy): no shared control socket.
                self.cfg.set("control_socket_disable", True)

            def load(self) -> Any:
                return application

        self.stdout.write(f"ratsinfo läuft auf http://{host}:{port}/ (Strg+C beendet)")
        Server().run()
