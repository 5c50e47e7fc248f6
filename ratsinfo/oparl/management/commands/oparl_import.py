"""`ratsinfo oparl-import URL` / `ratsinfo oparl-import --from-dir DIR`: mirror an OParl body."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ratsinfo.oparl.importer.client import ClientConfig
from ratsinfo.oparl.importer.run import ImportFailed, ImportOptions, run_import


class Command(BaseCommand):
    help = (
        "Importiert eine Körperschaft von einem OParl-1.0/1.1-Server (URL des Systems oder der Body) "
        "oder aus einem Verzeichnis-Dump. Wiederholte Läufe holen nur Änderungen (modified_since); "
        "ein abgebrochener Lauf wird beim nächsten Aufruf fortgesetzt."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("url", nargs="?", help="OParl-System- oder Body-URL")
        parser.add_argument("--from-dir", metavar="DIR", help="aus einem Dump-Verzeichnis importieren")
        parser.add_argument("--dump", metavar="DIR", help="jede abgerufene Seite zusätzlich in DIR ablegen")
        parser.add_argument("--full", action="store_true", help="alles abrufen, nicht nur Änderungen")
        parser.add_argument("--retries", type=int, default=5, help="Wiederholungen je Abruf (Standard: 5)")
        parser.add_argument("--backoff", type=float, default=1.0, help="erste Wartezeit in s, verdoppelt sich")
        parser.add_argument("--timeout", type=float, default=60.0, help="Zeitlimit je Abruf in s")
        parser.add_argument("--delay", type=float, default=0.0, help="Pause zwischen Abrufen in s")
        parser.add_argument("--with-files", action="store_true",
                            help="auch den Inhalt jeder Datei laden (Größe und SHA-512 geprüft, Text im Hintergrund)")
        parser.add_argument("--connections", type=int, default=4,
                            help="gleichzeitige Abrufe beim Server höchstens (Standard: 4)")
        parser.add_argument("--no-progress", action="store_true", help="keinen Fortschrittsbalken zeigen")

    def handle(self, *args: Any, **o: Any) -> None:
        if bool(o["url"]) == bool(o["from_dir"]):
            raise CommandError("Bitte genau eines angeben: eine OParl-URL oder --from-dir VERZEICHNIS.")
        if o["from_dir"] and o["with_files"]:
            raise CommandError("--with-files geht nur beim Import von einer URL.")
        if o["from_dir"] and o["dump"]:
            raise CommandError("--dump geht nur beim Import von einer URL.")
        options = ImportOptions(
            url=o["url"], from_dir=o["from_dir"], dump_dir=o["dump"], full=o["full"], with_files=o["with_files"],
            progress=False if o["no_progress"] else None,
            client=ClientConfig(retries=o["retries"], backoff=o["backoff"], timeout=o["timeout"], delay=o["delay"],
                                connections=max(1, o["connections"])),
        )
        try:
            result = run_import(options)
        except ImportFailed as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(result.summary())
        if not result.complete:
            # cron and monitoring see an incomplete run by its exit status; the next run resumes
            raise CommandError(result.missing_line())
