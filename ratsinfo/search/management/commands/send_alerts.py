"""`ratsinfo send-alerts`: mail the daily digests of confirmed search alerts (run by cron or often)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ratsinfo.search.alerts import send_digests


class Command(BaseCommand):
    help = "Verschickt fällige Suchaufträge (höchstens eine E-Mail je Auftrag und Tag)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--base-url", default="", help="Adresse der Seite für Links (sonst RATSINFO_PUBLIC_BASE_URL)")

    def handle(self, *args: Any, base_url: str = "", **options: Any) -> None:
        sent = send_digests(base_url)
        self.stdout.write(f"{sent} Benachrichtigung(en) verschickt.")
