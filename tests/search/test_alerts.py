"""Search alerts: double opt-in, at most one digest a day with new public matches only,
one-click unsubscribe without login (List-Unsubscribe), and the Atom feed per search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ratsinfo.bodies.models import Body
from ratsinfo.papers.models import Paper, PaperState
from ratsinfo.search.alerts import send_digests
from ratsinfo.search.indexing import flush_all
from ratsinfo.search.models import Alert


def _paper(body: Body, name: str, **fields: Any) -> Paper:
    fields.setdefault("state", PaperState.FREIGEGEBEN)
    paper = Paper.objects.create(body=body, name=name, **fields)
    flush_all()
    return paper


def _subscribe(client: Client, django_capture_on_commit_callbacks: Any) -> Alert:
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/suche/abo/", {"email": "Anwohnerin@example.org", "q": "Windenergie"})
    assert "Link zur Bestätigung" in page.content.decode()
    return Alert.objects.get()


def test_nothing_is_sent_before_the_address_is_confirmed(
    body: Body, citizen_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    alert = _subscribe(citizen_client, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and f"/suche/abo/bestaetigen/{alert.token}/" in mail.outbox[0].body
    _paper(body, "Windenergie im Außenbereich")
    assert send_digests() == 0 and len(mail.outbox) == 1


def test_a_confirmed_alert_gets_one_digest_a_day_with_new_public_matches(
    body: Body, citizen_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _paper(body, "Windenergie: alter Beschluss")  # older than the subscription: not reported
    alert = _subscribe(citizen_client, django_capture_on_commit_callbacks)
    assert citizen_client.get(f"/suche/abo/bestaetigen/{alert.token}/").status_code == 200
    _paper(body, "Windenergieanlagen am Ahlhorner Forst")
    _paper(body, "Windenergie: nichtöffentliche Grundstücksfragen", public=False)
    _paper(body, "Windenergie: Entwurf", state=PaperState.ENTWURF)
    mail.outbox.clear()
    call_command("send_alerts")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Windenergieanlagen am Ahlhorner Forst" in message.body
    assert "alter Beschluss" not in message.body and "Grundstücksfragen" not in message.body
    assert "Entwurf" not in message.body
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver/suche/abo/abbestellen/{alert.token}/>" or (
        message.extra_headers["List-Unsubscribe"].endswith(f"/suche/abo/abbestellen/{alert.token}/>")
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    _paper(body, "Windenergie: zweiter neuer Beschluss")
    assert send_digests() == 0  # the same day: nothing
    assert send_digests(now=timezone.now() + dt.timedelta(days=1)) == 1
    assert "zweiter neuer Beschluss" in mail.outbox[-1].body and "Ahlhorner Forst" not in mail.outbox[-1].body


def test_one_click_unsubscribe_without_login(
    body: Body, citizen_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    alert = _subscribe(citizen_client, django_capture_on_commit_callbacks)
    url = f"/suche/abo/abbestellen/{alert.token}/"
    assert citizen_client.get(url).status_code == 200 and Alert.objects.exists()  # a link preview deletes nothing
    Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert not Alert.objects.exists()
    assert citizen_client.get("/suche/abo/bestaetigen/unbekannt/").status_code == 404


def test_the_feed_lists_public_matches_newest_first(body: Body, citizen_client: Client) -> None:
    _paper(body, "Windenergie Teil 1", date=dt.date(2025, 1, 5))
    _paper(body, "Windenergie Teil 2", date=dt.date(2025, 3, 5))
    _paper(body, "Windenergie geheim", date=dt.date(2025, 4, 5), public=False)
    feed = citizen_client.get("/suche/feed/", {"q": "Windenergie"}).content.decode()
    assert feed.index("Teil 2") < feed.index("Teil 1") and "geheim" not in feed
