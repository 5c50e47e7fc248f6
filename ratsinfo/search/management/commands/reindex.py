"""`ratsinfo reindex`: rebuild the search index from the database, with a progress bar."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand
from tqdm import tqdm

from ratsinfo.search.bulk import rebuild
from ratsinfo.search.indexing import count_sources, flush_all


class Command(BaseCommand):
    help = "Baut den Suchindex neu auf (alle Vorlagen, TOPs, Sitzungen, Gremien, Personen, Maßnahmen, Dateien)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--quiet", action="store_true", help="ohne Fortschrittsbalken")
        parser.add_argument(
            "--pending", action="store_true", help="nur die als geändert markierten Objekte nachführen (wie der Worker)"
        )

    def handle(self, *args: Any, quiet: bool = False, pending: bool = False, **options: Any) -> None:
        started = time.monotonic()
        if pending:
            done = flush_all()
            self.stdout.write(f"Suchindex nachgeführt: {done} geänderte Objekte in {time.monotonic() - started:.1f} s.")
            return
        total = sum(count_sources().values())
        with tqdm(total=total, unit=" Dok.", disable=quiet, file=self.stderr) as bar:
            done = rebuild(progress=bar.update)
        self.stdout.write(f"Suchindex neu aufgebaut: {done} Einträge in {time.monotonic() - started:.1f} s.")
