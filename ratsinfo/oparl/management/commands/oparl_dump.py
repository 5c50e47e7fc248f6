"""`ratsinfo oparl-dump URL DIR`: crawl an OParl server into a directory dump (no database)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ratsinfo.oparl.importer.client import ClientConfig
from ratsinfo.oparl.importer.run import ImportFailed, dump_only


class Command(BaseCommand):
    help = "Lädt alle Listen eines OParl-Servers seitenweise in ein Verzeichnis (für oparl-import --from-dir)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("url", help="OParl-System- oder Body-URL")
        parser.add_argument("directory", help="Zielverzeichnis")
        parser.add_argument("--retries", type=int, default=5)
        parser.add_argument("--delay", type=float, default=0.0, help="Pause zwischen Abrufen in s")

    def handle(self, *args: Any, url: str, directory: str, retries: int, delay: float, **o: Any) -> None:
        try:
            pages = dump_only(url, directory, ClientConfig(retries=retries, delay=delay))
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{pages} Seiten nach {directory} geschrieben.")
