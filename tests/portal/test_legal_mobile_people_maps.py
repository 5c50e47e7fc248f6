"""Portal gaps before going live: legal pages, council decisions apart from the plan's, external
actors not listed as Gremien, person profiles, maps with coordinates (never tiles in tests)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.test import Client

from ratsinfo.bodies.models import Location, Organization, OrganizationKind
from ratsinfo.lib.geo import point_feature, point_of
from ratsinfo.meetings.models import AgendaItem, Meeting
from ratsinfo.portal.models import LegalPage, LegalPageKind
from tests.portal.conftest import at


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_impressum_and_datenschutz_come_from_the_installation_and_are_linked_in_the_footer(
    world: Any, citizen_client: Client
) -> None:
    home = page(citizen_client, "/")
    footer = home[home.index("site-footer"):]
    assert 'href="/impressum/"' in footer and 'href="/datenschutz/"' in footer and 'href="/barrierefreiheit/"' in footer
    assert "noch nicht eingetragen" in page(citizen_client, "/impressum/")
    LegalPage.objects.create(kind=LegalPageKind.IMPRESSUM, text="Gemeinde Teststadt\nMarkt 1\n\nVertreten durch <b>X</b>")
    LegalPage.objects.create(kind=LegalPageKind.DATENSCHUTZ, text="Verantwortlich ist die Gemeinde.", made_on=dt.date(2025, 2, 1))
    imprint = page(citizen_client, "/impressum/")
    assert "Gemeinde Teststadt<br>Markt 1" in imprint and "&lt;b&gt;X&lt;/b&gt;" in imprint  # text, never markup
    privacy = page(citizen_client, "/datenschutz/")
    assert "<h1>Datenschutzerklärung</h1>" in privacy and "Stand: <time datetime=\"2025-02-01\">01.02.2025</time>" in privacy


def test_accessibility_statement_tells_when_it_was_made_and_last_reviewed(world: Any, citizen_client: Client) -> None:
    LegalPage.objects.create(kind=LegalPageKind.BARRIEREFREIHEIT, made_on=dt.date(2024, 1, 15), reviewed_on=dt.date(2026, 11, 2))
    statement = page(citizen_client, "/barrierefreiheit/")
    assert "am <time datetime=\"2024-01-15\">15.01.2024</time> erstellt" in statement
    assert "zuletzt am <time datetime=\"2026-11-02\">02.11.2026</time> überprüft" in statement


def test_current_decisions_are_the_councils_and_the_plans_conferences_have_their_own_section(
    world: Any, body: Any, citizen_client: Client
) -> None:
    stk = Organization.objects.create(body=body, name="Sozialträgerkonferenz Nord", kind=OrganizationKind.SOZIALTRAEGERKONFERENZ)
    meeting = Meeting.objects.create(name="2. Sozialträgerkonferenz", start=at(dt.date(2022, 10, 25), 17))
    meeting.organizations.add(stk)
    AgendaItem.objects.create(meeting=meeting, order=1, number="Ö 1", name="Ferienprogramm Nord", public=True,
                              result="einstimmig beschlossen")
    home = page(citizen_client, "/")
    council = home[home.index('id="h-beschluesse"'):home.index('id="h-plan-beschluesse"')]
    plan = home[home.index('id="h-plan-beschluesse"'):home.index('id="h-abo"')]
    assert "Integrationskonzept" in council and "Ferienprogramm Nord" not in council
    assert "Ferienprogramm Nord" in plan and "Integrationskonzept" not in plan


def test_external_actors_are_not_gremien_of_the_council(world: Any, body: Any, citizen_client: Client) -> None:
    Organization.objects.create(body=body, name="Polizeistation Nord", kind=OrganizationKind.EXTERN)
    Organization.objects.create(body=body, name="Arbeitsgruppe Nord", kind=OrganizationKind.ARBEITSGRUPPE)
    gremien = page(citizen_client, "/gremien/")
    assert "Polizeistation Nord" not in gremien and "Arbeitsgruppe Nord" in gremien
    assert "Jugend-, Ordnungs- und Sozialausschuss" in gremien


def test_person_page_shows_photo_group_area_and_only_an_agreed_contact(world: Any, citizen_client: Client) -> None:
    bare = page(citizen_client, world.carla.get_absolute_url())
    assert "Wahlbereich" not in bare and "Kontakt</dt>" not in bare and "person-photo" not in bare
    anna = world.anna
    anna.electoral_area = "Wahlbereich II (Ahlhorn)"
    anna.public_contact = "anna.albers@example.org"
    anna.contact_consent = False
    anna.photo.save("anna.png", ContentFile(b"\x89PNG\r\n\x1a\nnot-really"), save=False)
    anna.photo_alt = "Anna Albers lächelt in die Kamera"
    anna.save()
    html = page(citizen_client, anna.get_absolute_url())
    assert "Wahlbereich II (Ahlhorn)" in html and "CDU-Fraktion" in html[html.index('id="fraktion"'):]
    assert "anna.albers@example.org" not in html  # not agreed to publish
    assert 'alt="Anna Albers lächelt in die Kamera"' in html
    photo = citizen_client.get(f"/personen/{anna.slug}/foto")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    assert citizen_client.get(f"/personen/{world.carla.slug}/foto").status_code == 404
    anna.contact_consent = True
    anna.save()
    assert 'mailto:anna.albers@example.org' in page(citizen_client, anna.get_absolute_url())


def test_meeting_with_coordinates_shows_a_map_that_loads_tiles_only_on_request(world: Any, citizen_client: Client, settings: Any) -> None:
    settings.RATSINFO_MAP_TILE_URL = "https://karten.example.org/{z}/{x}/{y}.png"
    html = page(citizen_client, world.committee.get_absolute_url())
    assert "map-canvas" not in html  # no coordinates yet: no map
    Location.objects.filter(pk=world.rathaus.pk).update(geojson=point_feature(52.9436, 8.2576, "Rathaus"))
    html = page(citizen_client, world.committee.get_absolute_url())
    assert "Sitzungsort" in html and "52,94360° N" in html  # the text alternative
    assert 'data-tiles="https://karten.example.org/{z}/{x}/{y}.png"' in html and "karten.example.org" in html
    assert "<img" not in html[html.index("map-block"):html.index("</section>", html.index("map-block"))]
    assert "/static/vendor/leaflet/leaflet.js" in html and "Karte anzeigen" in html


def test_coordinates_are_read_from_geojson_points_and_features() -> None:
    assert point_of({"type": "Point", "coordinates": [8.2576, 52.9436]}) == (52.9436, 8.2576)
    assert point_of(point_feature(52.9, 8.23)) == (52.9, 8.23)
    for broken in (None, {}, {"type": "Polygon", "coordinates": []}, {"type": "Point", "coordinates": ["x", 1]},
                   {"type": "Point", "coordinates": [8.2, 95.0]}, "52.9,8.2"):
        assert point_of(broken) is None


def test_oparl_location_carries_the_geojson(world: Any, citizen_client: Client) -> None:
    Location.objects.filter(pk=world.rathaus.pk).update(geojson=point_feature(52.9436, 8.2576, "Rathaus"))
    listing = citizen_client.get("/oparl/v1.1/")
    assert listing.status_code == 200
    body_url = listing.json()["body"]
    bodies = citizen_client.get(body_url).json()
    location_list = bodies["data"][0].get("locationList")
    data = citizen_client.get(location_list).json()["data"]
    rathaus = next(loc for loc in data if loc.get("description") == "Rathaus Großenkneten")
    assert rathaus["geojson"]["geometry"] == {"type": "Point", "coordinates": [8.2576, 52.9436]}
