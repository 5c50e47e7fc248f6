"""`ratsinfo send-member-notifications`: send the members' due e-mails (run every few minutes; digests go daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ratsinfo.members.notifications import send_member_notifications


class Command(BaseCommand):
    help = "Versendet fällige Benachrichtigungen an Mitglieder (Einzelmails sofort, Sammelmails täglich)."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_member_notifications()
        self.stdout.write(f"{sent} E-Mail(s) versendet.")
