"""`ratsinfo oparl-validate URL`: check any OParl 1.1 server against the spec and the official schema."""

from __future__ import annotations

import sys
from typing import Any

import orjson
from django.core.management.base import BaseCommand, CommandError

from ratsinfo.oparl.validate import (
    FetchConfig,
    SchemaMissing,
    ValidateOptions,
    ValidationAborted,
    validate_server,
)


class Command(BaseCommand):
    help = (
        "Prüft einen OParl-1.1-Server ab seinem System-Objekt gegen Spezifikation und offizielles Schema "
        "und berichtet je Typ und Regel. Exit-Status 0: keine Regel verletzt, 1: Regel verletzt, "
        "2: Aufruf- oder Verbindungsfehler."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("url", help="URL des OParl-System-Objekts")
        parser.add_argument("--json", action="store_true", help="Bericht als JSON ausgeben")
        parser.add_argument("--max-requests", type=int, default=1000, help="höchstens so viele Abrufe (Standard: 1000)")
        parser.add_argument("--max-pages", type=int, help="Seiten je Liste (Standard: halbes Budget / Listen)")
        parser.add_argument("--delay", type=float, default=0.2, help="Pause zwischen Abrufen in s (Standard: 0.2)")
        parser.add_argument("--timeout", type=float, default=30.0, help="Zeitlimit je Abruf in s")
        parser.add_argument("--sample", type=int, default=5, help="Objekte je Typ, deren id und Verweise abgerufen werden")
        parser.add_argument("--max-files", type=int, default=5, help="so viele Dateien herunterladen und prüfen")
        parser.add_argument("--max-file-bytes", type=int, default=20 * 2**20, help="größere Dateien nicht prüfen")
        parser.add_argument("--schema-dir", help="Verzeichnis mit den OParl-1.1-Schemadateien (System.json …)")

    def handle(self, *args: Any, **o: Any) -> None:
        if not o["url"].startswith(("http://", "https://")) or o["max_requests"] < 1:
            raise CommandError("Bitte eine http(s)-URL und --max-requests ≥ 1 angeben.", returncode=2)
        options = ValidateOptions(
            url=o["url"], schema_dir=o["schema_dir"], max_pages=o["max_pages"], sample=o["sample"],
            max_files=o["max_files"], max_file_bytes=o["max_file_bytes"],
            fetch=FetchConfig(max_requests=o["max_requests"], delay=max(0.0, o["delay"]), timeout=o["timeout"]),
        )
        try:
            report = validate_server(options)
        except (SchemaMissing, ValidationAborted) as exc:
            raise CommandError(str(exc), returncode=2) from exc
        if o["json"]:
            self.stdout.write(orjson.dumps(report.as_json(), option=orjson.OPT_INDENT_2).decode())
        else:
            self.stdout.write(report.as_text())
        if not report.ok:
            sys.exit(1)
