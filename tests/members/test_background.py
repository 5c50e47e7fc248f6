"""The background side: a Sitzungsmappe queued for the worker, and the notification command."""

from __future__ import annotations

from io import StringIO

from django.contrib.auth.models import User
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from ratsinfo.members.models import Bundle
from ratsinfo.members.services import settings_of
from tests.members.conftest import Council, invite, logged_in

QUEUED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def test_a_mappe_not_built_yet_says_so_and_is_queued_once(member: User, council: Council) -> None:
    client = logged_in(member)
    with override_settings(TASKS=QUEUED):
        from django_tasks import default_task_backend

        waiting = client.get(f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/mappe.pdf")
        assert waiting.status_code == 202
        assert "wird gerade erstellt" in waiting.content.decode()
        client.get(f"/mein-ratsinfo/sitzungen/{council.jos_meeting.pk}/mappe/")
        assert len(default_task_backend.results) == 1  # type: ignore[attr-defined]
    assert not Bundle.objects.exists()


def test_the_command_sends_what_is_due(member: User, council: Council) -> None:
    settings_of(member)
    invite(council.jos_later)
    out = StringIO()
    call_command("send_member_notifications", stdout=out)
    assert out.getvalue().strip() == "1 E-Mail(s) versendet."
    assert mail.outbox[0].subject == "Einladung: 13. Sitzung des JOS"
