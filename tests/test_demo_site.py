"""Site-wide guards on the demo municipality, as each audience follows every link.

- nothing reaches a visitor outside its audience: no title, reference, file name or resolution text
  of a Vorlage, TOP or Datei that visitor may not see, on any page, feed, calendar, export or OParl
  object — checked as a citizen (anonymous), as the hinzugewähltes Mitglied of only one committee,
  as the Ratsfrau (Rat and JOS, not the VA) and as the Ratsherr (Rat and VA);
- every HTML page has exactly one h1 and answers without a server error.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client

from ratsinfo.bodies.access import viewer_for
from ratsinfo.corpus.demo import build_demo
from ratsinfo.files.models import File
from ratsinfo.lib.access import PUBLIC, Viewer
from ratsinfo.meetings.models import AgendaItem
from ratsinfo.papers.models import Paper

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

START = ["/", "/sitzungen/", "/vorlagen/", "/gremien/", "/personen/", "/massnahmen/", "/ical/",
         "/barrierefreiheit/", "/suche/?q=Antrag", "/oparl/v1.1/", "/gemeinden/"]
SKIP = ("/verwaltung/", "/anmelden/", "/abmelden/", "/static/")
MAX_PAGES = 900
HREF = re.compile(r"""(?:href|src)="([^"#]+)""")
OPARL_URL = re.compile(r'"(http://testserver/oparl/[^"]+)"')


@pytest.fixture(scope="module")
def demo_db(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """One demo for the crawls of this module, rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo()
        yield
        transaction.set_rollback(True)


def _secrets(anonymous: Viewer) -> set[str]:
    """Distinctive strings of records this viewer must not see (not also used by a visible one)."""
    hidden: set[str] = set()
    for paper in Paper.objects.exclude(pk__in=Paper.objects.visible_to(anonymous)):
        hidden |= {paper.name, paper.reference}
        hidden |= {s.text for s in paper.sections.all() if len(s.text) > 40}
    for item in AgendaItem.objects.exclude(pk__in=AgendaItem.objects.visible_to(anonymous)):
        hidden |= {item.name, item.resolution_text}
    for file in File.objects.exclude(pk__in=File.objects.visible_to(anonymous)):
        hidden |= {file.name, file.file_name}
    from ratsinfo.bodies.models import Location

    hidden |= {loc.description for loc in Location.objects.exclude(pk__in=Location.objects.visible_to(anonymous))}
    visible: set[str] = set()
    for paper in Paper.objects.visible_to(anonymous):
        visible |= {paper.name, paper.reference}
        visible |= {s.text for s in paper.sections.all()}
    for item in AgendaItem.objects.visible_to(anonymous):
        visible |= {item.name, item.resolution_text}
    for file in File.objects.visible_to(anonymous):
        visible |= {file.name, file.file_name}
    return {s for s in hidden - visible if s and len(s) >= 12}


def _crawl(client: Client) -> dict[str, Any]:
    seen: set[str] = set()
    queue = deque(START)
    pages: dict[str, Any] = {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        pages[url] = response
        kind = response.get("Content-Type", "")
        if response.status_code != 200 or not any(t in kind for t in ("html", "json")):
            continue
        text = response.content.decode()
        links = HREF.findall(text) if "html" in kind else [u.replace("http://testserver", "") for u in OPARL_URL.findall(text)]
        for href in links:
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if parts.netloc not in ("", "testserver") or parts.path.startswith(SKIP):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local not in seen:
                queue.append(local)
    return pages


def test_whatever_the_public_sees_has_been_public(demo_db: None, db: Any) -> None:
    # So OParl may report it as deleted later, and nothing else.
    for model in (Paper, AgendaItem, File):
        assert not model.objects.visible_to(None).filter(ever_public=False).exists(), model


@pytest.mark.parametrize("persona", [None, "hinzugewaehlt", "ratsfrau", "ratsherr"])
def test_every_audience_following_every_link_sees_nothing_beyond_it(
    demo_db: None, db: Any, persona: str | None
) -> None:
    client = Client()
    viewer = PUBLIC
    if persona is not None:
        user = User.objects.get(username=persona)
        client.force_login(user)
        viewer = viewer_for(user)
    secrets = _secrets(viewer)
    assert len(secrets) >= 10, "the demo must hold records beyond this audience for this guard to mean anything"
    pages = _crawl(client)
    assert len(pages) >= 300
    problems = []
    for url, response in pages.items():
        if response.status_code >= 500:
            problems.append(f"{url}: {response.status_code}")
            continue
        if response.status_code != 200 or response.streaming:
            continue
        body = response.content.decode(errors="replace")
        problems += [f"{url}: zeigt „{secret[:60]}“" for secret in secrets if secret in body]
        if "text/html" in response.get("Content-Type", ""):
            h1_count = len(re.findall(r"<h1[\s>]", body))
            if h1_count != 1:
                problems.append(f"{url}: {h1_count} h1-Überschriften")
    assert not problems, "\n".join(problems[:30])


def test_demo_shows_places_legal_texts_and_profiles(demo_db: None) -> None:
    from ratsinfo.bodies.models import Body, Location, Person
    from ratsinfo.lib.geo import point_of
    from ratsinfo.measures.models import Measure
    from ratsinfo.portal.models import LegalPage

    placed = [loc for loc in Location.objects.all() if point_of(loc.geojson)]
    assert {"Rathaus Großenkneten", "Bürgerhaus Ahlhorn", "Quartierszentrum Ahlhorn"} <= {loc.description for loc in placed}
    assert Measure.objects.filter(location__isnull=False).count() >= 3
    assert LegalPage.objects.count() == 3 and Body.objects.get().letterhead
    assert Person.objects.filter(contact_consent=True).exclude(public_contact="").exists()
    client = Client()
    plan_page = client.get("/massnahmen/").content.decode()
    slug = re.search(r'href="/massnahmen/([^/"]+)/"', plan_page).group(1)  # type: ignore[union-attr]
    html = client.get(f"/massnahmen/{slug}/").content.decode()
    assert "Orte der Maßnahmen" in html and "Karte anzeigen" in html
    assert "beschlossen: von der 4. Sozialträgerkonferenz am 13.03.2024" in html


def test_demo_vorlagen_name_real_places_and_the_start_page_maps_the_public_ones(demo_db: None) -> None:
    from ratsinfo.bodies.models import Location
    from ratsinfo.corpus.demo import SEED_REFERENCE
    from ratsinfo.lib.geo import point_of

    seed = Paper.objects.get(reference=SEED_REFERENCE)
    assert {p.description for p in seed.locations.all()} == {
        "Quartierszentrum Ahlhorn", "Spiel- und Bewegungsfläche Parkstraße", "Wildeshauser Straße (Ortsdurchfahrt)"}
    assert Paper.objects.filter(locations__isnull=False).distinct().count() >= 10
    for place in Location.objects.filter(papers__isnull=False).distinct():
        point = point_of(place.geojson)
        assert point is not None and 52.85 < point[0] < 53.1 and 8.1 < point[1] < 8.4, place  # Großenkneten
    client = Client()
    home = client.get("/").content.decode()
    block = home[home.index("Vorlagen der letzten Monate auf der Karte"):]
    assert "Gewerbegebiet Huntlosen-Nord" in block and "Karte anzeigen" in block
    plot = Location.objects.get(description="Fläche an der Wildeshauser Straße")  # only a non-public land deal names it
    assert plot.description not in home
    assert client.get(f"/oparl/v1.1/location/{plot.pk}").status_code == 404
    assert "Orte der Vorlage" in client.get(seed.get_absolute_url()).content.decode()
