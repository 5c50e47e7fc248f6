"""Subscriptions: iCal (RFC 5545) of meetings, RSS/Atom of new Vorlagen and decisions.

Feeds are fetched by calendar and feed readers without a session and may be cached on the
way, so they always show what an anonymous visitor may see, whoever requests them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from icalendar import Calendar, Event, vText

from ratsinfo.bodies.models import COUNCIL_BODY_KINDS, Organization
from ratsinfo.lib.access import PUBLIC
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.papers.models import Paper
from ratsinfo.portal import queries

ANONYMOUS = PUBLIC  # feeds and iCal are always public, also for staff
ICAL_PAST_LIMIT = 500  # past meetings in a feed: enough history, bounded size
ICAL_CACHE_SECONDS = 600


def _base_url(request: HttpRequest) -> str:
    return settings.PUBLIC_BASE_URL or request.build_absolute_uri("/").rstrip("/")


# --- iCal ---------------------------------------------------------------------------------


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//ratsinfo//Sitzungskalender//DE")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Berlin")
    return cal


def _event(meeting: Meeting, base: str, host: str) -> Event:
    event = Event()
    event.add("uid", f"sitzung-{meeting.pk}@{host}")
    event.add("dtstamp", meeting.modified.astimezone(dt.UTC))
    start = meeting.start.astimezone(dt.UTC) if meeting.start else None
    event.add("dtstart", start)
    end = (
        meeting.end.astimezone(dt.UTC)
        if meeting.end
        else (start + dt.timedelta(hours=2) if start else None)
    )
    if end is not None:
        event.add("dtend", end)
    bodies = ", ".join(o.name for o in meeting.organizations.all())
    summary = meeting.name if not meeting.cancelled else f"ABGESAGT: {meeting.name}"
    event.add("summary", summary)
    if meeting.location is not None:
        event.add("location", vText(str(meeting.location)))
    url = base + meeting.get_absolute_url()
    event.add("url", url)
    description = [bodies] if bodies else []
    if meeting.cancelled:
        description.append("Die Sitzung ist abgesagt.")
    description.append(f"Tagesordnung und Unterlagen: {url}")
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if meeting.cancelled else "CONFIRMED")
    event.add("last-modified", meeting.modified.astimezone(dt.UTC))
    return event


def _ical_response(
    request: HttpRequest, name: str, meetings: list[Meeting], filename: str
) -> HttpResponse:
    base = _base_url(request)
    host = base.split("://", 1)[-1].split("/", 1)[0] or "ratsinfo"
    cal = _calendar(name)
    for meeting in meetings:
        if meeting.start is not None:
            cal.add_component(_event(meeting, base, host))
    return _calendar_response(cal.to_ical(), filename)


def _calendar_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _feed_meetings(organization: Organization | None = None) -> list[Meeting]:
    qs = _feed_queryset(organization)
    now = queries.start_of_today()
    upcoming = list(qs.filter(start__gte=now).order_by("start", "pk")[:1000])
    past = list(qs.filter(start__lt=now).order_by("-start", "-pk")[:ICAL_PAST_LIMIT])
    return list(reversed(past)) + upcoming


def _feed_queryset(organization: Organization | None) -> QuerySet[Meeting]:
    qs = queries.meetings_for_list(ANONYMOUS).filter(start__isnull=False)
    if organization is not None:
        qs = queries.meetings_of(qs, organization)
    return qs


def _digest(parts: Any) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def _cached_feed(
    request: HttpRequest, organization: Organization | None, name: str, filename: str
) -> HttpResponse:
    """Calendar clients poll every few minutes; the feed is rebuilt only when a meeting changed
    (agenda items and files touch their meeting's `modified`), the day changed, or after ten
    minutes (a renamed place or body)."""
    version = _feed_queryset(organization).aggregate(latest=Max("modified"), n=Count("pk"))
    key = "ical:" + _digest(
        str(part)
        for part in (
            organization.pk if organization else 0,
            timezone.localdate(),
            version["latest"],
            version["n"],
            _base_url(request),
        )
    )
    body = cache.get(key)
    if body is None:
        response = _ical_response(request, name, _feed_meetings(organization), filename)
        cache.set(key, response.content, ICAL_CACHE_SECONDS)
        return response
    return _calendar_response(body, filename)


def ical_all(request: HttpRequest) -> HttpResponse:
    return _cached_feed(request, None, "Sitzungen", "sitzungen.ics")


def ical_organization(request: HttpRequest, slug: str) -> HttpResponse:
    org = get_object_or_404(Organization.objects.visible_to(ANONYMOUS), slug=slug)
    return _cached_feed(request, org, f"Sitzungen: {org.name}", f"{org.slug}.ics")


def ical_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(queries.meetings_for_list(ANONYMOUS), pk=pk)
    return _ical_response(request, meeting.name, [meeting], f"sitzung-{meeting.pk}.ics")


def subscriptions(request: HttpRequest) -> HttpResponse:
    bodies = list(
        Organization.objects.visible_to(ANONYMOUS)
        .filter(kind__in=COUNCIL_BODY_KINDS)
        .order_by("name")
        .only("name", "slug")
    )
    return render(request, "portal/subscriptions.html", {"bodies": bodies})


# --- RSS / Atom ---------------------------------------------------------------------------


class PaperFeed(Feed):
    title = "Neue Vorlagen"
    description = "Neu veröffentlichte Vorlagen des Ratsinformationssystems"
    language = "de"

    def link(self) -> str:
        return reverse("portal:papers")

    def items(self) -> list[Paper]:
        return list(queries.papers_for_list(ANONYMOUS).order_by("-date", "-pk")[:50])

    def item_title(self, item: Paper) -> str:
        return f"{item.reference}: {item.name}" if item.reference else item.name

    def item_description(self, item: Paper) -> str:
        parts = [item.get_paper_type_display() or "Vorlage"]
        if item.date:
            parts.append(f"vom {item.date:%d.%m.%Y}")
        in_charge = ", ".join(o.name for o in item.under_direction_of.all())
        if in_charge:
            parts.append(f"(federführend: {in_charge})")
        return " ".join(parts)

    def item_pubdate(self, item: Paper) -> dt.datetime | None:
        if item.date is None:
            return item.created
        return timezone.make_aware(dt.datetime.combine(item.date, dt.time(12)))

    def item_updateddate(self, item: Paper) -> dt.datetime:
        return item.modified

    def item_guid(self, item: Paper) -> str:
        return f"vorlage-{item.pk}"

    item_guid_is_permalink = False


class PaperAtomFeed(PaperFeed):
    feed_type = Atom1Feed
    subtitle = PaperFeed.description


class DecisionFeed(Feed):
    title = "Beschlüsse"
    description = "Ergebnisse der öffentlichen Tagesordnungspunkte"
    language = "de"

    def link(self) -> str:
        return reverse("portal:meetings") + "?zeit=vergangen"

    def items(self) -> list[AgendaItem]:
        return queries.recent_decisions(ANONYMOUS, limit=50)

    def item_title(self, item: AgendaItem) -> str:
        return f"{item.number} {item.name}: {item.result}".strip()

    def item_description(self, item: AgendaItem) -> str:
        start = timezone.localtime(item.meeting.start) if item.meeting.start else None
        parts = [f"{item.meeting.name}" + (f" am {start:%d.%m.%Y}" if start else "")]
        parts.append(f"Ergebnis: {item.result}")
        if item.has_votes:
            parts.append(item.vote_summary)
        if item.resolution_text:
            parts.append(item.resolution_text)
        paper = getattr(item, "paper", None)
        if paper is not None:
            parts.append(f"Vorlage {paper.reference}: {paper.name}")
        return "\n\n".join(parts)

    def item_link(self, item: AgendaItem) -> str:
        return f"{item.meeting.get_absolute_url()}#top-{item.pk}"

    def item_pubdate(self, item: AgendaItem) -> dt.datetime | None:
        return item.meeting.start

    def item_guid(self, item: AgendaItem) -> str:
        return f"beschluss-{item.pk}"

    item_guid_is_permalink = False


class DecisionAtomFeed(DecisionFeed):
    feed_type = Atom1Feed
    subtitle = DecisionFeed.description
