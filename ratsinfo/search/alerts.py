"""Search alerts: a daily digest of new matches, at most one e-mail a day, one-click unsubscribe.

A visitor subscribes an address with double opt-in and only ever gets public matches. A member
subscribes from Mein Ratsinfo without opt-in: the mail goes to the account's own address (set by
the administration or the municipality's identity provider, not typed into a form) and only the
logged-in owner can subscribe it, so nobody can sign up someone else's address — what double
opt-in guards against. A member's digest covers what the account may see on the day of sending
(`viewer_for(user)` then, not when subscribing): who left a Gremium no longer gets its
non-public matches; a deactivated account gets nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ratsinfo.bodies.access import viewer_for
from ratsinfo.lib.access import PUBLIC
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
    alert, _created = Alert.objects.get_or_create(email=email.lower(), query=query, user=None)
    if alert.confirmed_at is None:
        link = _absolute(f"/suche/abo/bestaetigen/{alert.token}/", base_url)
        body = render_to_string("search/confirm_email.txt", {"alert": alert, "link": link})
        transaction.on_commit(lambda: EmailMessage(
            f"Bitte bestätigen: Suchauftrag „{query}“", body, to=[alert.email]
        ).send())
    return alert


@transaction.atomic
def subscribe_member(user: User, query: str) -> Alert:
    """A member's alert, active at once (see the module doc); the same search twice is one alert."""
    query = query.strip()
    if not query:
        raise AlertError("Bitte geben Sie einen Suchbegriff an.")
    if not user.email:
        raise AlertError("Ihr Konto hat keine E-Mail-Adresse; bitte wenden Sie sich an den Sitzungsdienst.")
    alert, _created = Alert.objects.get_or_create(
        user=user, query=query, defaults={"confirmed_at": timezone.now(), "last_document_id": last_document_id()}
    )
    return alert


def alerts_of(user: User) -> list[Alert]:
    return list(Alert.objects.filter(user=user).order_by("query", "pk"))


@transaction.atomic
def unsubscribe_member(user: User, alert_id: int) -> bool:
    deleted, _ = Alert.objects.filter(user=user, pk=alert_id).delete()
    return bool(deleted)


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
            alert = Alert.objects.select_for_update(of=("self",)).select_related("user").get(pk=alert_id)
            if alert.last_sent_at is not None and now - alert.last_sent_at < DIGEST_INTERVAL:
                continue
            recipient = alert.email if alert.user is None else alert.user.email
            if not recipient or (alert.user is not None and not alert.user.is_active):
                continue
            viewer = PUBLIC if alert.user is None else viewer_for(alert.user)  # evaluated now
            hits = search_new(alert.query, alert.last_document_id, MAX_LISTED, viewer)
            if not hits:
                continue
            _mail(alert, recipient, hits, base_url)
            alert.last_sent_at = now
            alert.last_document_id = max(h.id for h in hits)
            alert.save()
            sent += 1
    return sent


def _mail(alert: Alert, recipient: str, hits: list[Hit], base_url: str) -> None:
    unsubscribe_url = _absolute(f"/suche/abo/abbestellen/{alert.token}/", base_url)
    body = render_to_string("search/digest_email.txt", {
        "alert": alert, "hits": [(h, _absolute(h.url, base_url)) for h in hits], "unsubscribe": unsubscribe_url,
        "member": alert.user_id is not None,
    })
    EmailMessage(
        f"Neu zu „{alert.query}“: {len(hits)} Treffer", body, to=[recipient],
        headers={"List-Unsubscribe": f"<{unsubscribe_url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    ).send()
