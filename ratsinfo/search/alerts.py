"""Search alerts: subscribe with double opt-in, a daily digest of new public matches, one-click
unsubscribe. Alerts only ever see what the public sees (the subscriber is not logged in)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ratsinfo.search.indexing import flush_all, last_document_id
from ratsinfo.search.models import Alert
from ratsinfo.search.service import Hit, search_new

DIGEST_INTERVAL = dt.timedelta(hours=23, minutes=30)  # "at most one a day", robust to cron jitter
MAX_LISTED = 50


class AlertError(Exception):
    """A German message for the visitor."""


def _absolute(path: str, base: str) -> str:
    return f"{(settings.PUBLIC_BASE_URL or base).rstrip('/')}{path}"


@transaction.atomic
def subscribe(email: str, query: str, base_url: str) -> Alert:
    """Create (or renew) an unconfirmed alert and mail the confirmation link."""
    if not query.strip():
        raise AlertError("Bitte geben Sie einen Suchbegriff an.")
    alert, _created = Alert.objects.get_or_create(email=email.lower(), query=query)
    if alert.confirmed_at is None:
        link = _absolute(f"/suche/abo/bestaetigen/{alert.token}/", base_url)
        body = render_to_string("search/confirm_email.txt", {"alert": alert, "link": link})
        transaction.on_commit(lambda: EmailMessage(
            f"Bitte bestätigen: Suchauftrag „{query}“", body, to=[alert.email]
        ).send())
    return alert


@transaction.atomic
def confirm(token: str) -> Alert | None:
    alert = Alert.objects.select_for_update().filter(token=token).first()
    if alert is not None and alert.confirmed_at is None:
        alert.confirmed_at = timezone.now()
        alert.last_document_id = last_document_id()  # report what is new from now on
        alert.save()
    return alert


@transaction.atomic
def unsubscribe(token: str) -> bool:
    deleted, _ = Alert.objects.filter(token=token).delete()
    return bool(deleted)


def send_digests(base_url: str = "", now: dt.datetime | None = None) -> int:
    """Mail each confirmed alert whose last digest is a day old its new public matches."""
    now = now or timezone.now()
    flush_all()  # a background job: bring changed texts into the index before reporting matches
    sent = 0
    for alert_id in Alert.objects.filter(confirmed_at__isnull=False).values_list("pk", flat=True):
        with transaction.atomic():
            alert = Alert.objects.select_for_update().get(pk=alert_id)
            if alert.last_sent_at is not None and now - alert.last_sent_at < DIGEST_INTERVAL:
                continue
            hits = search_new(alert.query, alert.last_document_id, MAX_LISTED)
            if not hits:
                continue
            _mail(alert, hits, base_url)
            alert.last_sent_at = now
            alert.last_document_id = max(h.id for h in hits)
            alert.save()
            sent += 1
    return sent


def _mail(alert: Alert, hits: list[Hit], base_url: str) -> None:
    unsubscribe_url = _absolute(f"/suche/abo/abbestellen/{alert.token}/", base_url)
    body = render_to_string("search/digest_email.txt", {
        "alert": alert, "hits": [(h, _absolute(h.url, base_url)) for h in hits], "unsubscribe": unsubscribe_url,
    })
    EmailMessage(
        f"Neu zu „{alert.query}“: {len(hits)} Treffer", body, to=[alert.email],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    ).send()
