"""iCal (RFC 5545) and RSS/Atom subscriptions."""

from __future__ import annotations

import datetime as dt
from typing import Any
from xml.etree import ElementTree

import pytest
from django.test import Client
from icalendar import Calendar

pytestmark = pytest.mark.django_db


def events(client: Client, url: str) -> dict[str, Any]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    assert cal["VERSION"] == "2.0" and cal["PRODID"]
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_ical_of_all_meetings(world: Any, citizen_client: Client) -> None:
    found = events(citizen_client, "/ical/sitzungen.ics")
    committee = found["Sitzung des Jugend-, Ordnungs- und Sozialausschusses"]
    assert committee.decoded("DTSTART") == dt.datetime(
        2022, 10, 6, 15, 0, tzinfo=dt.UTC
    )  # 17:00 in Berlin
    assert committee.decoded("DTEND") == dt.datetime(2022, 10, 6, 17, 0, tzinfo=dt.UTC)
    assert "Rathaus Großenkneten" in str(committee["LOCATION"])
    assert str(committee["URL"]).endswith(world.committee.get_absolute_url())
    assert str(committee["UID"]).startswith(f"sitzung-{world.committee.pk}@")
    cancelled = found["ABGESAGT: Sitzung des Rates"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert len(found) == 3


def test_ical_per_body_and_per_meeting(world: Any, citizen_client: Client) -> None:
    assert list(events(citizen_client, f"/ical/gremien/{world.va.slug}.ics")) == [
        "Sitzung des Verwaltungsausschusses"
    ]
    assert list(events(citizen_client, f"/sitzungen/{world.committee.pk}/sitzung.ics")) == [
        "Sitzung des Jugend-, Ordnungs- und Sozialausschusses"
    ]
    assert citizen_client.get("/ical/gremien/gibt-es-nicht.ics").status_code == 404


def test_subscription_page_links_every_feed(world: Any, citizen_client: Client) -> None:
    page = citizen_client.get("/ical/").content.decode()
    for url in [
        "/ical/sitzungen.ics",
        f"/ical/gremien/{world.jos.slug}.ics",
        "/feeds/vorlagen.rss",
        "/feeds/beschluesse.atom",
    ]:
        assert f'href="{url}"' in page


def test_rss_of_new_papers(world: Any, citizen_client: Client) -> None:
    response = citizen_client.get("/feeds/vorlagen.rss")
    root = ElementTree.fromstring(response.content)
    titles = [item.findtext("title") for item in root.iter("item")]
    assert titles[0] == "ÄA/0001/2021-2026: Änderungsantrag zum Integrationskonzept"
    assert (
        "BV/0240/2021-2026: Antrag der Gruppe Grüne - KA - Linke auf Erstellung eines Integrationskonzeptes"
        in titles
    )
    assert len(titles) == 3


def test_atom_of_decisions(world: Any, citizen_client: Client) -> None:
    response = citizen_client.get("/feeds/beschluesse.atom")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ElementTree.fromstring(response.content)
    entries = root.findall("a:entry", ns)
    titles = [e.findtext("a:title", namespaces=ns) for e in entries]
    assert (
        "Ö 5 Antrag der Gruppe Grüne - KA - Linke auf Erstellung eines Integrationskonzeptes: mehrheitlich beschlossen"
        in titles
    )
    summary = entries[titles.index(next(t for t in titles if t and t.startswith("Ö 5")))].findtext(
        "a:summary", namespaces=ns
    )
    assert "Ja 7, Nein 2, Enthaltungen 0" in summary and "BV/0240/2021-2026" in summary
